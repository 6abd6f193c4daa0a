import { randomBytes } from 'node:crypto';
import { ecotechExample, greenScore, toDecimalString } from '@greenfin/core';
import { Redis } from 'ioredis';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import {
  type GenerationalCache,
  MemoryGenerationalCache,
  RedisGenerationalCache,
} from '../src/cache/generational-cache.js';
import { createLogger } from '../src/logger.js';
import { call } from './support/client.js';
import { createCompany, createTenant, type Tenant } from './support/fixtures.js';
import { startTestApi, type TestApi } from './support/harness.js';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

let api: TestApi;
let tenant: Tenant;
beforeAll(async () => {
  api = await startTestApi();
  tenant = await createTenant(api);
});
afterAll(() => api.close());

/** EcoTech's metrics as the API takes them. */
const ecotechMetrics = ecotechExample.metrics.map((m) => ({
  year: m.year,
  energyMwh: m.energyMwh,
  scope1Tco2e: m.scope1Tco2e,
  scope2Tco2e: m.scope2Tco2e,
  scope3Tco2e: m.scope3Tco2e,
  revenue: { amount: toDecimalString(m.revenue), currency: m.revenue.currency },
  renewableShare: m.renewableShare,
  verified: m.verified,
  pcafDataQuality: m.pcafDataQuality,
}));
const ecotechTarget = { status: 'set', ...ecotechExample.target };

async function ecotech(overrides: Record<string, unknown> = {}): Promise<string> {
  const id = await createCompany(api, tenant.tokens.analyst, {
    sicCodes: [...ecotechExample.company.sicCodes],
    emissionsTarget: ecotechTarget,
    ...overrides,
  });
  for (const body of ecotechMetrics) {
    const res = await call(api, 'post', `/v1/companies/${id}/metrics`, {
      token: tenant.tokens.analyst,
      body,
    });
    expect(res.status).toBe(201);
  }
  return id;
}

const score = (id: string, query = '') =>
  call(api, 'get', `/v1/companies/${id}/green-score${query}`, { token: tenant.tokens.viewer });

describe('GET /v1/companies/{id}/green-score', () => {
  it('is core’s greenScore of the stored SIC codes, metrics and target, with explanations', async () => {
    const id = await ecotech();
    const res = await score(id);
    expect(res.status).toBe(200);
    const expected = greenScore({
      sicCodes: ecotechExample.company.sicCodes,
      metrics: ecotechExample.metrics,
      target: ecotechExample.target,
    });
    expect(res.body).toMatchObject({
      companyId: id,
      score: expected.score,
      band: expected.band,
      confidence: expected.confidence,
      methodologyVersion: expected.methodologyVersion,
    });
    expect(res.body.components).toEqual(JSON.parse(JSON.stringify(expected.components)));
    expect(res.body.warnings).toEqual([]);
    expect(res.body.inputs.target).toEqual(ecotechExample.target);
    for (const c of res.body.components) expect(c.explanation.length).toBeGreaterThan(20);
  });

  it('is cached per company: miss, then hit with the same computedAt', async () => {
    const id = await ecotech();
    const first = await score(id);
    const second = await score(id);
    expect(first.headers['x-cache']).toBe('miss');
    expect(second.headers['x-cache']).toBe('hit');
    expect(second.body).toEqual(first.body);
  });

  it('changing metrics, the target or the SIC codes drops the cached score', async () => {
    const id = await ecotech();
    await score(id);
    expect((await score(id)).headers['x-cache']).toBe('hit');

    // Metrics: renewables of 2024 up from 42 % to 100 % → more points.
    const before = (await score(id)).body;
    const put = await call(api, 'put', `/v1/companies/${id}/metrics/2024`, {
      token: tenant.tokens.analyst,
      body: { ...ecotechMetrics[2], year: undefined, renewableShare: 1 },
    });
    expect(put.status).toBe(200);
    const afterMetrics = await score(id);
    expect(afterMetrics.headers['x-cache']).toBe('miss');
    expect(afterMetrics.body.score).toBeGreaterThan(before.score);

    // Target: none → the target component scores 0 and warns no_target.
    const patched = await call(api, 'patch', `/v1/companies/${id}`, {
      token: tenant.tokens.analyst,
      body: { emissionsTarget: { status: 'none' } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.emissionsTarget).toEqual({ status: 'none' });
    const afterTarget = await score(id);
    expect(afterTarget.headers['x-cache']).toBe('miss');
    expect(afterTarget.body.warnings.map((w: { code: string }) => w.code)).toContain('no_target');
    expect(afterTarget.body.components.find((c: { id: string }) => c.id === 'target-ambition').points).toBe(
      0,
    );

    // Deleting a year drops it too.
    expect((await score(id)).headers['x-cache']).toBe('hit');
    const del = await call(api, 'delete', `/v1/companies/${id}/metrics/2022`, { token: tenant.tokens.admin });
    expect(del.status).toBe(204);
    const afterDelete = await score(id);
    expect(afterDelete.headers['x-cache']).toBe('miss');
    expect(afterDelete.body.inputs.baseYear).toBeNull();
  });

  it('a deleted company’s cached score is gone: 404', async () => {
    const id = await ecotech();
    await score(id);
    expect((await call(api, 'delete', `/v1/companies/${id}`, { token: tenant.tokens.admin })).status).toBe(
      204,
    );
    const res = await score(id);
    expect(res.status).toBe(404);
    expect(res.body.type).toBe('/problems/not-found');
  });

  it('an unknown target is a warning, not a crash; no metrics at all still answers', async () => {
    const bare = await createCompany(api, tenant.tokens.analyst, { sicCodes: ['25210'] });
    const res = await score(bare);
    expect(res.status).toBe(200);
    const codes = res.body.warnings.map((w: { code: string }) => w.code);
    expect(codes).toEqual(expect.arrayContaining(['no_metrics', 'missing_target']));
    expect(res.body.confidence).toBeLessThan(0.6);
  });

  it('asOfYear is a separate cached answer; stale data is flagged', async () => {
    const id = await ecotech();
    const latest = await score(id);
    const later = await score(id, '?asOfYear=2030');
    expect(later.headers['x-cache']).toBe('miss');
    expect(later.body.inputs.asOfYear).toBe(2030);
    expect(later.body.warnings.map((w: { code: string }) => w.code)).toContain('stale_metrics');
    expect(later.body.confidence).toBeLessThan(latest.body.confidence);
    expect((await score(id, '?asOfYear=2030')).headers['x-cache']).toBe('hit');
    expect((await score(id, '?asOfYear=abc')).status).toBe(400);
  });
});

describe('company emissions target and balance sheet', () => {
  it('round-trip through create, PATCH and GET', async () => {
    const balanceSheet = {
      basis: 'equity-plus-debt',
      equity: { amount: '2100000.00', currency: 'GBP' },
      debt: { amount: '900000.00', currency: 'GBP' },
    };
    const id = await createCompany(api, tenant.tokens.analyst, {
      emissionsTarget: ecotechTarget,
      balanceSheet,
    });
    const got = await call(api, 'get', `/v1/companies/${id}`, { token: tenant.tokens.viewer });
    expect(got.body.emissionsTarget).toEqual(ecotechTarget);
    expect(got.body.balanceSheet).toEqual(balanceSheet);
    const evic = { basis: 'evic', evic: { amount: '12000000.00', currency: 'GBP' } };
    const patched = await call(api, 'patch', `/v1/companies/${id}`, {
      token: tenant.tokens.analyst,
      body: { balanceSheet: evic },
    });
    expect(patched.body.balanceSheet).toEqual(evic);
    expect(patched.body.emissionsTarget).toEqual(ecotechTarget);
    const cleared = await call(api, 'patch', `/v1/companies/${id}`, {
      token: tenant.tokens.analyst,
      body: { balanceSheet: null, emissionsTarget: { status: 'unknown' } },
    });
    expect(cleared.body).toMatchObject({ balanceSheet: null, emissionsTarget: { status: 'unknown' } });
    const fresh = await createCompany(api, tenant.tokens.analyst);
    const plain = await call(api, 'get', `/v1/companies/${fresh}`, { token: tenant.tokens.viewer });
    expect(plain.body).toMatchObject({ balanceSheet: null, emissionsTarget: { status: 'unknown' } });
  });

  it('rejects bad figures with a problem naming the field', async () => {
    const id = await createCompany(api, tenant.tokens.analyst);
    const patch = (body: unknown) =>
      call(api, 'patch', `/v1/companies/${id}`, { token: tenant.tokens.analyst, body });
    const backwards = await patch({ emissionsTarget: { ...ecotechTarget, targetYear: 2020 } });
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors[0].pointer).toBe('#/emissionsTarget/targetYear');
    const tooMuch = await patch({ emissionsTarget: { ...ecotechTarget, reduction: 1.2 } });
    expect(tooMuch.body.errors[0].pointer).toBe('#/emissionsTarget/reduction');

    const mixed = await patch({
      balanceSheet: {
        basis: 'equity-plus-debt',
        equity: { amount: '100.00', currency: 'GBP' },
        debt: { amount: '100.00', currency: 'EUR' },
      },
    });
    expect(mixed.status).toBe(422);
    expect(mixed.body.errors).toEqual([
      expect.objectContaining({ pointer: '#/balanceSheet/debt/currency', code: 'currency_mismatch' }),
    ]);
    const pennies = await patch({
      balanceSheet: { basis: 'evic', evic: { amount: '1.234', currency: 'GBP' } },
    });
    expect(pennies.status).toBe(422);
    expect(pennies.body.errors[0].pointer).toBe('#/balanceSheet/evic/amount');
    const nothing = await patch({
      balanceSheet: {
        basis: 'equity-plus-debt',
        equity: { amount: '-5.00', currency: 'GBP' },
        debt: { amount: '0.00', currency: 'GBP' },
      },
    });
    expect(nothing.status).toBe(422);
    const unchanged = await call(api, 'get', `/v1/companies/${id}`, { token: tenant.tokens.viewer });
    expect(unchanged.body.version).toBe(1);
  });
});

/** The invalidation race every delete-on-change cache has, for both implementations. */
function cacheContract(
  name: string,
  make: () => Promise<{ cache: GenerationalCache; done: () => Promise<void> }>,
) {
  describe(`${name} generational cache`, () => {
    it('hits after a set, misses after an invalidation, and refuses a write read before it', async () => {
      const { cache, done } = await make();
      const first = await cache.get('k', 'f');
      expect(first.value).toBeUndefined();
      await cache.set('k', 'f', 'v1', first.generation);
      expect((await cache.get('k', 'f')).value).toBe('v1');

      const stale = await cache.get('k', 'g');
      await cache.invalidate('k');
      expect((await cache.get('k', 'f')).value).toBeUndefined();
      // Computed from inputs read before the invalidation: must not be stored.
      await cache.set('k', 'g', 'stale', stale.generation);
      expect((await cache.get('k', 'g')).value).toBeUndefined();
      const fresh = await cache.get('k', 'g');
      await cache.set('k', 'g', 'fresh', fresh.generation);
      expect((await cache.get('k', 'g')).value).toBe('fresh');
      expect((await cache.get('other', 'g')).value).toBeUndefined();
      await done();
    });
  });
}

cacheContract('in-process', async () => ({
  cache: new MemoryGenerationalCache(60_000),
  done: async () => {},
}));

cacheContract('Redis', async () => {
  const redis = new Redis(redisUrl);
  const prefix = `greenfin-test-${randomBytes(6).toString('hex')}:`;
  return {
    cache: new RedisGenerationalCache(redis, prefix, 60_000),
    done: async () => {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    },
  };
});

describe('two API processes sharing Redis', () => {
  it('share cached scores and see each other’s invalidations', async () => {
    const redis = new Redis(redisUrl);
    const prefix = `greenfin-test-${randomBytes(6).toString('hex')}:`;
    const second = createApp({
      config: api.config,
      orm: api.orm,
      pool: api.pool,
      jobs: api.jobs,
      logger: createLogger('silent'),
      cache: new RedisGenerationalCache(redis, prefix, 60_000),
    });
    const first = createApp({
      config: api.config,
      orm: api.orm,
      pool: api.pool,
      jobs: api.jobs,
      logger: createLogger('silent'),
      cache: new RedisGenerationalCache(redis, prefix, 60_000),
    });
    const id = await ecotech();
    const get = (app: typeof first) =>
      supertest(app.callback())
        .get(`/v1/companies/${id}/green-score`)
        .set('Authorization', `Bearer ${tenant.tokens.viewer}`);
    expect((await get(first)).headers['x-cache']).toBe('miss');
    expect((await get(second)).headers['x-cache']).toBe('hit');
    const put = await supertest(second.callback())
      .put(`/v1/companies/${id}/metrics/2024`)
      .set('Authorization', `Bearer ${tenant.tokens.analyst}`)
      .send({ ...ecotechMetrics[2], year: undefined, verified: false });
    expect(put.status).toBe(200);
    const after = await get(first);
    expect(after.headers['x-cache']).toBe('miss');
    expect(after.body.components.find((c: { id: string }) => c.id === 'verification').points).toBe(0);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });
});
