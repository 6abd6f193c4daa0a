import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { PMT as formulajsPMT } from '@formulajs/formulajs';
import { priceLoan, type PriceLoanInput } from '../price-loan.js';
import { greenDiscount, resolvePolicy, DEFAULT_GREEN_DISCOUNT_POLICY } from '../discount-policy.js';
import type { GreenScoreBand as Band } from '../../green-score/types.js';
import { ErrorCode, GreenfinError } from '../../errors.js';
import { apr } from '../../apr/apr.js';
import { schedule, type Schedule } from '../../schedule/schedule.js';

/** Excel-compatible PMT from @formulajs/formulajs (returns an Error object for invalid input). */
const PMT = (rate: number, n: number, pv: number): number => formulajsPMT(rate, n, pv) as number;

const ecotechLoan: PriceLoanInput = {
  principal: 50_000_000,
  currency: 'GBP',
  termMonths: 60,
  startDate: '2025-01-15',
  baseRate: 0.045,
  creditSpread: 0.025,
  greenScore: { score: 84, band: 'A', confidence: 0.95 },
};

function errorOf(fn: () => unknown): GreenfinError {
  try {
    fn();
  } catch (e) {
    if (e instanceof GreenfinError) return e;
    throw e;
  }
  throw new Error('expected a GreenfinError');
}

describe('priceLoan', () => {
  const priced = priceLoan(ecotechLoan);

  it('final rate = base + spread − band discount, exactly (no float drift)', () => {
    expect(priced.rateBeforeDiscount).toBe(0.07);
    expect(priced.greenDiscount.applied).toBe(0.005);
    expect(priced.finalRate).toBe(0.065);
  });

  it('instalments match Excel/formulajs PMT for a 30/360 monthly annuity', () => {
    // PMT(rate/12, 60, −500000) rounded to the penny is the level instalment (Excel's PMT definition).
    expect(priced.regularPayment).toBe(Math.round(PMT(0.065 / 12, 60, -500_000) * 100));
    expect(priced.withoutDiscount.regularPayment).toBe(Math.round(PMT(0.07 / 12, 60, -500_000) * 100));
  });

  it('interest saved is the difference of the two schedules, and close to the PMT-based estimate', () => {
    expect(priced.interestSaved).toBe(priced.withoutDiscount.totalInterest - priced.totalInterest);
    const estimate = 60 * (PMT(0.07 / 12, 60, -500_000) - PMT(0.065 / 12, 60, -500_000)) * 100;
    // Row-by-row rounding moves each total by at most a few pence over 60 rows.
    expect(Math.abs(priced.interestSaved - estimate)).toBeLessThan(100);
    expect(priced.interestSaved).toBeGreaterThan(0);
  });

  it('principal repaid equals principal lent and totals add up', () => {
    const rows = priced.schedule.installments;
    expect(rows.reduce((s, r) => s + r.principal, 0)).toBe(50_000_000);
    expect(priced.totalPayment).toBe(priced.principal + priced.totalInterest);
    expect(priced.totalCostOfCredit).toBe(priced.totalInterest);
  });

  it('APR equals the effective annual rate (1 + r/12)^12 − 1 when there are no fees (EU method)', () => {
    expect(priced.apr).toBeCloseTo((1 + 0.065 / 12) ** 12 - 1, 5);
  });

  it('an arrangement fee raises the APR and counts in the cost of credit', () => {
    const withFee = priceLoan({ ...ecotechLoan, fees: { upfront: 250_000, perPayment: 500 } });
    expect(withFee.apr).toBeGreaterThan(priced.apr);
    expect(withFee.totalFees).toBe(250_000 + 500 * 60);
    expect(withFee.totalCostOfCredit).toBe(withFee.totalInterest + withFee.totalFees);
    expect(withFee.totalInterest).toBe(priced.totalInterest);
  });

  it('no score, or a low-confidence score, earns no discount and saves nothing', () => {
    const none = priceLoan({ ...ecotechLoan, greenScore: undefined });
    expect(none.finalRate).toBe(0.07);
    expect(none.interestSaved).toBe(0);
    expect(none.greenDiscount.limitedBy).toEqual(['no-score']);
    const thin = priceLoan({ ...ecotechLoan, greenScore: { score: 90, band: 'A', confidence: 0.3 } });
    expect(thin.greenDiscount.applied).toBe(0);
    expect(thin.greenDiscount.limitedBy).toEqual(['low-confidence']);
    expect(thin.greenDiscount.explanation).toMatch(/confidence 0\.30 is below 0\.6/);
  });

  it('policy overrides: band table, cap and rate floor', () => {
    const generous = priceLoan({ ...ecotechLoan, policy: { discounts: { A: 0.01 }, cap: 0.0075 } });
    expect(generous.greenDiscount.applied).toBe(0.0075);
    expect(generous.greenDiscount.limitedBy).toEqual(['cap']);
    const floored = priceLoan({
      ...ecotechLoan,
      baseRate: 0.001,
      creditSpread: 0.002,
      policy: { rateFloor: 0.0 },
    });
    expect(floored.finalRate).toBe(0);
    expect(floored.greenDiscount.limitedBy).toEqual(['rate-floor']);
    expect(floored.greenDiscount.applied).toBe(0.003);
  });

  it('rejects bad input with a typed error naming the field', () => {
    expect(errorOf(() => priceLoan({ ...ecotechLoan, principal: -5 }))).toMatchObject({
      code: ErrorCode.OutOfRange,
      path: 'principal',
    });
    expect(errorOf(() => priceLoan({ ...ecotechLoan, principal: 10.5 }))).toMatchObject({
      code: ErrorCode.NotMinorUnits,
      path: 'principal',
    });
    expect(errorOf(() => priceLoan({ ...ecotechLoan, termMonths: 0 }))).toMatchObject({ path: 'termMonths' });
    expect(
      errorOf(() => priceLoan({ ...ecotechLoan, termMonths: 10, frequency: 'quarterly' })),
    ).toMatchObject({ path: 'termMonths' });
    expect(errorOf(() => priceLoan({ ...ecotechLoan, baseRate: Number.NaN }))).toMatchObject({
      code: ErrorCode.InvalidType,
      path: 'baseRate',
    });
    expect(errorOf(() => priceLoan({ ...ecotechLoan, currency: 'XYZ' as never }))).toMatchObject({
      code: ErrorCode.UnknownCurrency,
    });
    expect(errorOf(() => priceLoan({ ...ecotechLoan, greenScore: { score: 120, band: 'A' } }))).toMatchObject(
      { path: 'greenScore.score' },
    );
    expect(errorOf(() => priceLoan({ ...ecotechLoan, policy: { cap: -1 } }))).toMatchObject({
      path: 'policy.cap',
    });
    expect(errorOf(() => priceLoan({ ...ecotechLoan, fees: { upfront: 60_000_000 } }))).toMatchObject({
      path: 'fees.upfront',
    });
  });
});

describe('pricing laws (property-based)', () => {
  const bands: Band[] = ['A', 'B', 'C', 'D', 'E'];
  const arbLoan = fc.record({
    principal: fc.integer({ min: 100_00, max: 5_000_000_00 }),
    years: fc.integer({ min: 1, max: 10 }),
    baseRate: fc.integer({ min: 0, max: 800 }).map((bp) => bp / 10_000),
    creditSpread: fc.integer({ min: 0, max: 600 }).map((bp) => bp / 10_000),
    bandIndex: fc.integer({ min: 0, max: 4 }),
  });

  test.prop([arbLoan], { numRuns: 150 })(
    'a discount never raises the rate, the payment or the interest',
    (l) => {
      const p = priceLoan({
        principal: l.principal,
        currency: 'EUR',
        termMonths: l.years * 12,
        startDate: '2025-03-01',
        baseRate: l.baseRate,
        creditSpread: l.creditSpread,
        greenScore: { score: 50, band: bands[l.bandIndex]!, confidence: 1 },
      });
      expect(p.finalRate).toBeLessThanOrEqual(p.rateBeforeDiscount);
      expect(p.finalRate).toBeGreaterThanOrEqual(DEFAULT_GREEN_DISCOUNT_POLICY.rateFloor);
      expect(p.regularPayment).toBeLessThanOrEqual(p.withoutDiscount.regularPayment);
      expect(p.interestSaved).toBeGreaterThanOrEqual(0);
      expect(p.schedule.installments.reduce((s, r) => s + r.principal, 0)).toBe(l.principal);
    },
  );

  test.prop([fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 1500 }).map((bp) => bp / 10_000)])(
    'a better band never gets a smaller discount',
    (i, rate) => {
      const better = greenDiscount({ score: 0, band: bands[i]!, confidence: 1 }, rate);
      const worse = greenDiscount({ score: 0, band: bands[i + 1]!, confidence: 1 }, rate);
      expect(better.applied).toBeGreaterThanOrEqual(worse.applied);
    },
  );

  /** The APR of `s` as `apr` computes it alone, with the loan's fees. */
  const aprOf = (s: Schedule, l: PriceLoanInput): number => {
    const perPayment = l.fees?.perPayment ?? 0;
    return apr({
      method: l.aprMethod ?? 'eu',
      advances: [{ amount: l.principal - (l.fees?.upfront ?? 0), date: l.startDate }],
      payments: s.installments
        .filter((row) => row.payment + perPayment > 0)
        .map((row) => ({ amount: row.payment + perPayment, date: row.date })),
    });
  };
  const arbPriced = fc.record({
    principal: fc.integer({ min: 100_000, max: 500_000_000 }),
    frequency: fc.constantFrom('monthly', 'quarterly', 'semiannual', 'annual' as const),
    years: fc.integer({ min: 1, max: 15 }),
    method: fc.constantFrom('annuity', 'linear', 'bullet', 'interest-only' as const),
    dayCount: fc.constantFrom('30/360', 'ACT/365F', 'ACT/360', 'ACT/ACT' as const),
    startDate: fc.constantFrom('2025-01-15', '2024-02-29', '2026-12-31', '2025-03-01'),
    baseRate: fc.integer({ min: 0, max: 900 }).map((bp) => bp / 10_000),
    creditSpread: fc.integer({ min: 0, max: 600 }).map((bp) => bp / 10_000),
    band: fc.constantFrom('A', 'B', 'C', 'D', 'E' as const),
    upfrontShare: fc.integer({ min: 0, max: 300 }),
    perPayment: fc.integer({ min: 0, max: 5_000 }),
    aprMethod: fc.constantFrom('eu', 'us-actuarial' as const),
  });
  test.prop([arbPriced], { numRuns: 200 })(
    'both APRs are what apr gives for each schedule alone (with and without the discount)',
    (l) => {
      const input: PriceLoanInput = {
        principal: l.principal,
        currency: 'GBP',
        termMonths: l.years * 12,
        frequency: l.frequency,
        method: l.method,
        dayCount: l.dayCount,
        startDate: l.startDate,
        baseRate: l.baseRate,
        creditSpread: l.creditSpread,
        greenScore: { score: 60, band: l.band, confidence: 1 },
        fees: { upfront: Math.floor((l.principal * l.upfrontShare) / 10_000), perPayment: l.perPayment },
        aprMethod: l.aprMethod,
      };
      const p = priceLoan(input);
      expect(p.apr).toBe(aprOf(p.schedule, input));
      const undiscounted = schedule({
        principal: input.principal,
        currency: 'GBP',
        payments: l.years * ({ monthly: 12, quarterly: 4, semiannual: 2, annual: 1 } as const)[l.frequency],
        frequency: l.frequency,
        method: l.method,
        dayCount: l.dayCount,
        startDate: l.startDate,
        annualRate: p.rateBeforeDiscount,
      });
      expect(p.withoutDiscount.totalInterest).toBe(undiscounted.totalInterest);
      expect(p.withoutDiscount.apr).toBe(aprOf(undiscounted, input));
    },
  );

  it('resolvePolicy rejects unknown bands', () => {
    expect(() => resolvePolicy({ discounts: { F: 0.01 } as never })).toThrow(/not a band/);
  });
});
