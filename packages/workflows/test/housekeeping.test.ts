/**
 * Housekeeping against real PostgreSQL: what it deletes, what it must keep, and that two
 * processes never run a pass at once.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgImportFileStore } from '../src/activities/imports/file-store.js';
import {
  HOUSEKEEPING_LOCK_KEY,
  runHousekeeping,
  startHousekeeping,
} from '../src/maintenance/housekeeping.js';
import { OperationStore } from '../src/operations/store.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';

let db: TestDatabase;
let store: OperationStore;
let files: PgImportFileStore;
const org = randomUUID();

beforeAll(async () => {
  db = await createTestDatabase();
  store = new OperationStore(db.pool);
  files = new PgImportFileStore(db.pool);
});
afterAll(async () => {
  await db?.drop();
});

const upload = (name: string) =>
  files.save(org, {
    dataset: 'companies',
    fileName: name,
    content: Readable.from([Buffer.from('a,b\n1,2\n')]),
  });
const age = (table: string, column: string, id: string, interval: string) =>
  db.pool.query(`update "${table}" set "${column}" = now() - $2::interval where "id" = $1`, [id, interval]);

describe('runHousekeeping', () => {
  it('purges expired operations, orphan staged rows and old unreferenced uploads, and keeps the rest', async () => {
    const expired = (
      await store.create({ organizationId: org, kind: 'report', input: {}, engine: 'in-process' })
    ).operation;
    await store.succeed(org, expired.id, { result: null });
    await db.pool.query(`update "operations" set "expires_at" = now() - interval '1 hour' where "id" = $1`, [
      expired.id,
    ]);
    const kept = (
      await store.create({ organizationId: org, kind: 'report', input: {}, engine: 'in-process' })
    ).operation;
    await store.succeed(org, kept.id, { result: null }); // retention not over
    const unfinished = (
      await store.create({ organizationId: org, kind: 'report', input: {}, engine: 'in-process' })
    ).operation;
    await db.pool.query(`update "operations" set "expires_at" = now() - interval '1 hour' where "id" = $1`, [
      unfinished.id,
    ]);

    const orphanOld = await upload('orphan-old.csv');
    await age('import_files', 'created_at', orphanOld.fileId, '2 days');
    const orphanNew = await upload('orphan-new.csv'); // its operation may be being created
    const referenced = await upload('referenced.csv');
    await age('import_files', 'created_at', referenced.fileId, '2 days');
    await store.create({
      organizationId: org,
      kind: 'import',
      input: { dataset: 'companies', fileId: referenced.fileId },
      engine: 'in-process',
    });
    // Staged rows of a run that no longer exists (its operation was purged).
    await db.pool.query(
      `insert into "import_staged_rows" ("operation_id", "line", "seq", "key", "data") values ($1, 2, 0, 'k', '{}')`,
      [randomUUID()],
    );

    // A reference-data version no pointer uses and no running import is writing (superseded, or
    // left by an import whose operation was purged), and the current version, which stays.
    const current = randomUUID();
    await db.pool.query(
      `insert into "reference_versions" ("organization_id", "dataset_table", "operation_id") values ($1, 'fx_rates', $2)`,
      [org, current],
    );
    for (const op of [current, randomUUID()]) {
      await db.pool.query(
        `insert into "fx_rates_versions" ("organization_id", "operation_id", "line", "date", "currency", "rate_per_eur")
         values ($1, $2, 2, '2025-05-09', 'USD', 1.1252)`,
        [org, op],
      );
    }

    const result = await runHousekeeping({ pool: db.pool, store, reconcileStale: async () => 2 });
    expect(result).toEqual({
      skipped: false,
      operationsPurged: 1,
      stagedRowsPurged: 1,
      versionRowsPurged: 1,
      importFilesPurged: 1,
      operationsReconciled: 2,
    });
    expect(await store.get(org, expired.id)).toBeNull();
    expect(await store.get(org, kept.id)).not.toBeNull();
    expect(await store.get(org, unfinished.id)).not.toBeNull();
    expect(await files.info(org, orphanOld.fileId)).toBeNull();
    expect(await files.info(org, orphanNew.fileId)).not.toBeNull();
    expect(await files.info(org, referenced.fileId)).not.toBeNull();
    const rates = await db.pool.query(`select "operation_id" from "fx_rates" where "organization_id" = $1`, [
      org,
    ]);
    expect(rates.rows).toEqual([{ operation_id: current }]);

    // A second pass finds nothing left to do.
    expect(await runHousekeeping({ pool: db.pool, store })).toMatchObject({
      operationsPurged: 0,
      stagedRowsPurged: 0,
      versionRowsPurged: 0,
      importFilesPurged: 0,
    });
  });

  it('skips the pass while another process holds the lock', async () => {
    const other = await db.pool.connect();
    try {
      await other.query('select pg_advisory_lock($1)', [HOUSEKEEPING_LOCK_KEY.toString()]);
      expect((await runHousekeeping({ pool: db.pool, store })).skipped).toBe(true);
      await other.query('select pg_advisory_unlock($1)', [HOUSEKEEPING_LOCK_KEY.toString()]);
      expect((await runHousekeeping({ pool: db.pool, store })).skipped).toBe(false);
    } finally {
      other.release();
    }
  });

  it('startHousekeeping runs a pass at once, reports errors, and 0 disables it', async () => {
    const passes: unknown[] = [];
    const keeper = startHousekeeping({
      pool: db.pool,
      store,
      intervalMs: 60_000,
      reconcileStale: async () => {
        throw new Error('temporal down');
      },
      onPass: (result, error) => passes.push(result ?? (error as Error).message),
    });
    await keeper.stop();
    expect(passes).toEqual(['temporal down']);
    const disabled = startHousekeeping({
      pool: db.pool,
      store,
      intervalMs: 0,
      onPass: (r) => passes.push(r),
    });
    await disabled.stop();
    expect(passes).toHaveLength(1);
  });
});
