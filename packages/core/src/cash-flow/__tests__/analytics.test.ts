import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { ErrorCode } from '../../errors.js';
import { fromDecimalString } from '../../money.js';
import { cashFlowAnalytics, type CashFlowAnalyticsInput } from '../analytics.js';
import { transactionDedupKeys } from '../dedup.js';
import type { Transaction } from '../transaction.js';
import { isoDay, transactionArb } from './arbitraries.js';

interface Row {
  account: string;
  date: string;
  pence: number;
  description: string;
  counterparty: string;
  category: string;
  balancePence: number;
}

/** Reads the fixture with plain string splitting and float → pence arithmetic (not core's parser). */
function readFixture(): { rows: Row[]; transactions: Transaction[] } {
  const text = readFileSync(new URL('./fixtures/transactions.csv', import.meta.url), 'utf8');
  const [header, ...lines] = text.trim().split('\n');
  expect(header).toBe(
    'account_ref,booking_date,amount,currency,description,counterparty,category,balance_after',
  );
  const rows = lines.map((line) => {
    const f = line.split(',');
    expect(f).toHaveLength(8);
    return {
      account: f[0]!,
      date: f[1]!,
      pence: Math.round(Number(f[2]) * 100),
      description: f[4]!,
      counterparty: f[5]!,
      category: f[6]!,
      balancePence: Math.round(Number(f[7]) * 100),
    };
  });
  // The library side reads amounts with core's exact decimal parser.
  const transactions = lines.map((line): Transaction => {
    const f = line.split(',');
    return {
      accountRef: f[0]!,
      bookingDate: f[1]!,
      amount: fromDecimalString(f[2]!, 'GBP').amount,
      currency: 'GBP',
      description: f[4]!,
      ...(f[5] ? { counterparty: f[5] } : {}),
      ...(f[6] ? { category: f[6] } : {}),
      balanceAfter: fromDecimalString(f[7]!, 'GBP').amount,
    };
  });
  return { rows, transactions };
}

describe('cashFlowAnalytics on the 14-month CSV fixture', () => {
  const { rows, transactions } = readFixture();
  const months = [
    '2024-11',
    '2024-12',
    ...Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, '0')}`),
  ];
  const lastDay = (ym: string) => {
    const [y, m] = ym.split('-').map(Number) as [number, number];
    return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  };
  // Independent recomputation: plain loops over the rows.
  const expected = months.map((ym) => {
    let inflow = 0;
    let outflow = 0;
    for (const r of rows) {
      if (!r.date.startsWith(ym)) continue;
      if (r.pence > 0) inflow += r.pence;
      else outflow += r.pence;
    }
    // Closing: each account's balance after its last row on or before the month end.
    const last = new Map<string, number>();
    for (const r of rows) if (r.date.slice(0, 7) <= ym) last.set(r.account, r.balancePence);
    const closing = [...last.values()].reduce((s, b) => s + b, 0);
    return { start: `${ym}-01`, end: lastDay(ym), inflow, outflow, net: inflow + outflow, closing };
  });
  const input: CashFlowAnalyticsInput = {
    transactions,
    from: '2024-11-01',
    to: '2025-12-31',
    granularity: 'month',
  };

  it('the fixture is what it says: ~200 rows, 2 accounts, 14 months, running balances consistent', () => {
    expect(rows.length).toBeGreaterThanOrEqual(200);
    expect(new Set(rows.map((r) => r.account)).size).toBe(2);
    expect(new Set(rows.map((r) => r.date.slice(0, 7)))).toEqual(new Set(months));
    const prev = new Map<string, number>();
    for (const r of rows) {
      if (prev.has(r.account)) expect(r.balancePence).toBe(prev.get(r.account)! + r.pence);
      prev.set(r.account, r.balancePence);
    }
  });

  it('monthly inflow, outflow, net and closing balance match the plain recomputation', () => {
    const a = cashFlowAnalytics(input);
    expect(
      a.periods.map((p) => ({
        start: p.start,
        end: p.end,
        inflow: p.inflow,
        outflow: p.outflow,
        net: p.net,
        closing: p.closingBalance,
      })),
    ).toEqual(expected);
    expect(a.totals.transactionCount).toBe(rows.length);
  });

  it('an opening balance gives the same closing balances as balanceAfter', () => {
    const opening = new Map<string, number>();
    for (const r of rows) if (!opening.has(r.account)) opening.set(r.account, r.balancePence - r.pence);
    const openingBalance = [...opening.values()].reduce((s, b) => s + b, 0);
    const a = cashFlowAnalytics({ ...input, openingBalance });
    expect(a.periods.map((p) => p.closingBalance)).toEqual(expected.map((e) => e.closing));
  });

  it('burn rate, volatility, days of cash and seasonality follow their formulas', () => {
    const a = cashFlowAnalytics(input);
    const nets = expected.map((e) => e.net);
    const total = nets.reduce((s, x) => s + x, 0);
    expect(a.months).toBe(14);
    expect(a.averageMonthlyNet).toBe(Math.round(total / 14));
    expect(a.burnRate).toBe(total < 0 ? -Math.round(total / 14) : 0);
    const mean = total / nets.length;
    const sd = Math.sqrt(nets.reduce((s, x) => s + (x - mean) ** 2, 0) / (nets.length - 1));
    expect(a.volatility.standardDeviation).toBeCloseTo(sd, 6);
    expect(a.volatility.coefficientOfVariation).toBeCloseTo(sd / Math.abs(mean), 9);
    const outflow = expected.reduce((s, e) => s + e.outflow, 0);
    const days = 30 + 31 + 365;
    expect(a.days).toBe(days);
    expect(a.daysCashOnHand).toBeCloseTo(expected.at(-1)!.closing / (-outflow / days), 9);
    // November and December appear twice (2024 and 2025), the other months once.
    const nov = a.seasonality[10]!;
    expect(nov.observations).toBe(2);
    expect(nov.averageNet).toBe(Math.round((expected[0]!.net + expected[12]!.net) / 2));
    expect(a.seasonality[2]!.averageNet).toBe(expected[4]!.net); // March 2025
    expect(a.seasonality[2]!.deviationFromMean).toBe(Math.round(expected[4]!.net - mean));
  });

  it('top counterparties and the category breakdown add up to the rows', () => {
    const a = cashFlowAnalytics(input);
    const volume = new Map<string, number>();
    for (const r of rows)
      if (r.counterparty) volume.set(r.counterparty, (volume.get(r.counterparty) ?? 0) + Math.abs(r.pence));
    const ranked = [...volume].sort((x, y) => y[1] - x[1]).slice(0, 10);
    expect(a.topCounterparties.map((c) => [c.counterparty, c.volume])).toEqual(ranked);
    const payroll = rows.filter((r) => r.category === 'payroll').reduce((s, r) => s + r.pence, 0);
    expect(a.categoryBreakdown.find((c) => c.category === 'payroll')!.net).toBe(payroll);
    expect(a.categoryBreakdown.reduce((s, c) => s + c.net, 0)).toBe(a.totals.net);
  });

  it('operating cash flow leaves out the non-operating categories', () => {
    const a = cashFlowAnalytics({
      ...input,
      nonOperatingCategories: ['internal-transfer', 'existing-debt-service'],
    });
    const excluded = rows
      .filter((r) => r.category === 'internal-transfer' || r.category === 'existing-debt-service')
      .reduce((s, r) => s + r.pence, 0);
    expect(excluded).not.toBe(0);
    expect(a.averageMonthlyNetOperatingCashFlow).toBe(Math.round((a.totals.net - excluded) / 14));
  });

  it('the true repeats on 2025-03-04 get distinct keys and a re-import the same keys', () => {
    const keys = transactionDedupKeys(transactions);
    expect(new Set(keys).size).toBe(rows.length);
    expect(keys.filter((k) => k.includes('|2025-03-04|GBP|-240|card payment costa coffee|'))).toEqual([
      'tx1|GB29NWBK60161331926819|2025-03-04|GBP|-240|card payment costa coffee|1',
      'tx1|GB29NWBK60161331926819|2025-03-04|GBP|-240|card payment costa coffee|2',
    ]);
    expect(transactionDedupKeys(readFixture().transactions)).toEqual(keys);
  });
});

describe('cashFlowAnalytics', () => {
  const t = (bookingDate: string, amount: number, extra: Partial<Transaction> = {}): Transaction => ({
    accountRef: 'acc',
    bookingDate,
    amount,
    currency: 'GBP',
    description: 'x',
    ...extra,
  });

  it('buckets by ISO week (Monday–Sunday) and by calendar quarter, clipped to the window', () => {
    const txs = [t('2025-12-28', 1), t('2025-12-29', 2), t('2026-01-04', 4), t('2026-01-05', 8)];
    const weeks = cashFlowAnalytics({
      transactions: txs,
      from: '2025-12-28',
      to: '2026-01-05',
      granularity: 'week',
    });
    expect(weeks.periods.map((p) => [p.start, p.end, p.net])).toEqual([
      ['2025-12-28', '2025-12-28', 1],
      ['2025-12-29', '2026-01-04', 6],
      ['2026-01-05', '2026-01-05', 8],
    ]);
    const quarters = cashFlowAnalytics({
      transactions: txs,
      from: '2025-11-15',
      to: '2026-01-31',
      granularity: 'quarter',
    });
    expect(quarters.periods.map((p) => [p.start, p.end, p.net])).toEqual([
      ['2025-11-15', '2025-12-31', 3],
      ['2026-01-01', '2026-01-31', 12],
    ]);
  });

  it('ignores transactions outside the window for flows but uses them for balances', () => {
    const a = cashFlowAnalytics({
      transactions: [
        t('2024-12-31', 500, { balanceAfter: 1_500 }),
        t('2025-01-10', -200),
        t('2025-02-01', 50),
      ],
      from: '2025-01-01',
      to: '2025-01-31',
      granularity: 'month',
    });
    expect(a.periods).toEqual([
      {
        start: '2025-01-01',
        end: '2025-01-31',
        inflow: 0,
        outflow: -200,
        net: -200,
        closingBalance: 1_300,
        transactionCount: 1,
      },
    ]);
  });

  it('back-fills a closing balance from a later balanceAfter; unknown when an account has none', () => {
    const later = cashFlowAnalytics({
      transactions: [t('2025-01-10', -200), t('2025-02-03', 100, { balanceAfter: 1_000 })],
      from: '2025-01-01',
      to: '2025-02-28',
      granularity: 'month',
    });
    expect(later.periods.map((p) => p.closingBalance)).toEqual([900, 1_000]);
    const partial = cashFlowAnalytics({
      transactions: [
        t('2025-01-10', -200, { balanceAfter: 800 }),
        t('2025-01-11', 5, { accountRef: 'other' }),
      ],
      from: '2025-01-01',
      to: '2025-01-31',
      granularity: 'month',
    });
    expect(partial.periods[0]!.closingBalance).toBeNull();
    expect(partial.latestClosingBalance).toBeNull();
    expect(partial.daysCashOnHand).toBeNull();
  });

  it('an empty window needs a currency and gives zeros, not NaN', () => {
    expect(() =>
      cashFlowAnalytics({ transactions: [], from: '2025-01-01', to: '2025-01-31', granularity: 'month' }),
    ).toThrow(expect.objectContaining({ code: ErrorCode.Required, path: 'currency' }));
    const a = cashFlowAnalytics({
      transactions: [],
      from: '2025-01-01',
      to: '2025-02-28',
      granularity: 'month',
      currency: 'EUR',
    });
    expect(a.totals).toEqual({ inflow: 0, outflow: 0, net: 0, transactionCount: 0 });
    expect([a.burnRate, a.averageMonthlyNet, a.averageDailyOutflow, a.volatility.standardDeviation]).toEqual([
      0, 0, 0, 0,
    ]);
    expect(a.volatility.coefficientOfVariation).toBeNull();
  });

  it.each([
    [
      { transactions: [t('2025-01-02', 1), t('2025-01-03', 1, { currency: 'EUR' })] },
      ErrorCode.CurrencyMismatch,
      'transactions[1].currency',
    ],
    [{ transactions: [t('2025-01-02', 0.5)] }, ErrorCode.NotMinorUnits, 'transactions[0].amount'],
    [{ transactions: [t(undefined as never, 1)] }, ErrorCode.InvalidDate, 'transactions[0].bookingDate'],
    [
      { transactions: [t('2025-01-02', 1), t('2025-01-32', 1)] },
      ErrorCode.InvalidDate,
      'transactions[1].bookingDate',
    ],
    [{ to: '2024-12-31' }, ErrorCode.DatesOutOfOrder, 'to'],
    [{ from: '2025-13-01' }, ErrorCode.InvalidDate, 'from'],
    [{ granularity: 'day' }, ErrorCode.InvalidOption, 'granularity'],
    [{ openingBalance: Number.NaN }, ErrorCode.InvalidType, 'openingBalance'],
    [{ currency: 'EUR' }, ErrorCode.CurrencyMismatch, 'transactions[0].currency'],
  ])('rejects %j', (patch, code, path) => {
    const base = {
      transactions: [t('2025-01-02', 1)],
      from: '2025-01-01',
      to: '2025-01-31',
      granularity: 'month',
    };
    expect(() => cashFlowAnalytics({ ...base, ...patch } as CashFlowAnalyticsInput)).toThrow(
      expect.objectContaining({ code, path }),
    );
  });

  const windowArb = fc
    .tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 400 }))
    .map(([a, b]) => [isoDay(Math.min(a, b)), isoDay(Math.max(a, b))] as const);
  const granularityArb = fc.constantFrom('month' as const, 'quarter' as const, 'week' as const);

  test.prop([fc.array(transactionArb(400), { maxLength: 80 }), windowArb, granularityArb])(
    'Σ period nets = Σ in-window amounts; inflow ≥ 0 ≥ outflow; periods tile the window',
    (txs, [from, to], granularity) => {
      const a = cashFlowAnalytics({ transactions: txs, from, to, granularity, currency: 'GBP' });
      const inWindow = txs.filter((x) => x.bookingDate >= from && x.bookingDate <= to);
      const sum = inWindow.reduce((s, x) => s + x.amount, 0);
      expect(a.periods.reduce((s, p) => s + p.net, 0)).toBe(sum);
      expect(a.totals.net).toBe(sum);
      expect(a.totals.transactionCount).toBe(inWindow.length);
      for (const p of a.periods) {
        expect(p.inflow).toBeGreaterThanOrEqual(0);
        expect(p.outflow).toBeLessThanOrEqual(0);
        expect(p.net).toBe(p.inflow + p.outflow);
        expect(Number.isSafeInteger(p.inflow) && Number.isSafeInteger(p.outflow)).toBe(true);
      }
      expect(a.periods[0]!.start).toBe(from);
      expect(a.periods.at(-1)!.end).toBe(to);
      for (let k = 1; k < a.periods.length; k++) {
        const prevEnd = Date.parse(a.periods[k - 1]!.end);
        expect(Date.parse(a.periods[k]!.start) - prevEnd).toBe(86_400_000);
      }
      expect(a.burnRate).toBeGreaterThanOrEqual(0);
    },
  );

  test.prop([
    fc.array(transactionArb(400), { maxLength: 60 }),
    windowArb,
    fc.integer({ min: -1e9, max: 1e9 }),
  ])(
    'with an opening balance the last closing balance is opening + Σ in-window amounts',
    (txs, [from, to], openingBalance) => {
      const a = cashFlowAnalytics({
        transactions: txs,
        from,
        to,
        granularity: 'month',
        openingBalance,
        currency: 'GBP',
      });
      const sum = txs
        .filter((x) => x.bookingDate >= from && x.bookingDate <= to)
        .reduce((s, x) => s + x.amount, 0);
      expect(a.latestClosingBalance).toBe(openingBalance + sum);
    },
  );

  /** Transactions with consistent running balances per account, in date order. */
  const statementArb = fc
    .tuple(
      fc.array(transactionArb(400), { minLength: 1, maxLength: 60 }),
      fc.dictionary(fc.constantFrom('acc-1', 'acc-2', 'acc|3'), fc.integer({ min: -1e6, max: 1e6 })),
      fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }),
    )
    .map(([txs, openings, stated]) => {
      const running = new Map<string, number>();
      const sortedTxs = [...txs].sort((a, b) =>
        a.bookingDate < b.bookingDate ? -1 : a.bookingDate > b.bookingDate ? 1 : 0,
      );
      return sortedTxs.map((t, k) => {
        const balance = (running.get(t.accountRef) ?? openings[t.accountRef] ?? 0) + t.amount;
        running.set(t.accountRef, balance);
        // Some rows state their balance, others do not; the first row of an account always does.
        const first = sortedTxs.findIndex((x) => x.accountRef === t.accountRef) === k;
        return first || stated[k] ? { ...t, balanceAfter: balance } : { ...t, balanceAfter: undefined };
      });
    });

  test.prop([statementArb, windowArb, fc.integer()])(
    'closing balances from balanceAfter equal the true running balances, in any order of days',
    (txs, [from, to], seed) => {
      const a = cashFlowAnalytics({ transactions: txs, from, to, granularity: 'month', currency: 'GBP' });
      // Truth: per account, the opening balance (before its first row) plus everything booked by the end.
      const opening = new Map<string, number>();
      for (const t of txs)
        if (!opening.has(t.accountRef)) opening.set(t.accountRef, t.balanceAfter! - t.amount);
      for (const p of a.periods) {
        let truth = 0;
        for (const [acc, open] of opening) {
          truth +=
            open +
            txs
              .filter((t) => t.accountRef === acc && t.bookingDate <= p.end)
              .reduce((s, t) => s + t.amount, 0);
        }
        expect(p.closingBalance).toBe(truth);
      }
      // The same statements with whole days shuffled (each day's rows kept in order).
      const days = [...new Set(txs.map((t) => t.bookingDate))];
      const rankOf = new Map(days.map((d, i) => [d, (i * 7919 + seed) % 1009]));
      const shuffled = [...txs].sort((x, y) => rankOf.get(x.bookingDate)! - rankOf.get(y.bookingDate)!);
      const b = cashFlowAnalytics({
        transactions: shuffled,
        from,
        to,
        granularity: 'month',
        currency: 'GBP',
      });
      expect(b.periods).toEqual(a.periods);
    },
  );
});
