/**
 * @greenfin/workflows — long jobs (registry enrichment, dataset imports, PDF reports) as Temporal
 * workflows or on the in-process engine. The API imports the engine and shared types from here.
 */
export * from './registries/index.js';
export * from './imports/datasets/index.js';
export * from './reports/index.js';
export * from './shared.js';
export * from './engine.js';
export * from './flows/index.js';
export { InProcessEngine, type InProcessEngineOptions, type EngineLogger } from './in-process/engine.js';
export {
  openInProcessEngine,
  type OpenInProcessEngineOptions,
  type OpenedEngine,
} from './in-process/open.js';
export { type ActivityDeps, type ActivitySet } from './activities/index.js';
export {
  TemporalEngine,
  type TemporalEngineOptions,
  type TemporalConnectOptions,
} from './temporal/engine.js';
export {
  runCheckpointed,
  type CheckpointStep,
  type CheckpointedOptions,
} from './temporal/checkpointed-activity.js';
export {
  OperationStore,
  type NewOperation,
  type OperationListQuery,
  type OperationPage,
  type OperationStoreOptions,
} from './operations/store.js';
export { isFinal, type Operation } from './operations/operation.js';
export {
  createOperationActivities,
  OperationNotFoundError,
  OperationClosedError,
  type OperationActivityDeps,
} from './operations/activities.js';
export { WORKFLOW_MIGRATIONS, type SqlMigration } from './db/migrations.js';
export { applyMigrations, revertMigrations, MIGRATIONS_TABLE } from './db/apply.js';
export * from './activities/imports/index.js';
export * from './webhooks/index.js';
export * from './cash-flow/index.js';
export {
  runHousekeeping,
  startHousekeeping,
  HOUSEKEEPING_LOCK_KEY,
  type Housekeeper,
  type HousekeepingDeps,
  type HousekeepingResult,
} from './maintenance/housekeeping.js';
export {
  type GenerationalCache,
  MemoryGenerationalCache,
  RedisGenerationalCache,
  greenScoreCacheKey,
  cashFlowCacheKey,
  cacheRedisPrefix,
} from './cache/generational-cache.js';
export {
  createJobMetrics,
  noMetrics,
  JOB_METRIC_NAMES,
  type ActivityMetrics,
  type JobMetrics,
  type OperationFinished,
  type OperationOutcome,
  type WebhookDeliveryOutcome,
} from './observability/metrics.js';
export {
  SECRET_LOG_PATHS,
  scrubSecrets,
  scrubLogObject,
  secretSafeLogOptions,
} from './observability/logging.js';
