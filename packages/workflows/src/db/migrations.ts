/**
 * The SQL this package owns, as plain data, so the API can wrap it in its own migrator and tools
 * and tests can apply it with {@link applyMigrations}. Append-only: never edit a released entry;
 * add a new one.
 */

/** One migration: statements to apply it and to revert it, each run in order in one transaction. */
export interface SqlMigration {
  /** Unique and stable; recorded in the tracking table. */
  name: string;
  up: string[];
  down: string[];
}

/**
 * A reference table that keeps whole versions (migration `workflows_20261202_54`): the rows live in
 * `<table>_versions` keyed by the import (operation) that wrote them, `reference_versions` points
 * each tenant (and scope) at its current version, and `<table>` is a view of the current rows.
 */
interface VersionedTable {
  table: string;
  /** The natural key, in the old primary key's order (after `organization_id`). */
  key: string[];
  /** Every column of the old table between `organization_id` and `operation_id`, in order. */
  columns: string[];
  /** SQL over alias `v` for the version's scope (`''` when a file replaces the whole table). */
  scope: string;
}

/**
 * The transaction-local settings an import step sets before its COPY into `<table>_versions`:
 * the versions tables' `organization_id` and `operation_id` default to them.
 */
export const IMPORT_SETTINGS = {
  organization: 'greenfin.import_organization',
  operation: 'greenfin.import_operation',
} as const;

const VERSIONED_TABLES: VersionedTable[] = [
  {
    table: 'eu_ets_installations',
    key: ['installation_id'],
    columns: [
      'installation_id',
      'name',
      'address',
      'postal_code',
      'city',
      'country_code',
      'latitude',
      'longitude',
    ],
    scope: `''`,
  },
  {
    table: 'eu_ets_verified_emissions',
    key: ['installation_id', 'year'],
    columns: ['installation_id', 'year', 'free_allocation', 'verified_emissions_tco2e'],
    scope: `''`,
  },
  {
    table: 'emission_factors',
    key: ['year', 'factor_id'],
    columns: [
      'year',
      'factor_id',
      'scope',
      'level1',
      'level2',
      'level3',
      'level4',
      'column_text',
      'unit',
      'ghg_unit',
      'factor',
    ],
    scope: `v."year"::text`,
  },
  {
    table: 'fx_rates',
    key: ['date', 'currency'],
    columns: ['date', 'currency', 'rate_per_eur'],
    scope: `''`,
  },
];

const quoted = (names: string[]): string => names.map((n) => `"${n}"`).join(', ');

function versionedUp({ table, key, columns, scope }: VersionedTable): string[] {
  const versions = `${table}_versions`;
  return [
    `alter table "${table}" rename to "${versions}";`,
    `alter table "${versions}" drop constraint "${table}_pkey";`,
    // The physical line of the import that wrote the row (0 for rows from before versions).
    `alter table "${versions}" add column "line" integer not null default 0;`,
    // What each tenant had becomes its first version.
    `insert into "reference_versions" ("organization_id", "dataset_table", "scope", "operation_id")
       select v."organization_id", '${table}', ${scope}, gen_random_uuid() from "${versions}" v group by 1, 3;`,
    `update "${versions}" v set "operation_id" = p."operation_id" from "reference_versions" p
       where p."organization_id" = v."organization_id" and p."dataset_table" = '${table}' and p."scope" = ${scope};`,
    `alter table "${versions}" add constraint "${versions}_pkey" primary key ("operation_id", ${quoted(key)});`,
    `create view "${table}" as
       select v."organization_id", ${columns.map((c) => `v."${c}"`).join(', ')}, v."operation_id", v."updated_at"
       from "reference_versions" p
       join "${versions}" v on v."operation_id" = p."operation_id" and v."organization_id" = p."organization_id"
       where p."dataset_table" = '${table}' and p."scope" = ${scope};`,
  ];
}

function versionedDown({ table, key, scope }: VersionedTable): string[] {
  const versions = `${table}_versions`;
  return [
    `drop view if exists "${table}";`,
    `delete from "${versions}" v where not exists (
       select 1 from "reference_versions" p where p."operation_id" = v."operation_id"
         and p."organization_id" = v."organization_id" and p."dataset_table" = '${table}' and p."scope" = ${scope});`,
    `alter table "${versions}" drop constraint "${versions}_pkey";`,
    `alter table "${versions}" drop column "line";`,
    `alter table "${versions}" add constraint "${table}_pkey" primary key ("organization_id", ${quoted(key)});`,
    `alter table "${versions}" rename to "${table}";`,
  ];
}

/** This package's migrations, in order. */
export const WORKFLOW_MIGRATIONS: SqlMigration[] = [
  {
    name: 'workflows_20261122_01_operations',
    up: [
      `create table "operations" (
        "id" uuid not null,
        "organization_id" uuid not null,
        "kind" text not null check ("kind" in ('enrichment', 'import', 'report')),
        "status" text not null default 'queued'
          check ("status" in ('queued', 'running', 'succeeded', 'failed', 'canceled')),
        "progress_completed" integer not null default 0 check ("progress_completed" >= 0),
        "progress_total" integer null check ("progress_total" >= 0),
        "input" jsonb not null,
        "result" jsonb null,
        "resource_location" text null,
        "error" jsonb null,
        "engine" text not null check ("engine" in ('temporal', 'in-process')),
        "workflow_id" text null,
        "idempotency_key" varchar(255) null,
        "created_at" timestamptz not null default now(),
        "updated_at" timestamptz not null default now(),
        "expires_at" timestamptz not null,
        constraint "operations_pkey" primary key ("id")
      );`,
      // The same key never starts two jobs of a kind for a tenant (the start looks the row up by it).
      `create unique index "operations_org_kind_idempotency_key_unique" on "operations"
        ("organization_id", "kind", "idempotency_key") where "idempotency_key" is not null;`,
      // Listing (newest first, keyset cursor), optionally by kind or status.
      `create index "operations_org_created_idx" on "operations" ("organization_id", "created_at" desc, "id" desc);`,
      `create index "operations_org_kind_created_idx" on "operations"
        ("organization_id", "kind", "created_at" desc, "id" desc);`,
      `create index "operations_org_status_created_idx" on "operations"
        ("organization_id", "status", "created_at" desc, "id" desc);`,
      // Start-up recovery looks for unfinished in-process operations.
      `create index "operations_unfinished_idx" on "operations" ("engine", "status")
        where "status" in ('queued', 'running');`,
      // Retention purge.
      `create index "operations_expires_idx" on "operations" ("expires_at")
        where "status" in ('succeeded', 'failed', 'canceled');`,
    ],
    down: ['drop table if exists "operations";'],
  },
  {
    name: 'workflows_20261201_01_reports',
    up: [
      // Rendered PDF reports. `renderReport` writes a draft (id = its operation id, so a retried
      // render overwrites its own draft); `storeReport` publishes it, and the API serves the
      // simulation's newest published report. No foreign keys to API tables (see index.ts of the
      // API's migrations); the API deletes a simulation's reports with it.
      `create table "reports" (
        "id" uuid not null,
        "organization_id" uuid not null,
        "loan_simulation_id" uuid not null,
        "content" bytea not null,
        "sha256" char(64) not null,
        "size_bytes" integer not null check ("size_bytes" > 0),
        "methodology_version" text not null,
        "created_at" timestamptz not null default now(),
        "published_at" timestamptz null,
        constraint "reports_pkey" primary key ("id")
      );`,
      `create index "reports_org_simulation_published_idx" on "reports"
        ("organization_id", "loan_simulation_id", "published_at" desc nulls last);`,
    ],
    down: ['drop table if exists "reports";'],
  },
  {
    name: 'workflows_20261201_51_webhooks',
    up: [
      // Secrets are kept readable (they sign every delivery); encryption at rest is out of scope.
      `create table "webhook_endpoints" (
        "id" uuid not null,
        "organization_id" uuid not null,
        "url" text not null check (length("url") <= 2048),
        "events" text[] not null check (cardinality("events") > 0
          and "events" <@ array['operation.succeeded', 'operation.failed', 'report.ready', 'alert.raised']::text[]),
        "secret" text not null,
        "description" text null,
        "status" text not null default 'active' check ("status" in ('active', 'disabled')),
        "disabled_reason" text null,
        "disabled_at" timestamptz null,
        "created_at" timestamptz not null default now(),
        "updated_at" timestamptz not null default now(),
        constraint "webhook_endpoints_pkey" primary key ("id")
      );`,
      // Listing (newest first, keyset cursor) and finding an organization's subscribed endpoints.
      `create index "webhook_endpoints_org_created_idx" on "webhook_endpoints"
        ("organization_id", "created_at" desc, "id" desc);`,
      `create table "webhook_deliveries" (
        "id" uuid not null,
        "endpoint_id" uuid not null references "webhook_endpoints" ("id") on delete cascade,
        "organization_id" uuid not null,
        "event" text not null,
        "dedup_key" text not null,
        "operation_id" uuid null,
        "payload" jsonb not null,
        "status" text not null default 'pending'
          check ("status" in ('pending', 'delivering', 'succeeded', 'failed', 'exhausted')),
        "attempts" integer not null default 0 check ("attempts" >= 0),
        "generation" integer not null default 0 check ("generation" >= 0),
        "next_attempt_at" timestamptz null,
        "last_status_code" integer null,
        "last_error" text null,
        "created_at" timestamptz not null default now(),
        "updated_at" timestamptz not null default now(),
        "delivered_at" timestamptz null,
        constraint "webhook_deliveries_pkey" primary key ("id")
      );`,
      // One delivery per endpoint and event occurrence: a retried notify never enqueues twice.
      `create unique index "webhook_deliveries_endpoint_event_dedup_unique" on "webhook_deliveries"
        ("endpoint_id", "event", "dedup_key");`,
      // An endpoint's deliveries, newest first.
      `create index "webhook_deliveries_endpoint_created_idx" on "webhook_deliveries"
        ("endpoint_id", "created_at" desc, "id" desc);`,
      // The in-process dispatcher's due scan.
      `create index "webhook_deliveries_due_idx" on "webhook_deliveries" ("next_attempt_at")
        where "status" in ('pending', 'delivering');`,
    ],
    down: ['drop table if exists "webhook_deliveries";', 'drop table if exists "webhook_endpoints";'],
  },
  {
    // Bulk imports: the uploaded files, each import's run state, its staged rows and rejects, and
    // the reference tables the eu-ets, emission-factors and fx-rates datasets replace per tenant.
    name: 'workflows_20261201_52_imports',
    up: [
      `create table "import_files" (
        "id" uuid not null,
        "organization_id" uuid not null,
        "dataset" text not null,
        "file_name" text not null,
        "size_bytes" bigint not null check ("size_bytes" >= 0),
        "sha256" char(64) not null,
        "content" bytea not null,
        "created_at" timestamptz not null default now(),
        constraint "import_files_pkey" primary key ("id")
      );`,
      // Uncompressed out-of-line storage: reading the file in slices (substring) then fetches only
      // the slice's chunks instead of decompressing the whole value for every slice.
      `alter table "import_files" alter column "content" set storage external;`,
      `create index "import_files_org_created_idx" on "import_files" ("organization_id", "created_at" desc);`,
      `create table "import_runs" (
        "operation_id" uuid not null,
        "organization_id" uuid not null,
        "dataset" text not null,
        "variant" text not null,
        "file_id" uuid not null,
        "bom_bytes" smallint not null,
        "header_end_byte" bigint not null,
        "start_line" integer not null,
        "total_rows" integer null,
        "result" jsonb null,
        "created_at" timestamptz not null default now(),
        "finished_at" timestamptz null,
        constraint "import_runs_pkey" primary key ("operation_id"),
        constraint "import_runs_operation_fk" foreign key ("operation_id") references "operations" ("id") on delete cascade
      );`,
      // Where each committed step of a run stopped: the byte offset a later batch resumes from.
      `create table "import_positions" (
        "operation_id" uuid not null,
        "line" integer not null,
        "byte_offset" bigint not null,
        constraint "import_positions_pkey" primary key ("operation_id", "line"),
        constraint "import_positions_run_fk" foreign key ("operation_id") references "import_runs" ("operation_id") on delete cascade
      );`,
      // Accepted rows waiting for finishImport, keyed by operation + line (+ row of the line). No
      // foreign key (a per-row trigger on the hot path): finishImport deletes an import's rows, and
      // purgeImportStaging those of imports that ended without finishing.
      `create table "import_staged_rows" (
        "operation_id" uuid not null,
        "line" integer not null,
        "seq" smallint not null,
        "key" text not null,
        "data" jsonb not null,
        "raw" text null,
        constraint "import_staged_rows_pkey" primary key ("operation_id", "line", "seq"),
        constraint "import_staged_rows_key_unique" unique ("operation_id", "key")
      );`,
      `create table "import_rejects" (
        "operation_id" uuid not null,
        "line" integer not null,
        "field" text null,
        "reason" text not null,
        "raw" text null,
        constraint "import_rejects_pkey" primary key ("operation_id", "line"),
        constraint "import_rejects_run_fk" foreign key ("operation_id") references "import_runs" ("operation_id") on delete cascade
      );`,
      `create table "eu_ets_installations" (
        "organization_id" uuid not null,
        "installation_id" text not null,
        "name" text null,
        "address" text null,
        "postal_code" text null,
        "city" text null,
        "country_code" text not null,
        "latitude" double precision null,
        "longitude" double precision null,
        "operation_id" uuid not null,
        "updated_at" timestamptz not null default now(),
        constraint "eu_ets_installations_pkey" primary key ("organization_id", "installation_id")
      );`,
      `create table "eu_ets_verified_emissions" (
        "organization_id" uuid not null,
        "installation_id" text not null,
        "year" smallint not null,
        "free_allocation" bigint null,
        "verified_emissions_tco2e" double precision null,
        "operation_id" uuid not null,
        "updated_at" timestamptz not null default now(),
        constraint "eu_ets_verified_emissions_pkey" primary key ("organization_id", "installation_id", "year")
      );`,
      `create table "emission_factors" (
        "organization_id" uuid not null,
        "year" smallint not null,
        "factor_id" text not null,
        "scope" text not null,
        "level1" text not null,
        "level2" text null,
        "level3" text null,
        "level4" text null,
        "column_text" text null,
        "unit" text not null,
        "ghg_unit" text not null,
        "factor" double precision null,
        "operation_id" uuid not null,
        "updated_at" timestamptz not null default now(),
        constraint "emission_factors_pkey" primary key ("organization_id", "year", "factor_id")
      );`,
      `create table "fx_rates" (
        "organization_id" uuid not null,
        "date" date not null,
        "currency" char(3) not null,
        "rate_per_eur" double precision not null,
        "operation_id" uuid not null,
        "updated_at" timestamptz not null default now(),
        constraint "fx_rates_pkey" primary key ("organization_id", "date", "currency")
      );`,
    ],
    down: [
      'drop table if exists "fx_rates";',
      'drop table if exists "emission_factors";',
      'drop table if exists "eu_ets_verified_emissions";',
      'drop table if exists "eu_ets_installations";',
      'drop table if exists "import_rejects";',
      'drop table if exists "import_staged_rows";',
      'drop table if exists "import_positions";',
      'drop table if exists "import_runs";',
      'drop table if exists "import_files";',
    ],
  },
  {
    // Cash-flow underwriting (docs/cash-flow.md): a company's bank accounts and transactions, the
    // tenant's categorisation rules, and the alerts raised over them. Both the API (JSON ingest,
    // reads) and the workflows (the `transactions` import dataset, recategorisation, scheduled
    // alert evaluation) write these tables, so this package owns them. No foreign keys to API
    // tables (see the API's migrations index); the API deletes a company's rows with it.
    name: 'workflows_20261202_53_cash_flow',
    up: [
      `alter table "operations" drop constraint if exists "operations_kind_check";`,
      `alter table "operations" add constraint "operations_kind_check"
        check ("kind" in ('enrichment', 'import', 'report', 'recategorisation', 'alert-evaluation'));`,
      `create table "bank_accounts" (
        "id" uuid not null default gen_random_uuid(),
        "organization_id" uuid not null,
        "company_id" uuid not null,
        "account_ref" text not null check (length("account_ref") between 1 and 200),
        "currency" char(3) not null,
        "name" text null,
        "created_at" timestamptz not null default now(),
        constraint "bank_accounts_pkey" primary key ("id"),
        constraint "bank_accounts_org_company_ref_unique" unique ("organization_id", "company_id", "account_ref")
      );`,
      // One booked movement. amount: signed minor units (+ in, - out). dedup_hash: sha256 of core's
      // transactionDedupKeys key (account + date + currency + amount + normalised description +
      // per-day sequence); unique per company, so importing the same statement twice adds nothing.
      `create table "transactions" (
        "id" uuid not null default gen_random_uuid(),
        "organization_id" uuid not null,
        "company_id" uuid not null,
        "account_ref" text not null,
        "booking_date" date not null,
        "amount" bigint not null,
        "currency" char(3) not null,
        "description" text not null default '',
        "counterparty" text null,
        "category" text null,
        "category_source" text null check ("category_source" in ('manual', 'rule', 'import')),
        "category_rule_id" uuid null,
        "balance_after" bigint null,
        "source" text not null check ("source" in ('api', 'import')),
        "import_id" uuid null,
        "dedup_hash" char(64) not null,
        -- Arrival order: the bank's order within a day (closing balances read the day's last row).
        "seq" bigint generated by default as identity,
        "created_at" timestamptz not null default now(),
        "updated_at" timestamptz not null default now(),
        constraint "transactions_pkey" primary key ("id"),
        constraint "transactions_category_pairing_check" check (("category" is null) = ("category_source" is null)),
        constraint "transactions_org_company_dedup_unique" unique ("organization_id", "company_id", "dedup_hash")
      );`,
      // Analytics and listing read a company's rows by booking date (keyset cursor on id).
      `create index "transactions_org_company_date_idx" on "transactions"
        ("organization_id", "company_id", "booking_date", "id");`,
      `create index "transactions_import_idx" on "transactions" ("import_id") where "import_id" is not null;`,
      `create table "category_rules" (
        "id" uuid not null default gen_random_uuid(),
        "organization_id" uuid not null,
        "field" text not null check ("field" in ('description', 'counterparty')),
        "match" text not null check ("match" in ('keyword', 'regex')),
        "pattern" text not null check (length("pattern") between 1 and 500),
        "amount_sign" text not null default 'any' check ("amount_sign" in ('inflow', 'outflow', 'any')),
        "category" text not null check (length("category") between 1 and 100),
        "priority" integer not null default 0,
        "created_at" timestamptz not null default now(),
        "updated_at" timestamptz not null default now(),
        constraint "category_rules_pkey" primary key ("id")
      );`,
      `create index "category_rules_org_priority_idx" on "category_rules" ("organization_id", "priority" desc, "id");`,
      // An alert is raised once per condition (fingerprint: rule + company [+ simulation]) while it
      // is active (open, or acknowledged by a person); when an evaluation no longer finds the
      // condition it is resolved, and the same condition coming back raises a new alert.
      `create table "alerts" (
        "id" uuid not null default gen_random_uuid(),
        "organization_id" uuid not null,
        "company_id" uuid not null,
        "loan_simulation_id" uuid null,
        "rule" text not null
          check ("rule" in ('dscr-below-threshold', 'negative-net-cash-flow', 'sustainability-kpi-missed')),
        "severity" text not null check ("severity" in ('info', 'warning', 'critical')),
        "status" text not null default 'open' check ("status" in ('open', 'acknowledged', 'resolved')),
        "fingerprint" text not null,
        "message" text not null,
        "details" jsonb not null default '{}'::jsonb,
        "raised_at" timestamptz not null default now(),
        "acknowledged_at" timestamptz null,
        "acknowledged_by" uuid null,
        "resolved_at" timestamptz null,
        constraint "alerts_pkey" primary key ("id")
      );`,
      `create unique index "alerts_active_fingerprint_unique" on "alerts" ("organization_id", "fingerprint")
        where "status" in ('open', 'acknowledged');`,
      `create index "alerts_org_raised_idx" on "alerts" ("organization_id", "raised_at" desc, "id" desc);`,
    ],
    down: [
      'drop table if exists "alerts";',
      'drop table if exists "category_rules";',
      'drop table if exists "transactions";',
      'drop table if exists "bank_accounts";',
      `delete from "operations" where "kind" in ('recategorisation', 'alert-evaluation');`,
      `alter table "operations" drop constraint if exists "operations_kind_check";`,
      `alter table "operations" add constraint "operations_kind_check" check ("kind" in ('enrichment', 'import', 'report'));`,
    ],
  },
  {
    // Reference datasets keep whole versions (docs/decisions/0010-versioned-reference-imports.md):
    // an import COPYs its rows straight into `<table>_versions` under its operation id, and
    // finishImport flips the tenant's pointer in `reference_versions` in one statement, so a
    // re-import replaces the previous version atomically without staging or upserting a row. The
    // old table names are views of the current versions; housekeeping deletes superseded ones.
    name: 'workflows_20261202_54_versioned_reference_data',
    up: [
      `create table "reference_versions" (
        "organization_id" uuid not null,
        "dataset_table" text not null,
        "scope" text not null default '',
        "operation_id" uuid not null,
        "activated_at" timestamptz not null default now(),
        constraint "reference_versions_pkey" primary key ("organization_id", "dataset_table", "scope")
      );`,
      `create index "reference_versions_operation_idx" on "reference_versions" ("operation_id");`,
      ...VERSIONED_TABLES.flatMap(versionedUp),
    ],
    down: [...VERSIONED_TABLES.flatMap(versionedDown), 'drop table if exists "reference_versions";'],
  },
  {
    // Physical lines of an upload, counted as it is stored: planImport's progress total without
    // reading the file a second time.
    name: 'workflows_20261202_55_import_file_line_count',
    up: [`alter table "import_files" add column "line_count" integer null;`],
    down: [`alter table "import_files" drop column if exists "line_count";`],
  },
  {
    // An import's COPY into `<table>_versions` sends the tenant and operation once per step (as
    // transaction-local settings the column defaults read), not two UUIDs on every line:
    // PostgreSQL parses a fifth of the text. Unset, the defaults fail loudly rather than guess.
    name: 'workflows_20261203_56_version_rows_from_import_settings',
    up: VERSIONED_TABLES.map(
      ({ table }) =>
        `alter table "${table}_versions"
           alter column "organization_id" set default current_setting('${IMPORT_SETTINGS.organization}')::uuid,
           alter column "operation_id" set default current_setting('${IMPORT_SETTINGS.operation}')::uuid;`,
    ),
    down: VERSIONED_TABLES.map(
      ({ table }) =>
        `alter table "${table}_versions" alter column "organization_id" drop default, alter column "operation_id" drop default;`,
    ),
  },
  {
    // The defaults of migration 56 evaluated current_setting(…)::uuid on every row: half again
    // the cost of the COPY itself. The same settings read through functions declared immutable are
    // folded to constants when PostgreSQL prepares a statement's defaults — once per COPY, which
    // is what an import step wants (its settings are set before its COPY, in its transaction).
    // The label is knowingly false between statements: a cached plan (a prepared INSERT omitting
    // these columns) would keep the ids it was planned with. Nothing inserts into these tables but
    // VersionWriter's COPY; unset, the settings are '' and the cast fails loudly, as before.
    name: 'workflows_20261203_57_import_settings_read_once_per_statement',
    up: [
      ...(['organization', 'operation'] as const).map(
        (which) =>
          `create or replace function "greenfin_import_${which}"() returns uuid language sql immutable parallel safe
             as $$ select current_setting('${IMPORT_SETTINGS[which]}')::uuid $$;`,
      ),
      ...VERSIONED_TABLES.map(
        ({ table }) =>
          `alter table "${table}_versions"
             alter column "organization_id" set default "greenfin_import_organization"(),
             alter column "operation_id" set default "greenfin_import_operation"();`,
      ),
    ],
    down: [
      ...VERSIONED_TABLES.map(
        ({ table }) =>
          `alter table "${table}_versions"
             alter column "organization_id" set default current_setting('${IMPORT_SETTINGS.organization}')::uuid,
             alter column "operation_id" set default current_setting('${IMPORT_SETTINGS.operation}')::uuid;`,
      ),
      `drop function if exists "greenfin_import_organization"();`,
      `drop function if exists "greenfin_import_operation"();`,
    ],
  },
];
