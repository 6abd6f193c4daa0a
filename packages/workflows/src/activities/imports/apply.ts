/**
 * Applying an import's staged rows to its target table, inside finishImport's transaction.
 *
 * - `companies`: upsert by (organization, jurisdiction, company number), source `import`; an
 *   existing company is only updated (and its `version` bumped) when a value differs.
 * - `environmental-metrics`: upsert per (company, year); the company is found by jurisdiction +
 *   company number in the tenant, and a line naming an unknown company becomes a reject.
 * - reference datasets (`eu-ets`, `emission-factors`, `fx-rates`) are not staged: their rows go
 *   straight into a new version, which finishImport switches in (versions.ts).
 * - `transactions`: inserted for the import's company with `on conflict do nothing` on the
 *   de-duplication hash (so a re-import, or rows the JSON ingest already added, add nothing);
 *   the bank accounts are created as needed. A line whose currency differs from its account's
 *   (as stored, or as the account's first line in the file says) becomes a reject.
 *
 * Rows whose values did not change are not written at all, so importing the same file again
 * changes nothing.
 */
import type { PoolClient } from 'pg';
import { datasetSpec } from '../../imports/datasets/registry.js';
import type { TargetTable } from '../../imports/datasets/types.js';
import type { ImportDatasetName } from '../../shared.js';

export interface ApplyRequest {
  operationId: string;
  organizationId: string;
  dataset: ImportDatasetName;
  variant: string;
  /** transactions: the company the file belongs to (checked by planImport). */
  companyId?: string;
}

export interface ApplyOutcome {
  /** Companies whose own row or metrics changed (their cached scores are stale). */
  changedCompanyIds: string[];
  /** transactions: new vs already-known rows, and accounts created. */
  transactions?: { companyId: string; inserted: number; duplicates: number; accountsCreated: number };
}

const q = (name: string) => `"${name}"`;

/** The target table of a dataset's variant. */
export function targetOf(dataset: ImportDatasetName, variant: string): TargetTable<unknown> {
  const found = datasetSpec(dataset).variants.find((v) => v.name === variant);
  if (!found) throw new Error(`${dataset} has no variant ${variant}`);
  return found.target as TargetTable<unknown>;
}

/** Materialises the staged rows as typed columns (the target's) in a temporary table. */
async function stageSource(
  client: PoolClient,
  operationId: string,
  target: TargetTable<unknown>,
): Promise<void> {
  const definition = target.columns.map((c) => `${q(c.name)} ${c.type}`).join(', ');
  await client.query(`drop table if exists "import_source"`);
  await client.query(
    `create temporary table "import_source" on commit drop as
     select s."line", s."raw", r.* from "import_staged_rows" s
       cross join lateral jsonb_to_record(s."data") as r(${definition})
     where s."operation_id" = '${operationId}'`,
  );
  await client.query(`analyze "import_source"`);
}

const COMPANY_COLUMNS = ['name', 'status', 'incorporation_date', 'sic_codes', 'sector'] as const;

async function applyCompanies(client: PoolClient, req: ApplyRequest): Promise<ApplyOutcome> {
  const set = COMPANY_COLUMNS.map((c) => `${q(c)} = excluded.${q(c)}`).join(', ');
  const mine = COMPANY_COLUMNS.map((c) => `"companies".${q(c)}`).join(', ');
  const theirs = COMPANY_COLUMNS.map((c) => `excluded.${q(c)}`).join(', ');
  const { rows } = await client.query<{ id: string; inserted: boolean }>(
    `insert into "companies" ("id", "organization_id", "jurisdiction", "company_number", ${COMPANY_COLUMNS.map(q).join(', ')},
        "source", "version", "created_at", "updated_at")
     select gen_random_uuid(), $1, s."jurisdiction", s."company_number", ${COMPANY_COLUMNS.map((c) => `s.${q(c)}`).join(', ')},
        'import', 1, now(), now()
     from "import_source" s order by s."line"
     on conflict on constraint "companies_org_jurisdiction_number_unique" do update
       set ${set}, "source" = 'import', "version" = "companies"."version" + 1, "updated_at" = now()
       where (${mine}, "companies"."source") is distinct from (${theirs}, 'import')
     returning "id", (xmax = 0) as "inserted"`,
    [req.organizationId],
  );
  return { changedCompanyIds: rows.filter((r) => !r.inserted).map((r) => r.id) };
}

const METRIC_COLUMNS = [
  'energy_mwh',
  'scope1_tco2e',
  'scope2_tco2e',
  'scope3_tco2e',
  'revenue_amount',
  'revenue_currency',
  'renewable_share',
  'verified',
  'pcaf_data_quality',
  'source',
] as const;

async function applyMetrics(client: PoolClient, req: ApplyRequest): Promise<ApplyOutcome> {
  await client.query(
    `insert into "import_rejects" ("operation_id", "line", "field", "reason", "raw")
     select $2, s."line", 'company_number',
       format('company_number: no company %s in jurisdiction "%s" in this organization; create it (or import the companies dataset) first',
         s."company_number", s."jurisdiction"),
       s."raw"
     from "import_source" s
     where not exists (select 1 from "companies" c where c."organization_id" = $1
                         and c."jurisdiction" = s."jurisdiction" and c."company_number" = s."company_number")
     on conflict do nothing`,
    [req.organizationId, req.operationId],
  );
  const set = METRIC_COLUMNS.map((c) => `${q(c)} = excluded.${q(c)}`).join(', ');
  const mine = METRIC_COLUMNS.map((c) => `"environmental_metrics".${q(c)}`).join(', ');
  const theirs = METRIC_COLUMNS.map((c) => `excluded.${q(c)}`).join(', ');
  const { rows } = await client.query<{ company_id: string }>(
    `insert into "environmental_metrics" ("id", "organization_id", "company_id", "year", ${METRIC_COLUMNS.map(q).join(', ')},
        "version", "created_at", "updated_at")
     select gen_random_uuid(), $1, c."id", s."year", ${METRIC_COLUMNS.map((m) => `s.${q(m)}`).join(', ')}, 1, now(), now()
     from "import_source" s
     join "companies" c on c."organization_id" = $1 and c."jurisdiction" = s."jurisdiction"
       and c."company_number" = s."company_number"
     order by s."line"
     on conflict on constraint "environmental_metrics_company_year_unique" do update
       set ${set}, "version" = "environmental_metrics"."version" + 1, "updated_at" = now()
       where (${mine}) is distinct from (${theirs})
     returning "company_id"`,
    [req.organizationId],
  );
  return { changedCompanyIds: [...new Set(rows.map((r) => r.company_id))] };
}

async function applyTransactions(client: PoolClient, req: ApplyRequest): Promise<ApplyOutcome> {
  const companyId = req.companyId;
  if (companyId === undefined) throw new Error('a transactions import needs its companyId');
  // One currency per account: the stored account's, else its first line's in the file.
  await client.query(
    `insert into "import_rejects" ("operation_id", "line", "field", "reason", "raw")
     select $3, s."line", 'currency',
       format('currency: account %s is in %s, this line is in %s; import each currency''s account under its own account reference',
         s."account_ref", coalesce(b."currency", f."currency"), s."currency"),
       s."raw"
     from "import_source" s
     left join "bank_accounts" b on b."organization_id" = $1 and b."company_id" = $2 and b."account_ref" = s."account_ref"
     join (select distinct on ("account_ref") "account_ref", "currency" from "import_source" order by "account_ref", "line") f
       on f."account_ref" = s."account_ref"
     where s."currency" <> coalesce(b."currency", f."currency")
     on conflict do nothing`,
    [req.organizationId, companyId, req.operationId],
  );
  await client.query(
    `delete from "import_source" s using "import_rejects" r
     where r."operation_id" = $1 and r."line" = s."line"`,
    [req.operationId],
  );
  const accounts = await client.query(
    `insert into "bank_accounts" ("organization_id", "company_id", "account_ref", "currency")
     select distinct on (s."account_ref") $1, $2, s."account_ref", s."currency" from "import_source" s
     order by s."account_ref", s."line"
     on conflict on constraint "bank_accounts_org_company_ref_unique" do nothing`,
    [req.organizationId, companyId],
  );
  const inserted = await client.query(
    `insert into "transactions" ("organization_id", "company_id", "account_ref", "booking_date", "amount", "currency",
        "description", "counterparty", "category", "category_source", "category_rule_id", "balance_after",
        "source", "import_id", "dedup_hash")
     select $1, $2, s."account_ref", s."booking_date", s."amount", s."currency", s."description", s."counterparty",
        s."category", s."category_source", s."category_rule_id"::uuid, s."balance_after", 'import', $3, s."dedup_hash"
     from "import_source" s order by s."line"
     on conflict on constraint "transactions_org_company_dedup_unique" do nothing`,
    [req.organizationId, companyId, req.operationId],
  );
  const { rows } = await client.query<{ n: number }>(`select count(*)::int as "n" from "import_source"`);
  const accepted = rows[0]!.n;
  const insertedCount = inserted.rowCount ?? 0;
  return {
    changedCompanyIds: insertedCount > 0 ? [companyId] : [],
    transactions: {
      companyId,
      inserted: insertedCount,
      duplicates: accepted - insertedCount,
      accountsCreated: accounts.rowCount ?? 0,
    },
  };
}

/** Applies the operation's staged rows to the dataset's target table (in the caller's transaction). */
export async function applyStaged(client: PoolClient, req: ApplyRequest): Promise<ApplyOutcome> {
  const target = targetOf(req.dataset, req.variant);
  await stageSource(client, req.operationId, target);
  switch (req.dataset) {
    case 'companies':
      return applyCompanies(client, req);
    case 'environmental-metrics':
      return applyMetrics(client, req);
    case 'emission-factors':
    case 'eu-ets':
    case 'fx-rates':
      throw new Error(`${req.dataset} is versioned: its rows are written and switched in by versions.ts`);
    case 'transactions':
      return applyTransactions(client, req);
  }
}
