import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { PMT as formulajsPMT } from '@formulajs/formulajs';
import { ErrorCode } from '../../errors.js';
import { priceLoan } from '../../pricing/price-loan.js';
import { creditSpreadFromCashFlow, type CashFlowLoanTerms } from '../credit-spread.js';
import {
  CASH_FLOW_GRADES,
  DEFAULT_CASH_FLOW_RISK_POLICY,
  cashFlowRiskGrade,
  resolveCashFlowRiskPolicy,
} from '../risk-grade.js';

const PMT = (rate: number, n: number, pv: number): number => formulajsPMT(rate, n, pv) as number;
const rank = (g: string) => CASH_FLOW_GRADES.indexOf(g as never);

describe('cashFlowRiskGrade', () => {
  it('uses the published minimums: SBA SOP 50 10 7.1 1.15x, bank covenant 1.25x', () => {
    expect(DEFAULT_CASH_FLOW_RISK_POLICY.minDscr.CF4).toBe(1.15);
    expect(DEFAULT_CASH_FLOW_RISK_POLICY.minDscr.CF3).toBe(1.25);
  });

  it.each([
    [3, 'CF1'],
    [2, 'CF1'],
    [1.9999, 'CF2'],
    [1.5, 'CF2'],
    [1.4999, 'CF3'],
    [1.25, 'CF3'],
    [1.2499, 'CF4'],
    [1.15, 'CF4'],
    [1.1499, 'CF5'],
    [0, 'CF5'],
    [-2, 'CF5'],
  ])('DSCR %d → %s', (dscr, grade) => {
    const r = cashFlowRiskGrade(dscr);
    expect(r.grade).toBe(grade);
    expect(r.creditSpread).toBe(DEFAULT_CASH_FLOW_RISK_POLICY.creditSpreads[r.grade]);
    expect(r.referToUnderwriter).toBe(grade === 'CF5');
  });

  it('each adverse signal moves the grade down one notch, never below CF5', () => {
    expect(cashFlowRiskGrade(1.3, { daysCashOnHand: 30 }).grade).toBe('CF3');
    expect(cashFlowRiskGrade(1.3, { daysCashOnHand: 29.9 }).notches).toEqual(['low-cash-on-hand']);
    expect(cashFlowRiskGrade(1.3, { daysCashOnHand: null }).notches).toEqual(['unknown-cash-on-hand']);
    expect(cashFlowRiskGrade(1.3, { coefficientOfVariation: 1 }).grade).toBe('CF3');
    expect(cashFlowRiskGrade(1.3, { coefficientOfVariation: 1.01 }).grade).toBe('CF4');
    expect(cashFlowRiskGrade(1.3, { monthsOfHistory: 11.5 }).grade).toBe('CF4');
    const all = cashFlowRiskGrade(2.5, { daysCashOnHand: 5, coefficientOfVariation: 3, monthsOfHistory: 6 });
    expect(all).toMatchObject({
      dscrGrade: 'CF1',
      grade: 'CF4',
      notches: ['low-cash-on-hand', 'volatile', 'thin-history'],
    });
    expect(cashFlowRiskGrade(1.2, { daysCashOnHand: 5, monthsOfHistory: 6 }).grade).toBe('CF5');
  });

  it('explains the grade: DSCR, threshold, each notch, spread', () => {
    const r = cashFlowRiskGrade(1.6, { daysCashOnHand: 12 });
    expect(r.explanation).toContain('DSCR 1.60x');
    expect(r.explanation).toContain('1.50x');
    expect(r.explanation).toContain('12 days of cash on hand is below 30');
    expect(r.explanation).toContain('CF3');
    expect(r.explanation).toContain('2.75 %');
    expect(cashFlowRiskGrade(1).explanation).toContain('refer to an underwriter');
  });

  it('a bank overrides thresholds, spreads and limits', () => {
    const policy = { minDscr: { CF3: 1.2 }, creditSpreads: { CF3: 0.03 }, minDaysCashOnHand: 10 };
    const r = cashFlowRiskGrade(1.22, { daysCashOnHand: 12 }, policy);
    expect(r).toMatchObject({ grade: 'CF3', creditSpread: 0.03, notches: [] });
    expect(resolveCashFlowRiskPolicy(policy).minDscr).toEqual({ CF1: 2, CF2: 1.5, CF3: 1.2, CF4: 1.15 });
  });

  it.each([
    [{ minDscr: { CF4: 1.3 } }, ErrorCode.OutOfRange, 'policy.minDscr.CF4'],
    [{ minDscr: { CF5: 1 } }, ErrorCode.InvalidOption, 'policy.minDscr.CF5'],
    [{ creditSpreads: { CF6: 0.1 } }, ErrorCode.InvalidOption, 'policy.creditSpreads.CF6'],
    [{ creditSpreads: { CF2: Number.NaN } }, ErrorCode.InvalidType, 'policy.creditSpreads.CF2'],
    [{ minDaysCashOnHand: -1 }, ErrorCode.OutOfRange, 'policy.minDaysCashOnHand'],
  ])('rejects policy %j', (policy, code, path) => {
    expect(() => cashFlowRiskGrade(1.5, {}, policy as never)).toThrow(
      expect.objectContaining({ code, path }),
    );
  });

  it('rejects a DSCR that is not a finite number', () => {
    expect(() => cashFlowRiskGrade(Number.NaN)).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidType, path: 'dscr' }),
    );
  });

  test.prop([fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: -5, max: 5, noNaN: true })])(
    'a higher DSCR never earns a worse grade or a higher spread',
    (a, b) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      const gLo = cashFlowRiskGrade(lo);
      const gHi = cashFlowRiskGrade(hi);
      expect(rank(gHi.grade)).toBeLessThanOrEqual(rank(gLo.grade));
      expect(gHi.creditSpread).toBeLessThanOrEqual(gLo.creditSpread);
    },
  );
});

describe('creditSpreadFromCashFlow', () => {
  const terms: CashFlowLoanTerms = {
    principal: 50_000_000,
    currency: 'GBP',
    termMonths: 60,
    startDate: '2025-01-15',
    baseRate: 0.045,
  };
  const paymentAt = (spread: number) => Math.round(PMT((0.045 + spread) / 12, 60, -500_000) * 100);

  it('picks the best grade whose own spread keeps the DSCR in that grade', () => {
    // At CF1's 1.50 % the payment is PMT(6 %/12, 60, £500k); cash flow of 2.05× that is CF1.
    const cf1 = creditSpreadFromCashFlow({
      averageMonthlyNetOperatingCashFlow: Math.round(2.05 * paymentAt(0.015)),
      loan: terms,
    });
    expect(cf1.riskGrade.grade).toBe('CF1');
    expect(cf1.creditSpread).toBe(0.015);
    expect(cf1.coverage.monthlyDebtService).toBe(paymentAt(0.015));
    // A cash flow of exactly 2.00× the CF1 payment drops below 2.00× nowhere; 1.99× does: CF2 at 2.00 %.
    const cf2 = creditSpreadFromCashFlow({
      averageMonthlyNetOperatingCashFlow: Math.round(1.99 * paymentAt(0.015)),
      loan: terms,
    });
    expect(cf2.riskGrade.grade).toBe('CF2');
    expect(cf2.coverage.dscr).toBeCloseTo((1.99 * paymentAt(0.015)) / paymentAt(0.02), 3);
    expect(cf2.explanation).toContain('CF2');
  });

  test.prop([fc.integer({ min: -500_000, max: 3_000_000 })])(
    'the chosen grade is consistent at its spread, and the next better grade is not at its own',
    (cashFlow) => {
      const r = creditSpreadFromCashFlow({ averageMonthlyNetOperatingCashFlow: cashFlow, loan: terms });
      const g = rank(r.riskGrade.grade);
      const spreads = DEFAULT_CASH_FLOW_RISK_POLICY.creditSpreads;
      expect(r.creditSpread).toBe(spreads[r.riskGrade.grade]);
      expect(cashFlowRiskGrade(cashFlow / paymentAt(r.creditSpread)).grade).toBe(r.riskGrade.grade);
      if (g > 0) {
        const better = CASH_FLOW_GRADES[g - 1]!;
        expect(rank(cashFlowRiskGrade(cashFlow / paymentAt(spreads[better])).grade)).toBeGreaterThan(g - 1);
      }
    },
  );

  it('uses the analytics signals for the notches unless extras are given', () => {
    const analytics = {
      averageMonthlyNetOperatingCashFlow: 3 * paymentAt(0.015),
      daysCashOnHand: 10,
      volatility: { meanNet: 1, standardDeviation: 0.5, coefficientOfVariation: 0.5 },
      months: 14,
    };
    expect(creditSpreadFromCashFlow({ analytics, loan: terms }).riskGrade).toMatchObject({
      dscrGrade: 'CF1',
      grade: 'CF2',
      notches: ['low-cash-on-hand'],
    });
    expect(creditSpreadFromCashFlow({ analytics, loan: terms, extras: {} }).riskGrade.grade).toBe('CF1');
  });

  it("feeds priceLoan: base + the grade's spread − the green discount", () => {
    const cf = creditSpreadFromCashFlow({ averageMonthlyNetOperatingCashFlow: 1_500_000, loan: terms });
    const priced = priceLoan({
      ...terms,
      creditSpread: cf.creditSpread,
      greenScore: { score: 84, band: 'A', confidence: 1 },
    });
    expect(priced.rateBeforeDiscount).toBe(Math.round((0.045 + cf.creditSpread) * 1e10) / 1e10);
    expect(priced.finalRate).toBe(Math.round((0.045 + cf.creditSpread - 0.005) * 1e10) / 1e10);
  });

  it('rejects missing or doubled cash flow and bad terms', () => {
    expect(() => creditSpreadFromCashFlow({ loan: terms })).toThrow(
      expect.objectContaining({ code: ErrorCode.Required }),
    );
    expect(() =>
      creditSpreadFromCashFlow({ averageMonthlyNetOperatingCashFlow: 1, loan: { ...terms, termMonths: 0 } }),
    ).toThrow(expect.objectContaining({ code: ErrorCode.OutOfRange, path: 'loan.termMonths' }));
  });
});
