import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './support/client.js';
import { createTenant } from './support/fixtures.js';
import { startTestApi, type TestApi } from './support/harness.js';

const redocly = fileURLToPath(new URL('../../../node_modules/.bin/redocly', import.meta.url));

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

describe('operations', () => {
  it('GET /healthz answers ok', async () => {
    const res = await call(api, 'get', '/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('GET /readyz checks the database and that every migration is applied', async () => {
    const res = await call(api, 'get', '/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'ready',
      checks: { database: 'ok', migrations: 'ok' },
      pendingMigrations: [],
    });
  });

  it('GET /metrics exposes request durations by route template, in-flight and errors', async () => {
    await call(api, 'get', '/v1/companies/00000000-0000-4000-8000-000000000000');
    const res = await call(api, 'get', '/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('http_request_duration_seconds_bucket');
    expect(res.text).toContain('route="/v1/companies/{id}"');
    expect(res.text).toContain('http_requests_in_flight');
    expect(res.text).toContain(
      'http_request_errors_total{method="GET",route="/v1/companies/{id}",status="401"} 1',
    );
  });
});

describe('the OpenAPI document', () => {
  it('has exactly one operation per router route, and the other way round', () => {
    const routes = new Set(
      api.app.router.stack.flatMap((layer) =>
        layer.methods
          .filter((m) => m !== 'HEAD')
          .map(
            (m) =>
              // `\\:` is a literal colon (`{id}:cancel`), not a parameter.
              `${m} ${String(layer.path)
                .replaceAll('\\:', '\u0000')
                .replace(/:(\w+)/g, '{$1}')
                .replaceAll('\u0000', ':')}`,
          ),
      ),
    );
    const doc = api.app.openapi();
    const operations = new Set(
      Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
        Object.keys(item as object).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );
    expect(routes.size).toBeGreaterThan(20);
    expect([...routes].sort()).toEqual([...operations].sort());
  });

  it('documents problem responses on every operation and auth on every non-public one', () => {
    const doc = api.app.openapi();
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      for (const [method, op] of Object.entries(
        item as Record<string, { responses: Record<string, unknown>; security?: unknown[] }>,
      )) {
        expect(op.responses['500'], `${method} ${path}`).toBeDefined();
        if (op.security?.length) expect(op.responses['401'], `${method} ${path}`).toBeDefined();
      }
    }
  });

  it('is served at /openapi.json and passes `redocly lint`', async () => {
    const res = await call(api, 'get', '/openapi.json');
    expect(res.body.openapi).toBe('3.1.0');
    const dir = await mkdtemp(join(tmpdir(), 'greenfin-openapi-'));
    await writeFile(join(dir, 'openapi.json'), JSON.stringify(res.body));
    await writeFile(join(dir, 'redocly.yaml'), 'extends:\n  - recommended\n');
    const run = await promisify(execFile)(
      redocly,
      ['lint', '--config', join(dir, 'redocly.yaml'), join(dir, 'openapi.json')],
      {
        cwd: dir,
      },
    ).then(
      (ok) => ({ code: 0, out: ok.stdout + ok.stderr }),
      (failed: { code: number; stdout: string; stderr: string }) => ({
        code: failed.code,
        out: failed.stdout + failed.stderr,
      }),
    );
    expect(run.out).toContain('Your API description is valid');
    expect(run.out).not.toMatch(/You have \d+ warning|\d+ error/i);
    expect(run.code).toBe(0);
  }, 60_000);

  it('serves the Scalar reference at /docs from node_modules, no CDN', async () => {
    const page = await call(api, 'get', '/docs');
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('src="/docs/scalar.js"');
    expect(page.text).not.toMatch(/https?:\/\//);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self' 'sha256-/);
    const script = await call(api, 'get', '/docs/scalar.js');
    expect(script.status).toBe(200);
    expect(script.text.length).toBeGreaterThan(1_000_000);
    const again = await api.http.get('/docs/scalar.js').set('If-None-Match', script.headers.etag ?? '');
    expect(again.status).toBe(304);
  });
});

describe('HTTP behaviour', () => {
  it('answers an unknown route with a 404 problem', async () => {
    const res = await call(api, 'get', '/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: '/problems/not-found',
      status: 404,
      instance: '/v1/nothing-here',
    });
  });

  it('answers a wrong method with a 405 problem and an Allow header', async () => {
    const res = await api.http.put('/healthz');
    expect(res.status).toBe(405);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers.allow).toContain('GET');
  });

  it('echoes a sane X-Request-Id and mints one otherwise', async () => {
    const mine = await api.http.get('/healthz').set('X-Request-Id', 'lender-req-42');
    expect(mine.headers['x-request-id']).toBe('lender-req-42');
    const odd = await api.http.get('/healthz').set('X-Request-Id', 'bad id with spaces');
    expect(odd.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends security headers', async () => {
    const res = await api.http.get('/healthz');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('allows CORS only for configured origins', async () => {
    const allowed = await api.http
      .options('/v1/companies')
      .set('Origin', 'https://lender.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(allowed.status).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://lender.example');
    expect(allowed.headers['access-control-allow-headers']).toContain('Idempotency-Key');
    const other = await api.http.get('/healthz').set('Origin', 'https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const simple = await api.http.get('/healthz').set('Origin', 'https://lender.example');
    expect(simple.headers['access-control-allow-origin']).toBe('https://lender.example');
    expect(simple.headers['access-control-expose-headers']).toContain('ETag');
  });

  it('rate-limits per client with 429 + Retry-After, and sign-in attempts more tightly', async () => {
    const limited = await startTestApi({ RATE_LIMIT_PER_MINUTE: '3', AUTH_RATE_LIMIT_PER_MINUTE: '2' });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(limited, 'get', '/healthz')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const throttled = await call(limited, 'get', '/healthz');
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(throttled.body.type).toBe('/problems/too-many-requests');
    const logins: number[] = [];
    for (let i = 0; i < 3; i++) {
      logins.push(
        (
          await call(limited, 'post', '/v1/auth/login', {
            body: { email: 'x@y.example', password: 'wrong-password' },
          })
        ).status,
      );
    }
    expect(logins).toEqual([401, 401, 429]);
    await limited.close();
  });

  it('logs each request with its id and never the Authorization header', async () => {
    const tenant = await createTenant(api, 'Logbank');
    const res = await call(api, 'get', '/v1/companies', {
      token: tenant.tokens.viewer,
      headers: { 'X-Request-Id': 'log-check-1' },
    });
    expect(res.status).toBe(200);
    const line = api.logs.find((l) => l.includes('log-check-1') && l.includes('"msg":"request"'));
    expect(line).toBeDefined();
    expect(line).toContain('[redacted]');
    expect(api.logs.join('\n')).not.toContain(tenant.tokens.viewer);
  });
});
