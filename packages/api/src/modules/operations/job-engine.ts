/**
 * Chooses the job engine from configuration: Temporal when `TEMPORAL_ADDRESS` is set (the worker
 * process runs the activities), otherwise the in-process engine running the same flows here.
 */
import {
  openInProcessEngine,
  OperationStore,
  TemporalEngine,
  type Engine,
  type EngineLogger,
  type JobMetrics,
  type OpenInProcessEngineOptions,
} from '@greenfin/workflows';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';

export interface JobEngineOptions {
  config: Config;
  pool: Pool;
  logger: Logger;
  /** In-process engine only: overrides of the activities' dependencies (tests pass a fake registry). */
  activities?: Omit<OpenInProcessEngineOptions, 'pool' | 'concurrency' | 'logger'>;
  /**
   * In-process engine only: job metrics (`createJobMetrics` on the app's registry). Under
   * Temporal the activities run in the worker, which exposes them on its own port.
   */
  metrics?: JobMetrics;
}

export interface JobEngine {
  engine: Engine;
  close(): Promise<void>;
}

/** pino in the shape the engine logs through. */
export function engineLogger(logger: Logger): EngineLogger {
  const child = logger.child({ component: 'jobs' });
  return {
    info: (message, attributes) => child.info(attributes ?? {}, message),
    warn: (message, attributes) => child.warn(attributes ?? {}, message),
    error: (message, attributes) => child.error(attributes ?? {}, message),
  };
}

/**
 * Opens the configured engine.
 *
 * @example const jobs = await createJobEngine({ config, pool, logger });
 */
export async function createJobEngine(options: JobEngineOptions): Promise<JobEngine> {
  const { config, pool, logger } = options;
  if (config.temporal) {
    const engine = await TemporalEngine.connect({
      address: config.temporal.address,
      namespace: config.temporal.namespace,
      store: new OperationStore(pool),
    });
    return { engine, close: () => engine.close() };
  }
  const { metrics } = options;
  return openInProcessEngine({
    env: process.env,
    alerts: { dscrThreshold: config.alerts.dscrThreshold, negativeMonths: config.alerts.negativeMonths },
    alertEvaluationIntervalMs: config.alerts.evaluationIntervalMs,
    ...(metrics && { metrics, onFinished: metrics.operationFinished }),
    ...options.activities,
    pool,
    concurrency: config.jobConcurrency,
    logger: engineLogger(logger),
  });
}
