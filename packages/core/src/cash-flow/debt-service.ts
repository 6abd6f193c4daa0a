/**
 * Debt service coverage ratio (DSCR): the cash a business generates over the debt payments it must
 * make in the same time, both per month here:
 *   DSCR = average monthly net operating cash flow / (new loan's monthly debt service + existing).
 * Methodology and sources: docs/methodology/cash-flow.md.
 */
import { addMonths } from '../dates.js';
import { ErrorCode, invariant } from '../errors.js';
import { assertCurrency, assertMinorUnits, toDecimalString, type CurrencyCode } from '../money.js';
import { monthsPerPeriod } from '../schedule/frequency.js';
import type { Schedule } from '../schedule/index.js';
import type { CashFlowAnalytics } from './analytics.js';

export interface DebtServiceCoverageInput {
  /** Average monthly net operating cash flow, minor units. Give this or `analytics`. */
  readonly averageMonthlyNetOperatingCashFlow?: number;
  /** A {@link cashFlowAnalytics} result; its `averageMonthlyNetOperatingCashFlow` is used. */
  readonly analytics?: Pick<CashFlowAnalytics, 'averageMonthlyNetOperatingCashFlow'>;
  /**
   * The new loan's debt service: minor units per month, or its repayment schedule (see
   * {@link monthlyDebtService}).
   */
  readonly scheduledPayment: number | Schedule;
  /** Monthly payments on the borrower's other debts, minor units, ≥ 0. Default 0. */
  readonly existingDebtService?: number;
  /**
   * The amounts' currency, for the explanation's figures (`GBP 19500.00`); default the schedule's
   * when `scheduledPayment` is one, else the explanation states minor units.
   */
  readonly currency?: CurrencyCode;
}

export interface DebtServiceCoverage {
  /** Cash flow / debt service, unrounded. Negative when the cash flow is. */
  readonly dscr: number;
  readonly monthlyCashFlow: number;
  /** New loan + existing debt, minor units per month. */
  readonly monthlyDebtService: number;
  readonly explanation: string;
}

/**
 * Monthly debt service of a schedule: the payments due in its first 12 months (from the start date,
 * inclusive of a payment due on the anniversary) divided by 12 — the "next twelve months" debt
 * service lenders test. A schedule shorter than a year: all payments / its term in months.
 *
 * @example monthlyDebtService(schedule({ principal: 1_200_000, currency: 'GBP', annualRate: 0,
 *   payments: 24, startDate: '2025-01-15' })) // 50000
 */
export function monthlyDebtService(s: Schedule): number {
  const termMonths = monthsPerPeriod(s.frequency, 'scheduledPayment.frequency') * s.installments.length;
  const horizon = Math.min(12, termMonths);
  const last = addMonths(s.startDate, horizon);
  let due = 0;
  for (const row of s.installments) if (row.date <= last) due += row.payment;
  invariant(
    due > 0,
    ErrorCode.OutOfRange,
    'scheduledPayment',
    `the schedule has no payment due in its first ${horizon} months (a bullet loan?); pass the monthly debt service as a number`,
  );
  return due / horizon;
}

/** An amount for the explanation: `GBP 19500.00` with a currency, else plain minor units. */
const formatter = (currency: CurrencyCode | undefined) => (minor: number) =>
  currency === undefined
    ? String(Math.round(minor))
    : `${currency} ${toDecimalString({ amount: Math.round(minor), currency })}`;

/**
 * The debt service coverage ratio of a proposed loan.
 *
 * @example
 * debtServiceCoverage({ averageMonthlyNetOperatingCashFlow: 1_500_000, scheduledPayment: 1_000_000 }).dscr // 1.5
 */
export function debtServiceCoverage(input: DebtServiceCoverageInput): DebtServiceCoverage {
  invariant(typeof input === 'object' && input !== null, ErrorCode.InvalidType, 'input', 'must be an object');
  const direct = input.averageMonthlyNetOperatingCashFlow;
  invariant(
    (direct === undefined) !== (input.analytics === undefined),
    ErrorCode.Required,
    'averageMonthlyNetOperatingCashFlow',
    'give exactly one of averageMonthlyNetOperatingCashFlow or analytics',
  );
  const path =
    direct === undefined
      ? 'analytics.averageMonthlyNetOperatingCashFlow'
      : 'averageMonthlyNetOperatingCashFlow';
  const cashFlow = direct ?? input.analytics!.averageMonthlyNetOperatingCashFlow;
  assertMinorUnits(cashFlow, path);
  let newDebt: number;
  if (typeof input.scheduledPayment === 'number') {
    assertMinorUnits(input.scheduledPayment, 'scheduledPayment');
    newDebt = input.scheduledPayment;
  } else {
    invariant(
      typeof input.scheduledPayment === 'object' &&
        input.scheduledPayment !== null &&
        Array.isArray(input.scheduledPayment.installments),
      ErrorCode.InvalidType,
      'scheduledPayment',
      'must be minor units per month or a schedule',
    );
    newDebt = monthlyDebtService(input.scheduledPayment);
  }
  invariant(newDebt >= 0, ErrorCode.OutOfRange, 'scheduledPayment', 'must be ≥ 0');
  const existing = input.existingDebtService ?? 0;
  assertMinorUnits(existing, 'existingDebtService');
  invariant(existing >= 0, ErrorCode.OutOfRange, 'existingDebtService', 'must be ≥ 0');
  const monthlyDebtServiceTotal = newDebt + existing;
  invariant(
    monthlyDebtServiceTotal > 0,
    ErrorCode.OutOfRange,
    'scheduledPayment',
    'debt service must be > 0 for a coverage ratio',
  );
  const dscr = cashFlow / monthlyDebtServiceTotal;
  const currency =
    input.currency ??
    (typeof input.scheduledPayment === 'object' ? input.scheduledPayment.currency : undefined);
  if (currency !== undefined) assertCurrency(currency, 'currency');
  const fmt = formatter(currency);
  return {
    dscr,
    monthlyCashFlow: cashFlow,
    monthlyDebtService: monthlyDebtServiceTotal,
    explanation:
      `Average monthly net operating cash flow ${fmt(cashFlow)} / monthly debt service ` +
      `${fmt(monthlyDebtServiceTotal)}${existing > 0 ? ` (new loan ${fmt(newDebt)} + existing ${fmt(existing)})` : ''}` +
      `${currency === undefined ? ' (minor units a month)' : ' a month'} = DSCR ${dscr.toFixed(2)}x.`,
  };
}
