/**
 * The in-process engine: runs the same flows as the Temporal workflows, in this process, with the
 * real activities called directly (through the same retry profiles). Job state lives in the
 * `operations` table, so the API reads it exactly as under Temporal.
 *
 * It is for one process per database: at start-up it fails every in-process operation a previous
 * process left unfinished (`/problems/interrupted`), since nothing will ever finish them.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { CancelledFailure, type Logger } from '@temporalio/common';
import { EngineClosedError, type Engine, type StartOptions, type StartedJob } from '../engine.js';
import type { WorkflowActivities } from '../flows/activities.js';
import { isCancellationFailure } from '../flows/failures.js';
import { FLOWS } from '../flows/index.js';
import type { FlowPorts } from '../flows/ports.js';
import { interruptedProblem, problemFor } from '../flows/problems.js';
import { validateJobParams } from '../flows/validate.js';
import type { OperationFinished } from '../observability/metrics.js';
import type { Operation } from '../operations/operation.js';
import type { OperationStore } from '../operations/store.js';
import {
  ACTIVITY_PROFILES,
  ACTIVITY_ROUTES,
  WORKFLOW_NAMES,
  type ActivityName,
  type JobInputs,
  type JobKind,
  type JobParams,
  type OperationProgress,
} from '../shared.js';
import { realSleep, runActivity, type Sleep } from './activity-runner.js';

/** Where the engine writes what operators should see. */
export interface EngineLogger {
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
  error(message: string, attributes?: Record<string, unknown>): void;
}

const silentLogger: EngineLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface InProcessEngineOptions {
  store: OperationStore;
  /** The real activities (`createActivities(deps)`), or fakes in tests. */
  activities: WorkflowActivities;
  /** Jobs running at once; more are queued (status `queued`). Default 2. */
  concurrency?: number;
  logger?: EngineLogger;
  /** How retry back-off waits; tests pass one that does not wait. */
  sleep?: Sleep;
  /** How long `close()` lets running jobs finish before interrupting them. Default 10 s. */
  shutdownGraceMs?: number;
  /**
   * Called once a run has ended, with the operation's final status and the seconds since it was
   * enqueued (metrics: `greenfin_operations_finished_total`, `greenfin_operation_duration_seconds`).
   */
  onFinished?: OperationFinished;
}

/** Why a run stopped when the engine shut down under it (recorded as `/problems/interrupted`). */
class InterruptedError extends Error {
  override readonly name = 'Interrupted';
  constructor() {
    super('the job engine shut down before the job finished');
  }
}

interface Run {
  kind: JobKind;
  operationId: string;
  organizationId: string;
  params: unknown;
  state: 'queued' | 'running';
  controller: AbortController;
  progress: OperationProgress;
  /** `performance.now()` when it was enqueued. */
  enqueuedAt: number;
  settled: Promise<void>;
  settle(): void;
}

/** Runs jobs in this process. Create it with {@link InProcessEngine.open}. */
export class InProcessEngine implements Engine {
  readonly name = 'in-process' as const;
  private readonly store: OperationStore;
  private readonly activities: WorkflowActivities;
  private readonly concurrency: number;
  private readonly logger: EngineLogger;
  private readonly sleep: Sleep;
  private readonly shutdownGraceMs: number;
  private readonly onFinished: OperationFinished | undefined;
  private readonly runs = new Map<string, Run>();
  private readonly queue: Run[] = [];
  private readonly shielded = new AsyncLocalStorage<boolean>();
  private running = 0;
  private closed = false;

  /**
   * Use {@link InProcessEngine.open}, which also recovers interrupted operations; the constructor
   * alone does not touch the database.
   */
  constructor(options: InProcessEngineOptions) {
    const concurrency = options.concurrency ?? 2;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
    }
    this.store = options.store;
    this.activities = options.activities;
    this.concurrency = concurrency;
    this.logger = options.logger ?? silentLogger;
    this.sleep = options.sleep ?? realSleep;
    this.shutdownGraceMs = options.shutdownGraceMs ?? 10_000;
    this.onFinished = options.onFinished;
  }

  /**
   * Creates the engine and fails whatever a dead process left `queued` or `running`.
   *
   * @example const engine = await InProcessEngine.open({ store, activities: createActivities(deps) });
   */
  static async open(options: InProcessEngineOptions): Promise<InProcessEngine> {
    const engine = new InProcessEngine(options);
    await engine.recoverInterrupted();
    return engine;
  }

  /**
   * Fails every in-process operation left unfinished by a process that is gone (not the runs this
   * engine is doing) with `/problems/interrupted`, whose detail tells the client to start it again.
   *
   * @returns the ids failed.
   */
  async recoverInterrupted(): Promise<string[]> {
    const { instance: _instance, ...problem } = interruptedProblem('');
    const failed = await this.store.failUnfinished('in-process', problem, [...this.runs.keys()]);
    if (failed.length > 0) {
      this.logger.warn('failed operations interrupted by a previous process', {
        count: failed.length,
        operationIds: failed.map((f) => f.id),
      });
    }
    return failed.map((f) => f.id);
  }

  async start<K extends JobKind>(kind: K, params: JobParams<K>, options: StartOptions): Promise<StartedJob> {
    if (this.closed) throw new EngineClosedError(this.name);
    validateJobParams(kind, params);
    const { operation, created } = await this.store.create({
      ...(options.operationId !== undefined && { id: options.operationId }),
      organizationId: options.organizationId,
      kind,
      input: params,
      engine: this.name,
      idempotencyKey: options.idempotencyKey ?? null,
    });
    // The run is derived from the operation: only the start that created it runs it.
    if (created) this.enqueue(kind, operation, params);
    return {
      operationId: operation.id,
      workflowId: operation.workflowId ?? operation.id,
      engine: operation.engine,
      created,
      operation,
    };
  }

  async cancel(operationId: string, options: { organizationId: string }): Promise<Operation | null> {
    const operation = await this.store.get(options.organizationId, operationId);
    if (!operation) return null;
    const run = this.runs.get(operationId);
    if (run) {
      if (run.state === 'queued') {
        this.queue.splice(this.queue.indexOf(run), 1);
        this.runs.delete(operationId);
        run.settle();
        return this.store.cancel(options.organizationId, operationId);
      }
      run.controller.abort(new CancelledFailure('canceled on request'));
      return operation;
    }
    // An unfinished in-process operation no run here owns is an orphan: close it now.
    if (operation.engine === this.name && (operation.status === 'queued' || operation.status === 'running')) {
      return this.store.cancel(options.organizationId, operationId);
    }
    return operation;
  }

  /**
   * Stops the engine: queued jobs are failed as interrupted at once; running jobs get
   * `shutdownGraceMs` to finish, then are interrupted (and failed as interrupted).
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const run of this.queue.splice(0)) {
      this.runs.delete(run.operationId);
      run.settle();
      await this.store.fail(run.organizationId, run.operationId, interruptedProblem(run.operationId));
    }
    const active = () => Promise.all([...this.runs.values()].map((r) => r.settled));
    if (!(await settlesWithin(active(), this.shutdownGraceMs))) {
      for (const run of this.runs.values()) run.controller.abort(new InterruptedError());
      await settlesWithin(active(), this.shutdownGraceMs);
    }
  }

  /** Resolves when the operation's run here has ended (at once when there is none). */
  settled(operationId: string): Promise<void> {
    return this.runs.get(operationId)?.settled ?? Promise.resolve();
  }

  /** Live progress of a run here (what Temporal's progress query gives), or null. */
  progressOf(operationId: string): OperationProgress | null {
    return this.runs.get(operationId)?.progress ?? null;
  }

  private enqueue(kind: JobKind, operation: Operation, params: unknown): void {
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const run: Run = {
      kind,
      operationId: operation.id,
      organizationId: operation.organizationId,
      params,
      state: 'queued',
      controller: new AbortController(),
      progress: operation.progress,
      enqueuedAt: performance.now(),
      settled,
      settle,
    };
    this.runs.set(run.operationId, run);
    this.queue.push(run);
    this.pump();
  }

  private pump(): void {
    while (!this.closed && this.running < this.concurrency) {
      const run = this.queue.shift();
      if (!run) return;
      run.state = 'running';
      this.running++;
      void this.execute(run).finally(() => {
        this.running--;
        this.runs.delete(run.operationId);
        run.settle();
        this.pump();
      });
    }
  }

  private async execute(run: Run): Promise<void> {
    const flow = FLOWS[run.kind] as (
      input: JobInputs[JobKind],
      ports: FlowPorts<WorkflowActivities>,
    ) => ReturnType<(typeof FLOWS)[JobKind]>;
    const ports = this.portsFor(run);
    let input = {
      ...(run.params as object),
      operationId: run.operationId,
      organizationId: run.organizationId,
    } as JobInputs[JobKind];
    try {
      for (;;) {
        const step = await flow(input, ports);
        if (step.done) break;
        input = step.continueWith; // continue-as-new, in-process: run the flow again from its checkpoint
      }
      this.logger.info('operation finished', {
        operationId: run.operationId,
        organizationId: run.organizationId,
        kind: run.kind,
      });
    } catch (error) {
      await this.ensureClosed(run, error);
    }
    await this.reportFinished(run);
  }

  /** Tells `onFinished` how the run ended (the status the row now has). */
  private async reportFinished(run: Run): Promise<void> {
    if (!this.onFinished) return;
    try {
      const current = await this.store.get(run.organizationId, run.operationId);
      const status = current?.status;
      if (status === 'succeeded' || status === 'failed' || status === 'canceled') {
        this.onFinished(run.kind, status, (performance.now() - run.enqueuedAt) / 1000);
      }
    } catch (error) {
      this.logger.warn('could not report the end of an operation', {
        operationId: run.operationId,
        error: String(error),
      });
    }
  }

  /**
   * The flow records its own outcome; this is the backstop when it could not (its write failed,
   * or the engine was shutting down), so no row is left `running` by a live process.
   */
  private async ensureClosed(run: Run, error: unknown): Promise<void> {
    const { operationId, organizationId } = run;
    const interrupted = error instanceof InterruptedError;
    const canceled = !interrupted && isCancellationFailure(error);
    const about = { operationId, organizationId, kind: run.kind };
    if (canceled) this.logger.info('operation canceled', about);
    else this.logger.warn('operation failed', { ...about, error: String(error) });
    try {
      const current = await this.store.get(organizationId, operationId);
      if (!current || (current.status !== 'queued' && current.status !== 'running')) return;
      if (canceled) await this.store.cancel(organizationId, operationId);
      else await this.store.fail(organizationId, operationId, problemFor(error, operationId));
    } catch (storeError) {
      this.logger.error('could not record the end of an operation', {
        operationId,
        error: String(storeError),
      });
    }
  }

  private portsFor(run: Run): FlowPorts<WorkflowActivities> {
    // Every line a run's flow and activities log says which operation (and tenant) it is about.
    const runLogger = withAttributes(this.logger, {
      operationId: run.operationId,
      organizationId: run.organizationId,
      kind: run.kind,
    });
    const temporalLogger = toTemporalLogger(runLogger);
    const activities = {} as Record<ActivityName, (...args: never[]) => Promise<unknown>>;
    for (const name of Object.keys(ACTIVITY_ROUTES) as ActivityName[]) {
      const route = ACTIVITY_ROUTES[name];
      const implementation = this.activities[name] as (...args: never[]) => Promise<unknown>;
      activities[name] = async (...args: never[]) => {
        const shielded = this.shielded.getStore() === true;
        if (run.controller.signal.aborted && !shielded) throw run.controller.signal.reason;
        return runActivity(implementation.bind(this.activities), args, {
          activityType: name,
          profile: ACTIVITY_PROFILES[route.profile],
          taskQueue: route.taskQueue,
          workflowId: run.operationId,
          workflowType: WORKFLOW_NAMES[run.kind],
          signal: shielded ? new AbortController().signal : run.controller.signal,
          sleep: this.sleep,
          logger: temporalLogger,
        });
      };
    }
    return {
      activities: activities as unknown as WorkflowActivities,
      progress: (completed, total) => {
        run.progress = { completed, total };
      },
      isCancellation: isCancellationFailure,
      nonCancellable: (fn) => this.shielded.run(true, fn),
      log: (level, message, attributes) => runLogger[level](message, attributes),
    };
  }
}

function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    timer.unref();
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** A logger adding `bound` to every line (the line's own attributes win). */
function withAttributes(logger: EngineLogger, bound: Record<string, unknown>): EngineLogger {
  const at = (level: 'info' | 'warn' | 'error') => (message: string, attributes?: Record<string, unknown>) =>
    logger[level](message, { ...bound, ...attributes });
  return { info: at('info'), warn: at('warn'), error: at('error') };
}

/** The engine's logger in the shape Temporal's activity Context wants. */
function toTemporalLogger(logger: EngineLogger): Logger {
  const at = (level: 'info' | 'warn' | 'error') => (message: string, meta?: Record<string, unknown>) =>
    logger[level](message, meta);
  return {
    log: (level, message, meta) => {
      if (level === 'WARN') logger.warn(message, meta);
      else if (level === 'ERROR') logger.error(message, meta);
      else if (level === 'INFO') logger.info(message, meta);
    },
    trace: () => undefined,
    debug: () => undefined,
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
}
