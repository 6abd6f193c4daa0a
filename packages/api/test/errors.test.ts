import fc from 'fast-check';
import type { AnyZodObject } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRoutes } from '../src/app.js';
import { call, type Method } from './support/client.js';
import { createCompany, createTenant, type Tenant } from './support/fixtures.js';
import { startTestApi, type TestApi } from './support/harness.js';

let api: TestApi;
let tenant: Tenant;
let companyId: string;
beforeAll(async () => {
  api = await startTestApi();
  tenant = await createTenant(api);
  companyId = await createCompany(api, tenant.tokens.analyst);
});
afterAll(() => api.close());

const problemType = /^application\/problem\+json/;

describe('problem details (RFC 9457)', () => {
  it('malformed JSON → 400 malformed-json', async () => {
    const res = await call(api, 'post', '/v1/companies', {
      token: tenant.tokens.analyst,
      raw: { contentType: 'application/json', data: '{"name": "EcoTech",' },
    });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(problemType);
    expect(res.body).toMatchObject({
      type: '/problems/malformed-json',
      status: 400,
      title: 'Malformed JSON body',
    });
  });

  it('a body that is not JSON → 415', async () => {
    const res = await call(api, 'post', '/v1/companies', {
      token: tenant.tokens.analyst,
      raw: { contentType: 'text/plain', data: 'jurisdiction=gb' },
    });
    expect(res.status).toBe(415);
    expect(res.body.type).toBe('/problems/unsupported-media-type');
  });

  it('a body over the limit → 413', async () => {
    const res = await call(api, 'post', '/v1/companies', {
      token: tenant.tokens.analyst,
      body: { jurisdiction: 'gb', companyNumber: '1', name: 'x'.repeat(20_000) },
    });
    expect(res.status).toBe(413);
    expect(res.body.type).toBe('/problems/payload-too-large');
  });

  it('lists every invalid field with a JSON pointer into body, query or path', async () => {
    const body = await call(api, 'post', '/v1/companies', {
      token: tenant.tokens.analyst,
      body: { jurisdiction: 'Great Britain', name: '', sicCodes: ['25210', 'abc'] },
    });
    expect(body.status).toBe(400);
    expect(body.body.type).toBe('/problems/validation-error');
    const pointers = body.body.errors
      .map((e: { in: string; pointer: string }) => `${e.in} ${e.pointer}`)
      .sort();
    expect(pointers).toEqual([
      'body #/companyNumber',
      'body #/jurisdiction',
      'body #/name',
      'body #/sicCodes/1',
    ]);

    const query = await call(api, 'get', '/v1/companies?limit=0&sort=size', { token: tenant.tokens.viewer });
    expect(query.status).toBe(400);
    expect(
      query.body.errors.map((e: { in: string; pointer: string }) => `${e.in} ${e.pointer}`).sort(),
    ).toEqual(['query #/limit', 'query #/sort']);

    const path = await call(api, 'get', '/v1/companies/not-a-uuid', { token: tenant.tokens.viewer });
    expect(path.status).toBe(400);
    expect(path.body.errors).toEqual([expect.objectContaining({ in: 'path', pointer: '#/id' })]);
  });

  it('maps a domain error from @greenfin/core (GreenfinError) to 422 with the field’s pointer', async () => {
    // GBP has two decimal places (ISO 4217), so "1.234" is not a whole number of pence.
    const res = await call(api, 'post', `/v1/companies/${companyId}/metrics`, {
      token: tenant.tokens.analyst,
      body: { year: 2024, revenue: { amount: '1.234', currency: 'GBP' } },
    });
    expect(res.status).toBe(422);
    expect(res.body.type).toBe('/problems/domain-rule');
    expect(res.body.errors).toEqual([expect.objectContaining({ in: 'body', pointer: '#/revenue/amount' })]);
  });

  it('rejects a forged cursor with 400, not 500', async () => {
    const res = await call(api, 'get', '/v1/companies?cursor=%7B%22bad', { token: tenant.tokens.viewer });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].pointer).toBe('#/cursor');
  });

  it('rejects NUL characters (PostgreSQL cannot store them) with 400', async () => {
    const res = await call(api, 'post', '/v1/companies', {
      token: tenant.tokens.analyst,
      body: { jurisdiction: 'gb', companyNumber: '123', name: 'Eco\u0000Tech' },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].pointer).toBe('#/name');
  });
});

/** The object schema under refinements and defaults (ZodEffects, ZodDefault, ZodOptional wrap it). */
function objectOf(schema: unknown): AnyZodObject | undefined {
  let current = schema as
    { _def?: { typeName?: string; schema?: unknown; innerType?: unknown }; shape?: unknown } | undefined;
  for (;;) {
    const typeName = current?._def?.typeName;
    if (typeName === 'ZodEffects') current = current!._def!.schema as typeof current;
    else if (typeName === 'ZodDefault' || typeName === 'ZodOptional')
      current = current!._def!.innerType as typeof current;
    else break;
  }
  return current?.shape ? (current as unknown as AnyZodObject) : undefined;
}

/** The write routes, with a concrete path for each template. */
function writeRoutes() {
  return allRoutes
    .filter((r) => r.request?.body)
    .map((r) => ({
      route: r,
      path: r.path.replace('{id}', companyId).replace('{year}', '2031'),
      keys: Object.keys(objectOf(r.request?.body)?.shape ?? {}),
    }));
}

const json = fc.jsonValue({ maxDepth: 3 });

describe('fuzzing: invalid input never causes a 5xx', () => {
  it('bodies: random JSON and valid keys with random values → < 500, problems are problem+json', async () => {
    for (const { route, path, keys } of writeRoutes()) {
      const body =
        keys.length === 0
          ? json
          : fc.oneof(
              json,
              fc.dictionary(fc.constantFrom(...keys), json),
              fc.record(Object.fromEntries(keys.map((k) => [k, json]))),
            );
      await fc.assert(
        fc.asyncProperty(body, async (value) => {
          const res = await call(api, route.method as Method, path, {
            token: tenant.tokens.admin,
            body: value,
          });
          expect(res.status, JSON.stringify(value)).toBeLessThan(500);
          if (res.status >= 400) expect(res.headers['content-type']).toMatch(problemType);
        }),
        { numRuns: 25 },
      );
    }
  }, 120_000);

  it('raw bodies: arbitrary text sent as JSON → < 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 64 }), async (text) => {
        const res = await call(api, 'post', '/v1/companies', {
          token: tenant.tokens.analyst,
          raw: { contentType: 'application/json', data: text },
        });
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 50 },
    );
  });

  it('queries and ids: arbitrary strings → < 500', async () => {
    const params = ['limit', 'cursor', 'q', 'sector', 'status', 'sort', 'companyNumber', 'jurisdiction'];
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom(...params), fc.string({ maxLength: 20 })),
        async (query) => {
          const qs = new URLSearchParams(query).toString();
          const res = await call(api, 'get', `/v1/companies?${qs}`, { token: tenant.tokens.viewer });
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 60 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.string({ maxLength: 6 }),
        async (id, year) => {
          const path = `/v1/companies/${encodeURIComponent(id)}/metrics/${encodeURIComponent(year) || '0'}`;
          const res = await call(api, 'get', path, { token: tenant.tokens.viewer });
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 60 },
    );
  }, 60_000);
});
