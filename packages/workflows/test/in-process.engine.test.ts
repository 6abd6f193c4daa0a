/**
 * The in-process engine end to end against real PostgreSQL: jobs start, run the flows with the
 * real operation activities, and the poll (the store) sees them finish; plus the concurrency
 * limit, cancellation, idempotency keys, interrupted-operation recovery, shutdown and tenancy.
 * Only the third-party job activities (registries, CSV writer, renderer) are in-memory fakes.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowActivities } from '../src/flows/activities.js';
import { InProcessEngine, type InProcessEngineOptions } from '../src/in-process/engine.js';
import { createOperationActivities } from '../src/operations/activities.js';
import type { Operation } from '../src/operations/operation.js';
import { OperationStore } from '../src/operations/store.js';
import { createTestDatabase, pollUntil, type TestDatabase } from './support/database.js';
import { createFakeJobActivities, createWorld, Gate, makeFile, type FakeWorld } from './support/fake-jobs.js';

let db: TestDatabase;
let store: OperationStore;
const engines: InProcessEngine[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  store = new OperationStore(db.pool);
});
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
});
afterAll(async () => {
  await db?.drop();
});

const companyId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const LOAN = '33333333-3333-4333-8333-333333333333';

async function openEngine(world: FakeWorld, options: Partial<InProcessEngineOptions> = {}) {
  const activities: WorkflowActivities = {
    ...createFakeJobActivities(world),
    ...createOperationActivities({ store }),
  };
  const engine = await InProcessEngine.open({
    store,
    activities,
    sleep: async () => undefined, // retry back-off without waiting
    shutdownGraceMs: 200,
    ...options,
  });
  engines.push(engine);
  return engine;
}

const finished = (op: Operation | null) =>
  op !== null && ['succeeded', 'failed', 'canceled'].includes(op.status);
const pollFinished = (org: string, id: string) => pollUntil(() => store.get(org, id), finished);

describe('InProcessEngine', () => {
  it('runs an enrichment job: the poll sees it succeed with its result and full progress', async () => {
    const world = createWorld();
    world.companies.set(companyId(2), 'not-found');
    const engine = await openEngine(world);
    const org = randomUUID();

    const started = await engine.start(
      'enrichment',
      { companyIds: [1, 2, 3].map(companyId) },
      { organizationId: org },
    );
    expect(started).toMatchObject({ engine: 'in-process', created: true, workflowId: started.operationId });
    expect(started.operation.status).toBe('queued');

    const done = await pollFinished(org, started.operationId);
    expect(done).toMatchObject({
      status: 'succeeded',
      kind: 'enrichment',
      engine: 'in-process',
      progress: { completed: 3, total: 3 },
      result: {
        counts: { total: 3, updated: 2, notFound: 1, failed: 0 },
        notFound: [companyId(2)],
        failed: [],
      },
      error: null,
    });
  });

  it('runs an import and a report job to completion, with continue-as-new handled in-process', async () => {
    const world = createWorld();
    world.files.set('upload-1', makeFile(95));
    const engine = await openEngine(world);
    const org = randomUUID();

    const imported = await engine.start(
      'import',
      { dataset: 'eu-ets', fileId: 'upload-1', batchSize: 20, maxBatchesPerRun: 2 },
      { organizationId: org },
    );
    const report = await engine.start('report', { loanSimulationId: LOAN }, { organizationId: org });

    expect(await pollFinished(org, imported.operationId)).toMatchObject({
      status: 'succeeded',
      progress: { completed: 95, total: 95 },
      result: { rows: { total: 95, accepted: 82, rejected: 13 } },
    });
    expect(await pollFinished(org, report.operationId)).toMatchObject({
      status: 'succeeded',
      resourceLocation: `/v1/loan-simulations/${LOAN}/report`,
    });
    expect(world.batchCalls.map((c) => c.fromLine)).toEqual([2, 22, 42, 62, 82]);
  });

  it('retries a batch that crashed mid-way from its heartbeat, ending with the same rows as an uninterrupted run', async () => {
    const clean = createWorld();
    clean.files.set('f', makeFile(50));
    const cleanEngine = await openEngine(clean);
    const org = randomUUID();
    const a = await cleanEngine.start(
      'import',
      { dataset: 'eu-ets', fileId: 'f', batchSize: 30 },
      { organizationId: org },
    );
    const cleanRows = ((await pollFinished(org, a.operationId))?.result as { rows: unknown }).rows;

    const crashing = createWorld();
    crashing.files.set('f', makeFile(50));
    crashing.crashAfterChunks = 2; // the first batch dies after writing two 10-line chunks
    const engine = await openEngine(crashing);
    const b = await engine.start(
      'import',
      { dataset: 'eu-ets', fileId: 'f', batchSize: 30 },
      { organizationId: org },
    );
    const done = await pollFinished(org, b.operationId);

    expect(done?.status).toBe('succeeded');
    expect((done?.result as { rows: unknown }).rows).toEqual(cleanRows);
    expect([...crashing.table]).toEqual([...clean.table]);
    expect([...crashing.rejects]).toEqual([...clean.rejects]);
    expect(crashing.batchCalls.slice(0, 2)).toEqual([
      { fromLine: 2, attempt: 1, resumedFrom: 2 },
      { fromLine: 2, attempt: 2, resumedFrom: 22 }, // resumed from the heartbeat, not the batch start
    ]);
  });

  it('fails the operation with a problem when a job fails', async () => {
    const world = createWorld();
    world.companies.set(companyId(1), 'auth');
    const engine = await openEngine(world);
    const org = randomUUID();
    const started = await engine.start('enrichment', { companyIds: [companyId(1)] }, { organizationId: org });
    expect(await pollFinished(org, started.operationId)).toMatchObject({
      status: 'failed',
      error: {
        type: '/problems/registry-auth-failed',
        status: 502,
        instance: `/v1/operations/${started.operationId}`,
      },
    });
  });

  it('rejects invalid parameters before writing anything, naming the field', async () => {
    const engine = await openEngine(createWorld());
    const org = randomUUID();
    await expect(
      engine.start('import', { dataset: 'nope', fileId: 'f' } as never, { organizationId: org }),
    ).rejects.toThrow(/^dataset: must be one of/);
    expect((await store.list(org)).items).toEqual([]);
  });

  it('runs at most `concurrency` jobs at once and keeps the rest queued', async () => {
    const world = createWorld();
    world.gate = new Gate();
    const engine = await openEngine(world, { concurrency: 2 });
    const org = randomUUID();
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) {
      ids.push(
        (await engine.start('enrichment', { companyIds: [companyId(i)] }, { organizationId: org }))
          .operationId,
      );
    }

    const statuses = async () =>
      (await Promise.all(ids.map((id) => store.get(org, id)))).map((o) => o?.status);
    const waiting = await pollUntil(statuses, (s) => s.filter((x) => x === 'running').length === 2);
    expect(waiting.filter((s) => s === 'running')).toHaveLength(2);
    expect(waiting.filter((s) => s === 'queued')).toHaveLength(3);
    expect(world.active).toBe(2);

    world.gate.open();
    const all = await pollUntil(statuses, (s) => s.every((x) => x === 'succeeded'));
    expect(all).toEqual(Array(5).fill('succeeded'));
    expect(world.maxActive).toBe(2);
  });

  it('cancels a running job (it ends canceled) and a queued one (it never runs)', async () => {
    const world = createWorld();
    world.gate = new Gate();
    const engine = await openEngine(world, { concurrency: 1 });
    const org = randomUUID();
    const running = await engine.start(
      'enrichment',
      { companyIds: [companyId(1), companyId(2)] },
      { organizationId: org },
    );
    const queued = await engine.start('report', { loanSimulationId: LOAN }, { organizationId: org });
    await pollUntil(
      () => store.get(org, running.operationId),
      (o) => o?.status === 'running',
    );
    // `running` is written before the first activity starts: wait until company 1 is in flight
    // (held at the gate), or a cancel could land before it is tried at all.
    await pollUntil(
      async () => world.enrichCalls.length,
      (n) => n === 1,
    );

    expect((await engine.cancel(queued.operationId, { organizationId: org }))?.status).toBe('canceled');
    await engine.cancel(running.operationId, { organizationId: org });
    expect(await pollFinished(org, running.operationId)).toMatchObject({
      status: 'canceled',
      result: null,
      error: null,
    });
    await engine.settled(running.operationId);
    expect(world.enrichCalls).toEqual([companyId(1)]); // the second company was never tried
    expect(world.reports.size).toBe(0);
    expect((await store.get(org, queued.operationId))?.status).toBe('canceled');
  });

  it('never starts two runs for one idempotency key', async () => {
    const world = createWorld();
    const engine = await openEngine(world);
    const org = randomUUID();
    const params = { companyIds: [companyId(7)] };
    const [first, second] = await Promise.all([
      engine.start('enrichment', params, { organizationId: org, idempotencyKey: 'key-1' }),
      engine.start('enrichment', params, { organizationId: org, idempotencyKey: 'key-1' }),
    ]);
    await pollFinished(org, first.operationId);
    const third = await engine.start('enrichment', params, { organizationId: org, idempotencyKey: 'key-1' });

    expect(second.operationId).toBe(first.operationId);
    expect(third).toMatchObject({ operationId: first.operationId, created: false });
    expect([first.created, second.created].filter(Boolean)).toHaveLength(1);
    expect(world.enrichCalls).toEqual([companyId(7)]);
  });

  it('fails operations a dead process left queued or running as interrupted, and leaves Temporal ones alone', async () => {
    const org = randomUUID();
    const dead = async (status: string, engine = 'in-process') => {
      const id = randomUUID();
      await db.pool.query(
        `insert into operations (id, organization_id, kind, status, input, engine, workflow_id, expires_at)
         values ($1, $2, 'import', $3, '{}', $4, $5, now() + interval '7 days')`,
        [id, org, status, engine, id],
      );
      return id;
    };
    const running = await dead('running');
    const queued = await dead('queued');
    const temporal = await dead('running', 'temporal');

    await openEngine(createWorld()); // open() recovers

    for (const id of [running, queued]) {
      const op = await store.get(org, id);
      expect(op).toMatchObject({
        status: 'failed',
        error: { type: '/problems/interrupted', status: 503, instance: `/v1/operations/${id}` },
      });
      expect(op?.error?.detail).toMatch(/start the job again/);
    }
    expect((await store.get(org, temporal))?.status).toBe('running');
  });

  it('on close, fails queued jobs and interrupts running ones that outlive the grace period', async () => {
    const world = createWorld();
    world.gate = new Gate(); // never opened: the running job cannot finish by itself
    const engine = await openEngine(world, { concurrency: 1, shutdownGraceMs: 50 });
    const org = randomUUID();
    const running = await engine.start('enrichment', { companyIds: [companyId(1)] }, { organizationId: org });
    const queued = await engine.start('enrichment', { companyIds: [companyId(2)] }, { organizationId: org });
    await pollUntil(
      () => store.get(org, running.operationId),
      (o) => o?.status === 'running',
    );

    await engine.close();
    for (const id of [running.operationId, queued.operationId]) {
      expect(await store.get(org, id)).toMatchObject({
        status: 'failed',
        error: { type: '/problems/interrupted' },
      });
    }
    await expect(engine.start('report', { loanSimulationId: LOAN }, { organizationId: org })).rejects.toThrow(
      /closed/,
    );
  });

  it('is tenant-scoped: another organization cannot see or cancel a job', async () => {
    const world = createWorld();
    world.gate = new Gate();
    const engine = await openEngine(world);
    const org = randomUUID();
    const intruder = randomUUID();
    const started = await engine.start('enrichment', { companyIds: [companyId(1)] }, { organizationId: org });

    expect(await engine.cancel(started.operationId, { organizationId: intruder })).toBeNull();
    expect(await store.get(intruder, started.operationId)).toBeNull();
    world.gate.open();
    expect((await pollFinished(org, started.operationId))?.status).toBe('succeeded');
  });
});
