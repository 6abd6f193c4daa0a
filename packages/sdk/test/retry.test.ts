/** Retries of idempotent requests, proven against a local server that answers as scripted. */
import { afterEach, describe, expect, it } from 'vitest';
import { createGreenfinClient, type GreenfinClientOptions } from '../src/index.js';
import { backoffDelay, DEFAULT_RETRY_POLICY, isRetryable } from '../src/retry.js';
import { parseRetryAfter, sleep } from '../src/timing.js';
import { gaps, problem, type Reply, scriptedServer, type ScriptedServer } from './support/scripted-server.js';

let server: ScriptedServer | undefined;
afterEach(() => server?.close());

const page = { items: [], nextCursor: null };
const unavailable = (retryAfter?: string): Reply => ({
  status: 503,
  headers: retryAfter === undefined ? {} : { 'Retry-After': retryAfter },
  body: problem(503, 'Service Unavailable'),
});

async function clientFor(reply: (n: number) => Reply, options: Partial<GreenfinClientOptions> = {}) {
  server = await scriptedServer((_req, n) => reply(n));
  return createGreenfinClient({
    baseUrl: server.baseUrl,
    apiKey: 'gfk_test',
    ...options,
  } as GreenfinClientOptions);
}

describe('retries', () => {
  it('retries a GET after a 503, waiting the Retry-After, with the same request id and credentials', async () => {
    const client = await clientFor((n) => (n === 0 ? unavailable('1') : { status: 200, body: page }));
    const started = performance.now();
    const { data, error, response } = await client.GET('/v1/companies');
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data).toEqual(page);
    const seen = server!.seen;
    expect(seen).toHaveLength(2);
    expect(gaps(seen)[0]).toBeGreaterThanOrEqual(950);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(seen[1]!.headers['x-request-id']).toBe(seen[0]!.headers['x-request-id']);
    expect(seen.map((s) => s.headers.authorization)).toEqual(['Bearer gfk_test', 'Bearer gfk_test']);
  });

  it('retries on 429 too', async () => {
    const client = await clientFor((n) =>
      n === 0
        ? { status: 429, headers: { 'Retry-After': '0' }, body: problem(429, 'Too Many Requests') }
        : { status: 200, body: page },
    );
    expect((await client.GET('/v1/companies')).data).toEqual(page);
    expect(server!.seen).toHaveLength(2);
  });

  it('retries a network error (the connection dropped)', async () => {
    const client = await clientFor(
      (n) => (n === 0 ? { status: 0, drop: true } : { status: 200, body: page }),
      {
        retries: { baseDelayMs: 10 },
      },
    );
    expect((await client.GET('/v1/companies')).data).toEqual(page);
    expect(server!.seen).toHaveLength(2);
  });

  it('does not retry a POST without an Idempotency-Key: the 503 comes back as { error }', async () => {
    const client = await clientFor((n) => (n === 0 ? unavailable('0') : { status: 201, body: { id: 'x' } }));
    const { data, error, response } = await client.POST('/v1/companies', {
      body: { jurisdiction: 'gb', companyNumber: '1', name: 'A', sicCodes: ['25210'] },
    });
    expect(data).toBeUndefined();
    expect(response.status).toBe(503);
    expect(error).toMatchObject({ status: 503 });
    expect(server!.seen).toHaveLength(1);
  });

  it('retries a POST carrying an Idempotency-Key, re-sending the same body and key', async () => {
    const client = await clientFor((n) =>
      n === 0 ? unavailable('0') : { status: 201, body: { id: 'sim' } },
    );
    const body = {
      companyId: '0193a0c4-3f5e-7a52-9d1e-6f0c2b7a4e11',
      principal: { amount: '1000.00', currency: 'GBP' as const },
      termMonths: 12,
    };
    const { data } = await client.POST('/v1/loan-simulations', {
      params: { header: { 'Idempotency-Key': 'key-1' } },
      body,
    });
    expect(data).toEqual({ id: 'sim' });
    const seen = server!.seen;
    expect(seen).toHaveLength(2);
    expect(seen.map((s) => JSON.parse(s.body) as unknown)).toEqual([body, body]);
    expect(seen.map((s) => s.headers['idempotency-key'])).toEqual(['key-1', 'key-1']);
  });

  it('gives up after the limit and returns the last answer as { error }, without throwing', async () => {
    const client = await clientFor(() => unavailable('0'), { retries: 2 });
    const { error, response } = await client.GET('/v1/companies');
    expect(response.status).toBe(503);
    expect(error).toMatchObject({ status: 503, title: 'Service Unavailable' });
    expect(server!.seen).toHaveLength(3);
  });

  it('rethrows a network error that outlives the retries', async () => {
    const client = await clientFor(() => ({ status: 0, drop: true }), {
      retries: { limit: 1, baseDelayMs: 1 },
    });
    await expect(client.GET('/v1/companies')).rejects.toThrow(TypeError);
    expect(server!.seen).toHaveLength(2);
  });

  it('retries: 0 sends once', async () => {
    const client = await clientFor(() => unavailable('0'), { retries: 0 });
    expect((await client.GET('/v1/companies')).response.status).toBe(503);
    expect(server!.seen).toHaveLength(1);
  });

  it('without Retry-After backs off exponentially, capped', async () => {
    const client = await clientFor(() => unavailable(), {
      retries: { limit: 3, baseDelayMs: 80, maxDelayMs: 1_000 },
    });
    await client.GET('/v1/companies');
    const [first, second, third] = gaps(server!.seen) as [number, number, number];
    // Equal jitter: retry k waits between half and all of 80·2^k ms.
    expect(first).toBeGreaterThanOrEqual(40 - 5);
    expect(second).toBeGreaterThanOrEqual(80 - 5);
    expect(third).toBeGreaterThanOrEqual(160 - 5);
    expect(third).toBeGreaterThan(first);

    await server!.close();
    // Uncapped, a 5 s base would wait at least 2.5 s.
    const capped = await clientFor(() => unavailable(), {
      retries: { limit: 3, baseDelayMs: 5_000, maxDelayMs: 60 },
    });
    await capped.GET('/v1/companies');
    expect(Math.max(...gaps(server!.seen))).toBeLessThan(1_000);
  });

  it('does not wait out a Retry-After beyond maxRetryAfterMs: the 429 comes back at once', async () => {
    const client = await clientFor(() => ({
      status: 429,
      headers: { 'Retry-After': '120' },
      body: problem(429, 'Too Many Requests'),
    }));
    const started = performance.now();
    const { response } = await client.GET('/v1/companies');
    expect(response.status).toBe(429);
    expect(response.headers.get('Retry-After')).toBe('120');
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(server!.seen).toHaveLength(1);
  });

  it('an abort while waiting to retry rejects at once with an AbortError', async () => {
    const client = await clientFor((n) => (n === 0 ? unavailable('30') : { status: 200, body: page }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const error = await client.GET('/v1/companies', { signal: controller.signal }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(server!.seen).toHaveLength(1);
  });
});

describe('retry rules', () => {
  it('retries GET, HEAD, PUT, DELETE and keyed POSTs only', () => {
    const req = (method: string, headers: Record<string, string> = {}) =>
      new Request('http://x.invalid/', { method, headers });
    expect(['GET', 'HEAD', 'PUT', 'DELETE'].map((m) => isRetryable(req(m)))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(isRetryable(req('POST'))).toBe(false);
    expect(isRetryable(req('PATCH'))).toBe(false);
    expect(isRetryable(req('POST', { 'Idempotency-Key': 'k' }))).toBe(true);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Tue, 01 Dec 2026 12:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('Tue, 01 Dec 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('backs off between half and all of base·2^retry, never past the cap', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect([0, 1, 2, 3].map((k) => backoffDelay(policy, k, () => 0))).toEqual([50, 100, 200, 400]);
    expect([0, 1, 2, 3].map((k) => backoffDelay(policy, k, () => 1))).toEqual([100, 200, 400, 800]);
    expect(backoffDelay(policy, 10, () => 1)).toBe(1_000);
  });
});

describe('timers', () => {
  it('a sleep longer than setTimeout can count waits instead of firing at once', async () => {
    const controller = new AbortController();
    let settled = false;
    const sleeping = sleep(30 * 24 * 3_600_000, controller.signal).then(
      () => (settled = true),
      () => 'aborted',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(settled).toBe(false);
    controller.abort();
    expect(await sleeping).toBe('aborted');
  });
});
