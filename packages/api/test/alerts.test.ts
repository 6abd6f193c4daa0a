import { WebhookStore } from '@greenfin/workflows';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, settleOperation } from './support/client.js';
import { createCompany, createTenant, type Tenant } from './support/fixtures.js';
import { startTestApi, type TestApi } from './support/harness.js';
import { monthlyFigures, pence, readAcmeStatement, type StatementRow } from './support/statements.js';

let api: TestApi;
let tenant: Tenant;
let other: Tenant;

beforeAll(async () => {
  api = await startTestApi();
  tenant = await createTenant(api, 'Alertbank');
  other = await createTenant(api, 'Quietbank');
});
afterAll(() => api.close());

const gbp = (amount: string) => ({ amount, currency: 'GBP' });
/** Ingests, then waits for the alert evaluation the ingest started in the background. */
async function ingest(companyId: string, transactions: unknown[]) {
  const res = await call(api, 'post', `/v1/companies/${companyId}/transactions`, {
    token: tenant.tokens.analyst,
    body: { transactions },
  });
  await api.app.services.alerts.idle();
  return res;
}
const alerts = async (query: string, token = tenant.tokens.viewer) => {
  const res = await call(api, 'get', `/v1/alerts?limit=100&${query}`, { token });
  expect(res.status).toBe(200);
  return res.body.items as Record<string, unknown>[];
};

const waitForOperation = async (location: string) =>
  (await settleOperation(api, tenant.tokens.viewer, location)).body;

/** Income of £1,000 and costs of `cost` on the 10th of each month of 2025. */
function months(costs: readonly number[]): StatementRow[] {
  return costs.flatMap((cost, i) => {
    const month = `2025-${String(i + 1).padStart(2, '0')}`;
    return [
      { accountRef: 'GB00NEG1', bookingDate: `${month}-10`, amount: gbp('1000.00'), description: 'SALES' },
      {
        accountRef: 'GB00NEG1',
        bookingDate: `${month}-20`,
        amount: gbp(`-${cost}.00`),
        description: 'COSTS',
      },
    ];
  });
}

describe('negative net cash flow N months running (ALERT_NEGATIVE_MONTHS, default 3)', () => {
  let companyId: string;
  // Nets by month, independently: +500, +200, −100, −300, −50 (Jan–May), then June's income only.
  const rows = [
    ...months([500, 800, 1100, 1300, 1050]),
    { accountRef: 'GB00NEG1', bookingDate: '2025-06-10', amount: gbp('1000.00'), description: 'SALES' },
  ];

  it('is raised by the ingest itself, once per open fingerprint, and announced as alert.raised', async () => {
    companyId = await createCompany(api, tenant.tokens.analyst);
    const endpoint = await new WebhookStore(api.pool).createEndpoint({
      organizationId: tenant.organizationId,
      url: 'https://hooks.alertbank.example/greenfin',
      events: ['alert.raised'],
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    });
    expect((await ingest(companyId, rows)).body.inserted).toBe(rows.length);
    // June is incomplete (its last booking is the 10th): the complete months end in May, and
    // March, April and May are negative — a run of 3.
    const figures = monthlyFigures(rows).filter((m) => m.month <= '2025-05');
    let run = 0;
    for (let i = figures.length - 1; i >= 0 && figures[i]!.net < 0; i--) run++;
    expect(run).toBe(3);
    const open = await alerts(`companyId=${companyId}&rule=negative-net-cash-flow`);
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ status: 'open', severity: 'warning', loanSimulationId: null });
    expect((open[0]!.details as { months: number }).months).toBe(run);
    expect((open[0]!.details as { periods: { net: number }[] }).periods.map((p) => p.net)).toEqual(
      figures.slice(-run).map((m) => m.net),
    );
    // A new row re-evaluates: the condition is still open, so nothing new is raised.
    await ingest(companyId, [
      { accountRef: 'GB00NEG1', bookingDate: '2025-06-11', amount: gbp('-1.00'), description: 'FEE' },
    ]);
    expect(await alerts(`companyId=${companyId}`)).toHaveLength(1);
    const { rows: deliveries } = await api.pool.query(
      `select "event", "payload" from "webhook_deliveries" where "endpoint_id" = $1`,
      [endpoint.id],
    );
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0].event).toBe('alert.raised');
    expect(deliveries[0].payload).toMatchObject({
      type: 'alert.raised',
      data: { id: open[0]!.id, rule: 'negative-net-cash-flow', companyId },
    });
  });

  it('acknowledge: viewer 403, another tenant 404, analyst 200 (twice is the same); an acknowledged condition raises nothing more', async () => {
    const [alert] = await alerts(`companyId=${companyId}&status=open`);
    const path = `/v1/alerts/${alert!.id}:acknowledge`;
    expect((await call(api, 'post', path, { token: tenant.tokens.viewer })).status).toBe(403);
    expect((await call(api, 'post', path, { token: other.tokens.admin })).status).toBe(404);
    expect(await alerts('', other.tokens.admin)).toEqual([]);
    const ack = await call(api, 'post', path, { token: tenant.tokens.analyst });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({
      status: 'acknowledged',
      acknowledgedAt: expect.any(String),
      resolvedAt: null,
    });
    const again = await call(api, 'post', path, { token: tenant.tokens.analyst });
    expect(again.body.acknowledgedAt).toBe(ack.body.acknowledgedAt);
    expect(await alerts(`companyId=${companyId}&status=open`)).toEqual([]);

    // The condition persists, but a person has seen it: an evaluation (no body: every company)
    // raises nothing new — no hourly repeat of an acknowledged alert.
    const started = await call(api, 'post', '/v1/alerts:evaluate', { token: tenant.tokens.analyst });
    expect(started.status).toBe(202);
    expect(started.body.kind).toBe('alert-evaluation');
    const done = await waitForOperation(started.headers.location!);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.result).toMatchObject({ raised: 0, resolved: 0 });
    expect(await alerts(`companyId=${companyId}`)).toMatchObject([{ id: alert!.id, status: 'acknowledged' }]);
    expect(
      (await call(api, 'post', '/v1/alerts:evaluate', { token: tenant.tokens.viewer, body: {} })).status,
    ).toBe(403);
  });

  it('resolves when the condition clears, and the same condition coming back raises a new alert', async () => {
    const [acknowledged] = await alerts(`companyId=${companyId}&status=acknowledged`);
    // June completes (a booking on the 30th) with a positive net: the negative run ends.
    await ingest(companyId, [
      { accountRef: 'GB00NEG1', bookingDate: '2025-06-30', amount: gbp('500.00'), description: 'SALES' },
    ]);
    const [resolved] = await alerts(`companyId=${companyId}&status=resolved`);
    expect(resolved).toMatchObject({ id: acknowledged!.id, resolvedAt: expect.any(String) });
    expect(await alerts(`companyId=${companyId}&status=open`)).toEqual([]);
    // July–September: costs above income each month, September complete — a new run of 3.
    const quarter = ['07', '08', '09'].flatMap((m) => [
      { accountRef: 'GB00NEG1', bookingDate: `2025-${m}-10`, amount: gbp('1000.00'), description: 'SALES' },
      { accountRef: 'GB00NEG1', bookingDate: `2025-${m}-20`, amount: gbp('-1400.00'), description: 'COSTS' },
    ]);
    quarter.push({
      accountRef: 'GB00NEG1',
      bookingDate: '2025-09-30',
      amount: gbp('-1.00'),
      description: 'FEE',
    });
    await ingest(companyId, quarter);
    const open = await alerts(`companyId=${companyId}&status=open`);
    expect(open).toHaveLength(1);
    expect(open[0]!.id).not.toBe(acknowledged!.id);
    expect((open[0]!.details as { periods: { start: string }[] }).periods.map((p) => p.start)).toEqual([
      '2025-07-01',
      '2025-08-01',
      '2025-09-01',
    ]);
    expect(await alerts(`companyId=${companyId}`)).toHaveLength(2);
  });
});

describe('DSCR below ALERT_DSCR_THRESHOLD (default 1.25) for the company’s simulations', () => {
  it('fires for the simulation whose debt service the cash flow covers less than 1.25 times, not the other', async () => {
    const statement = readAcmeStatement();
    const companyId = await createCompany(api, tenant.tokens.analyst);
    await ingest(companyId, statement);
    const simulate = (principal: string) =>
      call(api, 'post', '/v1/loan-simulations', {
        token: tenant.tokens.analyst,
        body: {
          companyId,
          principal: gbp(principal),
          termMonths: 60,
          startDate: '2026-03-01',
          baseRate: 0.0375,
          creditSpread: 0.03,
        },
      });
    const small = await simulate('100000.00');
    const large = await simulate('400000.00');
    // No body at all: every company of the tenant (the body's fields are all optional).
    const started = await call(api, 'post', '/v1/alerts:evaluate', { token: tenant.tokens.analyst });
    expect(started.status).toBe(202);
    expect((await waitForOperation(started.headers.location!)).status).toBe('succeeded');
    // Independently: the mean net of the last 12 complete months of the fixture over the level
    // monthly payment each simulation reports.
    const window = monthlyFigures(statement).filter((m) => m.month >= '2025-03');
    const cashFlow = Math.round(window.reduce((s, m) => s + m.net, 0) / 12);
    const dscrOf = (sim: typeof small) => cashFlow / pence(sim.body.cashFlow.monthlyDebtService.amount);
    expect(dscrOf(small)).toBeGreaterThan(1.25);
    expect(dscrOf(large)).toBeLessThan(1.25);
    const raised = await alerts(`companyId=${companyId}&rule=dscr-below-threshold`);
    expect(raised.map((a) => a.loanSimulationId)).toEqual([large.body.id]);
    expect((raised[0]!.details as { dscr: number }).dscr).toBeCloseTo(dscrOf(large), 6);
    expect(raised[0]!.severity).toBe(dscrOf(large) < 1 ? 'critical' : 'warning');
  });
});

describe('sustainability KPI missed for a sustainability-linked simulation', () => {
  it('fires for each target year the reported metric misses, not for a met or unreported one', async () => {
    const companyId = await createCompany(api, tenant.tokens.analyst);
    const metric = (year: number, body: Record<string, unknown>) =>
      call(api, 'post', `/v1/companies/${companyId}/metrics`, {
        token: tenant.tokens.analyst,
        body: { year, ...body },
      });
    await metric(2023, { scope1Tco2e: 42, scope2Tco2e: 49.8, renewableShare: 0.42 });
    await metric(2024, { scope1Tco2e: 40, scope2Tco2e: 55, renewableShare: 0.55 });
    const bad = await call(api, 'post', '/v1/loan-simulations', {
      token: tenant.tokens.analyst,
      body: {
        companyId,
        principal: gbp('100000.00'),
        termMonths: 24,
        sustainabilityLinked: { kpis: [{ id: 'k', metric: 'scopeX', direction: 'decrease', targets: [] }] },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([
      '#/sustainabilityLinked/kpis/0/metric',
      '#/sustainabilityLinked/kpis/0/targets',
    ]);
    const sim = await call(api, 'post', '/v1/loan-simulations', {
      token: tenant.tokens.analyst,
      body: {
        companyId,
        principal: gbp('100000.00'),
        termMonths: 24,
        sustainabilityLinked: {
          kpis: [
            // 2023: 42 + 49.8 = 91.8 > 80 → missed; 2024: 95 ≤ 100 → met; 2025: not reported yet.
            {
              id: 'ghg',
              metric: 'scope1And2Tco2e',
              direction: 'decrease',
              targets: [
                { year: 2023, value: 80 },
                { year: 2024, value: 100 },
                { year: 2025, value: 90 },
              ],
            },
            // 2023: 0.42 < 0.5 → missed; 2024: 0.55 ≥ 0.5 → met.
            {
              id: 'renewables',
              metric: 'renewableShare',
              direction: 'increase',
              targets: [
                { year: 2023, value: 0.5 },
                { year: 2024, value: 0.5 },
              ],
            },
          ],
        },
      },
    });
    expect(sim.status).toBe(201);
    expect(sim.body.sustainabilityLinked.kpis).toHaveLength(2);
    const started = await call(api, 'post', '/v1/alerts:evaluate', {
      token: tenant.tokens.analyst,
      body: { companyId },
    });
    expect((await waitForOperation(started.headers.location!)).result).toMatchObject({ raised: 2 });
    const raised = await alerts(`companyId=${companyId}&rule=sustainability-kpi-missed`);
    expect(
      raised
        .map((a) => {
          const d = a.details as { kpiId: string; year: number; reported: number };
          return `${d.kpiId}:${d.year}:${d.reported}`;
        })
        .sort(),
    ).toEqual(['ghg:2023:91.8', 'renewables:2023:0.42']);
    expect(raised.every((a) => a.loanSimulationId === sim.body.id)).toBe(true);
  });
});

describe('recategorisation job', () => {
  it('re-applies the rules to non-manual transactions with progress, keeps manual ones, drops the cache', async () => {
    const companyId = await createCompany(api, tenant.tokens.analyst);
    const rows: StatementRow[] = Array.from({ length: 30 }, (_, i) => ({
      accountRef: 'GB00RECAT',
      bookingDate: `2025-01-${String(i + 1).padStart(2, '0')}`,
      amount: gbp(i % 3 === 0 ? '-45.99' : '-3.10'),
      description: i % 3 === 0 ? 'DD OCTOPUS ENERGY LTD' : 'CARD PAYMENT GREGGS',
    }));
    await ingest(companyId, rows);
    const list = async () =>
      (
        await call(api, 'get', `/v1/companies/${companyId}/transactions?limit=100`, {
          token: tenant.tokens.viewer,
        })
      ).body.items as Record<string, unknown>[];
    const manual = (await list()).find((t) => String(t.description).includes('GREGGS'))!;
    await call(api, 'patch', `/v1/companies/${companyId}/transactions/${manual.id}`, {
      token: tenant.tokens.analyst,
      body: { category: 'staff-welfare' },
    });
    const cf = () =>
      call(api, 'get', `/v1/companies/${companyId}/cash-flow`, { token: tenant.tokens.viewer });
    await cf();
    expect((await cf()).headers['x-cache']).toBe('hit');
    const rule = await call(api, 'post', '/v1/category-rules', {
      token: tenant.tokens.analyst,
      body: { field: 'description', match: 'keyword', pattern: 'greggs', category: 'meals', priority: 50 },
    });
    expect(rule.status).toBe(201);
    expect(
      (
        await call(api, 'post', `/v1/companies/${companyId}/transactions:recategorise`, {
          token: tenant.tokens.viewer,
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await call(api, 'post', `/v1/companies/${companyId}/transactions:recategorise`, {
          token: other.tokens.admin,
        })
      ).status,
    ).toBe(404);
    const started = await call(api, 'post', `/v1/companies/${companyId}/transactions:recategorise`, {
      token: tenant.tokens.analyst,
    });
    expect(started.status).toBe(202);
    expect(started.body.kind).toBe('recategorisation');
    const done = await waitForOperation(started.headers.location!);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    const greggs = rows.filter((r) => r.description.includes('GREGGS')).length;
    expect(done.result).toMatchObject({
      examined: rows.length - 1,
      changed: greggs - 1,
      companyIds: [companyId],
    });
    expect(done.progress).toEqual({ completed: rows.length - 1, total: rows.length - 1 });
    const after = await list();
    expect(after.filter((t) => t.category === 'meals')).toHaveLength(greggs - 1);
    expect(after.find((t) => t.id === manual.id)).toMatchObject({
      category: 'staff-welfare',
      categorySource: 'manual',
    });
    expect((await cf()).headers['x-cache']).toBe('miss');

    const all = await call(api, 'post', '/v1/category-rules:apply', { token: tenant.tokens.analyst });
    expect(all.status).toBe(202);
    const second = await waitForOperation(all.headers.location!);
    expect(second.status).toBe('succeeded');
    expect(second.result.changed).toBe(0);
  });
});

describe('scheduled evaluation on the in-process engine (ALERT_EVALUATION_INTERVAL_MS)', () => {
  it('starts an alert-evaluation job per tenant with data on every tick, once per slot', async () => {
    const timed = await startTestApi({ ALERT_EVALUATION_INTERVAL_MS: '300' });
    try {
      const bank = await createTenant(timed, 'Timerbank');
      const companyId = await createCompany(timed, bank.tokens.analyst);
      await call(timed, 'post', `/v1/companies/${companyId}/transactions`, {
        token: bank.tokens.analyst,
        body: { transactions: months([1200, 1300, 1400]) },
      });
      let ops: { kind: string; status: string; idempotencyKey?: string }[] = [];
      for (let i = 0; i < 60 && ops.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const res = await call(timed, 'get', '/v1/operations?kind=alert-evaluation', {
          token: bank.tokens.viewer,
        });
        ops = res.body.items;
      }
      expect(ops.length).toBeGreaterThan(0);
      expect(ops[0]!.kind).toBe('alert-evaluation');
      const { rows } = await timed.pool.query(
        `select count(*)::int as n, count(distinct "idempotency_key")::int as keys from "operations" where "kind" = 'alert-evaluation'`,
      );
      expect(rows[0].n).toBe(rows[0].keys); // one job per tenant and slot
    } finally {
      await timed.close();
    }
  }, 30_000);

  it('ALERT_* variables are validated by name', async () => {
    const { loadConfig } = await import('../src/config.js');
    expect(() => loadConfig({ ALERT_DSCR_THRESHOLD: 'x' })).toThrow(/ALERT_DSCR_THRESHOLD/);
    expect(() => loadConfig({ ALERT_NEGATIVE_MONTHS: '0' })).toThrow(/ALERT_NEGATIVE_MONTHS/);
    expect(() => loadConfig({ ALERT_EVALUATION_INTERVAL_MS: '-1' })).toThrow(/ALERT_EVALUATION_INTERVAL_MS/);
    expect(() => loadConfig({ BULK_BODY_LIMIT_BYTES: '0' })).toThrow(/BULK_BODY_LIMIT_BYTES/);
    expect(loadConfig({}).alerts).toEqual({
      dscrThreshold: 1.25,
      negativeMonths: 3,
      evaluationIntervalMs: 3_600_000,
    });
  });
});
