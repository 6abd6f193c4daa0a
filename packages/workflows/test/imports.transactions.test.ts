/**
 * The `transactions` import against real PostgreSQL, through the same activities a worker runs:
 * rows land in `transactions` with core's de-duplication hashes (checked against
 * `transactionDedupKeys` + `dedupHash` of the file's rows in file order), the tenant's category
 * rules are applied, a re-import (or rows the JSON ingest already stored) adds nothing, bad lines
 * are rejected with line, field and reason, a job killed mid-file and run again ends with the same
 * rows, and no tenant reaches another's company or rules.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { dedupHash, transactionDedupKeys } from '@greenfin/core';
import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImportActivities, PgImportFileStore } from '../src/activities/imports/index.js';
import type { ImportActivities, ImportRequest } from '../src/flows/activities.js';
import { InvalidInputError } from '../src/flows/failures.js';
import { validateJobParams } from '../src/flows/validate.js';
import { readDataset } from '../src/imports/datasets/read-dataset.js';
import { toTransaction, type TransactionImportRow } from '../src/imports/datasets/transactions.js';
import { OperationStore } from '../src/operations/store.js';
import { createApiTables, createOrganization } from './support/api-tables.js';
import { inContext, newImportOperation, runImport as runImportActs } from './support/import-runs.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';

const fixtures = fileURLToPath(new URL('./fixtures/imports/', import.meta.url));
const fixture = (name: string): Buffer => readFileSync(`${fixtures}${name}`);

let db: TestDatabase;
let store: OperationStore;
let files: PgImportFileStore;
type Acts = Pick<ImportActivities, 'planImport' | 'importBatch' | 'finishImport'>;
let activities: Acts;
const applied: string[][] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  await createApiTables(db.pool);
  store = new OperationStore(db.pool);
  files = new PgImportFileStore(db.pool, 512);
  activities = createImportActivities({
    pool: db.pool,
    files,
    stepSize: 3,
    onApplied: async (event) => {
      applied.push(event.companyIds);
    },
  });
});
afterAll(async () => {
  await db?.drop();
});

interface Tenant {
  org: string;
  companyId: string;
}

async function newTenant(): Promise<Tenant> {
  const org = randomUUID();
  await createOrganization(db.pool, org);
  const companyId = randomUUID();
  await db.pool.query(
    `insert into "companies" ("id", "organization_id", "jurisdiction", "company_number", "name", "created_at", "updated_at")
     values ($1, $2, 'gb', $3, 'Trading Ltd', now(), now())`,
    [companyId, org, companyId.slice(0, 8)],
  );
  return { org, companyId };
}

async function newImport(
  t: Tenant,
  content: Buffer,
  options: ImportRequest['options'] = {},
): Promise<ImportRequest> {
  const { fileId } = await files.save(t.org, { dataset: 'transactions', fileName: 'statement.csv', content });
  return newOperation(t, fileId, options);
}

function newOperation(
  t: Tenant,
  fileId: string,
  options: ImportRequest['options'] = {},
): Promise<ImportRequest> {
  return newImportOperation(
    store,
    t.org,
    'transactions',
    fileId,
    { companyId: t.companyId, ...options },
    true,
  );
}

const runImport = (request: ImportRequest, batchSize = 4, acts: Acts = activities) =>
  runImportActs(acts, request, batchSize);

interface StoredTransaction {
  account_ref: string;
  booking_date: string;
  amount: string;
  currency: string;
  description: string;
  counterparty: string | null;
  category: string | null;
  category_source: string | null;
  category_rule_id: string | null;
  balance_after: string | null;
  source: string;
  dedup_hash: string;
}

/** The tenant's transactions in a stable order, without ids, timestamps or the import id. */
async function stored(t: Tenant): Promise<StoredTransaction[]> {
  const { rows } = await db.pool.query<StoredTransaction>(
    `select "account_ref", to_char("booking_date", 'YYYY-MM-DD') as "booking_date", "amount", "currency", "description",
        "counterparty", "category", "category_source", "category_rule_id", "balance_after", "source", "dedup_hash"
     from "transactions" where "organization_id" = $1 and "company_id" = $2 order by "dedup_hash"`,
    [t.org, t.companyId],
  );
  return rows;
}

/** The file's rows as readDataset gives them, in file order. */
async function fileRows(content: Buffer, mapping?: string): Promise<TransactionImportRow[]> {
  const rows: TransactionImportRow[] = [];
  for await (const batch of readDataset(
    'transactions',
    Readable.from([content]),
    mapping ? { mapping } : {},
  )) {
    rows.push(...batch.rows);
  }
  return rows;
}

async function addRule(
  org: string,
  rule: { field: string; match: string; pattern: string; sign?: string; category: string; priority: number },
): Promise<string> {
  const { rows } = await db.pool.query<{ id: string }>(
    `insert into "category_rules" ("organization_id", "field", "match", "pattern", "amount_sign", "category", "priority")
     values ($1, $2, $3, $4, $5, $6, $7) returning "id"`,
    [org, rule.field, rule.match, rule.pattern, rule.sign ?? 'any', rule.category, rule.priority],
  );
  return rows[0]!.id;
}

describe('transactions import', () => {
  it('stores the template’s lines with core’s dedup hashes in file order, and the account', async () => {
    const t = await newTenant();
    const content = fixture('transactions-template.csv');
    applied.length = 0;
    const result = await runImport(await newImport(t, content));
    expect(result.rows).toEqual({ total: 8, accepted: 8, rejected: 0 });
    expect(result.transactions).toEqual({
      companyId: t.companyId,
      inserted: 8,
      duplicates: 0,
      accountsCreated: 1,
    });
    expect(applied).toEqual([[t.companyId]]);

    // Independently of the import: parse the lines, key them with core in file order, hash.
    const want = transactionDedupKeys((await fileRows(content)).map(toTransaction)).map(dedupHash);
    const rows = await stored(t);
    expect(rows.map((r) => r.dedup_hash).sort()).toEqual([...want].sort());
    expect(rows.every((r) => r.source === 'import')).toBe(true);
    const sum = rows.reduce((s, r) => s + Number(r.amount), 0);
    expect(sum).toBe(215_372); // 2153.72, added up by hand from the template
    const { rows: accounts } = await db.pool.query(
      `select "account_ref", "currency" from "bank_accounts" where "organization_id" = $1 and "company_id" = $2`,
      [t.org, t.companyId],
    );
    expect(accounts).toEqual([{ account_ref: 'GB33BUKB20201555555555', currency: 'GBP' }]);
    const { rows: imports } = await db.pool.query(
      `select distinct "import_id" from "transactions" where "organization_id" = $1`,
      [t.org],
    );
    expect(imports).toHaveLength(1);
  });

  it('importing the same file twice adds nothing; the second run reports every line a duplicate', async () => {
    const t = await newTenant();
    const content = fixture('transactions-template.csv');
    await runImport(await newImport(t, content), 3);
    const before = await stored(t);
    for (const batchSize of [1, 1000]) {
      const again = await runImport(await newImport(t, content), batchSize);
      expect(again.rows).toEqual({ total: 8, accepted: 8, rejected: 0 });
      expect(again.transactions).toEqual({
        companyId: t.companyId,
        inserted: 0,
        duplicates: 8,
        accountsCreated: 0,
      });
    }
    expect(await stored(t)).toEqual(before);
  });

  it('rows the JSON ingest stored with core’s keys are duplicates of the same lines in a file', async () => {
    const t = await newTenant();
    const content = fixture('transactions-template.csv');
    // What the JSON ingest of the file's first four transactions stores (source api): core keys
    // computed over that batch in its order.
    const first4 = (await fileRows(content)).slice(0, 4).map(toTransaction);
    const keys = transactionDedupKeys(first4);
    for (const [i, tx] of first4.entries()) {
      await db.pool.query(
        `insert into "transactions" ("organization_id", "company_id", "account_ref", "booking_date", "amount", "currency",
           "description", "source", "dedup_hash") values ($1, $2, $3, $4, $5, $6, $7, 'api', $8)`,
        [
          t.org,
          t.companyId,
          tx.accountRef,
          tx.bookingDate,
          tx.amount,
          tx.currency,
          tx.description,
          dedupHash(keys[i]!),
        ],
      );
    }
    const result = await runImport(await newImport(t, content));
    expect(result.transactions).toMatchObject({ inserted: 4, duplicates: 4 });
    const rows = await stored(t);
    expect(rows).toHaveLength(8);
    expect(rows.filter((r) => r.source === 'api')).toHaveLength(4);
  });

  it('applies the tenant’s category rules by priority; a category the file gives is kept when no rule matches', async () => {
    const t = await newTenant();
    const other = await newTenant();
    const energy = await addRule(t.org, {
      field: 'description',
      match: 'keyword',
      pattern: 'octopus energy',
      sign: 'outflow',
      category: 'utilities',
      priority: 10,
    });
    const sales = await addRule(t.org, {
      field: 'counterparty',
      match: 'regex',
      pattern: '^acme',
      sign: 'inflow',
      category: 'sales',
      priority: 5,
    });
    const premises = await addRule(t.org, {
      field: 'description',
      match: 'keyword',
      pattern: 'rent',
      category: 'premises',
      priority: 1,
    });
    // Another tenant's rule matching everything must not apply here.
    await addRule(other.org, {
      field: 'description',
      match: 'regex',
      pattern: '.',
      category: 'leak',
      priority: 99,
    });
    await runImport(await newImport(t, fixture('transactions-template.csv')), 2);
    const rows = await stored(t);
    const byDescription = (d: string) => rows.filter((r) => r.description === d);
    expect(
      byDescription('DD OCTOPUS ENERGY LTD').map((r) => [r.category, r.category_source, r.category_rule_id]),
    ).toEqual([
      ['utilities', 'rule', energy],
      ['utilities', 'rule', energy],
    ]);
    expect(byDescription('INVOICE 1017 ACME RETAIL LTD')[0]).toMatchObject({
      category: 'sales',
      category_rule_id: sales,
    });
    expect(byDescription('SO RENT UNIT 4 TRADING ESTATE')[0]).toMatchObject({
      category: 'premises',
      category_source: 'rule',
      category_rule_id: premises,
    });
    expect(byDescription('PAYROLL, JANUARY')[0]).toMatchObject({
      category: 'payroll',
      category_source: 'import',
    });
    expect(byDescription('CARD PAYMENT COSTA COFFEE').map((r) => r.category)).toEqual([null, null]);
    expect(rows.some((r) => r.category === 'leak')).toBe(false);
  });

  it('a narrative of 1,000 distinct three-byte characters, twice on one day, imports as two transactions', async () => {
    const t = await newTenant();
    // 3,000 UTF-8 bytes that do not compress: larger than a btree index entry may be (2,704 bytes).
    const narrative = Array.from({ length: 1000 }, (_, i) =>
      String.fromCodePoint(0x4e00 + ((i * 7919) % 20000)),
    ).join('');
    const line = `acc-1,2025-01-02,-1.00,GBP,${narrative},,,`;
    const content = Buffer.from(
      `accountRef,bookingDate,amount,currency,description,counterparty,category,balanceAfter\n${line}\n${line}\n`,
    );
    const result = await runImport(await newImport(t, content));
    expect(result.transactions).toMatchObject({ inserted: 2, duplicates: 0 });
    const want = transactionDedupKeys((await fileRows(content)).map(toTransaction)).map(dedupHash);
    expect((await stored(t)).map((r) => r.dedup_hash).sort()).toEqual([...want].sort());
  });

  it('rejects bad lines with line, field and reason — a currency other than its account’s too', async () => {
    const t = await newTenant();
    const request = await newImport(t, fixture('transactions-bad-rows.csv'));
    const result = await runImport(request, 3);
    expect(result.rows).toEqual({ total: 9, accepted: 2, rejected: 7 });
    expect(result.transactions).toMatchObject({ inserted: 2, duplicates: 0 });
    expect(result.rejectsLocation).toBe(`/v1/operations/${request.operationId}/rejects`);
    const { rows } = await db.pool.query(
      `select "line", "field", "reason" from "import_rejects" where "operation_id" = $1 order by "line"`,
      [request.operationId],
    );
    expect(rows.map((r) => [r.line, r.field])).toEqual([
      [3, 'bookingDate'],
      [4, 'amount'],
      [5, 'amount'],
      [6, 'accountRef'],
      [7, 'currency'],
      [8, 'amount'],
      [10, 'currency'],
    ]);
    expect(rows.at(-1)!.reason).toBe(
      "currency: account acc-1 is in GBP, this line is in EUR; import each currency's account under its own account reference",
    );
    expect((await stored(t)).map((r) => r.amount).sort()).toEqual(['-750', '10000']);
  });

  it('refuses a company of another tenant, an unknown one, or none, before reading the file', async () => {
    const t = await newTenant();
    const other = await newTenant();
    const content = fixture('transactions-template.csv');
    for (const companyId of [other.companyId, randomUUID()]) {
      const request = await newImport(t, content, { companyId });
      const error = await inContext(activities.planImport, request).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).field).toBe('options.companyId');
      expect((error as Error).message).toContain('in this organization');
    }
    const { fileId } = await files.save(t.org, { dataset: 'transactions', fileName: 'x.csv', content });
    const { operation } = await store.create({
      organizationId: t.org,
      kind: 'import',
      input: { dataset: 'transactions', fileId },
      engine: 'in-process',
    });
    const missing = await inContext(activities.planImport, {
      operationId: operation.id,
      organizationId: t.org,
      dataset: 'transactions',
      fileId,
    }).catch((e: unknown) => e);
    expect((missing as InvalidInputError).field).toBe('options.companyId');
    expect(await stored(other)).toEqual([]);
  });

  it('the same file in two tenants gives each its own rows; neither sees the other’s', async () => {
    const a = await newTenant();
    const b = await newTenant();
    const content = fixture('transactions-uk-debit-credit.csv');
    const ra = await runImport(await newImport(a, content, { mapping: 'uk-debit-credit' }));
    const rb = await runImport(await newImport(b, content, { mapping: 'uk-debit-credit' }));
    expect(ra.transactions?.inserted).toBe(5);
    expect(rb.transactions?.inserted).toBe(5); // b's rows are not duplicates of a's
    const rowsA = await stored(a);
    expect(rowsA).toEqual(await stored(b));
    const { rows } = await db.pool.query(
      `select count(*)::int as n from "transactions" where "organization_id" = $1 and "company_id" = $2`,
      [a.org, b.companyId],
    );
    expect(rows[0].n).toBe(0);
  });

  it('a canceled batch resumes from its last heartbeat and ranks repeats exactly as one run would', async () => {
    const template = fixture('transactions-template.csv').toString('utf8').trimEnd().split('\n');
    const content = Buffer.from(
      [...template, ...template.slice(1), ...template.slice(3, 5)].join('\n') + '\n',
    );
    const reference = await newTenant();
    await runImport(await newImport(reference, content), 1000);
    const want = await stored(reference);
    expect(want).toHaveLength(18);

    const t = await newTenant();
    const request = await newImport(t, content);
    const plan = await inContext(activities.planImport, request);
    const heartbeats: unknown[] = [];
    const env = new MockActivityEnvironment();
    env.on('heartbeat', (d: unknown) => {
      heartbeats.push(d);
      if (heartbeats.length === 3) env.cancel();
    });
    await expect(
      env.run(activities.importBatch, { ...request, fromLine: plan.startLine, batchSize: 1000 }),
    ).rejects.toBeInstanceOf(CancelledFailure);
    const last = heartbeats.at(-1) as { nextLine: number; dataLines: number };
    expect(last.dataLines).toBeGreaterThanOrEqual(6); // at least two steps of 3 lines committed
    const retry = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: last });
    const resumed = await retry.run(activities.importBatch, {
      ...request,
      fromLine: plan.startLine,
      batchSize: 1000,
    });
    expect(resumed).toMatchObject({ done: true, dataLines: 18 });
    const result = await inContext(activities.finishImport, request);
    expect(result.transactions).toMatchObject({ inserted: 18, duplicates: 0 });
    expect(await stored(t)).toEqual(want);
  });

  it('the job input needs the company for transactions, and takes companyId and mapping for no other dataset', () => {
    const fileId = randomUUID();
    expect(() => validateJobParams('import', { dataset: 'transactions', fileId })).toThrow(
      /options\.companyId: is required/,
    );
    expect(() =>
      validateJobParams('import', { dataset: 'transactions', fileId, options: { companyId: 'x' } }),
    ).toThrow(/options\.companyId: must be a UUID/);
    expect(() =>
      validateJobParams('import', {
        dataset: 'transactions',
        fileId,
        options: { companyId: randomUUID(), mapping: 7 },
      }),
    ).toThrow(/options\.mapping: must be a preset name or a mapping object/);
    expect(() =>
      validateJobParams('import', { dataset: 'fx-rates', fileId, options: { companyId: randomUUID() } }),
    ).toThrow(/options\.companyId: applies to the transactions dataset only/);
    expect(() =>
      validateJobParams('import', {
        dataset: 'transactions',
        fileId,
        options: { companyId: randomUUID(), mapping: { preset: 'berka' } },
      }),
    ).not.toThrow();
  });

  it('a job killed after N batches, run again (same operation or a new one), ends with the same rows', async () => {
    class Killed extends Error {}
    const killAfter = (n: number): Acts => {
      let batches = 0;
      return {
        planImport: activities.planImport,
        finishImport: activities.finishImport,
        importBatch: async (req) => {
          if (batches++ >= n) throw new Killed(`killed after ${n} batches`);
          return activities.importBatch(req);
        },
      };
    };
    // The template plus repeats spread over the file, so ranks span batches.
    const template = fixture('transactions-template.csv').toString('utf8').trimEnd().split('\n');
    const content = Buffer.from(
      [...template, ...template.slice(2, 6), ...template.slice(3, 5)].join('\n') + '\n',
    );
    const reference = await newTenant();
    const want = await runImport(await newImport(reference, content), 2);
    expect(want.transactions?.inserted).toBe(14);
    const wantRows = await stored(reference);
    const expectedHashes = transactionDedupKeys((await fileRows(content)).map(toTransaction)).map(dedupHash);
    expect(wantRows.map((r) => r.dedup_hash).sort()).toEqual([...expectedHashes].sort());

    for (const rerun of ['same operation', 'new operation'] as const) {
      for (const n of [0, 1, 3, 5]) {
        const t = await newTenant();
        // Same company id as the reference would collide across tenants only if isolation failed.
        const request = await newImport(t, content);
        await expect(runImport(request, 2, killAfter(n))).rejects.toBeInstanceOf(Killed);
        expect(await stored(t)).toEqual([]); // nothing reaches transactions before finishImport
        const again = rerun === 'same operation' ? request : await newOperation(t, request.fileId);
        const result = await runImport(again, 2);
        expect(result.rows).toEqual(want.rows);
        expect(result.transactions).toMatchObject({ inserted: 14, duplicates: 0 });
        expect(await stored(t)).toEqual(wantRows);
      }
    }
  }, 120_000);
});
