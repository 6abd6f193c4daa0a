import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, getPdf, settleOperation } from './support/client.js';
import { createCompany, createTenant, type Tenant } from './support/fixtures.js';
import { startTestApi, type TestApi } from './support/harness.js';
import {
  BERKA_TRANSACTIONS,
  monthlyFigures,
  pence,
  readAcmeStatement,
  readBerkaAccount,
  type StatementRow,
} from './support/statements.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON rows of the API's answers
type Row = Record<string, any>;

let api: TestApi;
let tenant: Tenant;
let other: Tenant;
let companyId: string;
const statement = readAcmeStatement();

beforeAll(async () => {
  api = await startTestApi();
  tenant = await createTenant(api, 'Cashbank');
  other = await createTenant(api, 'Otherbank');
  companyId = await createCompany(api, tenant.tokens.analyst);
});
afterAll(() => api.close());

const tx = (id = companyId) => `/v1/companies/${id}/transactions`;
const gbp = (amount: string) => ({ amount, currency: 'GBP' });
const money = (minor: number) => {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return gbp(`${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`);
};

async function listAll(id: string, token: string, query = ''): Promise<Row[]> {
  const items: Row[] = [];
  let cursor: string | null = null;
  do {
    const sep = query ? '&' : '';
    const res = await call(
      api,
      'get',
      `${tx(id)}?limit=37${sep}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { token },
    );
    expect(res.status).toBe(200);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}

describe('category rules', () => {
  it('a regex that does not compile → 422 naming pattern; a keyword with no words too', async () => {
    const bad = await call(api, 'post', '/v1/category-rules', {
      token: tenant.tokens.analyst,
      body: { field: 'description', match: 'regex', pattern: '(unclosed', category: 'x' },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([
      expect.objectContaining({ pointer: '#/pattern', code: 'invalid_pattern' }),
    ]);
    const noWords = await call(api, 'post', '/v1/category-rules', {
      token: tenant.tokens.analyst,
      body: { field: 'description', match: 'keyword', pattern: '***', category: 'x' },
    });
    expect(noWords.status).toBe(422);
    expect(noWords.body.errors[0].pointer).toBe('#/pattern');
  });

  it('viewer reads, analyst creates and edits, admin deletes; another tenant sees none of them', async () => {
    const asViewer = await call(api, 'post', '/v1/category-rules', {
      token: tenant.tokens.viewer,
      body: { field: 'description', match: 'keyword', pattern: 'octopus energy', category: 'utilities' },
    });
    expect(asViewer.status).toBe(403);
    const rules = [
      {
        field: 'description',
        match: 'keyword',
        pattern: 'octopus energy',
        amountSign: 'outflow',
        category: 'utilities',
        priority: 10,
      },
      {
        field: 'description',
        match: 'regex',
        pattern: '^FPS INVOICE \\d+',
        amountSign: 'inflow',
        category: 'sales',
        priority: 5,
      },
      {
        field: 'description',
        match: 'keyword',
        pattern: 'transfer',
        category: 'internal-transfer',
        priority: 1,
      },
      { field: 'counterparty', match: 'keyword', pattern: 'costa coffee', category: 'meals', priority: 0 },
    ];
    for (const body of rules) {
      const res = await call(api, 'post', '/v1/category-rules', { token: tenant.tokens.analyst, body });
      expect(res.status).toBe(201);
      expect(res.headers.location).toBe(`/v1/category-rules/${res.body.id}`);
    }
    const tmp = await call(api, 'post', '/v1/category-rules', {
      token: tenant.tokens.analyst,
      body: { field: 'description', match: 'keyword', pattern: 'payroll', category: 'wages' },
    });
    const patched = await call(api, 'patch', `/v1/category-rules/${tmp.body.id}`, {
      token: tenant.tokens.analyst,
      body: { priority: 3, pattern: '[' },
    });
    expect(patched.status).toBe(422);
    expect(patched.body.errors[0].pointer).toBe('#/pattern');
    const ok = await call(api, 'patch', `/v1/category-rules/${tmp.body.id}`, {
      token: tenant.tokens.analyst,
      body: { priority: 3 },
    });
    expect(ok.body).toMatchObject({ priority: 3, pattern: 'payroll', category: 'wages' });
    expect(
      (await call(api, 'delete', `/v1/category-rules/${tmp.body.id}`, { token: tenant.tokens.analyst }))
        .status,
    ).toBe(403);
    expect(
      (await call(api, 'delete', `/v1/category-rules/${tmp.body.id}`, { token: tenant.tokens.admin })).status,
    ).toBe(204);
    const list = await call(api, 'get', '/v1/category-rules?limit=2', { token: tenant.tokens.viewer });
    expect(list.body.items.map((r: { priority: number }) => r.priority)).toEqual([10, 5]);
    const next = await call(api, 'get', `/v1/category-rules?limit=2&cursor=${list.body.nextCursor}`, {
      token: tenant.tokens.viewer,
    });
    expect(next.body.items.map((r: { priority: number }) => r.priority)).toEqual([1, 0]);
    expect(next.body.nextCursor).toBeNull();
    const theirs = await call(api, 'get', '/v1/category-rules', { token: other.tokens.admin });
    expect(theirs.body.items).toEqual([]);
    expect(
      (await call(api, 'get', `/v1/category-rules/${list.body.items[0].id}`, { token: other.tokens.admin }))
        .status,
    ).toBe(404);
  });
});

describe('POST /v1/companies/{id}/transactions', () => {
  it('viewer → 403; another tenant’s company → 404', async () => {
    const body = { transactions: statement.slice(0, 2) };
    expect((await call(api, 'post', tx(), { token: tenant.tokens.viewer, body })).status).toBe(403);
    expect((await call(api, 'post', tx(), { token: other.tokens.admin, body })).status).toBe(404);
  });

  it('bad rows → problems naming transactions[i].field, and nothing stored', async () => {
    const schema = await call(api, 'post', tx(), {
      token: tenant.tokens.analyst,
      body: {
        transactions: [
          statement[0],
          { ...statement[1], amount: gbp('twelve') },
          { ...statement[2], bookingDate: '2025-02-30' },
        ],
      },
    });
    expect(schema.status).toBe(400);
    expect(schema.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([
      '#/transactions/1/amount/amount',
      '#/transactions/2/bookingDate',
    ]);
    const domain = await call(api, 'post', tx(), {
      token: tenant.tokens.analyst,
      body: { transactions: [statement[0], { ...statement[1], amount: gbp('1.234') }] },
    });
    expect(domain.status).toBe(422);
    expect(domain.body.errors[0].pointer).toBe('#/transactions/1/amount');
    const mixed = await call(api, 'post', tx(), {
      token: tenant.tokens.analyst,
      body: {
        transactions: [
          statement[0],
          { ...statement[1], amount: { amount: '1.00', currency: 'EUR' }, balanceAfter: undefined },
        ],
      },
    });
    expect(mixed.status).toBe(422);
    expect(mixed.body.errors[0]).toMatchObject({
      pointer: '#/transactions/1/currency',
      code: 'currency_mismatch',
    });
    const empty = await call(api, 'post', tx(), { token: tenant.tokens.analyst, body: { transactions: [] } });
    expect(empty.status).toBe(400);
    expect(await listAll(companyId, tenant.tokens.viewer)).toEqual([]);
  });

  it('stores the statement with rules applied; the same batch twice adds nothing', async () => {
    const first = await call(api, 'post', tx(), {
      token: tenant.tokens.analyst,
      body: { transactions: statement },
    });
    expect(first.status).toBe(200);
    // Independent count of the rows the four rules match (plain string tests on the fixture).
    const byRules = statement.filter(
      (r) =>
        (r.description.includes('OCTOPUS ENERGY') && r.amount.amount.startsWith('-')) ||
        (/^FPS INVOICE \d+/.test(r.description) && !r.amount.amount.startsWith('-')) ||
        / TRANSFER |^TRANSFER /.test(` ${r.description} `) ||
        r.counterparty === 'Costa Coffee',
    ).length;
    expect(first.body).toEqual({
      received: statement.length,
      inserted: statement.length,
      duplicates: 0,
      categorisedByRules: byRules,
      accountRefs: ['GB33ACME40001200345678', 'GB33ACME40001200999000'],
    });
    const again = await call(api, 'post', tx(), {
      token: tenant.tokens.analyst,
      body: { transactions: statement },
    });
    expect(again.body).toMatchObject({ inserted: 0, duplicates: statement.length });
    const stored = await listAll(companyId, tenant.tokens.viewer);
    expect(stored).toHaveLength(statement.length);
    // Two identical £2.40 coffees a day are two transactions, kept both times.
    const coffees = stored.filter((t) => t.bookingDate === '2025-01-06' && t.description.includes('COSTA'));
    expect(coffees).toHaveLength(2);
    expect(coffees.map((c) => c.category)).toEqual(['meals', 'meals']);
    const energy = stored.find((t) => t.description === 'DD OCTOPUS ENERGY LTD');
    expect(energy).toMatchObject({ category: 'utilities', categorySource: 'rule', amount: gbp('-599.90') });
    const payroll = stored.find((t) => t.description === 'BACS PAYROLL ACME HEAT');
    expect(payroll).toMatchObject({ category: null, categorySource: null });
    // Booking-date order, every amount as stored.
    const sorted = [...statement].sort((a, b) =>
      a.bookingDate < b.bookingDate ? -1 : a.bookingDate > b.bookingDate ? 1 : 0,
    );
    expect(stored.map((t) => t.bookingDate)).toEqual(sorted.map((r) => r.bookingDate));
    expect(stored.reduce((s, t) => s + pence(t.amount.amount), 0)).toBe(
      statement.reduce((s, r) => s + pence(r.amount.amount), 0),
    );
  });

  it('takes 5,000 rows in one batch (above the default body limit)', async () => {
    const id = await createCompany(api, tenant.tokens.analyst);
    const rows = Array.from({ length: 5000 }, (_, i) => ({
      accountRef: 'GB00BULK00000000000001',
      bookingDate: `2025-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
      amount: gbp(`${i % 2 ? '-' : ''}${(i % 500) + 1}.25`),
      description: `CARD PAYMENT SHOP ${i % 40}`,
      counterparty: `Shop ${i % 40}`,
    }));
    const body = { transactions: rows };
    expect(JSON.stringify(body).length).toBeGreaterThan(Number(api.config.bodyLimitBytes));
    const res = await call(api, 'post', tx(id), { token: tenant.tokens.analyst, body });
    expect(res.status).toBe(200);
    expect(res.body.inserted).toBe(5000);
    const tooMany = await call(api, 'post', tx(id), {
      token: tenant.tokens.analyst,
      body: { transactions: [...rows, rows[0]] },
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors[0].pointer).toBe('#/transactions');
  });

  it('GET filters by date, category and account; PATCH sets and clears a manual category', async () => {
    const jan = await listAll(companyId, tenant.tokens.viewer, 'from=2025-01-01&to=2025-01-31');
    expect(jan).toHaveLength(statement.filter((r) => r.bookingDate.startsWith('2025-01')).length);
    const sales = await listAll(companyId, tenant.tokens.viewer, 'category=sales');
    expect(sales).toHaveLength(statement.filter((r) => r.description.startsWith('FPS INVOICE')).length);
    const savings = await listAll(companyId, tenant.tokens.viewer, 'accountRef=GB33ACME40001200999000');
    expect(savings).toHaveLength(statement.filter((r) => r.accountRef === 'GB33ACME40001200999000').length);

    const payroll = (await listAll(companyId, tenant.tokens.viewer)).find((t) =>
      t.description.includes('PAYROLL'),
    )!;
    const path = `${tx()}/${payroll.id}`;
    expect(
      (await call(api, 'patch', path, { token: tenant.tokens.viewer, body: { category: 'wages' } })).status,
    ).toBe(403);
    expect(
      (
        await call(api, 'patch', `${tx()}/${payroll.id}`, {
          token: other.tokens.admin,
          body: { category: 'x' },
        })
      ).status,
    ).toBe(404);
    const set = await call(api, 'patch', path, { token: tenant.tokens.analyst, body: { category: 'wages' } });
    expect(set.body).toMatchObject({ category: 'wages', categorySource: 'manual', categoryRuleId: null });
    const energy = (await listAll(companyId, tenant.tokens.viewer, 'category=utilities'))[0]!;
    const manual = await call(api, 'patch', `${tx()}/${energy.id}`, {
      token: tenant.tokens.analyst,
      body: { category: 'rent' },
    });
    expect(manual.body).toMatchObject({ category: 'rent', categorySource: 'manual' });
    const cleared = await call(api, 'patch', `${tx()}/${energy.id}`, {
      token: tenant.tokens.analyst,
      body: { category: null },
    });
    expect(cleared.body).toMatchObject({ category: 'utilities', categorySource: 'rule' });
    expect(cleared.body.categoryRuleId).toEqual(expect.any(String));
  });
});

describe('GET /v1/companies/{id}/cash-flow', () => {
  it('matches an independent recomputation from the CSV, per month, and is cached until a change', async () => {
    const res = await call(api, 'get', `/v1/companies/${companyId}/cash-flow?granularity=month`, {
      token: tenant.tokens.viewer,
    });
    expect(res.status).toBe(200);
    expect(res.headers['x-cache']).toBe('miss');
    const expected = monthlyFigures(statement);
    expect(res.body.periods).toHaveLength(expected.length);
    res.body.periods.forEach((p: Row, i: number) => {
      const e = expected[i]!;
      expect(p.start.slice(0, 7)).toBe(e.month);
      expect(p.inflow).toEqual(money(e.inflow));
      expect(p.outflow).toEqual(money(e.outflow));
      expect(p.net).toEqual(money(e.net));
      expect(p.closingBalance).toEqual(money(e.closing!));
      expect(p.transactionCount).toBe(e.count);
    });
    // The fixture's last closing balance is the sum of its accounts' last stated balances.
    const lastBalances = ['GB33ACME40001200345678', 'GB33ACME40001200999000'].map((a) =>
      pence(statement.filter((r) => r.accountRef === a).at(-1)!.balanceAfter!.amount),
    );
    expect(res.body.latestClosingBalance).toEqual(money(lastBalances[0]! + lastBalances[1]!));
    const hit = await call(api, 'get', `/v1/companies/${companyId}/cash-flow?granularity=month`, {
      token: tenant.tokens.viewer,
    });
    expect(hit.headers['x-cache']).toBe('hit');
    expect(hit.body.periods).toEqual(res.body.periods);

    // Quarter totals are the sums of their months.
    const q = await call(
      api,
      'get',
      `/v1/companies/${companyId}/cash-flow?granularity=quarter&from=2025-01-01&to=2025-12-31`,
      {
        token: tenant.tokens.viewer,
      },
    );
    expect(q.body.periods).toHaveLength(4);
    const q1 = expected.slice(0, 3).reduce((s, e) => s + e.net, 0);
    expect(q.body.periods[0].net).toEqual(money(q1));
    expect(q.body.months).toBe(12);

    // A manual category changes the breakdown: the cache is dropped.
    const coffee = (await listAll(companyId, tenant.tokens.viewer, 'category=meals'))[0]!;
    await call(api, 'patch', `${tx()}/${coffee.id}`, {
      token: tenant.tokens.analyst,
      body: { category: 'office' },
    });
    const afterPatch = await call(api, 'get', `/v1/companies/${companyId}/cash-flow?granularity=month`, {
      token: tenant.tokens.viewer,
    });
    expect(afterPatch.headers['x-cache']).toBe('miss');
    expect(
      afterPatch.body.categoryBreakdown.find((c: { category: string }) => c.category === 'office'),
    ).toMatchObject({
      outflow: gbp('-2.40'),
      transactionCount: 1,
    });
    // An ingest that inserts something drops it too.
    const extra: StatementRow = {
      accountRef: 'GB33ACME40001200345678',
      bookingDate: '2026-02-28',
      amount: gbp('-10.00'),
      description: 'BANK CHARGES',
    };
    await call(api, 'post', tx(), { token: tenant.tokens.analyst, body: { transactions: [extra] } });
    const afterIngest = await call(api, 'get', `/v1/companies/${companyId}/cash-flow?granularity=month`, {
      token: tenant.tokens.viewer,
    });
    expect(afterIngest.headers['x-cache']).toBe('miss');
    expect(afterIngest.body.periods.at(-1).net).toEqual(money(expected.at(-1)!.net - 1000));
  });

  it('another tenant → 404; a company without transactions → 422; bad granularity → 400', async () => {
    expect(
      (await call(api, 'get', `/v1/companies/${companyId}/cash-flow`, { token: other.tokens.admin })).status,
    ).toBe(404);
    const empty = await createCompany(api, tenant.tokens.analyst);
    const none = await call(api, 'get', `/v1/companies/${empty}/cash-flow`, { token: tenant.tokens.viewer });
    expect(none.status).toBe(422);
    expect(none.body.type).toBe('/problems/no-transactions');
    const bad = await call(api, 'get', `/v1/companies/${companyId}/cash-flow?granularity=day`, {
      token: tenant.tokens.viewer,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].pointer).toBe('#/granularity');
    const reversed = await call(
      api,
      'get',
      `/v1/companies/${companyId}/cash-flow?from=2025-03-01&to=2025-01-01`,
      {
        token: tenant.tokens.viewer,
      },
    );
    expect(reversed.status).toBe(400);
    expect(reversed.body.errors[0].pointer).toBe('#/to');
  });

  it('deleting the company deletes its transactions', async () => {
    const id = await createCompany(api, tenant.tokens.analyst);
    await call(api, 'post', tx(id), {
      token: tenant.tokens.analyst,
      body: { transactions: statement.slice(0, 5) },
    });
    expect((await call(api, 'delete', `/v1/companies/${id}`, { token: tenant.tokens.admin })).status).toBe(
      204,
    );
    const { rows } = await api.pool.query(
      'select count(*)::int as n from transactions where company_id = $1',
      [id],
    );
    expect(rows[0].n).toBe(0);
  });

  const berka = readBerkaAccount('1787');
  it.skipIf(!berka)(
    `a real account (PKDD'99 account 1787, read at run time from ${BERKA_TRANSACTIONS}) matches a plain recomputation`,
    async () => {
      const id = await createCompany(api, tenant.tokens.analyst);
      const rows = berka!;
      expect(rows.length).toBeGreaterThan(10);
      const res = await call(api, 'post', tx(id), {
        token: tenant.tokens.analyst,
        body: { transactions: rows },
      });
      expect(res.body.inserted).toBe(rows.length);
      const cf = await call(api, 'get', `/v1/companies/${id}/cash-flow`, { token: tenant.tokens.viewer });
      const expected = monthlyFigures(rows);
      expect(cf.body.periods.map((p: { net: { amount: string } }) => pence(p.net.amount))).toEqual(
        expected.map((e) => e.net),
      );
      expect(
        cf.body.periods.map((p: { closingBalance: { amount: string } }) => pence(p.closingBalance.amount)),
      ).toEqual(expected.map((e) => e.closing));
    },
  );
  if (!berka) console.info(`skipped the PKDD'99 account test: ${BERKA_TRANSACTIONS} is not on this machine`);
});

describe('POST /v1/loan-simulations priced from cash flow', () => {
  // Independent recomputation (plain loops and the closed-form annuity, not core): the window is
  // the last 12 complete months of the fixture (2025-03 … 2026-02), DSCR = their mean net (the
  // only non-operating rows, internal transfers, net to zero each month) / the level monthly
  // payment, graded by the thresholds of docs/methodology/cash-flow.md §6.
  const base = 0.0375;
  const thresholds = [
    ['CF1', 2.0, 0.015],
    ['CF2', 1.5, 0.02],
    ['CF3', 1.25, 0.0275],
    ['CF4', 1.15, 0.0375],
    ['CF5', -Infinity, 0.05],
  ] as const;
  const window = monthlyFigures(statement).filter((m) => m.month >= '2025-03');
  const nets = window.map((m) => m.net);
  const averageNet = Math.round(nets.reduce((s, x) => s + x, 0) / 12);
  const mean = nets.reduce((s, x) => s + x, 0) / 12;
  const sd = Math.sqrt(nets.reduce((s, x) => s + (x - mean) ** 2, 0) / 11);
  const outflow = window.reduce((s, m) => s + m.outflow, 0);
  const days = 365; // 2025-03-01 … 2026-02-28
  const daysCash = window.at(-1)!.closing! / (-outflow / days);
  const notches = (daysCash < 30 ? 1 : 0) + (sd / Math.abs(mean) > 1 ? 1 : 0);
  const payment = (principal: number, rate: number, n: number) => {
    const r = rate / 12;
    return Math.round((principal * r) / (1 - (1 + r) ** -n));
  };
  const gradeOf = (dscr: number) => Math.min(4, thresholds.findIndex(([, min]) => dscr >= min) + notches);
  function expected(principal: number, months: number) {
    for (let g = 0; g < thresholds.length; g++) {
      const p = payment(principal, base + thresholds[g]![2], months);
      const dscr = averageNet / p;
      if (gradeOf(dscr) <= g)
        return {
          grade: thresholds[gradeOf(dscr)]![0],
          spread: thresholds[gradeOf(dscr)]![2],
          dscr,
          payment: p,
        };
    }
    throw new Error('unreachable');
  }
  let borrower: string;
  beforeAll(async () => {
    borrower = await createCompany(api, tenant.tokens.analyst);
    const res = await call(api, 'post', tx(borrower), {
      token: tenant.tokens.analyst,
      body: { transactions: statement },
    });
    expect(res.body.inserted).toBe(statement.length);
  });
  const simulate = (principal: string, extra: Record<string, unknown> = {}, companyId = borrower) =>
    call(api, 'post', '/v1/loan-simulations', {
      token: tenant.tokens.analyst,
      body: {
        companyId,
        principal: gbp(principal),
        termMonths: 60,
        startDate: '2026-03-01',
        baseRate: base,
        ...extra,
      },
    });

  for (const principal of [100_000, 230_000, 290_000, 325_000, 400_000]) {
    it(`£${principal}: the grade and its spread, as recomputed`, async () => {
      const e = expected(principal * 100, 60);
      console.info(
        `£${principal}: DSCR ${e.dscr.toFixed(3)} → ${e.grade} at ${e.spread}; mean net ${averageNet}, days cash ${daysCash.toFixed(1)}, CV ${(sd / Math.abs(mean)).toFixed(3)}`,
      );
      const res = await simulate(`${principal}.00`);
      expect(res.status).toBe(201);
      const cf = res.body.cashFlow;
      expect(cf).toMatchObject({
        spreadSource: 'cash-flow',
        grade: e.grade,
        spreadApplied: e.spread,
        gradeSpread: e.spread,
        window: { from: '2025-03-01', to: '2026-02-28', months: 12 },
        averageMonthlyNetOperatingCashFlow: money(averageNet),
        monthlyDebtService: money(e.payment),
        nonOperatingCategories: expect.arrayContaining(['internal-transfer']),
      });
      expect(cf.dscr).toBeCloseTo(e.dscr, 10);
      expect(cf.daysCashOnHand).toBeCloseTo(daysCash, 6);
      expect(cf.coefficientOfVariation).toBeCloseTo(sd / Math.abs(mean), 10);
      expect(cf.thresholds.map((t: { minDscr: number | null }) => t.minDscr)).toEqual([
        2,
        1.5,
        1.25,
        1.15,
        null,
      ]);
      expect(cf.explanation).toContain(`DSCR ${e.dscr.toFixed(2)}x`);
      expect(res.body.creditSpread).toBe(e.spread);
      expect(res.body.defaultsApplied).not.toContain('creditSpread');
      expect(res.body.regularPayment.amount).not.toBe('');
      // Stored with the snapshot: the same block reads back.
      const got = await call(api, 'get', `/v1/loan-simulations/${res.body.id}`, {
        token: tenant.tokens.viewer,
      });
      expect(got.body.cashFlow).toEqual(cf);
    });
  }

  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const pdftotext = ['/usr/bin/pdftotext', '/usr/local/bin/pdftotext'].find((p) => existsSync(p));
  it.skipIf(!existsSync(chromium) || !pdftotext)(
    'the PDF report explains the grade (read back with pdftotext)',
    async () => {
      const e = expected(29_000_000, 60);
      const sim = await simulate('290000.00');
      const path = `/v1/loan-simulations/${sim.body.id}/report`;
      const started = await call(api, 'get', path, {
        token: tenant.tokens.viewer,
        headers: { Accept: 'application/pdf' },
      });
      expect(started.status).toBe(202);
      const op = await settleOperation(api, tenant.tokens.viewer, started.headers.location!);
      expect(op.body.status, JSON.stringify(op.body.error)).toBe('succeeded');
      const pdf = await getPdf(api, path, tenant.tokens.viewer);
      expect(pdf.status).toBe(200);
      const text = execFileSync(pdftotext!, ['-layout', '-', '-'], { input: pdf.body as Buffer })
        .toString('utf8')
        .replace(/\s+/g, ' ');
      expect(text).toContain('Cash-flow risk');
      expect(text).toContain(`DSCR ${e.dscr.toFixed(2)}x`);
      expect(text).toContain(`Grade ${e.grade}`);
      expect(text).toContain('1.15x is the US SBA SOP 50 10 7.1 minimum');
      console.info(text.slice(text.indexOf('Cash-flow risk'), text.indexOf('Cash-flow risk') + 900));
    },
    180_000,
  );

  it('an explicit credit spread wins, and the block says so', async () => {
    const res = await simulate('100000.00', { creditSpread: 0.03 });
    expect(res.body.creditSpread).toBe(0.03);
    const p = payment(10_000_000, base + 0.03, 60);
    expect(res.body.cashFlow).toMatchObject({
      spreadSource: 'caller',
      spreadApplied: 0.03,
      monthlyDebtService: money(p),
    });
    expect(res.body.cashFlow.dscr).toBeCloseTo(averageNet / p, 10);
    expect(res.body.cashFlow.explanation).toContain('explicit credit spread 3.00 %');
  });

  it('existing debt service counts in the DSCR: (this loan + existing) a month, graded as recomputed', async () => {
    // £100,000 alone grades well; with £4,000 a month of other debt the DSCR falls, recomputed
    // here as averageNet / (level payment at the grade's rate + 400000) with the same thresholds.
    const existing = 400_000;
    let e: { grade: string; spread: number; dscr: number; payment: number } | undefined;
    for (let g = 0; g < thresholds.length && !e; g++) {
      const p = payment(10_000_000, base + thresholds[g]![2], 60);
      const dscr = averageNet / (p + existing);
      const got = Math.min(4, thresholds.findIndex(([, min]) => dscr >= min) + notches);
      if (got <= g) e = { grade: thresholds[got]![0], spread: thresholds[got]![2], dscr, payment: p };
    }
    const alone = expected(10_000_000, 60);
    const res = await simulate('100000.00', { existingDebtService: gbp('4000.00') });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.cashFlow).toMatchObject({
      spreadSource: 'cash-flow',
      grade: e!.grade,
      spreadApplied: e!.spread,
      existingDebtService: money(existing),
      monthlyDebtService: money(e!.payment + existing),
    });
    expect(res.body.cashFlow.dscr).toBeCloseTo(e!.dscr, 10);
    expect(res.body.cashFlow.dscr).toBeLessThan(alone.dscr);
    expect(res.body.cashFlow.explanation).toContain('existing GBP 4000.00');
    // Without it the block says zero.
    expect((await simulate('100000.00')).body.cashFlow.existingDebtService).toEqual(money(0));
    // Bad input names the field, with or without transactions.
    const euro = await simulate('100000.00', { existingDebtService: { amount: '10.00', currency: 'EUR' } });
    expect(euro.status).toBe(422);
    expect(euro.body.errors[0].pointer).toBe('#/existingDebtService/currency');
    const negative = await simulate('100000.00', { existingDebtService: gbp('-1.00') });
    expect(negative.status).toBe(422);
    expect(negative.body.errors[0].pointer).toBe('#/existingDebtService/amount');
  });

  it('no transactions: no block, the configured default spread', async () => {
    const id = await createCompany(api, tenant.tokens.analyst);
    const res = await simulate('100000.00', {}, id);
    expect(res.body.cashFlow).toBeNull();
    expect(res.body.creditSpread).toBe(api.config.loanDefaults.creditSpread);
    expect(res.body.defaultsApplied).toContain('creditSpread');
    // The "no transactions" answer is cached for the company, and dropped by its first ingest.
    await call(api, 'post', tx(id), { token: tenant.tokens.analyst, body: { transactions: statement } });
    const after = await simulate('100000.00', {}, id);
    expect(after.body.cashFlow).toMatchObject({
      spreadSource: 'cash-flow',
      grade: expected(10_000_000, 60).grade,
    });
  });

  it('transactions in another currency: no grade, a warning', async () => {
    const res = await call(api, 'post', '/v1/loan-simulations', {
      token: tenant.tokens.analyst,
      body: {
        companyId: borrower,
        principal: { amount: '100000.00', currency: 'EUR' },
        termMonths: 60,
        startDate: '2026-03-01',
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.cashFlow).toBeNull();
    expect(res.body.warnings.map((w: { code: string }) => w.code)).toContain('cash_flow_currency');
  });
});
