/**
 * The lender journey of ../shared/SPEC.md as one test, over HTTP on a real PostgreSQL: a bank signs
 * up, registers EcoTech, records three years of metrics, scores it, prices a £500,000 five-year
 * loan and downloads the schedule as CSV. Every business figure is checked against
 * @greenfin/core called directly with the same inputs.
 */
import {
  addRates,
  ecotechExample,
  fromDecimalString,
  greenScore,
  priceLoan,
  toDecimalString,
} from '@greenfin/core';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call } from './support/client.js';
import { startTestApi, type TestApi } from './support/harness.js';

const TODAY = new Date('2026-04-01T08:00:00Z');

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({}, { clock: () => TODAY });
});
afterAll(() => api.close());

it('signup → company → metrics → green score → loan simulation → schedule CSV', async () => {
  // 1. A bank signs up; its admin's token acts throughout.
  const signup = await call(api, 'post', '/v1/auth/signup', {
    body: {
      organizationName: 'Midlands Green Bank',
      email: 'lender@midlands.example',
      password: 'a long enough password',
    },
  });
  expect(signup.status).toBe(201);
  const token = signup.body.accessToken as string;

  // 2. EcoTech, with its emissions target and balance sheet.
  const { company, metrics, target, balanceSheet } = ecotechExample;
  const gbp = (m: { amount: number; currency: 'GBP' }) => ({
    amount: toDecimalString(m),
    currency: m.currency,
  });
  const created = await call(api, 'post', '/v1/companies', {
    token,
    body: {
      jurisdiction: company.jurisdiction,
      companyNumber: company.companyNumber,
      name: company.name,
      sicCodes: [...company.sicCodes],
      region: company.region,
      locality: company.locality,
      emissionsTarget: { status: 'set', ...target },
      balanceSheet: {
        basis: 'equity-plus-debt',
        equity: gbp(balanceSheet.equity),
        debt: gbp(balanceSheet.debt),
      },
    },
  });
  expect(created.status).toBe(201);
  const companyId = created.body.id as string;

  // 3. Its three reporting years.
  for (const m of metrics) {
    const res = await call(api, 'post', `/v1/companies/${companyId}/metrics`, {
      token,
      body: { ...m, revenue: gbp(m.revenue) },
    });
    expect(res.status).toBe(201);
  }

  // 4. The green score: band A with its components; the second call comes from the cache.
  const score = await call(api, 'get', `/v1/companies/${companyId}/green-score`, { token });
  expect(score.status).toBe(200);
  expect(score.headers['x-cache']).toBe('miss');
  const expectedScore = greenScore({ sicCodes: company.sicCodes, metrics, target });
  expect(score.body.band).toBe('A');
  expect(score.body.score).toBe(expectedScore.score);
  expect(score.body.components.map((c: { id: string }) => c.id)).toEqual(
    expectedScore.components.map((c) => c.id),
  );
  const cached = await call(api, 'get', `/v1/companies/${companyId}/green-score`, { token });
  expect(cached.headers['x-cache']).toBe('hit');
  expect(cached.body).toEqual(score.body);

  // 5. A £500,000, 60-month loan on the configured base rate and spread, starting today.
  const simulation = await call(api, 'post', '/v1/loan-simulations', {
    token,
    body: { companyId, principal: { amount: '500000.00', currency: 'GBP' }, termMonths: 60 },
  });
  expect(simulation.status).toBe(201);
  const s = simulation.body;
  const { baseRate, creditSpread } = api.config.loanDefaults;
  expect(s.baseRate).toBe(baseRate);
  expect(s.creditSpread).toBe(creditSpread);
  expect(s.startDate).toBe('2026-04-01');
  expect(s.finalRate).toBe(addRates(baseRate, creditSpread, -0.005));
  const priced = priceLoan({
    principal: 50_000_000,
    currency: 'GBP',
    termMonths: 60,
    startDate: '2026-04-01',
    baseRate,
    creditSpread,
    greenScore: expectedScore,
  });
  expect(s.finalRate).toBe(priced.finalRate);
  expect(s.regularPayment).toEqual({
    amount: toDecimalString({ amount: priced.regularPayment, currency: 'GBP' }),
    currency: 'GBP',
  });
  expect(s.apr).toBe(priced.apr);
  expect(fromDecimalString(s.interestSaved.amount, 'GBP').amount).toBe(priced.interestSaved);
  expect(priced.interestSaved).toBeGreaterThan(0);
  expect(s.financedEmissions.yearEndOutstanding.at(-1).outstanding.amount).toBe('0.00');

  const schedule = await call(api, 'get', `/v1/loan-simulations/${s.id}/schedule`, { token });
  expect(schedule.body.totals.principal.amount).toBe('500000.00');

  // 6. The schedule as CSV: a header and 60 rows whose principal column sums to £500,000.00.
  const csv = await call(api, 'get', `/v1/loan-simulations/${s.id}/schedule`, {
    token,
    headers: { Accept: 'text/csv' },
  });
  expect(csv.status).toBe(200);
  expect(csv.text.trimEnd().split('\r\n')).toHaveLength(61);
  const rows = parse(csv.text, { columns: true }) as { principal: string; payment: string }[];
  expect(rows).toHaveLength(60);
  const principalPence = rows.reduce((sum, row) => sum + fromDecimalString(row.principal, 'GBP').amount, 0);
  expect(toDecimalString({ amount: principalPence, currency: 'GBP' })).toBe('500000.00');
  expect(rows[0]?.payment).toBe(s.regularPayment.amount);
});
