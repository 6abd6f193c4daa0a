import {
  co2Savings,
  ecotechExample,
  financedEmissions,
  fromDecimalString,
  greenScore,
  priceLoan,
  toDecimalString,
  yearEndOutstanding,
} from '@greenfin/core';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { call } from './support/client.js';
import { createCompany, createTenant, type Tenant } from './support/fixtures.js';
import { startTestApi, type TestApi } from './support/harness.js';

/** The injected clock: simulations without a start date start on this day. */
const NOW = new Date('2026-03-10T12:00:00Z');

let api: TestApi;
let tenant: Tenant;
let ecotechId: string;
beforeAll(async () => {
  api = await startTestApi({}, { clock: () => NOW });
  tenant = await createTenant(api);
  ecotechId = await createEcotech();
});
afterAll(() => api.close());

const { metrics, target, balanceSheet, loan, project } = ecotechExample;
const gbp = (m: { amount: number; currency: 'GBP' }) => ({
  amount: toDecimalString(m),
  currency: m.currency,
});

async function createEcotech(withBalanceSheet = true): Promise<string> {
  const id = await createCompany(api, tenant.tokens.analyst, {
    sicCodes: [...ecotechExample.company.sicCodes],
    emissionsTarget: { status: 'set', ...target },
    ...(withBalanceSheet
      ? {
          balanceSheet: {
            basis: 'equity-plus-debt',
            equity: gbp(balanceSheet.equity),
            debt: gbp(balanceSheet.debt),
          },
        }
      : {}),
  });
  for (const m of metrics) {
    const res = await call(api, 'post', `/v1/companies/${id}/metrics`, {
      token: tenant.tokens.analyst,
      body: { ...m, revenue: gbp(m.revenue) },
    });
    expect(res.status).toBe(201);
  }
  return id;
}

/** EcoTech's loan as the API takes it. */
function ecotechLoan(companyId: string) {
  return {
    companyId,
    principal: gbp(loan.principal),
    termMonths: loan.termMonths,
    startDate: loan.startDate,
    baseRate: loan.baseRate,
    creditSpread: loan.creditSpread,
    fees: { upfront: gbp(loan.arrangementFee) },
    project: {
      energySaved: project.energySaved.map((l) => ({ ...l })),
      lifetimeYears: project.lifetimeYears,
    },
  };
}

const post = (body: unknown, headers: Record<string, string> = {}) =>
  call(api, 'post', '/v1/loan-simulations', { token: tenant.tokens.analyst, body, headers });

const minor = (m: { amount: string; currency: 'GBP' }) => fromDecimalString(m.amount, m.currency).amount;

describe('POST /v1/loan-simulations', () => {
  it('prices EcoTech’s loan exactly as core does: rate, APR, payment, savings, CO2, PCAF', async () => {
    const res = await post(ecotechLoan(ecotechId));
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/v1/loan-simulations/${res.body.id}`);
    expect(res.headers.etag).toBe('"1"');

    const score = greenScore({ sicCodes: ecotechExample.company.sicCodes, metrics, target });
    const priced = priceLoan({
      principal: loan.principal.amount,
      currency: 'GBP',
      termMonths: loan.termMonths,
      startDate: loan.startDate,
      baseRate: loan.baseRate,
      creditSpread: loan.creditSpread,
      greenScore: score,
      fees: { upfront: loan.arrangementFee.amount },
    });
    const s = res.body;
    expect(s.greenScore).toMatchObject({
      score: score.score,
      band: 'A',
      methodologyVersion: score.methodologyVersion,
    });
    expect(s.finalRate).toBe(priced.finalRate);
    expect(s.finalRate).toBe(0.065); // 4.50 % + 2.50 % − 0.50 pp (band A)
    expect(s.greenDiscount).toEqual({
      ...priced.greenDiscount,
      limitedBy: [...priced.greenDiscount.limitedBy],
    });
    expect(s.apr).toBe(priced.apr);
    expect(minor(s.regularPayment)).toBe(priced.regularPayment);
    expect(minor(s.totalInterest)).toBe(priced.totalInterest);
    expect(minor(s.interestSaved)).toBe(priced.interestSaved);
    expect(minor(s.interestSaved)).toBeGreaterThan(0);
    expect(minor(s.totalFees)).toBe(loan.arrangementFee.amount);
    expect(s.withoutDiscount.apr).toBe(priced.withoutDiscount.apr);
    expect(s.defaultsApplied).toEqual(['method', 'frequency', 'dayCount', 'aprMethod']);

    const co2 = co2Savings({ energySaved: project.energySaved, lifetimeYears: project.lifetimeYears });
    expect(s.co2Savings).toMatchObject({ tco2ePerYear: co2.tco2ePerYear, totalTco2e: co2.totalTco2e });

    const balances = yearEndOutstanding({
      principal: loan.principal,
      startDate: loan.startDate,
      installments: priced.schedule.installments,
    });
    const pcaf = financedEmissions({
      balances,
      companyValue: { basis: 'equity-plus-debt', equity: balanceSheet.equity, debt: balanceSheet.debt },
      emissions: { scope1Tco2e: 42, scope2Tco2e: 49.8, scope3Tco2e: 1010, dataQuality: 1 },
    });
    const fe = s.financedEmissions;
    expect(fe.emissionsYear).toBe(2024);
    expect(fe.yearEndOutstanding.map((b: { outstanding: never }) => minor(b.outstanding))).toEqual(
      balances.map((b) => b.outstanding.amount),
    );
    expect(fe.yearEndOutstanding.at(-1).outstanding.amount).toBe('0.00');
    expect(fe.totals).toEqual(pcaf.totals);
    expect(fe.years.map((y: { financedScope1And2: number }) => y.financedScope1And2)).toEqual(
      pcaf.years.map((y) => y.financedScope1And2),
    );
    expect(s.warnings).toEqual([]);
  });

  it('forks no EntityManager when the company’s score is cached (the INSERT needs none), one on a miss', async () => {
    // An API key, as a bank's system calls: once remembered it needs no query (an access token
    // reads its user's current role, which forks one).
    const key = await call(api, 'post', '/v1/api-keys', {
      token: tenant.tokens.admin,
      body: { name: 'pricing system', role: 'analyst' },
    });
    expect(key.status).toBe(201);
    const postWithKey = (body: unknown) =>
      call(api, 'post', '/v1/loan-simulations', { token: key.body.key as string, body });
    const id = await createEcotech(); // its score is not cached yet
    expect((await postWithKey(ecotechLoan(ecotechId))).status).toBe(201); // the key is remembered
    const fork = vi.spyOn(api.orm.em, 'fork');
    try {
      const miss = await postWithKey(ecotechLoan(id));
      expect(miss.status).toBe(201);
      expect(fork).toHaveBeenCalledTimes(1);
      fork.mockClear();
      const hit = await postWithKey(ecotechLoan(id));
      expect(hit.status).toBe(201);
      expect(fork).not.toHaveBeenCalled();
      fork.mockRestore();
      // Both rows were written, each read back with its own id and the same figures.
      expect(hit.body.id).not.toBe(miss.body.id);
      for (const created of [miss, hit]) {
        const read = await call(api, 'get', `/v1/loan-simulations/${created.body.id}`, {
          token: tenant.tokens.viewer,
        });
        expect(read.status).toBe(200);
        expect(read.body.apr).toBe(miss.body.apr);
      }
    } finally {
      fork.mockRestore();
    }
  });

  it('takes today from the injected clock and the configured base rate and spread', async () => {
    const res = await post({
      companyId: ecotechId,
      principal: { amount: '250000.00', currency: 'GBP' },
      termMonths: 36,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      startDate: '2026-03-10',
      baseRate: api.config.loanDefaults.baseRate,
      creditSpread: api.config.loanDefaults.creditSpread,
      method: 'annuity',
      frequency: 'monthly',
      dayCount: '30/360',
    });
    expect(res.body.defaultsApplied).toEqual(
      expect.arrayContaining(['startDate', 'baseRate', 'creditSpread', 'method']),
    );
    expect(res.body.project).toBeNull();
    expect(res.body.co2Savings).toBeNull();
  });

  it('without a balance sheet: financed emissions null and a warning', async () => {
    const bare = await createEcotech(false);
    const res = await post({ ...ecotechLoan(bare), project: undefined });
    expect(res.status).toBe(201);
    expect(res.body.financedEmissions).toBeNull();
    expect(res.body.warnings).toEqual([expect.objectContaining({ code: 'no_balance_sheet' })]);
  });

  it('setting the balance sheet later is used by the next simulation (the cached inputs are dropped)', async () => {
    const company = await createEcotech(false);
    expect((await post(ecotechLoan(company))).body.financedEmissions).toBeNull();
    const patched = await call(api, 'patch', `/v1/companies/${company}`, {
      token: tenant.tokens.analyst,
      body: { balanceSheet: { basis: 'evic', evic: { amount: '6000000.00', currency: 'GBP' } } },
    });
    expect(patched.status).toBe(200);
    const after = await post(ecotechLoan(company));
    expect(after.body.financedEmissions).toMatchObject({
      companyValueBasis: 'evic',
      companyValue: { amount: '6000000.00', currency: 'GBP' },
    });
    expect(after.body.warnings).toEqual([]);
  });

  it('a one-source project: energySavedMwhPerYear + energySource', async () => {
    const res = await post({
      ...ecotechLoan(ecotechId),
      project: { energySavedMwhPerYear: 100, energySource: 'electricity', lifetimeYears: 10 },
    });
    const co2 = co2Savings({ energySaved: [{ source: 'electricity', mwhPerYear: 100 }], lifetimeYears: 10 });
    expect(res.body.project).toEqual({
      energySaved: [{ source: 'electricity', mwhPerYear: 100 }],
      lifetimeYears: 10,
    });
    expect(res.body.co2Savings.totalTco2e).toBe(co2.totalTco2e);
  });

  it('domain rules are 422s with a pointer; shape errors 400s', async () => {
    const base = ecotechLoan(ecotechId);
    const cases: [unknown, number, string][] = [
      [{ ...base, principal: { amount: '1.234', currency: 'GBP' } }, 422, '#/principal/amount'],
      [{ ...base, fees: { upfront: { amount: '10.00', currency: 'EUR' } } }, 422, '#/fees/upfront/currency'],
      [{ ...base, fees: { upfront: { amount: '600000.00', currency: 'GBP' } } }, 422, '#/fees/upfront'],
      [{ ...base, termMonths: 7, frequency: 'quarterly' }, 422, '#/termMonths'],
      [{ ...base, principal: { amount: '0.00', currency: 'GBP' } }, 422, '#/principal'],
      [{ ...base, termMonths: 0 }, 400, '#/termMonths'],
      [{ ...base, baseRate: 1.5 }, 400, '#/baseRate'],
      [{ ...base, project: { lifetimeYears: 10 } }, 400, '#/project/energySaved'],
      [
        { ...base, project: { ...base.project, energySavedMwhPerYear: 5 } },
        400,
        '#/project/energySavedMwhPerYear',
      ],
      [
        { ...base, project: { energySaved: [{ source: 'peat', mwhPerYear: 1 }], lifetimeYears: 1 } },
        400,
        '#/project/energySaved/0/source',
      ],
      [{ ...base, startDate: '2025-02-30' }, 400, '#/startDate'],
    ];
    for (const [body, status, pointer] of cases) {
      const res = await post(body);
      expect(res.status, pointer).toBe(status);
      expect(
        res.body.errors.map((e: { pointer: string }) => e.pointer),
        pointer,
      ).toContain(pointer);
    }
  });

  it('fuzz: mutated valid bodies never cause a 5xx', async () => {
    const base = ecotechLoan(ecotechId);
    const anyJson = fc.jsonValue({ maxDepth: 2 });
    const mutation = fc.record(
      {
        principal: fc.oneof(
          fc.record({
            amount: fc.oneof(fc.string(), fc.stringMatching(/^-?\d{1,16}(\.\d{0,5})?$/)),
            currency: fc.constantFrom('GBP', 'JPY', 'KWD', 'XXX'),
          }),
          anyJson,
        ),
        termMonths: fc.oneof(fc.integer({ min: -10, max: 2000 }), anyJson),
        frequency: fc.oneof(fc.constantFrom('monthly', 'quarterly', 'semiannual', 'annual'), anyJson),
        method: fc.oneof(fc.constantFrom('annuity', 'linear', 'bullet', 'interest-only'), anyJson),
        dayCount: fc.oneof(fc.constantFrom('30/360', 'ACT/365F', 'ACT/360', 'ACT/ACT'), anyJson),
        startDate: fc.oneof(
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
          anyJson,
        ),
        baseRate: fc.oneof(fc.double({ min: -2, max: 2, noNaN: true }), anyJson),
        creditSpread: fc.oneof(fc.double({ min: -2, max: 2, noNaN: true }), anyJson),
        fees: fc.oneof(
          fc.record({ upfront: fc.record({ amount: fc.string(), currency: fc.constant('GBP') }) }),
          anyJson,
        ),
        project: fc.oneof(
          fc.record({
            energySavedMwhPerYear: fc.double({ min: -1, max: 1e10, noNaN: true }),
            lifetimeYears: fc.integer({ min: -1, max: 200 }),
          }),
          anyJson,
        ),
        companyId: fc.oneof(fc.uuid(), anyJson),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(mutation, async (changes) => {
        const res = await post({ ...base, ...changes });
        expect(res.status, JSON.stringify(changes)).toBeLessThan(500);
        if (res.status >= 400) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});

describe('Idempotency-Key on POST /v1/loan-simulations', () => {
  it('same key + same body replays; another body → 422', async () => {
    const headers = { 'Idempotency-Key': 'sim-replay-1' };
    const first = await post(ecotechLoan(ecotechId), headers);
    const again = await post(ecotechLoan(ecotechId), headers);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(first.body.idempotencyKey).toBe('sim-replay-1');
    const other = await post({ ...ecotechLoan(ecotechId), termMonths: 48 }, headers);
    expect(other.status).toBe(422);
    expect(other.body.type).toBe('/problems/idempotency-key-reused');
  });

  it('a key is kept 24 h: once expired, the same key creates a new simulation', async () => {
    const headers = { 'Idempotency-Key': 'sim-expiry-1' };
    const first = await post(ecotechLoan(ecotechId), headers);
    expect((await post(ecotechLoan(ecotechId), headers)).body.id).toBe(first.body.id);
    const stored = await api.orm.em
      .fork()
      .getConnection()
      .execute(
        `select extract(epoch from expires_at - created_at)::int as ttl from idempotency_records where key = 'sim-expiry-1'`,
      );
    expect(stored[0]?.ttl).toBe(24 * 3600);
    await api.orm.em
      .fork()
      .getConnection()
      .execute(
        `update idempotency_records set expires_at = now() - interval '1 second' where key = 'sim-expiry-1'`,
      );
    const later = await post({ ...ecotechLoan(ecotechId), termMonths: 48 }, headers);
    expect(later.status).toBe(201);
    expect(later.body.id).not.toBe(first.body.id);
    expect(later.headers['idempotent-replayed']).toBeUndefined();
    expect((await post({ ...ecotechLoan(ecotechId), termMonths: 48 }, headers)).body.id).toBe(later.body.id);
  });

  it('50 concurrent POSTs with one key create exactly one simulation', async () => {
    const company = await createEcotech();
    const headers = { 'Idempotency-Key': 'sim-concurrent-1' };
    const results = await Promise.all(Array.from({ length: 50 }, () => post(ecotechLoan(company), headers)));
    const statuses = results.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const created = results.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    const list = await call(api, 'get', `/v1/loan-simulations?companyId=${company}&limit=100`, {
      token: tenant.tokens.viewer,
    });
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0].id).toBe(created[0]?.body.id);
  });
});

describe('reading simulations', () => {
  let id: string;
  let company: string;
  beforeAll(async () => {
    company = await createEcotech();
    id = (await post(ecotechLoan(company))).body.id;
  });

  it('GET by id with an ETag; If-None-Match → 304', async () => {
    const res = await call(api, 'get', `/v1/loan-simulations/${id}`, { token: tenant.tokens.viewer });
    expect(res.status).toBe(200);
    expect(res.body.links).toEqual({
      self: `/v1/loan-simulations/${id}`,
      schedule: `/v1/loan-simulations/${id}/schedule`,
      report: `/v1/loan-simulations/${id}/report`,
    });
    const again = await call(api, 'get', `/v1/loan-simulations/${id}`, {
      token: tenant.tokens.viewer,
      headers: { 'If-None-Match': res.headers.etag ?? '' },
    });
    expect(again.status).toBe(304);
  });

  it('lists newest first, filters by company and band, and pages with cursors', async () => {
    const second = (await post({ ...ecotechLoan(company), termMonths: 24 })).body.id;
    const third = (await post({ ...ecotechLoan(company), termMonths: 12 })).body.id;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `companyId=${company}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await call(api, 'get', `/v1/loan-simulations?${query}`, { token: tenant.tokens.viewer });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((s: { id: string }) => s.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([third, second, id]);
    const oldest = await call(
      api,
      'get',
      `/v1/loan-simulations?companyId=${company}&sort=createdAt&limit=1`,
      {
        token: tenant.tokens.viewer,
      },
    );
    expect(oldest.body.items[0].id).toBe(id);
    const bandE = await call(api, 'get', `/v1/loan-simulations?companyId=${company}&band=E`, {
      token: tenant.tokens.viewer,
    });
    expect(bandE.body.items).toEqual([]);
    const bandA = await call(api, 'get', `/v1/loan-simulations?companyId=${company}&band=A`, {
      token: tenant.tokens.viewer,
    });
    expect(bandA.body.items).toHaveLength(3);
    // A cursor of the newest-first order is refused under the oldest-first order.
    const newest = await call(api, 'get', `/v1/loan-simulations?companyId=${company}&limit=1`, {
      token: tenant.tokens.viewer,
    });
    const wrongSort = await call(
      api,
      'get',
      `/v1/loan-simulations?sort=createdAt&cursor=${newest.body.nextCursor}`,
      {
        token: tenant.tokens.viewer,
      },
    );
    expect(wrongSort.status).toBe(400);
    expect(wrongSort.body.errors[0].pointer).toBe('#/cursor');
  });

  it('schedule as JSON: principal repaid = principal lent', async () => {
    const res = await call(api, 'get', `/v1/loan-simulations/${id}/schedule`, {
      token: tenant.tokens.viewer,
    });
    expect(res.status).toBe(200);
    expect(res.headers.vary).toMatch(/Accept/);
    expect(res.body.installments).toHaveLength(60);
    expect(res.body.totals.principal).toEqual({ amount: '500000.00', currency: 'GBP' });
    const sum = res.body.installments.reduce(
      (t: number, r: { principal: never }) => t + minor(r.principal),
      0,
    );
    expect(sum).toBe(50_000_000);
  });

  it('stores the schedule as one array per field, and reads rows stored the earlier way (one object each)', async () => {
    const served = await call(api, 'get', `/v1/loan-simulations/${id}/schedule`, {
      token: tenant.tokens.viewer,
    });
    const { rows } = await api.pool.query<{ schedule: Record<string, unknown[]> }>(
      `select "schedule" from "loan_simulations" where "id" = $1`,
      [id],
    );
    const stored = rows[0]!.schedule;
    expect(stored.format).toBe('columns');
    expect(stored.payment).toHaveLength(60);
    expect(served.body.installments[0].date).toBe(stored.date![0]);
    expect(minor(served.body.installments[59].balance)).toBe(0);
    // A row written before the columns format: an array of instalments, read back the same.
    const asObjects = served.body.installments.map(
      (
        r: { date: string; days: number } & Record<
          'payment' | 'interest' | 'principal' | 'balance',
          { amount: string; currency: 'GBP' }
        >,
        i: number,
      ) => ({
        number: i + 1,
        date: r.date,
        days: r.days,
        payment: minor(r.payment),
        interest: minor(r.interest),
        principal: minor(r.principal),
        balance: minor(r.balance),
      }),
    );
    await api.pool.query(`update "loan_simulations" set "schedule" = $2 where "id" = $1`, [
      id,
      JSON.stringify(asObjects),
    ]);
    try {
      const again = await call(api, 'get', `/v1/loan-simulations/${id}/schedule`, {
        token: tenant.tokens.viewer,
      });
      expect(again.body).toEqual(served.body);
    } finally {
      const { rows: back } = await api.pool.query(
        `select "schedule" from "loan_simulations" where "id" = $1`,
        [id],
      );
      expect(Array.isArray(back[0].schedule)).toBe(true);
    }
  });

  it('schedule as CSV by Accept; an unsupported type → 406', async () => {
    const csv = await call(api, 'get', `/v1/loan-simulations/${id}/schedule`, {
      token: tenant.tokens.viewer,
      headers: { Accept: 'text/csv' },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const rows = parse(csv.text, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(60);
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'number',
      'date',
      'days',
      'payment',
      'interest',
      'principal',
      'balance',
      'currency',
    ]);
    const xml = await call(api, 'get', `/v1/loan-simulations/${id}/schedule`, {
      token: tenant.tokens.viewer,
      headers: { Accept: 'application/xml' },
    });
    expect(xml.status).toBe(406);
    expect(xml.body.type).toBe('/problems/not-acceptable');
    expect(xml.body.detail).toContain('text/csv');
  });

  it('report as JSON at once; a PDF is rendered by a report job (202 + operation)', async () => {
    const res = await call(api, 'get', `/v1/loan-simulations/${id}/report`, { token: tenant.tokens.viewer });
    expect(res.status).toBe(200);
    expect(res.body.company.name).toBe('EcoTech Manufacturing Ltd');
    expect(res.body.generatedAt).toBe(NOW.toISOString());
    expect(res.body.summary.join(' ')).toContain('6.50 %');
    const pdf = await call(api, 'get', `/v1/loan-simulations/${id}/report`, {
      token: tenant.tokens.viewer,
      headers: { Accept: 'application/pdf' },
    });
    expect(pdf.status).toBe(202);
    expect(pdf.body.kind).toBe('report');
    expect(pdf.headers.location).toBe(`/v1/operations/${pdf.body.id}`);
  });

  it('DELETE needs a fresh If-Match when given, then the simulation is gone', async () => {
    const doomed = (await post(ecotechLoan(company))).body.id;
    const stale = await call(api, 'delete', `/v1/loan-simulations/${doomed}`, {
      token: tenant.tokens.admin,
      headers: { 'If-Match': '"7"' },
    });
    expect(stale.status).toBe(412);
    const del = await call(api, 'delete', `/v1/loan-simulations/${doomed}`, {
      token: tenant.tokens.admin,
      headers: { 'If-Match': '"1"' },
    });
    expect(del.status).toBe(204);
    expect(
      (await call(api, 'get', `/v1/loan-simulations/${doomed}`, { token: tenant.tokens.viewer })).status,
    ).toBe(404);
  });

  it('deleting the company deletes its simulations', async () => {
    const gone = await createEcotech();
    const sim = (await post(ecotechLoan(gone))).body.id;
    expect((await call(api, 'delete', `/v1/companies/${gone}`, { token: tenant.tokens.admin })).status).toBe(
      204,
    );
    expect(
      (await call(api, 'get', `/v1/loan-simulations/${sim}`, { token: tenant.tokens.viewer })).status,
    ).toBe(404);
  });
});
