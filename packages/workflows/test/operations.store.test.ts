/**
 * The operation store and this package's migrations against a real PostgreSQL database.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, revertMigrations, MIGRATIONS_TABLE } from '../src/db/apply.js';
import { WORKFLOW_MIGRATIONS } from '../src/db/migrations.js';
import {
  createOperationActivities,
  OperationClosedError,
  OperationNotFoundError,
} from '../src/operations/activities.js';
import { OperationStore } from '../src/operations/store.js';
import type { Problem } from '../src/shared.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';

let db: TestDatabase;
let store: OperationStore;

beforeAll(async () => {
  db = await createTestDatabase();
  store = new OperationStore(db.pool);
});
afterAll(async () => {
  await db?.drop();
});

const problem: Problem = { type: '/problems/job-failed', title: 'The job failed', status: 500, detail: 'x' };
const newOp = (organizationId: string, extra: Partial<Parameters<OperationStore['create']>[0]> = {}) =>
  store.create({
    organizationId,
    kind: 'import',
    input: { dataset: 'eu-ets', fileId: 'f' },
    engine: 'in-process',
    ...extra,
  });

describe('migrations', () => {
  it('apply once, are recorded, revert cleanly and re-apply', async () => {
    expect(await applyMigrations(db.pool)).toEqual([]); // already applied by the harness
    const { rows } = await db.pool.query(`select name from "${MIGRATIONS_TABLE}"`);
    expect(rows.map((r) => r.name)).toEqual(WORKFLOW_MIGRATIONS.map((m) => m.name));

    const scratch = await createTestDatabase({ migrate: false });
    try {
      expect(await applyMigrations(scratch.pool)).toEqual(WORKFLOW_MIGRATIONS.map((m) => m.name));
      expect(await revertMigrations(scratch.pool)).toEqual([WORKFLOW_MIGRATIONS.at(-1)?.name]);
      const names = WORKFLOW_MIGRATIONS.map((m) => m.name);
      expect(await revertMigrations(scratch.pool, { steps: names.length })).toEqual(
        names.slice(0, -1).reverse(),
      );
      const tables = await scratch.pool.query(
        `select to_regclass('operations') as o, to_regclass('reports') as r, to_regclass('webhook_endpoints') as e, to_regclass('webhook_deliveries') as d`,
      );
      expect(tables.rows[0]).toEqual({ o: null, r: null, e: null, d: null });
      expect(await applyMigrations(scratch.pool)).toEqual(names);
    } finally {
      await scratch.drop();
    }
  });
});

describe('OperationStore', () => {
  it('creates a queued operation whose workflow id is its id, with retention of at least 7 days', async () => {
    const org = randomUUID();
    const { operation, created } = await newOp(org, { idempotencyKey: 'k-1' });
    expect(created).toBe(true);
    expect(operation).toMatchObject({
      organizationId: org,
      kind: 'import',
      status: 'queued',
      progress: { completed: 0, total: null },
      input: { dataset: 'eu-ets', fileId: 'f' },
      workflowId: operation.id,
      idempotencyKey: 'k-1',
      error: null,
    });
    expect(operation.expiresAt.getTime() - operation.createdAt.getTime()).toBeGreaterThanOrEqual(
      7 * 86_400_000 - 1000,
    );
  });

  it('returns the same operation for the same idempotency key (per tenant and kind), even when raced', async () => {
    const org = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 6 }, () => newOp(org, { idempotencyKey: 'same' })),
    );
    expect(new Set(results.map((r) => r.operation.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);

    const otherKind = await store.create({
      organizationId: org,
      kind: 'report',
      input: {},
      engine: 'in-process',
      idempotencyKey: 'same',
    });
    const otherOrg = await newOp(randomUUID(), { idempotencyKey: 'same' });
    expect(otherKind.created && otherOrg.created).toBe(true);
    expect(otherKind.operation.id).not.toBe(results[0]?.operation.id);
  });

  it('is tenant-scoped: another organization cannot read, list, or change an operation', async () => {
    const org = randomUUID();
    const intruder = randomUUID();
    const { operation } = await newOp(org);
    expect(await store.get(intruder, operation.id)).toBeNull();
    expect(await store.cancel(intruder, operation.id)).toBeNull();
    expect(await store.succeed(intruder, operation.id, { result: 1 })).toBeNull();
    expect((await store.list(intruder)).items).toEqual([]);
    expect(await store.get(org, 'not-a-uuid')).toBeNull();
    expect((await store.get(org, operation.id))?.status).toBe('queued');
  });

  it('guards transitions: a final status is never left, and repeating a write is harmless', async () => {
    const org = randomUUID();
    const { operation } = await newOp(org);
    expect((await store.markRunning(org, operation.id))?.status).toBe('running');
    expect((await store.progress(org, operation.id, 5, 10))?.progress).toEqual({ completed: 5, total: 10 });
    const canceled = await store.cancel(org, operation.id);
    expect(canceled?.status).toBe('canceled');
    expect((await store.succeed(org, operation.id, { result: { late: true } }))?.status).toBe('canceled');
    expect((await store.fail(org, operation.id, problem))?.error).toBeNull();
    expect((await store.markRunning(org, operation.id))?.status).toBe('canceled');
    expect((await store.progress(org, operation.id, 9, 10))?.progress.completed).toBe(5);
  });

  it('lets a Temporal operation run again after it failed (an operator reset), but not an in-process one', async () => {
    const org = randomUUID();
    const temporal = (await newOp(org, { engine: 'temporal' })).operation;
    const inProcess = (await newOp(org)).operation;
    for (const op of [temporal, inProcess]) await store.fail(org, op.id, problem);
    expect(await store.markRunning(org, temporal.id)).toMatchObject({ status: 'running', error: null });
    expect((await store.markRunning(org, inProcess.id))?.status).toBe('failed');
  });

  it('records success with the result and resource location, and completes the progress', async () => {
    const org = randomUUID();
    const { operation } = await newOp(org);
    await store.progress(org, operation.id, 3, 4);
    const done = await store.succeed(org, operation.id, { result: { rows: 4 }, resourceLocation: '/v1/x' });
    expect(done).toMatchObject({
      status: 'succeeded',
      result: { rows: 4 },
      resourceLocation: '/v1/x',
      progress: { completed: 4, total: 4 },
    });
  });

  it('lists newest first with kind/status filters and a keyset cursor', async () => {
    const org = randomUUID();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await newOp(org)).operation.id);
    const report = (
      await store.create({ organizationId: org, kind: 'report', input: {}, engine: 'in-process' })
    ).operation;
    await store.cancel(org, ids[0] ?? '');

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<OperationStore['list']>> = await store.list(org, {
        kind: 'import',
        limit: 2,
        cursor,
      });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((o) => o.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    expect((await store.list(org, { status: 'canceled' })).items.map((o) => o.id)).toEqual([ids[0]]);
    expect((await store.list(org, { kind: 'report' })).items.map((o) => o.id)).toEqual([report.id]);
  });

  it('rejects bad list parameters and bad create input, naming the field', async () => {
    const org = randomUUID();
    await expect(store.list(org, { cursor: 'garbage' })).rejects.toThrow(/^cursor:/);
    await expect(store.list(org, { limit: 0 })).rejects.toThrow(/^limit:/);
    await expect(store.list(org, { status: 'done' as never })).rejects.toThrow(/^status:/);
    await expect(newOp('org-1')).rejects.toThrow(/^organizationId: must be a UUID/);
    await expect(newOp(org, { idempotencyKey: 'x'.repeat(256) })).rejects.toThrow(/^idempotencyKey:/);
    expect(() => new OperationStore(db.pool, { retentionDays: 3 })).toThrow(
      /^retentionDays: must be an integer of at least 7/,
    );
  });

  it('purges finished operations only after their retention, and never unfinished ones', async () => {
    const org = randomUUID();
    const finished = (await newOp(org)).operation;
    const running = (await newOp(org)).operation;
    await store.succeed(org, finished.id, { result: null });
    await store.markRunning(org, running.id);
    const day = 86_400_000;

    await store.purgeExpired(new Date(Date.now() + 6 * day));
    expect(await store.get(org, finished.id)).not.toBeNull();
    expect(await store.purgeExpired(new Date(Date.now() + 8 * day))).toBeGreaterThanOrEqual(1);
    expect(await store.get(org, finished.id)).toBeNull();
    expect((await store.get(org, running.id))?.status).toBe('running');
  });
});

describe('operation activities', () => {
  it('apply updates through the store and refuse unknown or closed operations', async () => {
    const org = randomUUID();
    const { updateOperation } = createOperationActivities({ store });
    const { operation } = await newOp(org);
    const ref = { operationId: operation.id, organizationId: org };

    await updateOperation({ ...ref, action: 'start' });
    await updateOperation({ ...ref, action: 'progress', completed: 1, total: 2 });
    await updateOperation({ ...ref, action: 'fail', problem });
    expect(await store.get(org, operation.id)).toMatchObject({ status: 'failed', error: problem });

    await expect(
      updateOperation({ ...ref, organizationId: randomUUID(), action: 'start' }),
    ).rejects.toBeInstanceOf(OperationNotFoundError);
    await expect(updateOperation({ ...ref, action: 'start' })).rejects.toBeInstanceOf(OperationClosedError);
  });
});
