/**
 * The flows end to end on a real Temporal server: TemporalEngine starts workflows, the two
 * workers (jobs + rate-limited registries queue) run them with the real operation store, and the
 * poll sees the operations finish. Needs a server: set TEMPORAL_ADDRESS (e.g. the compose stack,
 * or `temporal server start-dev`), or TEMPORAL_TEST_LOCAL=1 to let the SDK download and start its
 * local test server (needs internet). Otherwise the suite is skipped, and says so.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowActivities } from '../src/flows/activities.js';
import { createOperationActivities } from '../src/operations/activities.js';
import type { Operation } from '../src/operations/operation.js';
import { OperationStore } from '../src/operations/store.js';
import { QUERY_NAMES, type OperationProgress } from '../src/shared.js';
import { bundleWorkflows } from '../src/temporal/bundle.js';
import { TemporalEngine } from '../src/temporal/engine.js';
import { createWorkers } from '../src/temporal/worker.js';
import { createTestDatabase, pollUntil, type TestDatabase } from './support/database.js';
import { createFakeJobActivities, createWorld, Gate, makeFile, type FakeWorld } from './support/fake-jobs.js';

const address = process.env.TEMPORAL_ADDRESS;
const useLocal = process.env.TEMPORAL_TEST_LOCAL === '1';
const enabled = Boolean(address) || useLocal;
const title = enabled
  ? `real Temporal (${address ?? 'SDK local test server'})`
  : 'real Temporal — SKIPPED: no Temporal server here; set TEMPORAL_ADDRESS (or TEMPORAL_TEST_LOCAL=1 with internet) to run';

describe.skipIf(!enabled)(title, () => {
  let db: TestDatabase;
  let store: OperationStore;
  let world: FakeWorld;
  let engine: TemporalEngine;
  let client: Client;
  let workers: Worker[] = [];
  let running: Promise<unknown>;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new OperationStore(db.pool);
    world = createWorld();
    let nativeConnection: NativeConnection;
    if (address) {
      const connection = await Connection.connect({ address, connectTimeout: 5_000 });
      client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
      nativeConnection = await NativeConnection.connect({ address });
      cleanup = async () => {
        await nativeConnection.close();
        await connection.close();
      };
    } else {
      const env = await TestWorkflowEnvironment.createLocal();
      client = env.client;
      nativeConnection = env.nativeConnection;
      cleanup = () => env.teardown();
    }
    const activities: WorkflowActivities = {
      ...createFakeJobActivities(world),
      ...createOperationActivities({ store }),
    };
    workers = await createWorkers({
      connection: nativeConnection,
      namespace: client.options.namespace,
      activities,
      workflowBundle: await bundleWorkflows(),
      registryRequestsPerSecond: 50,
    });
    running = Promise.all(workers.map((w) => w.run()));
    engine = new TemporalEngine({ client, store });
  }, 120_000);

  afterAll(async () => {
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    await running;
    await engine?.close();
    await cleanup?.();
    await db?.drop();
  }, 60_000);

  const companyId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const finished = (op: Operation | null) =>
    op !== null && ['succeeded', 'failed', 'canceled'].includes(op.status);
  const pollFinished = (org: string, id: string) => pollUntil(() => store.get(org, id), finished, 60_000);

  it('runs enrichCompanies (registry calls on their own queue) and answers the progress query', async () => {
    world.companies.set(companyId(2), 'not-found');
    const org = randomUUID();
    const started = await engine.start(
      'enrichment',
      { companyIds: [1, 2, 3].map(companyId) },
      { organizationId: org },
    );
    expect(await pollFinished(org, started.operationId)).toMatchObject({
      status: 'succeeded',
      progress: { completed: 3, total: 3 },
      result: { counts: { total: 3, updated: 2, notFound: 1, failed: 0 } },
    });
    const handle = client.workflow.getHandle(started.workflowId);
    expect(await handle.query<OperationProgress>(QUERY_NAMES.progress)).toEqual({ completed: 3, total: 3 });
    expect(await (await handle.describe()).staticSummary()).toMatch(/Enrich 3 companies/);
  }, 60_000);

  it('imports with continue-as-new between batches and the same result as one run', async () => {
    world.files.set('real-1', makeFile(45));
    const org = randomUUID();
    const started = await engine.start(
      'import',
      { dataset: 'eu-ets', fileId: 'real-1', batchSize: 10, maxBatchesPerRun: 1 },
      { organizationId: org },
    );
    expect(await pollFinished(org, started.operationId)).toMatchObject({
      status: 'succeeded',
      progress: { completed: 45, total: 45 },
      result: { rows: { total: 45, accepted: 39, rejected: 6 } },
    });
  }, 60_000);

  it('renders a report and records where it is served', async () => {
    const org = randomUUID();
    const loan = randomUUID();
    const started = await engine.start('report', { loanSimulationId: loan }, { organizationId: org });
    expect(await pollFinished(org, started.operationId)).toMatchObject({
      status: 'succeeded',
      resourceLocation: `/v1/loan-simulations/${loan}/report`,
    });
  }, 60_000);

  it('fails the operation (and the workflow) on bad registry credentials', async () => {
    world.companies.set(companyId(9), 'auth');
    const org = randomUUID();
    const started = await engine.start('enrichment', { companyIds: [companyId(9)] }, { organizationId: org });
    expect(await pollFinished(org, started.operationId)).toMatchObject({
      status: 'failed',
      error: { type: '/problems/registry-auth-failed', errorType: 'RegistryAuthError' },
    });
    expect((await client.workflow.getHandle(started.workflowId).describe()).status.name).toBe('FAILED');
  }, 60_000);

  it('cancels a running workflow: the operation ends canceled', async () => {
    world.gate = new Gate();
    const org = randomUUID();
    const started = await engine.start(
      'enrichment',
      { companyIds: [companyId(20), companyId(21)] },
      { organizationId: org },
    );
    await pollUntil(
      () => store.get(org, started.operationId),
      (o) => o?.status === 'running',
      30_000,
    );
    await engine.cancel(started.operationId, { organizationId: org });
    // The fake lookup does not heartbeat, so it only sees the cancellation once it returns.
    world.gate.open();
    expect((await pollFinished(org, started.operationId))?.status).toBe('canceled');
    world.gate = null;
    expect(world.enrichCalls).not.toContain(companyId(21));
  }, 60_000);

  it('starts one workflow per idempotency key', async () => {
    const org = randomUUID();
    const params = { loanSimulationId: randomUUID() };
    const first = await engine.start('report', params, { organizationId: org, idempotencyKey: 'real-key' });
    const second = await engine.start('report', params, { organizationId: org, idempotencyKey: 'real-key' });
    expect(second).toMatchObject({
      operationId: first.operationId,
      workflowId: first.workflowId,
      created: false,
    });
    await pollFinished(org, first.operationId);
  }, 60_000);

  it('reconciles an operation whose workflow an operator terminated: the operation ends failed', async () => {
    world.gate = new Gate();
    const org = randomUUID();
    const started = await engine.start(
      'enrichment',
      { companyIds: [companyId(30)] },
      { organizationId: org },
    );
    const running = await pollUntil(
      () => store.get(org, started.operationId),
      (o) => o?.status === 'running',
      30_000,
    );
    await client.workflow.getHandle(started.workflowId).terminate('operator test');
    world.gate.open();
    world.gate = null;
    const after = await engine.reconcile(running!);
    expect(after).toMatchObject({ status: 'failed', error: { type: '/problems/terminated' } });
  }, 60_000);
});
