/**
 * In-memory stand-ins for the job activities (registry lookups, imports, rendering), which other
 * modules implement for real. They follow the activity contracts — idempotent, heartbeating,
 * throwing errors with the real names — so the orchestration is exercised as it will be run.
 * The operation activities are NOT faked in engine tests: those use the real PostgreSQL store.
 */
import { Context, activityInfo } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';
import type {
  EnrichmentActivities,
  ImportActivities,
  ImportBatchResult,
  OperationActivities,
  OperationEvent,
  OperationUpdate,
  ReportActivities,
  WorkflowActivities,
} from '../../src/flows/activities.js';
import { isCancellationFailure } from '../../src/flows/failures.js';
import type { FlowPorts } from '../../src/flows/ports.js';
import { runCheckpointed } from '../../src/temporal/checkpointed-activity.js';

/** How the fake registry answers for one company. */
export type CompanyBehaviour = 'ok' | 'not-found' | 'malformed' | 'auth' | 'outage' | 'cancel';

/** Errors named like the real modules' (the flows act on the name). */
export class FakeRegistryAuthError extends Error {
  override readonly name = 'RegistryAuthError';
}
export class FakeRegistryUnavailableError extends Error {
  override readonly name = 'RegistryUnavailableError';
}
export class FakeDatasetHeaderError extends Error {
  override readonly name = 'DatasetHeaderError';
}
export class FakeReportDataError extends Error {
  override readonly name = 'ReportDataError';
}

/** A gate an activity can wait on, so a test controls when it finishes. */
export class Gate {
  private release!: () => void;
  readonly opened = new Promise<void>((resolve) => (this.release = resolve));
  open(): void {
    this.release();
  }
}

export const HEADER = 'key,value';

/** A CSV-like file: header + `rows` data lines; every `rejectEvery`-th line has a bad value. */
export function makeFile(rows: number, rejectEvery = 7): string[] {
  const lines = [HEADER];
  for (let i = 1; i <= rows; i++) lines.push(`k${i},${i % rejectEvery === 0 ? 'n/a' : String(i * 10)}`);
  return lines;
}

export interface FakeWorld {
  companies: Map<string, CompanyBehaviour>;
  /** Company ids of the organization, for `all` (sorted by id). */
  organizationCompanies: string[];
  enrichCalls: string[];
  files: Map<string, string[]>;
  /** Upserted rows (natural key → value) and per-line outcomes, per file: idempotent like the real writer. */
  table: Map<string, number>;
  acceptedLines: Set<number>;
  rejects: Map<number, string>;
  batchCalls: { fromLine: number; attempt: number; resumedFrom: number }[];
  /** Lines a batch writes per heartbeat step. */
  chunkLines: number;
  /** Fail the next batch attempt (retryably) after this many heartbeat steps, once. */
  crashAfterChunks: number | null;
  /** Batch activity returns without progress (to test the stall guard). */
  stall: boolean;
  reports: Map<string, Uint8Array>;
  /** Rendered drafts, by draft id (published into `reports` by storeReport). */
  reportDrafts: Map<string, Uint8Array>;
  reportBehaviour: 'ok' | 'bad-data';
  /** When set, every job activity waits for it first (tests of concurrency and cancellation). */
  gate: Gate | null;
  /** Job activities currently running, and the most ever at once. */
  active: number;
  maxActive: number;
}

export function createWorld(): FakeWorld {
  return {
    companies: new Map(),
    organizationCompanies: [],
    enrichCalls: [],
    files: new Map(),
    table: new Map(),
    acceptedLines: new Set(),
    rejects: new Map(),
    batchCalls: [],
    chunkLines: 10,
    crashAfterChunks: null,
    stall: false,
    reports: new Map(),
    reportDrafts: new Map(),
    reportBehaviour: 'ok',
    gate: null,
    active: 0,
    maxActive: 0,
  };
}

type JobActivities = Omit<WorkflowActivities, keyof OperationActivities>;

/** Waits for the world's gate (if any) while counting concurrency; a canceled wait throws. */
async function tracked<T>(
  world: FakeWorld,
  signal: AbortSignal | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  world.active++;
  world.maxActive = Math.max(world.maxActive, world.active);
  try {
    if (world.gate) {
      await Promise.race([
        world.gate.opened,
        new Promise<never>((_, reject) => {
          if (signal?.aborted) reject(new CancelledFailure('canceled while waiting'));
          signal?.addEventListener('abort', () => reject(new CancelledFailure('canceled while waiting')), {
            once: true,
          });
        }),
      ]);
    }
    return await fn();
  } finally {
    world.active--;
  }
}

/** The activity's cancellation signal when run in an activity Context (engines), else none (flow tests). */
function currentSignal(): AbortSignal | undefined {
  try {
    return Context.current().cancellationSignal;
  } catch {
    return undefined;
  }
}

/** The job activities over `world`. */
export function createFakeJobActivities(world: FakeWorld): JobActivities {
  const enrichment: Omit<EnrichmentActivities, keyof OperationActivities> = {
    async listCompanyIds({ afterCompanyId, limit }) {
      const ids = world.organizationCompanies.filter((id) => afterCompanyId === null || id > afterCompanyId);
      return { companyIds: ids.slice(0, limit), total: world.organizationCompanies.length };
    },
    async enrichCompany({ companyId }) {
      world.enrichCalls.push(companyId);
      return tracked(world, currentSignal(), async () => {
        const behaviour = world.companies.get(companyId) ?? 'ok';
        switch (behaviour) {
          case 'ok':
            return { companyId, status: 'updated' as const };
          case 'not-found':
            return { companyId, status: 'not-found' as const };
          case 'malformed':
            return {
              companyId,
              status: 'failed' as const,
              reason: 'the registry answered with a malformed body: sic_codes[0] is not a string',
            };
          case 'auth':
            throw new FakeRegistryAuthError(
              'Companies House rejected the API key (HTTP 401): check COMPANIES_HOUSE_API_KEY',
            );
          case 'outage':
            throw new FakeRegistryUnavailableError('Companies House answered HTTP 503');
          case 'cancel':
            throw new CancelledFailure('canceled');
        }
      });
    },
  };

  const readBatch = (lines: string[], fromLine: number, maxLines: number) => {
    let line = fromLine;
    let dataLines = 0;
    let accepted = 0;
    let rejected = 0;
    while (line <= lines.length && dataLines < maxLines) {
      const text = lines[line - 1] ?? '';
      const [key, value] = text.split(',');
      const number = Number(value);
      if (key && value !== undefined && value !== '' && Number.isFinite(number)) {
        world.table.set(key, number);
        world.acceptedLines.add(line);
        accepted++;
      } else {
        world.rejects.set(line, `value: must be a number, got ${JSON.stringify(value ?? '')}`);
        rejected++;
      }
      dataLines++;
      line++;
    }
    return { nextLine: line, dataLines, accepted, rejected };
  };

  const imports: Omit<ImportActivities, keyof OperationActivities> = {
    async planImport({ fileId }) {
      const lines = world.files.get(fileId);
      if (!lines) throw new Error(`no stored file ${fileId}`);
      if (lines[0] !== HEADER)
        throw new FakeDatasetHeaderError(`eu-ets: the header lacks the columns key, value`);
      return { totalRows: lines.length - 1, startLine: 2, variant: 'fake' };
    },
    async importBatch({ fileId, fromLine, batchSize }) {
      const signal = currentSignal();
      return tracked(world, signal, async () => {
        const lines = world.files.get(fileId) ?? [];
        if (world.stall) return { nextLine: fromLine, done: false, dataLines: 0, accepted: 0, rejected: 0 };
        interface Checkpoint {
          line: number;
          dataLines: number;
          accepted: number;
          rejected: number;
        }
        const initial: Checkpoint = { line: fromLine, dataLines: 0, accepted: 0, rejected: 0 };
        const inActivity = signal !== undefined;
        let chunks = 0;
        let attempt = 1;
        const step = async (cp: Checkpoint) => {
          if (chunks === 0) world.batchCalls.push({ fromLine, attempt, resumedFrom: cp.line });
          if (world.crashAfterChunks !== null && chunks === world.crashAfterChunks) {
            world.crashAfterChunks = null;
            throw new FakeRegistryUnavailableError('the database connection dropped mid-batch');
          }
          const remaining = batchSize - cp.dataLines;
          const part = readBatch(lines, cp.line, Math.min(world.chunkLines, remaining));
          chunks++;
          const next: Checkpoint = {
            line: part.nextLine,
            dataLines: cp.dataLines + part.dataLines,
            accepted: cp.accepted + part.accepted,
            rejected: cp.rejected + part.rejected,
          };
          return { checkpoint: next, done: next.dataLines >= batchSize || next.line > lines.length };
        };
        let last: Checkpoint;
        if (inActivity) {
          attempt = activityInfo().attempt;
          last = await runCheckpointed({ initial }, step);
        } else {
          last = initial;
          for (;;) {
            const next = await step(last);
            last = next.checkpoint;
            if (next.done) break;
          }
        }
        const result: ImportBatchResult = {
          nextLine: last.line,
          done: last.line > lines.length,
          dataLines: last.dataLines,
          accepted: last.accepted,
          rejected: last.rejected,
        };
        return result;
      });
    },
    async finishImport({ operationId, dataset }) {
      const accepted = world.acceptedLines.size;
      const rejected = world.rejects.size;
      return {
        dataset,
        variant: 'fake',
        rows: { total: accepted + rejected, accepted, rejected },
        rejectsLocation: rejected > 0 ? `/v1/operations/${operationId}/rejects` : null,
      };
    },
  };

  const reports: Omit<ReportActivities, keyof OperationActivities> = {
    async renderReport({ loanSimulationId }) {
      return tracked(world, currentSignal(), async () => {
        if (world.reportBehaviour === 'bad-data') {
          throw new FakeReportDataError('report data schedule.installments[3].date: must be an ISO date');
        }
        const pdf = new TextEncoder().encode(`%PDF-1.7 report of ${loanSimulationId}`);
        world.reportDrafts.set(loanSimulationId, pdf);
        return {
          draftId: loanSimulationId,
          sha256: 'f'.repeat(64),
          sizeBytes: pdf.byteLength,
          methodologyVersion: 'gs-2026.1',
        };
      });
    },
    async storeReport({ loanSimulationId, report }) {
      const pdf = world.reportDrafts.get(report.draftId);
      if (!pdf) throw new Error(`no draft ${report.draftId}`);
      world.reports.set(loanSimulationId, pdf);
      return {
        reportId: loanSimulationId,
        resourceLocation: `/v1/loan-simulations/${loanSimulationId}/report`,
        sizeBytes: pdf.byteLength,
      };
    },
  };

  // Cash-flow jobs are tested against a real database (test/cash-flow.*.test.ts); here they only
  // have to exist, and say so if a fake-world test ever calls them.
  const unused = (name: string) => async () => {
    throw new Error(`the fake world has no ${name}`);
  };
  const cashFlow = {
    planRecategorisation: unused('planRecategorisation'),
    recategoriseBatch: unused('recategoriseBatch'),
    evaluateAlerts: unused('evaluateAlerts'),
    startAlertEvaluations: unused('startAlertEvaluations'),
  };
  return { ...enrichment, ...imports, ...reports, ...cashFlow };
}

/** Operation activities that only record what flows asked (flow tests without a database). */
export function recordingOperationActivities(): OperationActivities & {
  updates: OperationUpdate[];
  events: OperationEvent[];
} {
  const updates: OperationUpdate[] = [];
  const events: OperationEvent[] = [];
  return {
    updates,
    events,
    async updateOperation(update) {
      updates.push(update);
    },
    async notify(event) {
      events.push(event);
    },
  };
}

/** Ports for running a flow directly (no engine): progress and logs are recorded. */
export function directPorts<A>(activities: A): FlowPorts<A> & {
  progressLog: [number, number | null][];
  shielded: number;
} {
  const ports = {
    activities,
    progressLog: [] as [number, number | null][],
    shielded: 0,
    progress(completed: number, total: number | null) {
      ports.progressLog.push([completed, total]);
    },
    isCancellation: isCancellationFailure,
    async nonCancellable<T>(fn: () => Promise<T>) {
      ports.shielded++;
      return fn();
    },
    log: () => undefined,
  };
  return ports;
}
