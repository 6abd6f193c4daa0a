/**
 * Real data: the PKDD'99 Berka bank transactions (../shared/data/bank-transactions-berka-pkdd99,
 * trans_1993-01-01_to_1994-03-30.csv, 46,997 lines on 1,229 accounts per its SOURCE.md) imported
 * whole with the `berka` preset through the import activities. The counts and sums the test
 * expects are recomputed here from the CSV with a plain line split and integer arithmetic on the
 * decimal strings — no code shared with the importer — and the line and account counts are also
 * the ones SOURCE.md publishes. Skips, saying why, where the shared data folder is absent.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImportActivities, PgImportFileStore } from '../src/activities/imports/index.js';
import type { ImportRequest } from '../src/flows/activities.js';
import { OperationStore } from '../src/operations/store.js';
import type { ImportDatasetResult } from '../src/shared.js';
import { createApiTables, createOrganization } from './support/api-tables.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const FILE = 'bank-transactions-berka-pkdd99/trans_1993-01-01_to_1994-03-30.csv';
// The checkout's sibling `shared` folder (../shared/data), or a worktree's (../../shared/data).
const dataDir = [
  process.env['GREENFIN_SHARED_DATA'],
  resolve(repoRoot, '../shared/data'),
  resolve(repoRoot, '../../shared/data'),
].find((d): d is string => d !== undefined && existsSync(join(d, FILE)));
const why = dataDir ? '' : ` — SKIPPED: ${FILE} not found under ../shared/data (set GREENFIN_SHARED_DATA)`;
if (!dataDir) console.info(`imports.berka.test${why}`);

/** "9612.00" / "-2906.6" → hundredths, exactly, by string arithmetic. */
function hundredths(text: string): number {
  const negative = text.startsWith('-');
  const [whole, frac = ''] = (negative ? text.slice(1) : text).split('.');
  const value = Number(whole) * 100 + Number(frac.padEnd(2, '0').slice(0, 2));
  return negative ? -value : value;
}

interface Expected {
  lines: number;
  accounts: number;
  inflow: number;
  outflow: number;
  byType: Record<string, number>;
  /** yyyy-mm → [inflow, outflow] in hundredths. */
  months: Map<string, [number, number]>;
  firstDate: string;
  lastDate: string;
}

function recompute(csv: string): Expected {
  const lines = csv
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '');
  const accounts = new Set<string>();
  const byType: Record<string, number> = {};
  const months = new Map<string, [number, number]>();
  let inflow = 0;
  let outflow = 0;
  let firstDate = '9999';
  let lastDate = '0000';
  for (const line of lines) {
    const [, account, date, type, , amount] = line.split(',');
    accounts.add(account!);
    byType[type!] = (byType[type!] ?? 0) + 1;
    const value = hundredths(amount!);
    const month = `19${date!.slice(0, 2)}-${date!.slice(2, 4)}`;
    const iso = `${month}-${date!.slice(4, 6)}`;
    if (iso < firstDate) firstDate = iso;
    if (iso > lastDate) lastDate = iso;
    const m = months.get(month) ?? [0, 0];
    if (type === 'PRIJEM') {
      inflow += value;
      m[0] += value;
    } else {
      outflow -= value;
      m[1] -= value;
    }
    months.set(month, m);
  }
  return {
    lines: lines.length,
    accounts: accounts.size,
    inflow,
    outflow,
    byType,
    months,
    firstDate,
    lastDate,
  };
}

let db: TestDatabase;
beforeAll(async () => {
  if (!dataDir) return;
  db = await createTestDatabase();
  await createApiTables(db.pool);
});
afterAll(async () => {
  await db?.drop();
});

describe.skipIf(!dataDir)(`Berka PKDD'99 transactions, imported with the berka preset${why}`, () => {
  it('imports every line; counts, inflow/outflow and monthly sums match the CSV; a re-import adds nothing', async () => {
    const content = readFileSync(join(dataDir!, FILE));
    const want = recompute(content.toString('utf8'));
    // Published in SOURCE.md: 46,997 transactions on 1,229 accounts.
    expect(want.lines).toBe(46_997);
    expect(want.accounts).toBe(1_229);

    const org = randomUUID();
    await createOrganization(db.pool, org);
    const companyId = randomUUID();
    await db.pool.query(
      `insert into "companies" ("id", "organization_id", "jurisdiction", "company_number", "name", "created_at", "updated_at")
       values ($1, $2, 'gb', '00000001', 'Berka research', now(), now())`,
      [companyId, org],
    );
    const files = new PgImportFileStore(db.pool);
    const store = new OperationStore(db.pool);
    const activities = createImportActivities({ pool: db.pool, files });
    const run = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
      new MockActivityEnvironment().run(fn, ...args);
    const importOnce = async (): Promise<{ result: ImportDatasetResult; ms: number }> => {
      const { fileId } = await files.save(org, { dataset: 'transactions', fileName: 'trans.csv', content });
      const options = { companyId, mapping: 'berka' };
      const { operation } = await store.create({
        organizationId: org,
        kind: 'import',
        input: { dataset: 'transactions', fileId, options },
        engine: 'in-process',
      });
      const request: ImportRequest = {
        operationId: operation.id,
        organizationId: org,
        dataset: 'transactions',
        fileId,
        options,
      };
      const t0 = performance.now();
      const plan = await run(activities.planImport, request);
      let line = plan.startLine;
      for (;;) {
        const batch = await run(activities.importBatch, { ...request, fromLine: line, batchSize: 5000 });
        line = batch.nextLine;
        if (batch.done) break;
      }
      const result = await run(activities.finishImport, request);
      return { result, ms: performance.now() - t0 };
    };

    const first = await importOnce();
    console.info(
      `Berka import: ${want.lines} lines in ${first.ms.toFixed(0)} ms (${Math.round((want.lines / first.ms) * 1000)} lines/s)`,
    );
    expect(first.result.rows).toEqual({ total: want.lines, accepted: want.lines, rejected: 0 });
    expect(first.result.transactions).toEqual({
      companyId,
      inserted: want.lines,
      duplicates: 0,
      accountsCreated: want.accounts,
    });

    const { rows } = await db.pool.query<{
      n: number;
      accounts: number;
      inflow: string;
      outflow: string;
      first: string;
      last: string;
      currencies: string[];
    }>(
      `select count(*)::int as "n", count(distinct "account_ref")::int as "accounts",
          coalesce(sum("amount") filter (where "amount" > 0), 0) as "inflow",
          coalesce(sum("amount") filter (where "amount" < 0), 0) as "outflow",
          to_char(min("booking_date"), 'YYYY-MM-DD') as "first", to_char(max("booking_date"), 'YYYY-MM-DD') as "last",
          array_agg(distinct "currency") as "currencies"
       from "transactions" where "organization_id" = $1 and "company_id" = $2`,
      [org, companyId],
    );
    expect(rows[0]).toEqual({
      n: want.lines,
      accounts: want.accounts,
      inflow: String(want.inflow),
      outflow: String(want.outflow),
      first: want.firstDate,
      last: want.lastDate,
      currencies: ['CZK'],
    });
    expect([want.firstDate, want.lastDate]).toEqual(['1993-01-01', '1994-03-30']); // SOURCE.md's span

    const monthly = await db.pool.query<{ month: string; inflow: string; outflow: string }>(
      `select to_char("booking_date", 'YYYY-MM') as "month",
          coalesce(sum("amount") filter (where "amount" > 0), 0) as "inflow",
          coalesce(sum("amount") filter (where "amount" < 0), 0) as "outflow"
       from "transactions" where "organization_id" = $1 and "company_id" = $2 group by 1 order by 1`,
      [org, companyId],
    );
    expect(monthly.rows.map((r) => [r.month, Number(r.inflow), Number(r.outflow)])).toEqual(
      [...want.months.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([m, [i, o]]) => [m, i, o]),
    );
    const credits = await db.pool.query<{ n: number }>(
      `select count(*)::int as "n" from "transactions" where "organization_id" = $1 and "amount" > 0`,
      [org],
    );
    expect(credits.rows[0]!.n).toBe(want.byType['PRIJEM']);

    const again = await importOnce();
    expect(again.result.transactions).toEqual({
      companyId,
      inserted: 0,
      duplicates: want.lines,
      accountsCreated: 0,
    });
    const count = await db.pool.query<{ n: number }>(
      `select count(*)::int as "n" from "transactions" where "organization_id" = $1`,
      [org],
    );
    expect(count.rows[0]!.n).toBe(want.lines);
  }, 300_000);
});
