/**
 * Polling an operation whose Temporal workflow was terminated from the Temporal UI closes it:
 * the poll asks the engine once the row has been idle for RECONCILE_AFTER_MS. The Temporal client
 * is a stand-in (no server can run here: STACK.md); the store and database are real.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { OperationStore, TemporalEngine } from '@greenfin/workflows';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECONCILE_AFTER_MS, reconciled } from '../src/modules/operations/jobs.js';
import { startTestApi, type TestApi } from './support/harness.js';

let api: TestApi;
let describes = 0;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.close();
});

function engineSeeing(status: string): TemporalEngine {
  const client = {
    withDeadline: <T>(_deadline: number, fn: () => Promise<T>) => fn(),
    workflow: {
      getHandle: () => ({
        describe: async () => {
          describes += 1;
          return { status: { name: status } };
        },
      }),
    },
  } as unknown as Client;
  return new TemporalEngine({ client, store: new OperationStore(api.pool) });
}

describe('reconciled', () => {
  it('asks Temporal only about idle unfinished operations, and records a terminate as failed', async () => {
    const store = new OperationStore(api.pool);
    const org = randomUUID();
    const { operation } = await store.create({
      organizationId: org,
      kind: 'report',
      input: {},
      engine: 'temporal',
    });
    const running = (await store.markRunning(org, operation.id))!;
    const engine = engineSeeing('TERMINATED');

    // Just updated: no RPC, unchanged.
    expect((await reconciled(engine, running)).status).toBe('running');
    expect(describes).toBe(0);

    const later = running.updatedAt.getTime() + RECONCILE_AFTER_MS + 1;
    const after = await reconciled(engine, running, later);
    expect(describes).toBe(1);
    expect(after).toMatchObject({ status: 'failed', error: { type: '/problems/terminated' } });

    // Final now: never asked again.
    await reconciled(engine, after, later);
    expect(describes).toBe(1);
    // The in-process engine has no reconcile: the row is returned as is.
    expect(await reconciled(api.jobs, running, later)).toBe(running);
  });
});
