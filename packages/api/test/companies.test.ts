import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './support/client.js';
import { createTenant, ecotechCompany, type Tenant } from './support/fixtures.js';
import { startTestApi, type TestApi } from './support/harness.js';

let api: TestApi;
let tenant: Tenant;
beforeAll(async () => {
  api = await startTestApi();
  tenant = await createTenant(api, 'Compbank');
});
afterAll(() => api.close());

describe('companies', () => {
  it('POST creates a company (201 + Location + ETag) with its SIC section as sector', async () => {
    const res = await call(api, 'post', '/v1/companies', {
      token: tenant.tokens.analyst,
      body: ecotechCompany,
    });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/v1/companies/${res.body.id}`);
    expect(res.headers.etag).toBe('"1"');
    expect(res.body).toMatchObject({
      ...ecotechCompany,
      sector: 'C',
      status: 'active',
      source: 'manual',
      version: 1,
    });
    const got = await call(api, 'get', res.headers.location!, { token: tenant.tokens.viewer });
    expect(got.body).toEqual(res.body);
  });

  it('a duplicate jurisdiction + number in the same tenant → 409 (case-insensitively)', async () => {
    const res = await call(api, 'post', '/v1/companies', {
      token: tenant.tokens.analyst,
      body: { ...ecotechCompany, jurisdiction: 'GB', name: 'Someone else' },
    });
    expect(res.status).toBe(409);
    expect(res.body.type).toBe('/problems/duplicate');
  });

  it('ETag / If-None-Match → 304, If-Match stale → 412, current → 200 with a new ETag', async () => {
    const created = await call(api, 'post', '/v1/companies', {
      token: tenant.tokens.analyst,
      body: { jurisdiction: 'gb', companyNumber: 'SC123456', name: 'Highland Heat' },
    });
    const path = `/v1/companies/${created.body.id}`;
    const notModified = await call(api, 'get', path, {
      token: tenant.tokens.viewer,
      headers: { 'If-None-Match': '"1"' },
    });
    expect(notModified.status).toBe(304);
    const patched = await call(api, 'patch', path, {
      token: tenant.tokens.analyst,
      headers: { 'If-Match': '"1"' },
      body: { name: 'Highland Heat Ltd', region: null, sicCodes: ['35110'] },
    });
    expect(patched.status).toBe(200);
    expect(patched.headers.etag).toBe('"2"');
    expect(patched.body).toMatchObject({ name: 'Highland Heat Ltd', region: null, sector: 'D', version: 2 });
    const stale = await call(api, 'patch', path, {
      token: tenant.tokens.analyst,
      headers: { 'If-Match': '"1"' },
      body: { name: 'Lost update' },
    });
    expect(stale.status).toBe(412);
    const staleDelete = await call(api, 'delete', path, {
      token: tenant.tokens.admin,
      headers: { 'If-Match': '"1"' },
    });
    expect(staleDelete.status).toBe(412);
    expect(
      (await call(api, 'delete', path, { token: tenant.tokens.admin, headers: { 'If-Match': '"2"' } }))
        .status,
    ).toBe(204);
    expect((await call(api, 'get', path, { token: tenant.tokens.viewer })).status).toBe(404);
  });

  it('renumbering onto an existing company → 409', async () => {
    const a = await call(api, 'post', '/v1/companies', {
      token: tenant.tokens.analyst,
      body: { jurisdiction: 'gb', companyNumber: 'R1', name: 'A' },
    });
    await call(api, 'post', '/v1/companies', {
      token: tenant.tokens.analyst,
      body: { jurisdiction: 'gb', companyNumber: 'R2', name: 'B' },
    });
    const res = await call(api, 'patch', `/v1/companies/${a.body.id}`, {
      token: tenant.tokens.analyst,
      body: { companyNumber: 'R2' },
    });
    expect(res.status).toBe(409);
  });
});

describe('listing companies', () => {
  let lister: Tenant;
  beforeAll(async () => {
    lister = await createTenant(api, 'Listbank');
    const rows = [
      { companyNumber: 'L01', name: 'Alpha Solar', sicCodes: ['35110'], status: 'active' },
      { companyNumber: 'L02', name: 'Beta Bakery', sicCodes: ['10710'], status: 'active' },
      { companyNumber: 'L03', name: 'Gamma Steel', sicCodes: ['24100'], status: 'dissolved' },
      { companyNumber: 'L04', name: 'Delta Wind 100%', sicCodes: ['35110'], status: 'active' },
      { companyNumber: 'L05', name: 'Epsilon Logistics', sicCodes: ['49410'], status: 'active' },
    ];
    for (const row of rows) {
      const res = await call(api, 'post', '/v1/companies', {
        token: lister.tokens.analyst,
        body: { jurisdiction: 'gb', ...row },
      });
      expect(res.status).toBe(201);
    }
  });

  const names = (body: { items: { name: string }[] }) => body.items.map((c) => c.name);

  it('pages through every company exactly once with limit + cursor, in each sort order', async () => {
    for (const sort of ['createdAt', '-createdAt', 'name', '-name']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const qs: string = `limit=2&sort=${sort}${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await call(api, 'get', `/v1/companies?${qs}`, { token: lister.tokens.viewer });
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...names(page.body));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toHaveLength(5);
      if (sort === 'name') expect(seen).toEqual([...seen].sort());
      if (sort === '-name') expect(seen).toEqual([...seen].sort().reverse());
    }
  });

  it('a cursor from another sort order → 400', async () => {
    const page = await call(api, 'get', '/v1/companies?limit=1&sort=name', { token: lister.tokens.viewer });
    const res = await call(api, 'get', `/v1/companies?limit=1&sort=-name&cursor=${page.body.nextCursor}`, {
      token: lister.tokens.viewer,
    });
    expect(res.status).toBe(400);
  });

  it('filters by companyNumber, q (name substring, LIKE wildcards literal), sector and status', async () => {
    const get = async (qs: string) =>
      names((await call(api, 'get', `/v1/companies?${qs}&sort=name`, { token: lister.tokens.viewer })).body);
    expect(await get('companyNumber=l03')).toEqual(['Gamma Steel']);
    expect(await get('q=ta')).toEqual(['Beta Bakery', 'Delta Wind 100%']);
    expect(await get('q=100%25')).toEqual(['Delta Wind 100%']);
    expect(await get('q=%25')).toEqual(['Delta Wind 100%']);
    expect(await get('sector=D')).toEqual(['Alpha Solar', 'Delta Wind 100%']);
    expect(await get('status=dissolved')).toEqual(['Gamma Steel']);
    expect(await get('sector=D&status=dissolved')).toEqual([]);
  });
});

describe('Idempotency-Key on POST /v1/companies', () => {
  const body = (n: string) => ({ jurisdiction: 'gb', companyNumber: n, name: `Idem ${n}` });

  it('same key + same body replays the stored response', async () => {
    const headers = { 'Idempotency-Key': 'create-I1' };
    const first = await call(api, 'post', '/v1/companies', {
      token: tenant.tokens.analyst,
      headers,
      body: body('I1'),
    });
    const second = await call(api, 'post', '/v1/companies', {
      token: tenant.tokens.analyst,
      headers,
      body: body('I1'),
    });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.location).toBe(first.headers.location);
    expect(second.headers['idempotent-replayed']).toBe('true');
  });

  it('same key + different body → 422', async () => {
    const headers = { 'Idempotency-Key': 'create-I2' };
    await call(api, 'post', '/v1/companies', { token: tenant.tokens.analyst, headers, body: body('I2') });
    const res = await call(api, 'post', '/v1/companies', {
      token: tenant.tokens.analyst,
      headers,
      body: body('I2-other'),
    });
    expect(res.status).toBe(422);
    expect(res.body.type).toBe('/problems/idempotency-key-reused');
  });

  it('50 concurrent POSTs with one key create exactly one company; the rest replay or get 409 in flight', async () => {
    const headers = { 'Idempotency-Key': 'create-I3' };
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        call(api, 'post', '/v1/companies', { token: tenant.tokens.analyst, headers, body: body('I3') }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const created = results.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    const list = await call(api, 'get', '/v1/companies?companyNumber=I3', { token: tenant.tokens.viewer });
    expect(list.body.items).toHaveLength(1);
  });

  it('a failed attempt releases the key: a retry with the same key runs again', async () => {
    const headers = { 'Idempotency-Key': 'create-I4' };
    const duplicate = await call(api, 'post', '/v1/companies', {
      token: tenant.tokens.analyst,
      headers,
      body: ecotechCompany,
    });
    expect(duplicate.status).toBe(409);
    const again = await call(api, 'post', '/v1/companies', {
      token: tenant.tokens.analyst,
      headers,
      body: ecotechCompany,
    });
    expect(again.status).toBe(409);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
  });

  it('keys are per tenant', async () => {
    const other = await createTenant(api, 'Otherbank');
    const headers = { 'Idempotency-Key': 'create-I1' };
    const res = await call(api, 'post', '/v1/companies', {
      token: other.tokens.analyst,
      headers,
      body: body('I1'),
    });
    expect(res.status).toBe(201);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
  });
});
