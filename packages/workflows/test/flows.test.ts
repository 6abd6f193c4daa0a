/**
 * The orchestration functions run directly with fake ports and in-memory activities: what they
 * record on the operation (in order), progress, per-company outcomes, failures as problems,
 * cancellation, and continue-as-new resumption.
 */
import { fc, test as propertyTest } from '@fast-check/vitest';
import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import type { WorkflowActivities } from '../src/flows/activities.js';
import {
  COMPANY_PAGE_SIZE,
  MAX_CONSECUTIVE_OUTAGES,
  enrichCompaniesFlow,
} from '../src/flows/enrich-companies.js';
import { describeFailure } from '../src/flows/failures.js';
import { importDatasetFlow } from '../src/flows/import-dataset.js';
import type { FlowStep } from '../src/flows/ports.js';
import { problemFor } from '../src/flows/problems.js';
import { renderReportFlow } from '../src/flows/render-report.js';
import { validateJobParams } from '../src/flows/validate.js';
import type { EnrichCompaniesInput, ImportDatasetInput } from '../src/shared.js';
import {
  createFakeJobActivities,
  createWorld,
  directPorts,
  makeFile,
  recordingOperationActivities,
  type FakeWorld,
} from './support/fake-jobs.js';

const OP = '11111111-1111-4111-8111-111111111111';
const ORG = '22222222-2222-4222-8222-222222222222';
const ref = { operationId: OP, organizationId: ORG };
const companyId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function setup(world: FakeWorld = createWorld()) {
  const ops = recordingOperationActivities();
  const activities: WorkflowActivities = { ...createFakeJobActivities(world), ...ops };
  const ports = directPorts(activities);
  return { world, ops, ports };
}

/** Runs a flow to its end, feeding each continue-as-new step back in (as both engines do). */
async function runToEnd<I, R>(
  flow: (input: I, ports: ReturnType<typeof setup>['ports']) => Promise<FlowStep<I, R>>,
  input: I,
  ports: ReturnType<typeof setup>['ports'],
): Promise<{ result: R; runs: number }> {
  let runs = 0;
  for (let current = input; ;) {
    // A flow that never finishes (e.g. one ignoring its checkpoint) fails here instead of hanging.
    if (++runs > 1000) throw new Error('the flow did not finish within 1000 runs');
    const step = await flow(current, ports);
    if (step.done) return { result: step.result, runs };
    current = step.continueWith;
  }
}

describe('enrichCompanies flow', () => {
  it('marks the operation running, records progress after each company, then succeeds and announces it', async () => {
    const { ops, ports } = setup();
    const ids = [companyId(1), companyId(2), companyId(3)];
    const step = await enrichCompaniesFlow({ ...ref, companyIds: ids }, ports);

    expect(step).toEqual({
      done: true,
      result: { counts: { total: 3, updated: 3, notFound: 0, failed: 0 }, notFound: [], failed: [] },
    });
    expect(
      ops.updates.map((u) => (u.action === 'progress' ? `progress ${u.completed}/${u.total}` : u.action)),
    ).toEqual(['start', 'progress 0/3', 'progress 1/3', 'progress 2/3', 'progress 3/3', 'succeed']);
    expect(ports.progressLog).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(ops.events).toEqual([{ ...ref, event: 'operation.succeeded', resourceLocation: null }]);
  });

  it('records not-found and malformed companies in the result and carries on with the rest', async () => {
    const world = createWorld();
    world.companies.set(companyId(2), 'not-found');
    world.companies.set(companyId(3), 'malformed');
    const { ops, ports } = setup(world);
    const step = await enrichCompaniesFlow({ ...ref, companyIds: [1, 2, 3, 4].map(companyId) }, ports);

    expect(world.enrichCalls).toEqual([1, 2, 3, 4].map(companyId));
    expect(step.done && step.result).toEqual({
      counts: { total: 4, updated: 2, notFound: 1, failed: 1 },
      notFound: [companyId(2)],
      failed: [{ companyId: companyId(3), reason: expect.stringContaining('malformed body') }],
    });
    expect(ops.updates.at(-1)).toMatchObject({ action: 'succeed' });
  });

  it('fails the whole operation at once on bad registry credentials, with a problem naming the fix', async () => {
    const world = createWorld();
    world.companies.set(companyId(2), 'auth');
    const { ops, ports } = setup(world);

    await expect(
      enrichCompaniesFlow({ ...ref, companyIds: [1, 2, 3].map(companyId) }, ports),
    ).rejects.toThrow(/rejected the API key/);
    expect(world.enrichCalls).toEqual([companyId(1), companyId(2)]); // the third is never tried
    const last = ops.updates.at(-1);
    expect(last).toMatchObject({
      action: 'fail',
      problem: {
        type: '/problems/registry-auth-failed',
        status: 502,
        errorType: 'RegistryAuthError',
        instance: `/v1/operations/${OP}`,
      },
    });
    expect(last?.action === 'fail' && last.problem.detail).toMatch(/COMPANIES_HOUSE_API_KEY/);
    expect(ops.updates.some((u) => u.action === 'succeed')).toBe(false);
    expect(ops.events.map((e) => e.event)).toEqual(['operation.failed']);
  });

  it('marks one company failed when the registry stays unavailable for it, and stops after a run of outages', async () => {
    const world = createWorld();
    world.companies.set(companyId(2), 'outage');
    const first = setup(world);
    const step = await enrichCompaniesFlow({ ...ref, companyIds: [1, 2, 3].map(companyId) }, first.ports);
    expect(step.done && step.result.failed).toEqual([
      { companyId: companyId(2), reason: 'Companies House answered HTTP 503' },
    ]);

    const down = createWorld();
    const ids = Array.from({ length: MAX_CONSECUTIVE_OUTAGES + 3 }, (_, i) => companyId(i + 1));
    for (const id of ids) down.companies.set(id, 'outage');
    const second = setup(down);
    await expect(enrichCompaniesFlow({ ...ref, companyIds: ids }, second.ports)).rejects.toThrow(
      /stayed unavailable/,
    );
    expect(down.enrichCalls).toHaveLength(MAX_CONSECUTIVE_OUTAGES);
    expect(second.ops.updates.at(-1)).toMatchObject({
      action: 'fail',
      problem: { type: '/problems/dependency-unavailable', status: 503 },
    });
  });

  it('records cancellation (shielded) instead of a failure and rethrows it', async () => {
    const world = createWorld();
    world.companies.set(companyId(2), 'cancel');
    const { ops, ports } = setup(world);

    await expect(
      enrichCompaniesFlow({ ...ref, companyIds: [1, 2, 3].map(companyId) }, ports),
    ).rejects.toMatchObject({
      name: 'CancelledFailure',
    });
    expect(ops.updates.map((u) => u.action)).toEqual(['start', 'progress', 'progress', 'cancel']);
    expect(ports.shielded).toBe(1);
    expect(ops.events).toEqual([]);
  });

  it('fails with an invalid-input problem naming the field', async () => {
    const { ops, ports } = setup();
    await expect(enrichCompaniesFlow({ ...ref, companyIds: [companyId(1), 'nope'] }, ports)).rejects.toThrow(
      'companyIds[1]: must be a UUID',
    );
    expect(ops.updates.at(-1)).toMatchObject({
      action: 'fail',
      problem: {
        type: '/problems/invalid-input',
        status: 422,
        detail: expect.stringContaining('companyIds[1]'),
      },
    });
  });

  it('pages through every company for `all`, and continue-as-new runs give the same result as one run', async () => {
    const world = createWorld();
    world.organizationCompanies = Array.from({ length: COMPANY_PAGE_SIZE + 7 }, (_, i) => companyId(i + 1));
    world.companies.set(companyId(5), 'not-found');
    world.companies.set(companyId(104), 'malformed');

    const once = setup(world);
    const single = await runToEnd(
      enrichCompaniesFlow,
      { ...ref, all: true } as EnrichCompaniesInput,
      once.ports,
    );
    expect(single.runs).toBe(1);
    expect(single.result.counts).toEqual({
      total: COMPANY_PAGE_SIZE + 7,
      updated: COMPANY_PAGE_SIZE + 5,
      notFound: 1,
      failed: 1,
    });

    world.enrichCalls = [];
    const chunked = setup(world);
    const continued = await runToEnd(
      enrichCompaniesFlow,
      { ...ref, all: true, maxCompaniesPerRun: 10 },
      chunked.ports,
    );
    expect(continued.runs).toBe(Math.ceil((COMPANY_PAGE_SIZE + 7) / 10));
    expect(continued.result).toEqual(single.result);
    expect(world.enrichCalls).toEqual(world.organizationCompanies); // each company once, in order
    expect(chunked.ops.updates.filter((u) => u.action === 'succeed')).toHaveLength(1);
  });
});

describe('importDataset flow', () => {
  const input = (extra: Partial<ImportDatasetInput> = {}): ImportDatasetInput => ({
    ...ref,
    dataset: 'eu-ets',
    fileId: 'upload-1',
    batchSize: 25,
    ...extra,
  });

  it('plans, imports batch after batch with progress, and finishes with the counts', async () => {
    const world = createWorld();
    world.files.set('upload-1', makeFile(60));
    const { ops, ports } = setup(world);
    const { result } = await runToEnd(importDatasetFlow, input(), ports);

    expect(result).toEqual({
      dataset: 'eu-ets',
      variant: 'fake',
      rows: { total: 60, accepted: 52, rejected: 8 },
      rejectsLocation: `/v1/operations/${OP}/rejects`,
    });
    expect(ports.progressLog).toEqual([
      [0, 60],
      [25, 60],
      [50, 60],
      [60, 60],
    ]);
    expect(ops.updates.map((u) => u.action)).toEqual([
      'start',
      'progress',
      'progress',
      'progress',
      'progress',
      'succeed',
    ]);
    expect(world.batchCalls.map((c) => c.fromLine)).toEqual([2, 27, 52]);
  });

  propertyTest.prop(
    [fc.integer({ min: 0, max: 120 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 4 })],
    {
      numRuns: 40,
    },
  )(
    'resuming from a checkpoint (continue-as-new) ends exactly like an uninterrupted run',
    async (rows, batchSize, maxBatchesPerRun) => {
      const uninterrupted = createWorld();
      uninterrupted.files.set('upload-1', makeFile(rows));
      const a = setup(uninterrupted);
      const whole = await runToEnd(
        importDatasetFlow,
        input({ batchSize, maxBatchesPerRun: 10_000 }),
        a.ports,
      );

      const resumed = createWorld();
      resumed.files.set('upload-1', makeFile(rows));
      const b = setup(resumed);
      const pieces = await runToEnd(importDatasetFlow, input({ batchSize, maxBatchesPerRun }), b.ports);

      expect(pieces.result).toEqual(whole.result);
      expect([...resumed.table]).toEqual([...uninterrupted.table]);
      expect([...resumed.rejects]).toEqual([...uninterrupted.rejects]);
      expect(b.ports.progressLog.at(-1)).toEqual(a.ports.progressLog.at(-1));
      expect(pieces.runs).toBe(
        Math.max(1, Math.ceil(Math.max(1, Math.ceil(rows / batchSize)) / maxBatchesPerRun)),
      );
    },
  );

  it('fails with the file problem when the header is wrong, before importing anything', async () => {
    const world = createWorld();
    world.files.set('upload-1', ['id;amount', '1;2']);
    const { ops, ports } = setup(world);
    await expect(importDatasetFlow(input(), ports)).rejects.toThrow(/header lacks/);
    expect(world.batchCalls).toEqual([]);
    expect(ops.updates.at(-1)).toMatchObject({
      action: 'fail',
      problem: { type: '/problems/invalid-dataset-file', status: 422, errorType: 'DatasetHeaderError' },
    });
  });

  it('stops with a failure when a batch makes no progress (instead of looping forever)', async () => {
    const world = createWorld();
    world.files.set('upload-1', makeFile(10));
    world.stall = true;
    const { ops, ports } = setup(world);
    await expect(importDatasetFlow(input(), ports)).rejects.toThrow(/made no progress at line 2/);
    expect(ops.updates.at(-1)).toMatchObject({
      action: 'fail',
      problem: { type: '/problems/job-failed', errorType: 'ImportStalled' },
    });
  });
});

describe('renderReport flow', () => {
  const LOAN = '33333333-3333-4333-8333-333333333333';

  it('renders, stores, succeeds with the report location, then announces operation.succeeded and report.ready', async () => {
    const world = createWorld();
    const { ops, ports } = setup(world);
    const step = await renderReportFlow({ ...ref, loanSimulationId: LOAN }, ports);
    const location = `/v1/loan-simulations/${LOAN}/report`;

    expect(step).toEqual({
      done: true,
      result: {
        reportId: LOAN,
        resourceLocation: location,
        sha256: 'f'.repeat(64),
        sizeBytes: world.reports.get(LOAN)?.byteLength,
      },
    });
    expect(ops.updates.at(-1)).toMatchObject({ action: 'succeed', resourceLocation: location });
    expect(ops.events.map((e) => [e.event, e.resourceLocation])).toEqual([
      ['operation.succeeded', location],
      ['report.ready', location],
    ]);
    expect(ports.progressLog).toEqual([
      [0, 2],
      [1, 2],
      [2, 2],
    ]);
  });

  it('fails with an invalid-report-data problem when the data cannot be rendered', async () => {
    const world = createWorld();
    world.reportBehaviour = 'bad-data';
    const { ops, ports } = setup(world);
    await expect(renderReportFlow({ ...ref, loanSimulationId: LOAN }, ports)).rejects.toThrow(
      /installments\[3\]/,
    );
    expect(world.reports.size).toBe(0);
    expect(ops.updates.at(-1)).toMatchObject({
      action: 'fail',
      problem: { type: '/problems/invalid-report-data' },
    });
  });

  it('keeps the outcome when announcing it fails', async () => {
    const { ops, ports } = setup();
    ops.notify = async () => {
      throw new Error('webhook queue unavailable');
    };
    ports.activities.notify = ops.notify;
    const step = await renderReportFlow({ ...ref, loanSimulationId: LOAN }, ports);
    expect(step.done).toBe(true);
    expect(ops.updates.at(-1)).toMatchObject({ action: 'succeed' });
  });
});

describe('failures and problems', () => {
  it('reads the error type through a Temporal ActivityFailure wrapper', () => {
    const cause = ApplicationFailure.create({ message: 'bad key', type: 'RegistryAuthError' });
    const wrapped = new ActivityFailure(
      'Activity task failed',
      'enrichCompany',
      '1',
      RetryState.NON_RETRYABLE_FAILURE,
      'id',
      cause,
    );
    expect(describeFailure(wrapped)).toEqual({ type: 'RegistryAuthError', message: 'bad key' });
    expect(problemFor(wrapped, OP)).toMatchObject({
      type: '/problems/registry-auth-failed',
      detail: expect.stringContaining('bad key'),
    });
  });

  it('never exposes the message of an unexpected error', () => {
    const problem = problemFor(new TypeError('relation "secret_table" does not exist'), OP);
    expect(problem).toMatchObject({ type: '/problems/job-failed', status: 500, errorType: 'TypeError' });
    expect(problem.detail).not.toContain('secret_table');
  });

  it('validates start parameters, naming the field', () => {
    expect(() => validateJobParams('enrichment', {})).toThrow(/^companyIds: must be a non-empty array/);
    expect(() => validateJobParams('enrichment', { all: true, companyIds: [] })).toThrow(
      /^companyIds: give either/,
    );
    expect(() => validateJobParams('import', { dataset: 'nope', fileId: 'f' })).toThrow(
      /^dataset: must be one of/,
    );
    expect(() =>
      validateJobParams('import', { dataset: 'fx-rates', fileId: 'f', options: { year: 1800 } }),
    ).toThrow(/^options\.year:/);
    expect(() => validateJobParams('import', { dataset: 'fx-rates', fileId: 'f', batchSize: 0 })).toThrow(
      /^batchSize:/,
    );
    expect(() => validateJobParams('report', { loanSimulationId: 42 })).toThrow(
      /^loanSimulationId: must be a UUID/,
    );
    expect(() => validateJobParams('payroll' as never, {})).toThrow(
      /^kind: must be one of enrichment, import, report/,
    );
    expect(() => validateJobParams('report', { loanSimulationId: companyId(1) })).not.toThrow();
  });
});
