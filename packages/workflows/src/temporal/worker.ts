/**
 * The Temporal worker process (`npm run worker`): one worker per task queue on a shared
 * connection. `greenfin-jobs` runs the workflows and every activity but registry calls;
 * `greenfin-registries` runs registry calls only, rate-limited by the server across all workers
 * (`maxTaskQueueActivitiesPerSecond`) so every replica together stays under the registry's limit.
 *
 * Environment: `TEMPORAL_ADDRESS` (required), `TEMPORAL_NAMESPACE` (default `default`),
 * `DATABASE_URL` (required), `REGISTRY_REQUESTS_PER_SECOND` (default 2 — Companies House allows
 * 600 requests per 5 minutes), `LOG_LEVEL` (default info; JSON lines with pino),
 * `WORKER_METRICS_PORT` (default 9464: Temporal's own worker metrics), `WORKER_APP_METRICS_PORT`
 * (default 9465: Greenfin's job metrics), `WORKER_METRICS_HOST` (default 0.0.0.0) — see
 * `worker-observability.ts`.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, Worker, type WorkflowBundle } from '@temporalio/worker';
import { Redis } from 'ioredis';
import pg from 'pg';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { OperationEvent, WorkflowActivities } from '../flows/activities.js';
import type { AlertConfig } from '../cash-flow/alerts.js';
import { alertEvaluationIntervalFromEnv, ensureAlertSweepSchedule } from '../cash-flow/schedule.js';
import type { PublishedEvent } from '../webhooks/notifier.js';
import { createJobMetrics, type ActivityMetrics, type OperationFinished } from '../observability/metrics.js';
import { OperationStore } from '../operations/store.js';
import {
  cacheRedisPrefix,
  cashFlowCacheKey,
  greenScoreCacheKey,
  RedisGenerationalCache,
} from '../cache/generational-cache.js';
import { createEnqueueOnlyDispatcher } from '../webhooks/create-dispatcher.js';
import { createWebhookNotifier } from '../webhooks/notifier.js';
import { ACTIVITY_ROUTES, TASK_QUEUES, type ActivityName, type TaskQueueName } from '../shared.js';
import { WORKFLOWS_PATH } from './bundle.js';
import { TemporalEngine } from './engine.js';
import {
  createWorkerLogger,
  startMetricsServer,
  temporalLogger,
  workerMetricsConfig,
  workerRuntimeOptions,
  type MetricsServer,
} from './worker-observability.js';

/** Default server-side rate limit of registry calls, per second, across all workers. */
export const DEFAULT_REGISTRY_REQUESTS_PER_SECOND = 2;

export interface WorkerSetup {
  connection: NativeConnection;
  namespace?: string;
  activities: WorkflowActivities;
  /** Registry calls per second across every worker of the namespace. */
  registryRequestsPerSecond?: number;
  /** A prebuilt bundle (tests); otherwise the worker bundles `workflows.ts` at start-up. */
  workflowBundle?: WorkflowBundle;
}

/** The activities that run on `taskQueue`, per `ACTIVITY_ROUTES`. */
export function activitiesFor(
  taskQueue: TaskQueueName,
  activities: WorkflowActivities,
): Partial<WorkflowActivities> {
  const names = (Object.keys(ACTIVITY_ROUTES) as ActivityName[]).filter(
    (n) => ACTIVITY_ROUTES[n].taskQueue === taskQueue,
  );
  return Object.fromEntries(
    names.map((n) => [n, activities[n].bind(activities)]),
  ) as Partial<WorkflowActivities>;
}

/**
 * Creates the two workers (not yet running).
 *
 * @example const workers = await createWorkers({ connection, activities }); await runWorkers(workers);
 */
export async function createWorkers(setup: WorkerSetup): Promise<Worker[]> {
  const namespace = setup.namespace ?? 'default';
  const perSecond = setup.registryRequestsPerSecond ?? DEFAULT_REGISTRY_REQUESTS_PER_SECOND;
  if (!(perSecond > 0)) throw new RangeError(`registryRequestsPerSecond must be positive, got ${perSecond}`);
  const jobs = await Worker.create({
    connection: setup.connection,
    namespace,
    taskQueue: TASK_QUEUES.jobs,
    ...(setup.workflowBundle ? { workflowBundle: setup.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: activitiesFor(TASK_QUEUES.jobs, setup.activities),
  });
  const registries = await Worker.create({
    connection: setup.connection,
    namespace,
    taskQueue: TASK_QUEUES.registries,
    activities: activitiesFor(TASK_QUEUES.registries, setup.activities),
    maxTaskQueueActivitiesPerSecond: perSecond,
  });
  return [jobs, registries];
}

/** Runs the workers until shutdown (SIGINT/SIGTERM) or until one fails; then stops the others. */
export async function runWorkers(workers: Worker[]): Promise<void> {
  try {
    await Promise.all(workers.map((w) => w.run()));
  } finally {
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
  }
}

/** What the worker process hands `createActivities`. */
export interface WorkerActivityDeps {
  pool: pg.Pool;
  store: OperationStore;
  env: NodeJS.ProcessEnv;
  /** Enqueues webhook deliveries (the `notify` activity). */
  notify?: (event: OperationEvent) => Promise<void>;
  /** Import rows and report renders (`createJobMetrics` on the worker's registry). */
  metrics?: Pick<ActivityMetrics, 'importFinished' | 'reportRendered'>;
  /** Operations reaching a final status (`updateOperation`), for the finished/duration metrics. */
  onOperationFinished?: OperationFinished;
  /** A job changed a company's inputs: drop the API's cached green score (shared Redis cache). */
  onCompanyChanged?: (organizationId: string, companyId: string) => Promise<void>;
  /** A job changed a company's transactions: drop the API's cached cash-flow analytics. */
  onTransactionsChanged?: (organizationId: string, companyId: string) => Promise<void>;
  /** Publishes `alert.raised` (the notifier's `publish`). */
  publish?: (event: PublishedEvent) => Promise<unknown>;
  /** ALERT_DSCR_THRESHOLD, ALERT_NEGATIVE_MONTHS. */
  alerts?: Partial<AlertConfig>;
  /** Starts a tenant's `alert-evaluation` job through Temporal (the scheduled sweep). */
  startAlertEvaluation?: (organizationId: string, idempotencyKey: string) => Promise<unknown>;
}

/**
 * The worker's side of the API's derived-value cache. With `REDIS_URL` the API caches green scores
 * and cash-flow analytics in Redis, so the worker invalidates them there when enrichment, an import
 * or a recategorisation changes a company; without Redis each API process caches in memory, which
 * a separate worker cannot reach (run the Temporal deployment with `REDIS_URL`; docs/operations.md
 * says so).
 */
export function workerCacheInvalidation(
  env: NodeJS.ProcessEnv,
  redis: Redis | undefined,
):
  | {
      onCompanyChanged: (organizationId: string, companyId: string) => Promise<void>;
      onTransactionsChanged: (organizationId: string, companyId: string) => Promise<void>;
    }
  | undefined {
  if (!redis) return undefined;
  const ttlSeconds = Number(env.GREEN_SCORE_CACHE_TTL_SECONDS ?? 24 * 3600);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) {
    throw new Error(
      `GREEN_SCORE_CACHE_TTL_SECONDS must be a positive integer, got ${env.GREEN_SCORE_CACHE_TTL_SECONDS}`,
    );
  }
  const cache = new RedisGenerationalCache(
    redis,
    cacheRedisPrefix(env.REDIS_KEY_PREFIX ?? 'greenfin:'),
    ttlSeconds * 1000,
  );
  return {
    onCompanyChanged: (organizationId, companyId) =>
      cache.invalidate(greenScoreCacheKey(organizationId, companyId)),
    onTransactionsChanged: (organizationId, companyId) =>
      cache.invalidate(cashFlowCacheKey(organizationId, companyId)),
  };
}

/**
 * Alert thresholds from the environment (`ALERT_DSCR_THRESHOLD`, `ALERT_NEGATIVE_MONTHS`), the
 * variables the API reads too.
 *
 * @throws Error naming the variable when it is not a valid number.
 * @example alertConfigFromEnv({ ALERT_NEGATIVE_MONTHS: '4' }) // { negativeMonths: 4 }
 */
export function alertConfigFromEnv(env: Readonly<Record<string, string | undefined>>): Partial<AlertConfig> {
  const config: { -readonly [K in keyof AlertConfig]?: AlertConfig[K] } = {};
  if (env.ALERT_DSCR_THRESHOLD) {
    const v = Number(env.ALERT_DSCR_THRESHOLD);
    if (!Number.isFinite(v) || v < 0 || v > 100)
      throw new Error(`ALERT_DSCR_THRESHOLD must be a number from 0 to 100, got ${env.ALERT_DSCR_THRESHOLD}`);
    config.dscrThreshold = v;
  }
  if (env.ALERT_NEGATIVE_MONTHS) {
    const v = Number(env.ALERT_NEGATIVE_MONTHS);
    if (!Number.isInteger(v) || v < 1 || v > 120)
      throw new Error(
        `ALERT_NEGATIVE_MONTHS must be a whole number from 1 to 120, got ${env.ALERT_NEGATIVE_MONTHS}`,
      );
    config.negativeMonths = v;
  }
  return config;
}

/** The factory the activities module (`src/activities/index.ts`) must export as `createActivities`. */
export type ActivitiesFactory = (
  deps: WorkerActivityDeps,
) => WorkflowActivities | Promise<WorkflowActivities>;

/**
 * Loads `createActivities` from `src/activities/index.ts`. Imported by a computed specifier so
 * this module compiles before that one exists; the check below says what is missing.
 */
async function loadActivitiesFactory(): Promise<ActivitiesFactory> {
  const specifier = '../activities/index.js';
  let loaded: { createActivities?: unknown };
  try {
    loaded = (await import(specifier)) as { createActivities?: unknown };
  } catch (error) {
    throw new Error(`cannot load the activities module ${specifier} (src/activities/index.ts)`, {
      cause: error,
    });
  }
  if (typeof loaded.createActivities !== 'function') {
    throw new Error(`${specifier} must export createActivities(deps): WorkflowActivities`);
  }
  return loaded.createActivities as ActivitiesFactory;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is required to run the worker`);
  return value;
}

async function main(env: NodeJS.ProcessEnv): Promise<void> {
  const address = required(env, 'TEMPORAL_ADDRESS');
  const log = createWorkerLogger(env);
  const metricsConfig = workerMetricsConfig(env);
  // Before any connection or worker: the SDK logs through pino and exports its own metrics.
  Runtime.install(workerRuntimeOptions(metricsConfig, temporalLogger(log)));
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const jobMetrics = createJobMetrics(registry);
  let metricsServer: MetricsServer | undefined;
  if (metricsConfig.appPort !== null) {
    metricsServer = await startMetricsServer(registry, {
      host: metricsConfig.host,
      port: metricsConfig.appPort,
    });
  }
  log.info(
    {
      temporalMetrics:
        metricsConfig.temporalPort === null ? null : `${metricsConfig.host}:${metricsConfig.temporalPort}`,
      jobMetrics: metricsServer ? `${metricsConfig.host}:${metricsServer.port}` : null,
    },
    'worker metrics endpoints',
  );
  const pool = new pg.Pool({ connectionString: required(env, 'DATABASE_URL') });
  const store = new OperationStore(pool);
  const perSecond = env.REGISTRY_REQUESTS_PER_SECOND ? Number(env.REGISTRY_REQUESTS_PER_SECOND) : undefined;
  if (perSecond !== undefined && !(perSecond > 0)) {
    throw new Error(
      `REGISTRY_REQUESTS_PER_SECOND must be a positive number, got ${env.REGISTRY_REQUESTS_PER_SECOND}`,
    );
  }
  const createActivities = await loadActivitiesFactory(); // fail fast, before connecting
  const alerts = alertConfigFromEnv(env);
  const alertIntervalMs = alertEvaluationIntervalFromEnv(env);
  const namespace = env.TEMPORAL_NAMESPACE ?? 'default';
  const connection = await NativeConnection.connect({ address });
  // A client of our own: the alert sweep starts jobs, and the schedule is created at start-up.
  const clientConnection = await Connection.connect({ address });
  const client = new Client({ connection: clientConnection, namespace });
  const engine = new TemporalEngine({ client, store });
  const schedule = await ensureAlertSweepSchedule(client.schedule, alertIntervalMs);
  log.info({ schedule, intervalMs: alertIntervalMs }, 'alert evaluation schedule');
  // `notify` runs here: it only enqueues (BullMQ with REDIS_URL; else the API's loop picks rows up).
  const webhooks = createEnqueueOnlyDispatcher({
    pool,
    redisUrl: env.REDIS_URL ?? null,
    redisPrefix: `${env.REDIS_KEY_PREFIX ?? 'greenfin:'}bull`,
  });
  const notifier = createWebhookNotifier({ pool, dispatcher: webhooks });
  const cacheRedis = env.REDIS_URL ? new Redis(env.REDIS_URL) : undefined;
  const invalidation = workerCacheInvalidation(env, cacheRedis);
  try {
    const activities = await createActivities({
      pool,
      store,
      env,
      notify: (event) => notifier.notify(event),
      publish: (event) => notifier.publish(event),
      alerts,
      startAlertEvaluation: (organizationId, idempotencyKey) =>
        engine.start('alert-evaluation', {}, { organizationId, idempotencyKey }),
      metrics: jobMetrics,
      onOperationFinished: jobMetrics.operationFinished,
      ...invalidation,
    });
    const workers = await createWorkers({
      connection,
      namespace,
      activities,
      ...(perSecond !== undefined && { registryRequestsPerSecond: perSecond }),
    });
    log.info({ namespace: env.TEMPORAL_NAMESPACE ?? 'default', address }, 'workers running');
    await runWorkers(workers);
  } finally {
    await connection.close();
    await clientConnection.close();
    await webhooks.close();
    cacheRedis?.disconnect();
    await pool.end();
    await metricsServer?.close();
    log.info('worker stopped');
  }
}

const isEntryPoint =
  process.argv[1] !== undefined && pathToFileURL(resolve(process.argv[1])).href === import.meta.url;
if (isEntryPoint) {
  main(process.env).catch((error: unknown) => {
    createWorkerLogger({ LOG_LEVEL: 'error' }).error({ err: error }, 'worker failed');
    process.exitCode = 1;
  });
}
