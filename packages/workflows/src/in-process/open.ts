/**
 * One call that gives a process the in-process engine with the real activities: what the API's
 * composition root uses when no Temporal is configured (it never builds activities itself).
 */
import type { Pool } from 'pg';
import { createActivities, type ActivityDeps } from '../activities/index.js';
import { startAlertSweepTimer } from '../cash-flow/schedule.js';
import { OperationStore } from '../operations/store.js';
import { InProcessEngine, type EngineLogger, type InProcessEngineOptions } from './engine.js';

export interface OpenInProcessEngineOptions extends Omit<
  ActivityDeps,
  'pool' | 'store' | 'onOperationFinished'
> {
  pool: Pool;
  /** Jobs running at once (default 2). */
  concurrency?: number;
  logger?: EngineLogger;
  /** How long `close()` lets running jobs finish (default 10 s). */
  shutdownGraceMs?: number;
  /** Called when a run ended (metrics); see `InProcessEngineOptions.onFinished`. */
  onFinished?: InProcessEngineOptions['onFinished'];
  /**
   * Every this many milliseconds, start an `alert-evaluation` job per tenant with data
   * (`ALERT_EVALUATION_INTERVAL_MS`); 0 or absent: no timer.
   */
  alertEvaluationIntervalMs?: number;
}

/** The engine and what releases it (running jobs are given their grace, then the browser closes). */
export interface OpenedEngine {
  engine: InProcessEngine;
  close(): Promise<void>;
}

/**
 * Builds the activities and opens the in-process engine over them (failing, as interrupted, any
 * operation a previous process left unfinished).
 *
 * @example const { engine, close } = await openInProcessEngine({ pool, env: process.env });
 */
export async function openInProcessEngine(options: OpenInProcessEngineOptions): Promise<OpenedEngine> {
  const { pool, concurrency, logger, shutdownGraceMs, onFinished, alertEvaluationIntervalMs, ...deps } =
    options;
  const store = new OperationStore(pool);
  // The sweep starts jobs on this engine, which exists only once the activities do.
  const late: { engine?: InProcessEngine } = {};
  const activities = createActivities({
    startAlertEvaluation: (organizationId, idempotencyKey) =>
      late.engine!.start('alert-evaluation', {}, { organizationId, idempotencyKey }),
    ...deps,
    pool,
    store,
  });
  const engine = await InProcessEngine.open({
    store,
    activities,
    ...(concurrency !== undefined && { concurrency }),
    ...(logger && { logger }),
    ...(shutdownGraceMs !== undefined && { shutdownGraceMs }),
    ...(onFinished && { onFinished }),
  });
  late.engine = engine;
  const stopTimer = startAlertSweepTimer({
    intervalMs: alertEvaluationIntervalMs ?? 0,
    sweep: (slot) => activities.startAlertEvaluations({ slot }),
    onError: (error) => logger?.warn('scheduled alert evaluation failed', { error: String(error) }),
  });
  return {
    engine,
    close: async () => {
      stopTimer();
      await engine.close();
      await activities.close();
    },
  };
}
