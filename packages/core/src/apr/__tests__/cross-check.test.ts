/**
 * Cross-checks against an independent implementation (@formulajs/formulajs, the Excel-compatible
 * RATE, PMT and XIRR) and the laws every APR must obey (fast-check properties).
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { PMT, RATE, XIRR } from '@formulajs/formulajs';
import { addDays, addMonths } from '../../dates.js';
import { apr, aprDetails, loanFeeCashFlows, type AprMethod, type CashFlow } from '../index.js';

const METHODS: readonly AprMethod[] = ['eu', 'us-actuarial'];

function annuity(principal: number, annualRate: number, n: number, start: string) {
  // Excel PMT for the monthly instalment, rounded to minor units as a lender would.
  const payment = Math.round(-Number(PMT(annualRate / 12, n, principal)));
  const payments: CashFlow[] = Array.from({ length: n }, (_, k) => ({
    amount: payment,
    date: addMonths(start, k + 1),
  }));
  return { payment, advances: [{ amount: principal, date: start }], payments };
}

describe('regular monthly annuity vs Excel RATE (@formulajs/formulajs)', () => {
  const cases: [number, number, number, string][] = [
    [1_000_00, 0.1, 12, '2024-01-15'],
    [50_000_000, 0.065, 60, '2025-01-15'],
    [250_000, 0.199, 36, '2023-10-31'],
    [30_000_000, 0.042, 300, '2024-02-29'],
  ];

  it.each(cases)(
    '%i over %d months at %d: EU APR = (1 + RATE)^12 − 1 and US APR = 12 × RATE',
    (principal, rate, n, start) => {
      const loan = annuity(principal, rate, n, start);
      const monthly = Number(RATE(n, -loan.payment, principal));
      expect(apr({ method: 'eu', ...loan })).toBeCloseTo((1 + monthly) ** 12 - 1, 9);
      expect(apr({ method: 'us-actuarial', ...loan })).toBeCloseTo(12 * monthly, 9);
    },
  );

  it('12 monthly instalments at a 10 % nominal rate: the EU APR is the effective annual rate (1 + 0.10/12)^12 − 1', () => {
    // A principal of 1,000,000.00 makes the penny rounding of the instalment negligible (< 1e-7).
    const { payment, ...loan } = annuity(100_000_000, 0.1, 12, '2024-01-15');
    const effective = (1 + Number(RATE(12, -payment, 100_000_000))) ** 12 - 1;
    expect(apr({ method: 'eu', ...loan })).toBeCloseTo(effective, 10);
    expect(apr({ method: 'eu', ...loan })).toBeCloseTo((1 + 0.1 / 12) ** 12 - 1, 6); // 10.4713 %
  });
});

describe('EU days-only count vs Excel XIRR (actual days ÷ 365)', () => {
  // XIRR divides actual days by 365. Our days-only count divides by the days of the year before each
  // date, also 365 while no 29 February falls in that year: flows between 2021-03-01 and 2023-12-31.
  test.prop([
    fc.array(
      fc.record({
        offset: fc.integer({ min: 30, max: 1000 }),
        amount: fc.integer({ min: 100, max: 50_000 }),
      }),
      {
        minLength: 1,
        maxLength: 24,
      },
    ),
    fc.integer({ min: 80, max: 120 }),
  ])(
    'agrees to 1e-7 (XIRR refines from our rate: its own Newton diverges from a fixed guess near −100 %)',
    (flows, markupPercent) => {
      const start = '2021-03-01';
      const total = flows.reduce((s, f) => s + f.amount, 0);
      const advance = Math.max(1, Math.round((total * 100) / markupPercent));
      const payments = flows.map((f) => ({ amount: f.amount, date: addDays(start, f.offset) }));
      const ours = apr({
        method: 'eu',
        unitPeriod: 'day',
        advances: [{ amount: advance, date: start }],
        payments,
      });
      const excel = Number(
        XIRR([-advance, ...payments.map((p) => p.amount)], [start, ...payments.map((p) => p.date)], ours),
      );
      expect(ours).toBeCloseTo(excel, 7);
    },
  );
});

/** A monthly repayment schedule of random instalments repaying 0.5× to 3× the advance. */
const schedule = fc
  .record({
    advance: fc.integer({ min: 10_000, max: 10_000_000 }),
    startDay: fc.integer({ min: 0, max: 3650 }),
    weights: fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 60 }),
    repaidPerLent: fc.double({ min: 0.5, max: 3, noNaN: true }),
  })
  .map(({ advance, startDay, weights, repaidPerLent }) => {
    const start = addDays('2015-01-01', startDay);
    const totalWeight = weights.reduce((s, w) => s + w, 0);
    return {
      advances: [{ amount: advance, date: start }],
      payments: weights.map((w, k) => ({
        amount: Math.max(1, Math.round((advance * repaidPerLent * w) / totalWeight)),
        date: addMonths(start, k + 1),
      })),
    };
  });

describe('laws', () => {
  test.prop([schedule, fc.constantFrom(...METHODS), fc.nat(), fc.integer({ min: 1, max: 1_000_000 })])(
    'higher payments → higher APR',
    (loan, method, which, extra) => {
      const k = which % loan.payments.length;
      const richer = loan.payments.map((p, j) => (j === k ? { ...p, amount: p.amount + extra } : p));
      expect(apr({ method, ...loan, payments: richer })).toBeGreaterThan(apr({ method, ...loan }));
    },
  );

  test.prop([
    schedule,
    fc.constantFrom(...METHODS),
    fc.double({ min: 0, max: 0.5, noNaN: true }),
    fc.boolean(),
  ])(
    'adding a fee (up to half the advance) never lowers the APR',
    (loan, method, feeShare, withFirstPayment) => {
      const fee = Math.max(1, Math.round(loan.advances[0]!.amount * feeShare));
      const fees = loanFeeCashFlows(
        {
          arrangementFee: fee,
          arrangementFeeTiming: withFirstPayment ? 'with-first-payment' : 'at-drawdown',
        },
        loan.advances[0]!.date,
        loan.payments.map((p) => p.date),
      );
      expect(apr({ method, ...loan, fees })).toBeGreaterThanOrEqual(apr({ method, ...loan }));
    },
  );

  test.prop([schedule, fc.constantFrom(...METHODS)])(
    'the solved rate balances the equation',
    (loan, method) => {
      const d = aprDetails({ method, ...loan });
      const r = d.unitPeriodRate ?? d.apr;
      const pv = (e: (typeof d.timeline)[number]) =>
        method === 'eu'
          ? e.amount * (1 + r) ** -e.time
          : e.amount / ((1 + e.fraction! * r) * (1 + r) ** e.wholePeriods!);
      const scale = d.timeline.reduce((s, e) => s + e.amount, 0);
      const residual = d.timeline.reduce((s, e) => s + (e.kind === 'advance' ? pv(e) : -pv(e)), 0);
      expect(Math.abs(residual) / scale).toBeLessThan(1e-9);
    },
  );

  it('a 60-payment APR runs in well under a millisecond', () => {
    const loan = annuity(50_000_000, 0.065, 60, '2025-01-15');
    const runs = 2000;
    const t0 = performance.now();
    for (let k = 0; k < runs; k++) apr({ method: k % 2 ? 'eu' : 'us-actuarial', ...loan });
    expect((performance.now() - t0) / runs).toBeLessThan(1);
  });
});
