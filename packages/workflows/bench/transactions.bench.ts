/**
 * Cash-flow benchmarks (issue 6 §4): `npx tsx packages/workflows/bench/transactions.bench.ts`
 *
 * 1. Ingest throughput with de-duplication: a synthetic statement in the `greenfin` template
 *    (default 100 000 lines on 4 accounts, identical same-day lines included) goes through the
 *    real import activities — planImport, importBatch until done, finishImport, each under a
 *    MockActivityEnvironment as a worker runs them — into `transactions`; then the same file
 *    again (every line a duplicate). Beside it, in the same run and database, one raw
 *    `COPY … FROM STDIN` of the same rows, already converted (minor units, hashes), into a table
 *    like `transactions` (its unique de-dup index included): the ceiling.
 * 2. Cash-flow analytics for one company with 1 000 000 transactions (generated in SQL, not
 *    timed): load the rows from PostgreSQL (`COPY … TO STDOUT`) and run core `cashFlowAnalytics`
 *    by month, beside a plain SQL aggregate (group by month: sum in, sum out) over the same rows.
 *    The two must agree on every month's inflow and outflow, or the bench fails.
 *
 * Options: `--rows N` (ingest lines, default 100000), `--analytics-rows N` (default 1000000),
 * `--batch N` (default 1000), `--step N` (default 1000). Needs PostgreSQL (`DATABASE_URL`,
 * default the local trust server); creates and drops its own database.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { cashFlowAnalytics, dedupHash, transactionDedupKeys, type Transaction } from '@greenfin/core';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { createImportActivities } from '../src/activities/imports/activities.js';
import { PgImportFileStore } from '../src/activities/imports/file-store.js';
import { applyMigrations } from '../src/db/apply.js';
import { OperationStore } from '../src/operations/store.js';
import { rawCopyMs, timedImport } from './support.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Math.max(1, Number(process.argv[i + 1])) : fallback;
};
const rows = arg('rows', 100_000);
const analyticsRows = arg('analytics-rows', 1_000_000);
const batchSize = arg('batch', 1000);
const stepSize = arg('step', 1000);

const ACCOUNTS = ['GB33BUKB20201555555555', 'GB94BARC10201530093459', 'GB29NWBK60161331926819', 'card-4242'];
const NARRATIVES = [
  ['CARD PAYMENT COSTA COFFEE', 'Costa Coffee', -240],
  ['DD OCTOPUS ENERGY LTD', 'Octopus Energy', -4599],
  ['INVOICE ACME RETAIL LTD', 'Acme Retail Ltd', 250_000],
  ['FPS SUPPLIER PAYMENT', 'Widgets plc', -18_250],
  ['CARD PAYMENT TESCO STORES', 'Tesco', -3_412],
  ['BGC HMRC VAT REFUND', 'HMRC', 81_230],
] as const;

/** The template file, plus the same rows as `transactions` columns (minor units, core hashes). */
function syntheticStatement(n: number): { csv: Buffer; copy: Buffer } {
  const lines = ['accountRef,bookingDate,amount,currency,description,counterparty,category,balanceAfter'];
  const txs: Transaction[] = [];
  const day0 = Date.UTC(2022, 0, 1) / 86_400_000;
  for (let i = 0; i < n; i++) {
    const account = ACCOUNTS[i % ACCOUNTS.length]!;
    // ~40 lines per account and day; every 7th line repeats the previous line of its account.
    const date = new Date((day0 + Math.floor(i / 160)) * 86_400_000).toISOString().slice(0, 10);
    const [description, counterparty, base] = NARRATIVES[(i * 7919) % NARRATIVES.length]!;
    const amount =
      i % 7 === 0 && i >= ACCOUNTS.length ? txs[i - ACCOUNTS.length]!.amount : base + ((i * 31) % 97);
    const desc =
      i % 7 === 0 && i >= ACCOUNTS.length
        ? txs[i - ACCOUNTS.length]!.description
        : `${description} ${i % 13}`;
    txs.push({
      accountRef: account,
      bookingDate: date,
      amount,
      currency: 'GBP',
      description: desc,
      counterparty,
    });
    const decimal = `${amount < 0 ? '-' : ''}${Math.floor(Math.abs(amount) / 100)}.${String(Math.abs(amount) % 100).padStart(2, '0')}`;
    lines.push(`${account},${date},${decimal},GBP,${desc},${counterparty},,`);
  }
  const hashes = transactionDedupKeys(txs).map(dedupHash);
  const copy = txs.map(
    (t, i) =>
      `${t.accountRef}\t${t.bookingDate}\t${t.amount}\t${t.currency}\t${t.description}\t${t.counterparty}\timport\t${hashes[i]}\n`,
  );
  return { csv: Buffer.from(`${lines.join('\n')}\n`), copy: Buffer.from(copy.join('')) };
}

const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = `greenfin_bench_${randomBytes(5).toString('hex')}`;
const admin = new pg.Client({ connectionString: serverUrl });
try {
  await admin.connect();
} catch (error) {
  console.log(`transactions bench skipped: no PostgreSQL at ${serverUrl} (${(error as Error).message})`);
  process.exit(0);
}
await admin.query(`create database ${dbName}`);
const url = new URL(serverUrl);
url.pathname = `/${dbName}`;
const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
pool.on('error', () => undefined); // the final drop terminates idle connections

const perSecond = (n: number, ms: number, unit: string) =>
  `${Math.round((n / ms) * 1000).toLocaleString('en-GB')} ${unit}/s`;
const pad = (s: string) => s.padStart(12);
const fmt = (n: number) => n.toLocaleString('en-GB');

/** The `companies` table the import checks the company against (the API owns it). */
async function createCompaniesTable(): Promise<void> {
  await pool.query(
    `create table if not exists "companies" ("id" uuid primary key, "organization_id" uuid not null, "name" text not null)`,
  );
}

async function ingestBench(): Promise<void> {
  const { csv, copy } = syntheticStatement(rows);
  const files = new PgImportFileStore(pool);
  const store = new OperationStore(pool);
  const activities = createImportActivities({ pool, files, stepSize });

  // Ceiling: raw COPY of the converted rows into a table like `transactions` (indexes included).
  await pool.query(`create table "bench_raw_copy" (like "transactions" including all)`);
  await pool.query(
    `alter table "bench_raw_copy" alter column "organization_id" set default '${randomUUID()}',
       alter column "company_id" set default '${randomUUID()}'`,
  );
  const copyMs = await rawCopyMs(
    pool,
    `copy "bench_raw_copy" ("account_ref", "booking_date", "amount", "currency", "description", "counterparty",
             "source", "dedup_hash") from stdin`,
    copy,
  );

  const org = randomUUID();
  const companyId = randomUUID();
  await pool.query(`insert into "companies" ("id", "organization_id", "name") values ($1, $2, 'Bench Ltd')`, [
    companyId,
    org,
  ]);
  const importOnce = async () => {
    const { fileId } = await files.save(org, {
      dataset: 'transactions',
      fileName: 'statement.csv',
      content: csv,
    });
    const options = { companyId, mapping: 'greenfin' };
    const { operation } = await store.create({
      organizationId: org,
      kind: 'import',
      input: { dataset: 'transactions', fileId, options },
      engine: 'in-process',
    });
    const request = {
      operationId: operation.id,
      organizationId: org,
      dataset: 'transactions' as const,
      fileId,
      options,
    };
    return timedImport(activities, request, batchSize);
  };
  const first = await importOnce();
  const again = await importOnce();
  if (first.result.transactions?.inserted !== rows || again.result.transactions?.duplicates !== rows) {
    throw new Error(
      `expected ${rows} inserted then ${rows} duplicates, got ${JSON.stringify([first.result, again.result])}`,
    );
  }
  const copied = await pool.query<{ n: number }>(`select count(*)::int as "n" from "bench_raw_copy"`);
  if (copied.rows[0]!.n !== rows) throw new Error(`raw COPY stored ${copied.rows[0]!.n} rows`);

  console.log(
    `transactions ingest bench: ${fmt(rows)} template lines (${(csv.length / 2 ** 20).toFixed(1)} MiB, ${ACCOUNTS.length} accounts), ` +
      `batch ${batchSize}, step ${stepSize}; ${availableParallelism()} cores, load ${loadavg()[0]!.toFixed(2)}`,
  );
  console.log(
    `  raw COPY (converted rows)  ${pad(`${copyMs.toFixed(0)} ms`)}  ${perSecond(rows, copyMs, 'transactions')}`,
  );
  for (const [label, r] of [
    ['import, all new          ', first],
    ['re-import, all duplicates', again],
  ] as const) {
    console.log(
      `  ${label}  ${pad(`${r.ms.toFixed(0)} ms`)}  ${perSecond(rows, r.ms, 'transactions')}  ` +
        `(${((copyMs / r.ms) * 100).toFixed(1)} % of raw COPY; plan ${r.planMs.toFixed(0)} ms, batches ${r.batchMs.toFixed(0)} ms, finish ${r.finishMs.toFixed(0)} ms)`,
    );
  }
}

/** COPY text format field → value (`\N` null; backslash escapes). */
function unescape(field: string): string {
  return field.includes('\\')
    ? field.replace(/\\(.)/g, (_, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c === 'r' ? '\r' : c))
    : field;
}

/** A company's transactions from PostgreSQL, ordered by booking date, as core transactions. */
async function loadTransactions(org: string, companyId: string): Promise<Transaction[]> {
  const client = await pool.connect();
  const out: Transaction[] = [];
  try {
    const stream = client.query(
      copyTo(
        `copy (select "account_ref", "booking_date", "amount", "currency", "description", "counterparty", "category",
                 "category_source", "balance_after"
               from "transactions" where "organization_id" = '${org}' and "company_id" = '${companyId}'
               order by "booking_date", "id") to stdout`,
      ),
    );
    let rest = '';
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const text = rest + chunk.toString('utf8');
      const lines = text.split('\n');
      rest = lines.pop()!;
      for (const line of lines) {
        const f = line.split('\t');
        // One object shape for every row (absent optional fields as undefined): V8 keeps the
        // array monomorphic, for both this loop and cashFlowAnalytics.
        const hasCategory = f[6] !== '\\N';
        const t: Transaction = {
          accountRef: unescape(f[0]!),
          bookingDate: f[1]!,
          amount: Number(f[2]),
          currency: f[3] as Transaction['currency'],
          description: unescape(f[4]!),
          counterparty: f[5] === '\\N' ? undefined : unescape(f[5]!),
          category: hasCategory ? unescape(f[6]!) : undefined,
          categorySource: hasCategory ? (f[7] as Transaction['categorySource']) : undefined,
          balanceAfter: f[8] === '\\N' ? undefined : Number(f[8]),
        } as Transaction;
        out.push(t);
      }
    }
  } finally {
    client.release();
  }
  return out;
}

async function analyticsBench(): Promise<void> {
  const org = randomUUID();
  const companyId = randomUUID();
  const tGen = performance.now();
  // 1M transactions over 2022-01-01 … 2024-12-31 on 3 accounts, 40 counterparties, 8 categories.
  await pool.query(
    `insert into "transactions" ("organization_id", "company_id", "account_ref", "booking_date", "amount", "currency",
        "description", "counterparty", "category", "category_source", "source", "dedup_hash")
     select $1, $2, 'acc-' || (i % 3), date '2022-01-01' + (i % 1096)::int,
        case when i % 5 = 0 then 50000 + (i * 7919) % 400000 else -((i * 104729) % 90000) - 1 end,
        'GBP', 'PAYMENT ' || (i % 997), 'Counterparty ' || (i % 40),
        case when i % 4 = 0 then null else 'category-' || (i % 8) end,
        case when i % 4 = 0 then null else 'rule' end,
        'api', encode(sha256(convert_to('bench|' || i, 'UTF8')), 'hex')
     from generate_series(1::bigint, $3::bigint) as i`,
    [org, companyId, analyticsRows],
  );
  await pool.query(`analyze "transactions"`);
  const genMs = performance.now() - tGen;

  // SQL ceiling first and last (same query twice, so neither side runs on a cold cache alone).
  const sql = `select to_char(date_trunc('month', "booking_date"), 'YYYY-MM-DD') as "month",
       coalesce(sum("amount") filter (where "amount" > 0), 0) as "inflow",
       coalesce(sum("amount") filter (where "amount" < 0), 0) as "outflow", count(*)::int as "n"
     from "transactions" where "organization_id" = $1 and "company_id" = $2 group by 1 order by 1`;
  await pool.query(sql, [org, companyId]); // warm-up: pages in shared buffers for both sides
  const tSql = performance.now();
  const aggregate = await pool.query<{ month: string; inflow: string; outflow: string; n: number }>(sql, [
    org,
    companyId,
  ]);
  const sqlMs = performance.now() - tSql;

  const tLoad = performance.now();
  const transactions = await loadTransactions(org, companyId);
  const loadMs = performance.now() - tLoad;
  const tCore = performance.now();
  const analytics = cashFlowAnalytics({
    transactions,
    from: '2022-01-01',
    to: '2024-12-31',
    granularity: 'month',
  });
  const coreMs = performance.now() - tCore;

  if (transactions.length !== analyticsRows) throw new Error(`loaded ${transactions.length} transactions`);
  const mismatch = aggregate.rows.find((r, i) => {
    const p = analytics.periods[i];
    return (
      !p ||
      p.start !== r.month ||
      p.inflow !== Number(r.inflow) ||
      p.outflow !== Number(r.outflow) ||
      p.transactionCount !== r.n
    );
  });
  if (mismatch || aggregate.rows.length !== analytics.periods.length) {
    throw new Error(`analytics and SQL disagree at ${JSON.stringify(mismatch)}`);
  }

  const total = loadMs + coreMs;
  console.log(
    `cash-flow analytics bench: ${fmt(analyticsRows)} transactions of one company, 36 months (generated in ${(genMs / 1000).toFixed(1)} s, not counted)`,
  );
  console.log(
    `  SQL aggregate by month     ${pad(`${sqlMs.toFixed(0)} ms`)}  (inflow, outflow, count per month)`,
  );
  console.log(
    `  load + cashFlowAnalytics   ${pad(`${total.toFixed(0)} ms`)}  (load ${loadMs.toFixed(0)} ms via COPY TO, core ${coreMs.toFixed(0)} ms; ` +
      `${(total / sqlMs).toFixed(1)}× the SQL aggregate) — months, burn, volatility, counterparties, categories, seasonality`,
  );
  console.log(
    `  periods agree with SQL     ${pad(`${analytics.periods.length}/${aggregate.rows.length}`)}  months`,
  );
}

try {
  await applyMigrations(pool);
  await createCompaniesTable();
  await ingestBench();
  await analyticsBench();
} finally {
  await pool.end();
  await admin.query(`drop database if exists ${dbName} with (force)`);
  await admin.end();
}
