import { ecotechExample, toDecimalString } from '@greenfin/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './support/client.js';
import { createCompany, createTenant, type Tenant } from './support/fixtures.js';
import { startTestApi, type TestApi } from './support/harness.js';

let api: TestApi;
let tenant: Tenant;
let companyId: string;
beforeAll(async () => {
  api = await startTestApi();
  tenant = await createTenant(api, 'Metricbank');
  companyId = await createCompany(api, tenant.tokens.analyst);
});
afterAll(() => api.close());

const base = () => `/v1/companies/${companyId}/metrics`;

describe('environmental metrics', () => {
  it('stores EcoTech’s three years and lists them oldest first, money as decimal strings', async () => {
    for (const m of ecotechExample.metrics) {
      const res = await call(api, 'post', base(), {
        token: tenant.tokens.analyst,
        body: {
          ...m,
          revenue: { amount: toDecimalString(m.revenue), currency: m.revenue.currency },
          source: 'annual report',
        },
      });
      expect(res.status).toBe(201);
      expect(res.headers.location).toBe(`${base()}/${m.year}`);
    }
    const list = await call(api, 'get', base(), { token: tenant.tokens.viewer });
    expect(list.body.items.map((m: { year: number }) => m.year)).toEqual([2022, 2023, 2024]);
    for (const [i, m] of ecotechExample.metrics.entries()) {
      expect(list.body.items[i]).toMatchObject({
        year: m.year,
        energyMwh: m.energyMwh,
        scope1Tco2e: m.scope1Tco2e,
        scope2Tco2e: m.scope2Tco2e,
        scope3Tco2e: m.scope3Tco2e,
        renewableShare: m.renewableShare,
        verified: m.verified,
        pcafDataQuality: m.pcafDataQuality,
        source: 'annual report',
        companyId,
      });
    }
    // 2024 revenue: 480,000,000 pence is £4,800,000.00 (GBP has two decimal places).
    expect(list.body.items[2].revenue).toEqual({ amount: '4800000.00', currency: 'GBP' });
  });

  it('a second POST for the same year → 409', async () => {
    const res = await call(api, 'post', base(), { token: tenant.tokens.analyst, body: { year: 2024 } });
    expect(res.status).toBe(409);
    expect(res.body.type).toBe('/problems/duplicate');
  });

  it('GET/PUT/DELETE by year, with ETags', async () => {
    const got = await call(api, 'get', `${base()}/2023`, { token: tenant.tokens.viewer });
    expect(got.status).toBe(200);
    expect(got.headers.etag).toBe('"1"');
    const replaced = await call(api, 'put', `${base()}/2023`, {
      token: tenant.tokens.analyst,
      headers: { 'If-Match': '"1"' },
      body: { energyMwh: 600, scope1Tco2e: 50, revenue: { amount: '4450000', currency: 'GBP' } },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({
      year: 2023,
      energyMwh: 600,
      scope2Tco2e: null,
      revenue: { amount: '4450000.00' },
      version: 2,
    });
    const stale = await call(api, 'put', `${base()}/2023`, {
      token: tenant.tokens.analyst,
      headers: { 'If-Match': '"1"' },
      body: {},
    });
    expect(stale.status).toBe(412);
    const created = await call(api, 'put', `${base()}/2025`, {
      token: tenant.tokens.analyst,
      body: { energyMwh: 450 },
    });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`${base()}/2025`);
    expect((await call(api, 'delete', `${base()}/2025`, { token: tenant.tokens.admin })).status).toBe(204);
    expect((await call(api, 'get', `${base()}/2025`, { token: tenant.tokens.viewer })).status).toBe(404);
    expect((await call(api, 'delete', `${base()}/2025`, { token: tenant.tokens.admin })).status).toBe(404);
  });

  it('validates ranges: shares within 0–1, PCAF quality 1–5, no negative emissions, years 1990–2100', async () => {
    const res = await call(api, 'post', base(), {
      token: tenant.tokens.analyst,
      body: { year: 1800, renewableShare: 1.5, pcafDataQuality: 6, scope1Tco2e: -1 },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([
      '#/pcafDataQuality',
      '#/renewableShare',
      '#/scope1Tco2e',
      '#/year',
    ]);
  });

  it('metrics of an unknown company → 404', async () => {
    const res = await call(api, 'get', '/v1/companies/00000000-0000-4000-8000-000000000000/metrics', {
      token: tenant.tokens.viewer,
    });
    expect(res.status).toBe(404);
  });

  it('deleting the company deletes its metrics', async () => {
    const id = await createCompany(api, tenant.tokens.analyst);
    await call(api, 'post', `/v1/companies/${id}/metrics`, {
      token: tenant.tokens.analyst,
      body: { year: 2024, energyMwh: 1 },
    });
    expect((await call(api, 'delete', `/v1/companies/${id}`, { token: tenant.tokens.admin })).status).toBe(
      204,
    );
    const rows = await api.orm.em
      .fork()
      .getConnection()
      .execute('select count(*)::int as n from environmental_metrics where company_id = ?', [id]);
    expect(rows[0]?.n).toBe(0);
  });
});
