/**
 * TemporalEngine's bookkeeping against real PostgreSQL, with a Temporal address nothing listens
 * on (no server can be had here): a failed start leaves exactly one queued operation that the
 * same idempotency key retries, and bad input writes nothing. Starting workflows for real is in
 * temporal.real.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OperationStore } from '../src/operations/store.js';
import { TemporalEngine } from '../src/temporal/engine.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';

let db: TestDatabase;
let store: OperationStore;
let engine: TemporalEngine;

/** A local port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

beforeAll(async () => {
  db = await createTestDatabase();
  store = new OperationStore(db.pool);
  const connection = Connection.lazy({ address: `127.0.0.1:${await closedPort()}`, connectTimeout: 500 });
  engine = new TemporalEngine({
    client: new Client({ connection }),
    store,
    ownsConnection: true,
    rpcTimeoutMs: 1_000,
  });
});
afterAll(async () => {
  await engine?.close();
  await db?.drop();
});

describe('TemporalEngine without a reachable server', () => {
  it('keeps one queued operation when the start fails, and the same key retries that operation', async () => {
    const org = randomUUID();
    const params = { loanSimulationId: randomUUID() };
    await expect(
      engine.start('report', params, { organizationId: org, idempotencyKey: 'k' }),
    ).rejects.toThrow();
    await expect(
      engine.start('report', params, { organizationId: org, idempotencyKey: 'k' }),
    ).rejects.toThrow();

    const { items } = await store.list(org);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      kind: 'report',
      status: 'queued',
      engine: 'temporal',
      input: params,
      workflowId: items[0]?.id,
      idempotencyKey: 'k',
    });
  }, 20_000);

  it('rejects invalid parameters before writing anything', async () => {
    const org = randomUUID();
    await expect(engine.start('enrichment', { companyIds: ['x'] }, { organizationId: org })).rejects.toThrow(
      /^companyIds\[0\]: must be a UUID/,
    );
    expect((await store.list(org)).items).toEqual([]);
  });

  it('answers a cancel for another tenant, or for a finished operation, without calling Temporal', async () => {
    const org = randomUUID();
    const { operation } = await store.create({
      organizationId: org,
      kind: 'report',
      input: {},
      engine: 'temporal',
    });
    expect(await engine.cancel(operation.id, { organizationId: randomUUID() })).toBeNull();
    await store.succeed(org, operation.id, { result: null });
    expect((await engine.cancel(operation.id, { organizationId: org }))?.status).toBe('succeeded');
  });
});

/**
 * Reconciliation reads the workflow's status from Temporal. Without a server here, the status
 * comes from a stand-in for the Temporal *client* (a third-party boundary; the operation store is
 * the real one on PostgreSQL). The same path against a real server is in temporal.real.test.ts.
 */
describe('TemporalEngine.reconcile', () => {
  function engineSeeing(status: string | Error) {
    const client = {
      withDeadline: <T>(_deadline: number, fn: () => Promise<T>) => fn(),
      workflow: {
        getHandle: () => ({
          describe: async () => {
            if (status instanceof Error) throw status;
            return { status: { name: status } };
          },
        }),
      },
    } as unknown as Client;
    return new TemporalEngine({ client, store });
  }
  async function runningOperation(org = randomUUID()) {
    const { operation } = await store.create({
      organizationId: org,
      kind: 'import',
      input: {},
      engine: 'temporal',
    });
    return (await store.markRunning(org, operation.id)) ?? operation;
  }

  it('fails an operation whose workflow an operator terminated, with /problems/terminated', async () => {
    const op = await runningOperation();
    const after = await engineSeeing('TERMINATED').reconcile(op);
    expect(after).toMatchObject({
      status: 'failed',
      error: {
        type: '/problems/terminated',
        status: 503,
        instance: `/v1/operations/${op.id}`,
        errorType: 'WorkflowTerminated',
      },
    });
    expect(after.error?.detail).toMatch(/ended as TERMINATED/);
    expect((await store.get(op.organizationId, op.id))?.status).toBe('failed');
  });

  it('maps TIMED_OUT to failed, CANCELLED to canceled, and leaves RUNNING, COMPLETED and errors alone', async () => {
    const timedOut = await runningOperation();
    expect((await engineSeeing('TIMED_OUT').reconcile(timedOut)).error?.errorType).toBe('WorkflowTimedOut');
    const cancelled = await runningOperation();
    expect((await engineSeeing('CANCELLED').reconcile(cancelled)).status).toBe('canceled');
    for (const status of ['RUNNING', 'COMPLETED', 'CONTINUED_AS_NEW', new Error('unavailable')]) {
      const op = await runningOperation();
      expect((await engineSeeing(status).reconcile(op)).status).toBe('running');
    }
  });

  it('never touches a finished operation, and an unreachable server changes nothing', async () => {
    const op = await runningOperation();
    await store.succeed(op.organizationId, op.id, { result: { ok: true } });
    const done = (await store.get(op.organizationId, op.id))!;
    expect(await engineSeeing('TERMINATED').reconcile(done)).toEqual(done);
    const other = await runningOperation();
    expect((await engine.reconcile(other)).status).toBe('running'); // closed port: describe fails
  }, 20_000);

  it('reconcileStale closes only operations idle for longer than the limit', async () => {
    const org = randomUUID();
    const idle = await runningOperation(org);
    const fresh = await runningOperation(org);
    await db.pool.query(
      `update "operations" set "updated_at" = now() - interval '10 minutes' where "id" = $1`,
      [idle.id],
    );
    const changed = await engineSeeing('TERMINATED').reconcileStale(5 * 60_000);
    expect(changed).toBeGreaterThanOrEqual(1);
    expect((await store.get(org, idle.id))?.status).toBe('failed');
    expect((await store.get(org, fresh.id))?.status).toBe('running');
  });
});
