import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryRateLimitStore, RedisRateLimitStore } from '../src/http/rate-limit.js';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
const prefix = `greenfin:test:${randomBytes(6).toString('hex')}:`;

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

describe.each([
  ['in-process', () => new MemoryRateLimitStore()],
  ['Redis', () => new RedisRateLimitStore(redis, prefix)],
])('%s rate-limit store', (_name, makeStore) => {
  it('counts hits per key within a window and tells when it resets', async () => {
    const store = makeStore();
    const counts = [];
    for (let i = 0; i < 3; i++) counts.push((await store.hit('client-a', 60_000)).count);
    expect(counts).toEqual([1, 2, 3]);
    expect((await store.hit('client-b', 60_000)).count).toBe(1);
    const { resetMs } = await store.hit('client-a', 60_000);
    expect(resetMs).toBeGreaterThan(0);
    expect(resetMs).toBeLessThanOrEqual(60_000);
  });

  it('starts a new window after the old one ends', async () => {
    const store = makeStore();
    await store.hit('client-c', 50);
    await store.hit('client-c', 50);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect((await store.hit('client-c', 50)).count).toBe(1);
  });
});
