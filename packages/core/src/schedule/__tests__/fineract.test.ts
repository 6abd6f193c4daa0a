/**
 * Published reference schedules from Apache Fineract's progressive (EMI) loan calculator tests:
 * apache/fineract, fineract-progressive-loan/src/test/java/org/apache/fineract/portfolio/loanproduct/
 * calc/ProgressiveEMICalculatorTest.java (commit 048cf93c398524899433b82df9974619e1b3a6de).
 * Each test names the Fineract test method its numbers come from.
 *
 * Mapping Fineract's conventions to ours:
 * - Amounts: Fineract uses USD with 2 decimals (`toMoney(100.0)`); we use minor units, so 100.00 → 10_000.
 * - Rates: Fineract's `annualNominalInterestRate` is in percent (9.4822); ours is a fraction (0.094822).
 * - Rounding: Fineract's MoneyHelper rounds HALF_EVEN to the currency's 2 decimals → our 'half-even'.
 *   (Its rate factors carry 12 significant digits (MathContext 12); ours are binary floats — far
 *   below a cent at these balances.)
 * - Day counts: DAYS_360 + DAYS_30 → '30/360' (every 1st-to-1st month is exactly 30/360 under ISDA
 *   30/360 too); DAYS_365 + ACTUAL → 'ACT/365F'; ACTUAL + ACTUAL → 'ACT/ACT' (see the cross-year
 *   note below).
 * - Fineract's `checkPeriod(model, period, interestPeriod, emi, rateFactor, interest, principal,
 *   balance)` reports each period's EMI (the last one absorbing rounding), interest, principal and
 *   outstanding balance — the same columns as our instalments.
 *
 * Not ported (features we do not model): multi-disbursement, down payments, interest-rate changes,
 * interest pauses, prepayments/balance corrections, chargebacks, weekly/15-day frequencies and the
 * 364-day year (for those we only port the EMI equation, through `annuityPayment`).
 */
import { describe, expect, it } from 'vitest';
import { yearFraction } from '../../day-count.js';
import { halfEven } from '../../rounding.js';
import { annuityPayment, annuityPaymentForRates } from '../annuity.js';
import { schedule, type Schedule } from '../schedule.js';

const rows = (s: Schedule) => s.installments.map((r) => [r.payment, r.interest, r.principal, r.balance]);
const monthly2024 = {
  currency: 'USD',
  startDate: '2024-01-01',
  frequency: 'monthly',
  method: 'annuity',
} as const;

describe('Apache Fineract ProgressiveEMICalculatorTest — 30/360 (DAYS_360, DAYS_30)', () => {
  it('test_disbursedAmt100_dayInYears360_daysInMonth30_repayEvery1Month: 100.00 at 9.4822 %, 6 months', () => {
    const s = schedule({
      ...monthly2024,
      principal: 10_000,
      annualRate: 0.094822,
      payments: 6,
      dayCount: '30/360',
    });
    // checkPeriod rows: EMI, interest, principal, balance (×100)
    expect(rows(s)).toEqual([
      [1713, 79, 1634, 8366],
      [1713, 66, 1647, 6719],
      [1713, 53, 1660, 5059],
      [1713, 40, 1673, 3386],
      [1713, 27, 1686, 1700],
      [1713, 13, 1700, 0],
    ]);
    expect(s.regularPayment).toBe(1713);
    // Fineract's rate factor 0.007901833333 = 9.4822 % / 12.
    expect(0.094822 * yearFraction('2024-01-01', '2024-02-01', '30/360')).toBeCloseTo(0.007901833333, 12);
  });

  it('test_reschedule_interest_on0201_4per_disbursedAmt100_…: 100.00 at 7 %, first period before the rate change', () => {
    // The rate changes on 2024-02-02, after period 1, so period 1 is the original 7 % schedule's.
    const s = schedule({
      ...monthly2024,
      principal: 10_000,
      annualRate: 0.07,
      payments: 6,
      dayCount: '30/360',
    });
    expect(s.regularPayment).toBe(1701);
    expect(rows(s)[0]).toEqual([1701, 58, 1643, 8357]);
  });

  it('test_emi_calculator_performance: 100.00 at 7 %, 12 months — EMI 8.65, positive parts, ends at 0', () => {
    const s = schedule({
      ...monthly2024,
      principal: 10_000,
      annualRate: 0.07,
      payments: 12,
      dayCount: '30/360',
    });
    s.installments.forEach((row, i) => {
      expect(row.principal).toBeGreaterThan(0);
      expect(row.interest).toBeGreaterThan(0);
      if (i < 11) {
        expect(row.payment).toBe(865);
        expect(row.balance).toBeGreaterThan(0);
      } else {
        expect(row.balance).toBe(0);
      }
    });
  });

  it('test_dailyInterest_disbursedAmt1000_dayInYears360_daysInMonth30_repayIn1Month: one period, 5.83 interest', () => {
    const s = schedule({
      ...monthly2024,
      principal: 100_000,
      annualRate: 0.07,
      payments: 1,
      dayCount: '30/360',
    });
    expect(rows(s)).toEqual([[100_583, 583, 100_000, 0]]);
  });
});

describe('Apache Fineract ProgressiveEMICalculatorTest — actual day counts', () => {
  it('test_emiAdjustment_newCalculatedEmiNotBetterThanOriginal (DAYS_365, ACTUAL → ACT/365F): 100.00 at 15.678 %', () => {
    const s = schedule({
      ...monthly2024,
      principal: 10_000,
      annualRate: 0.15678,
      payments: 6,
      dayCount: 'ACT/365F',
    });
    expect(rows(s)).toEqual([
      [1743, 133, 1610, 8390],
      [1743, 105, 1638, 6752],
      [1743, 90, 1653, 5099],
      [1743, 66, 1677, 3422],
      [1743, 46, 1697, 1725],
      [1747, 22, 1725, 0], // the last EMI (17.47) absorbs the rounding
    ]);
    // Published rate factors: 31 days and 29 days over 365.
    expect(0.15678 * yearFraction('2024-01-01', '2024-02-01', 'ACT/365F')).toBeCloseTo(0.013315561644, 12);
    expect(0.15678 * yearFraction('2024-02-01', '2024-03-01', 'ACT/365F')).toBeCloseTo(0.012456493151, 12);
  });

  it('test_disbursedAmt100_dayInYearsActual_daysInMonthActual_repayEvery1Month (ACTUAL, ACTUAL → ACT/ACT), from 2023-12-12', () => {
    const s = schedule({
      ...monthly2024,
      startDate: '2023-12-12',
      principal: 10_000,
      annualRate: 0.094822,
      payments: 6,
      dayCount: 'ACT/ACT',
    });
    expect(s.installments.map((r) => r.date)).toEqual([
      '2024-01-12',
      '2024-02-12',
      '2024-03-12',
      '2024-04-12',
      '2024-05-12',
      '2024-06-12',
    ]);
    expect(rows(s)).toEqual([
      [1713, 80, 1633, 8367],
      [1713, 67, 1646, 6721],
      [1713, 50, 1663, 5058],
      [1713, 41, 1672, 3386],
      [1713, 26, 1687, 1699],
      [1713, 14, 1699, 0],
    ]);
    // In-year rate factors agree with ISDA ACT/ACT: 31/366 and 29/366 of 9.4822 %.
    expect(0.094822 * yearFraction('2024-01-12', '2024-02-12', 'ACT/ACT')).toBeCloseTo(0.008031371585, 12);
    expect(0.094822 * yearFraction('2024-02-12', '2024-03-12', 'ACT/ACT')).toBeCloseTo(0.007513218579, 12);
    // Across the year end they differ by one day: Fineract's published factor 0.008044857759 is
    // 9.4822 % × (19/365 + 12/366), while ISDA 2006 §4.16(b) counts 20 days in 2023 (Dec 12 → Jan 1)
    // and 11 in 2024. At this balance both give 0.80 interest, so the published rows still match.
    expect(0.094822 * (19 / 365 + 12 / 366)).toBeCloseTo(0.008044857759, 12);
    expect(yearFraction('2023-12-12', '2024-01-12', 'ACT/ACT')).toBeCloseTo(20 / 365 + 11 / 366, 15);
  });

  it('test_disbursedAmt1000_actual_actual_repayEvery1Month_verify_due_principal_amounts: EMI 95.02 at 25 %', () => {
    // The rest of that test prepays the loan on day one (not modelled); its EMI is the schedule's.
    const s = schedule({
      ...monthly2024,
      principal: 100_000,
      annualRate: 0.25,
      payments: 12,
      dayCount: 'ACT/ACT',
    });
    expect(s.regularPayment).toBe(9502);
  });

  it('test_disbursedAmt1000_NoInterest_repayEvery1Month: 1,000.00 at 0 %, 4 months of 250.00', () => {
    const s = schedule({
      ...monthly2024,
      principal: 100_000,
      annualRate: 0,
      payments: 4,
      dayCount: 'ACT/ACT',
    });
    expect(rows(s)).toEqual([
      [25_000, 0, 25_000, 75_000],
      [25_000, 0, 25_000, 50_000],
      [25_000, 0, 25_000, 25_000],
      [25_000, 0, 25_000, 0],
    ]);
  });
});

describe('Apache Fineract ProgressiveEMICalculatorTest — the EMI equation on published rate factors', () => {
  // Frequencies/day counts we do not schedule (weekly, 15 days, a 364-day year), but the level
  // payment equation is the same: EMI = P / Σ_k Π_{j≤k} 1/(1 + r_j), rounded half-even to cents.
  it('test_disbursedAmt100_dayInYears364_daysInMonthActual_repayEvery1Week: factor 0.0018235, EMI 16.77', () => {
    expect(halfEven(annuityPayment(10_000, 0.0018235, 6))).toBe(1677);
    expect(halfEven(annuityPaymentForRates(10_000, Array(6).fill(0.0018235)))).toBe(1677);
  });
  it('test_disbursedAmt100_dayInYears364_daysInMonthActual_repayEvery2Week: EMI 33.57 is Fineract’s EmiAdjustment, not applied here', () => {
    // The level payment is 33.5768…, which rounds to 33.58 (what we, and Excel's PMT, use). Fineract
    // then runs its EmiAdjustment (calc/data/EmiAdjustment.java): if |last EMI − EMI| × 100 exceeds
    // floor(n / 2), it shifts the EMI by the difference / n and recomputes. Published rows:
    // EMI 33.57, 33.57, last 33.58; interest 0.36, 0.24, 0.12.
    const exact = annuityPayment(10_000, 0.003647, 3);
    expect(halfEven(exact)).toBe(3358);
    const amortise = (emi: number) => {
      let balance = 10_000;
      const interest: number[] = [];
      for (let k = 0; k < 2; k++) {
        interest.push(halfEven(balance * 0.003647));
        balance -= emi - interest[k]!;
      }
      interest.push(halfEven(balance * 0.003647));
      return { interest, last: balance + interest[2]! };
    };
    const unadjusted = amortise(3358);
    expect(unadjusted.last - 3358).toBe(-2); // 2 > floor(3 / 2) = 1 → adjust by −2 / 3 → −0.01
    const adjusted = amortise(3358 + halfEven(-2 / 3));
    expect(adjusted.interest).toEqual([36, 24, 12]);
    expect(adjusted.last).toBe(3358);
  });
  it('test_disbursedAmt100_dayInYears360_daysInMonthDoesntMatter_repayEvery15Days: factor 0.003950916667, EMI 16.90', () => {
    expect(halfEven(annuityPayment(10_000, 0.003950916667, 6))).toBe(1690);
  });
  it('test_disbursedAmt100_dayInYearsActual_daysInMonthActual_repayEvery1Month: published factors give EMI 17.13', () => {
    const factors = [
      0.008044857759, 0.008031371585, 0.007513218579, 0.008031371585, 0.007772295082, 0.008031371585,
    ];
    expect(halfEven(annuityPaymentForRates(10_000, factors))).toBe(1713);
  });
});
