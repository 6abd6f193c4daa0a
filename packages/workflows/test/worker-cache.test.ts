/**
 * The Temporal worker runs enrichment and imports in another process than the API, so it must
 * invalidate the API's cached green scores in the shared Redis cache (real Redis on 127.0.0.1).
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cacheRedisPrefix,
  cashFlowCacheKey,
  greenScoreCacheKey,
  RedisGenerationalCache,
} from '../src/cache/generational-cache.js';
import { workerCacheInvalidation } from '../src/temporal/worker.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `greenfin-test-${randomUUID()}:`;
let redis: Redis;

beforeAll(() => {
  redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe('worker cache invalidation', () => {
  it('drops the score the API cached in Redis, and refuses a write computed before the change', async () => {
    // The API's cache, as packages/api/src/main.ts builds it.
    const apiCache = new RedisGenerationalCache(redis, cacheRedisPrefix(prefix), 60_000);
    const key = greenScoreCacheKey('org-1', 'co-1');
    const before = await apiCache.get(key, 'v1:2024');
    await apiCache.set(key, 'v1:2024', '{"score":71}', before.generation);
    expect((await apiCache.get(key, 'v1:2024')).value).toBe('{"score":71}');
    const stale = await apiCache.get(key, 'v1:2024'); // an API request mid-computation

    const worker = workerCacheInvalidation({ REDIS_KEY_PREFIX: prefix }, redis);
    expect(worker?.onCompanyChanged).toBeTypeOf('function');
    const invalidate = worker!.onCompanyChanged;
    await invalidate('org-1', 'co-1');

    expect((await apiCache.get(key, 'v1:2024')).value).toBeUndefined();
    await apiCache.set(key, 'v1:2024', '{"score":71}', stale.generation);
    expect((await apiCache.get(key, 'v1:2024')).value).toBeUndefined();
    // Another company's score is untouched.
    const other = greenScoreCacheKey('org-1', 'co-2');
    await apiCache.set(other, 'v1:2024', '{"score":50}', (await apiCache.get(other, 'v1:2024')).generation);
    await invalidate('org-1', 'co-1');
    expect((await apiCache.get(other, 'v1:2024')).value).toBe('{"score":50}');
  });

  it('drops the cash-flow analytics when a job changed the transactions, leaving the score', async () => {
    const apiCache = new RedisGenerationalCache(redis, cacheRedisPrefix(prefix), 60_000);
    const flows = cashFlowCacheKey('org-2', 'co-1');
    const score = greenScoreCacheKey('org-2', 'co-1');
    await apiCache.set(
      flows,
      'cf1:month',
      '{"periods":[]}',
      (await apiCache.get(flows, 'cf1:month')).generation,
    );
    await apiCache.set(score, 'v1', '{"score":60}', (await apiCache.get(score, 'v1')).generation);
    await workerCacheInvalidation({ REDIS_KEY_PREFIX: prefix }, redis)!.onTransactionsChanged(
      'org-2',
      'co-1',
    );
    expect((await apiCache.get(flows, 'cf1:month')).value).toBeUndefined();
    expect((await apiCache.get(score, 'v1')).value).toBe('{"score":60}');
  });

  it('is absent without Redis, and names a bad TTL variable', () => {
    expect(workerCacheInvalidation({}, undefined)).toBeUndefined();
    expect(() => workerCacheInvalidation({ GREEN_SCORE_CACHE_TTL_SECONDS: 'soon' }, redis)).toThrow(
      /GREEN_SCORE_CACHE_TTL_SECONDS must be a positive integer, got soon/,
    );
  });
});
