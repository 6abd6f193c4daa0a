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
