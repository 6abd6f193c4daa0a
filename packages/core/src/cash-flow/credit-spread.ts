/**
 * From cash flow to a credit spread for `priceLoan`: the best grade whose own spread still leaves
 * the loan's DSCR inside that grade. The spread raises the payment, which lowers the DSCR, so the
 * grade is searched best first and the first consistent one is taken.
 */
import { ErrorCode, assertInRange, invariant } from '../errors.js';
import type { PriceLoanInput } from '../pricing/price-loan.js';
import { MONTHS_PER_PERIOD } from '../pricing/price-loan.js';
import { addRates } from '../pricing/rates.js';
import { schedule } from '../schedule/index.js';
import type { CashFlowAnalytics } from './analytics.js';
import { debtServiceCoverage, type DebtServiceCoverage } from './debt-service.js';
import {
  CASH_FLOW_GRADES,
  cashFlowRiskGrade,
  resolveCashFlowRiskPolicy,
  type CashFlowRiskExtras,
  type CashFlowRiskGrade,
  type CashFlowRiskPolicyOverride,
} from './risk-grade.js';

/** The loan terms the spread is for: `priceLoan`'s input without the spread and the green parts. */
export type CashFlowLoanTerms = Pick<
  PriceLoanInput,
  | 'principal'
  | 'currency'
  | 'termMonths'
  | 'frequency'
  | 'method'
  | 'dayCount'
  | 'startDate'
  | 'firstPaymentDate'
  | 'rounding'
  | 'baseRate'
>;

export interface CreditSpreadFromCashFlowInput {
  /** Analytics of the borrower's transactions; supplies the cash flow and, unless `extras`, the signals. */
  readonly analytics?: Pick<
    CashFlowAnalytics,
    'averageMonthlyNetOperatingCashFlow' | 'daysCashOnHand' | 'volatility' | 'months'
  >;
  /** Or the cash flow directly (minor units a month). */
  readonly averageMonthlyNetOperatingCashFlow?: number;
  /** The borrower's other monthly debt payments, minor units. */
  readonly existingDebtService?: number;
  readonly loan: CashFlowLoanTerms;
  /** Signals for the notches; default from `analytics`. */
  readonly extras?: CashFlowRiskExtras;
  readonly policy?: CashFlowRiskPolicyOverride;
}

export interface CreditSpreadFromCashFlow {
  /** Pass to `priceLoan({ creditSpread })`. */
  readonly creditSpread: number;
  readonly riskGrade: CashFlowRiskGrade;
  /** Coverage of the loan priced at base rate + this spread (before any green discount). */
  readonly coverage: DebtServiceCoverage;
  readonly explanation: string;
}

/**
 * The credit spread cash-flow underwriting sets for a loan. DSCR is measured on the schedule at
 * base rate + the grade's spread, before any green discount (the discount only improves it).
 *
 * @example
 * const cf = creditSpreadFromCashFlow({
 *   averageMonthlyNetOperatingCashFlow: 2_000_000,
 *   loan: { principal: 50_000_000, currency: 'GBP', termMonths: 60, startDate: '2025-01-15', baseRate: 0.045 },
 * });
 * cf.riskGrade.grade; // 'CF1': at 4.50 % + 1.50 % the payment is £9,666.40, DSCR 2.07x
 * cf.creditSpread;    // 0.015 — then priceLoan({ ...sameTerms, creditSpread: cf.creditSpread, greenScore })
 */
export function creditSpreadFromCashFlow(input: CreditSpreadFromCashFlowInput): CreditSpreadFromCashFlow {
  invariant(typeof input === 'object' && input !== null, ErrorCode.InvalidType, 'input', 'must be an object');
  const { loan, analytics } = input;
  invariant(
    (analytics === undefined) !== (input.averageMonthlyNetOperatingCashFlow === undefined),
    ErrorCode.Required,
    'averageMonthlyNetOperatingCashFlow',
    'give exactly one of averageMonthlyNetOperatingCashFlow or analytics',
  );
  invariant(typeof loan === 'object' && loan !== null, ErrorCode.Required, 'loan', 'is required');
  assertInRange(loan.baseRate, 'loan.baseRate', { min: -1, max: 1, minExclusive: true });
  const policy = resolveCashFlowRiskPolicy(input.policy);
  const extras: CashFlowRiskExtras = input.extras ?? {
    daysCashOnHand: analytics?.daysCashOnHand,
    coefficientOfVariation: analytics?.volatility.coefficientOfVariation,
    monthsOfHistory: analytics?.months,
  };
  const frequency = loan.frequency ?? 'monthly';
  const perPeriod = MONTHS_PER_PERIOD[frequency];
  invariant(
    perPeriod !== undefined,
    ErrorCode.InvalidOption,
    'loan.frequency',
    `unknown frequency ${String(frequency)}`,
  );
  invariant(
    Number.isInteger(loan.termMonths / perPeriod) && loan.termMonths > 0,
    ErrorCode.OutOfRange,
    'loan.termMonths',
    `must be a positive multiple of ${perPeriod}`,
  );
  let result: CreditSpreadFromCashFlow | undefined;
  for (const candidate of CASH_FLOW_GRADES) {
    const spread = policy.creditSpreads[candidate];
    const s = schedule({
      principal: loan.principal,
      currency: loan.currency,
      annualRate: addRates(loan.baseRate, spread),
      payments: loan.termMonths / perPeriod,
      frequency,
      method: loan.method ?? 'annuity',
      dayCount: loan.dayCount ?? '30/360',
      startDate: loan.startDate,
      firstPaymentDate: loan.firstPaymentDate,
      rounding: loan.rounding ?? 'half-even',
    });
    const coverage = debtServiceCoverage({
      ...(analytics
        ? { analytics }
        : { averageMonthlyNetOperatingCashFlow: input.averageMonthlyNetOperatingCashFlow }),
      scheduledPayment: s,
      existingDebtService: input.existingDebtService,
    });
    const riskGrade = cashFlowRiskGrade(coverage.dscr, extras, policy);
    if (CASH_FLOW_GRADES.indexOf(riskGrade.grade) <= CASH_FLOW_GRADES.indexOf(candidate)) {
      result = {
        creditSpread: riskGrade.creditSpread,
        riskGrade,
        coverage,
        explanation: `${coverage.explanation} ${riskGrade.explanation}`,
      };
      break;
    }
  }
  return result!; // CF5 always accepts: nothing is worse
}
