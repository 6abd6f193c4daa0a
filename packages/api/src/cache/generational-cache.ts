/**
 * The derived-value cache lives in @greenfin/workflows, so the Temporal worker can invalidate what
 * the API caches; re-exported here for the API's modules.
 */
export {
  type GenerationalCache,
  MemoryGenerationalCache,
  RedisGenerationalCache,
  greenScoreCacheKey,
  cashFlowCacheKey,
  cacheRedisPrefix,
} from '@greenfin/workflows';
