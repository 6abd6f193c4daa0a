/**
 * The API tables the import activities write (organizations, companies, environmental_metrics),
 * as the API's MikroORM migration Migration20261122043311 creates them — the workflows package
 * does not own them, so its tests create them from this copy.
 */
import type pg from 'pg';

export const API_TABLES_DDL: readonly string[] = [
  `create table "organizations" ("id" uuid not null, "name" varchar(200) not null, "created_at" timestamptz not null, constraint "organizations_pkey" primary key ("id"));`,
  `create table "companies" ("id" uuid not null, "organization_id" uuid not null, "jurisdiction" varchar(16) not null, "company_number" varchar(32) not null, "name" varchar(300) not null, "status" text check ("status" in ('active', 'dormant', 'liquidation', 'dissolved', 'unknown')) not null default 'active', "incorporation_date" date null, "sic_codes" text[] not null default '{}', "sector" varchar(1) null, "region" varchar(200) null, "locality" varchar(200) null, "source" text check ("source" in ('manual', 'opencorporates', 'companies-house', 'import')) not null default 'manual', "enriched_at" timestamptz null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "companies_pkey" primary key ("id"));`,
  `alter table "companies" add constraint "companies_org_jurisdiction_number_unique" unique ("organization_id", "jurisdiction", "company_number");`,
  `create table "environmental_metrics" ("id" uuid not null, "organization_id" uuid not null, "company_id" uuid not null, "year" smallint not null, "energy_mwh" double precision null, "scope1_tco2e" double precision null, "scope2_tco2e" double precision null, "scope3_tco2e" double precision null, "revenue_amount" bigint null, "revenue_currency" varchar(3) null, "renewable_share" double precision null, "verified" boolean not null default false, "pcaf_data_quality" smallint null, "source" varchar(200) null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "environmental_metrics_pkey" primary key ("id"));`,
  `alter table "environmental_metrics" add constraint "environmental_metrics_company_year_unique" unique ("company_id", "year");`,
  `alter table "companies" add constraint "companies_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete cascade;`,
  `alter table "environmental_metrics" add constraint "environmental_metrics_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete cascade;`,
  `alter table "environmental_metrics" add constraint "environmental_metrics_company_id_foreign" foreign key ("company_id") references "companies" ("id") on update cascade on delete cascade;`,
];

export async function createApiTables(pool: pg.Pool): Promise<void> {
  for (const sql of API_TABLES_DDL) await pool.query(sql);
}

/** Creates an organization row (the companies' foreign key needs one). */
export async function createOrganization(pool: pg.Pool, id: string, name = 'Test org'): Promise<void> {
  await pool.query(`insert into "organizations" ("id", "name", "created_at") values ($1, $2, now())`, [
    id,
    name,
  ]);
}
