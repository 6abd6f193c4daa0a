/**
 * Loan pricing: final rate = base rate + credit spread − green discount, the repayment schedule at
 * that rate, its APR, and what the discount saves the borrower.
 */
import { type DayCount } from '../day-count.js';
import { type IsoDate } from '../dates.js';
import { ErrorCode, assertInRange, assertInteger, assertOneOf, invariant } from '../errors.js';
import { assertCurrency, assertMinorUnits, type CurrencyCode } from '../money.js';
import { type RoundingMode } from '../rounding.js';
import { apr, type AprMethod } from '../apr/index.js';
import { aprsOnSameDates } from '../apr/apr.js';
import { schedule, type Frequency, type RepaymentMethod, type Schedule } from '../schedule/index.js';
import {
  greenDiscount,
  resolvePolicy,
  type GreenDiscount,
  type GreenDiscountPolicy,
  type GreenDiscountPolicyOverride,
  type GreenScoreSnapshot,
} from './discount-policy.js';
import { addRates } from './rates.js';
import {
  simulateMarginRatchet,
  type MarginRatchetInput,
  type MarginRatchetResult,
} from './sustainability-linked.js';

/** Months in one repayment period of each frequency. */
export const MONTHS_PER_PERIOD: Readonly<Record<Frequency, number>> = Object.freeze({
  monthly: 1,
  quarterly: 3,
  semiannual: 6,
  annual: 12,
});

/** Charges the borrower pays, in minor units of the loan's currency. */
export interface LoanFees {
  /** Arrangement fee deducted from the amount paid out at drawdown (counts in the APR). */
  readonly upfront?: number;
  /** Account fee added to every instalment (counts in the APR). */
  readonly perPayment?: number;
}

export interface PriceLoanInput {
  /** Amount lent, minor units. */
  readonly principal: number;
  readonly currency: CurrencyCode;
  /** Term in months; a whole number of repayment periods. */
  readonly termMonths: number;
  readonly frequency?: Frequency;
  readonly method?: RepaymentMethod;
  readonly dayCount?: DayCount;
  /** Drawdown date. */
  readonly startDate: IsoDate;
  readonly firstPaymentDate?: IsoDate;
  readonly rounding?: RoundingMode;
  /** Reference rate, e.g. Bank of England Bank Rate or SONIA, as a fraction. */
  readonly baseRate: number;
  /** The lender's credit margin over the base rate, as a fraction. */
  readonly creditSpread: number;
  /** The borrower's green score (a `GreenScoreResult` fits); none → no discount. */
  readonly greenScore?: GreenScoreSnapshot;
  /** Overrides of the default green-discount policy. */
  readonly policy?: GreenDiscountPolicyOverride;
  readonly fees?: LoanFees;
  /** APR method: EU CCD Annex I / UK CONC App 1 (default) or US Regulation Z Appendix J. */
  readonly aprMethod?: AprMethod;
  /** Simulate a sustainability-linked margin ratchet on top of the green-discounted rate. */
  readonly sustainabilityLinked?: Omit<MarginRatchetInput, 'loan'>;
}

export interface PricedLoan {
  readonly currency: CurrencyCode;
  readonly principal: number;
  readonly termMonths: number;
  readonly baseRate: number;
  readonly creditSpread: number;
  /** base + spread. */
  readonly rateBeforeDiscount: number;
  readonly greenDiscount: GreenDiscount;
  /** base + spread − applied discount. */
  readonly finalRate: number;
  readonly apr: number;
  readonly aprMethod: AprMethod;
  /** The regular instalment at the final rate (minor units, fees excluded). */
  readonly regularPayment: number;
  readonly totalInterest: number;
  /** Principal + interest. */
  readonly totalPayment: number;
  readonly totalFees: number;
  /** Interest + fees: what the credit costs the borrower. */
  readonly totalCostOfCredit: number;
  /** Total interest without the discount − with it (minor units, ≥ 0). */
  readonly interestSaved: number;
  /** The same loan priced without the green discount, for comparison. */
  readonly withoutDiscount: {
    readonly rate: number;
    readonly regularPayment: number;
    readonly totalInterest: number;
    readonly apr: number;
  };
  readonly schedule: Schedule;
  readonly policy: GreenDiscountPolicy;
  readonly greenScore: GreenScoreSnapshot | null;
  readonly sustainabilityLinked: MarginRatchetResult | null;
}

/** The instalments the borrower pays something on, with what they pay (fees included). */
function payingFlows(s: Schedule, perPayment: number) {
  const flows: { amount: number; date: IsoDate }[] = [];
  for (const row of s.installments) {
    if (row.payment + perPayment > 0) flows.push({ amount: row.payment + perPayment, date: row.date });
  }
  return flows;
}

/**
 * The APR of the discounted schedule and of the undiscounted one. Both schedules pay on the same
 * dates (same terms), so when they pay on the same rows the dates are counted once.
 */
function loanAprs(
  discounted: Schedule,
  undiscounted: Schedule,
  input: PriceLoanInput,
  fees: Required<LoanFees>,
  method: AprMethod,
): { withDiscount: number; withoutDiscount: number } {
  const advances = [{ amount: input.principal - fees.upfront, date: input.startDate }];
  const payments = payingFlows(discounted, fees.perPayment);
  if (undiscounted === discounted) {
    const rate = apr({ method, advances, payments });
    return { withDiscount: rate, withoutDiscount: rate };
  }
  const other = payingFlows(undiscounted, fees.perPayment);
  if (other.length === payments.length && other.every((flow, i) => flow.date === payments[i]!.date)) {
    const [withDiscount, withoutDiscount] = aprsOnSameDates({ method, advances, payments }, [
      other.map((flow) => flow.amount),
    ]);
    return { withDiscount: withDiscount!, withoutDiscount: withoutDiscount! };
  }
  return {
    withDiscount: apr({ method, advances, payments }),
    withoutDiscount: apr({ method, advances, payments: other }),
  };
}

/**
 * Prices a loan with its green discount.
 *
 * @example
 * const priced = priceLoan({
 *   principal: 50_000_000, currency: 'GBP', termMonths: 60, startDate: '2025-01-15',
 *   baseRate: 0.045, creditSpread: 0.025, greenScore: { score: 84, band: 'A', confidence: 1 },
 * });
 * priced.finalRate;      // 0.065 (4.50 % + 2.50 % − 0.50 pp)
 * priced.interestSaved;  // minor units saved by the discount over the term
 */
export function priceLoan(input: PriceLoanInput): PricedLoan {
  assertMinorUnits(input.principal, 'principal');
  invariant(input.principal > 0, ErrorCode.OutOfRange, 'principal', `must be > 0, got ${input.principal}`);
  assertCurrency(input.currency);
  const frequency = input.frequency ?? 'monthly';
  assertOneOf(frequency, Object.keys(MONTHS_PER_PERIOD) as Frequency[], 'frequency');
  assertInteger(input.termMonths, 'termMonths', 1);
  const monthsPerPeriod = MONTHS_PER_PERIOD[frequency];
  invariant(
    input.termMonths % monthsPerPeriod === 0,
    ErrorCode.OutOfRange,
    'termMonths',
    `must be a whole number of ${frequency} periods (a multiple of ${monthsPerPeriod}), got ${input.termMonths}`,
  );
  assertInRange(input.baseRate, 'baseRate', { min: -1, max: 1, minExclusive: true });
  assertInRange(input.creditSpread, 'creditSpread', { min: -1, max: 1 });
  const fees: Required<LoanFees> = {
    upfront: input.fees?.upfront ?? 0,
    perPayment: input.fees?.perPayment ?? 0,
  };
  assertMinorUnits(fees.upfront, 'fees.upfront');
  assertMinorUnits(fees.perPayment, 'fees.perPayment');
  invariant(
    fees.upfront >= 0 && fees.upfront < input.principal,
    ErrorCode.OutOfRange,
    'fees.upfront',
    'must be ≥ 0 and less than the principal',
  );
  invariant(fees.perPayment >= 0, ErrorCode.OutOfRange, 'fees.perPayment', 'must be ≥ 0');
  if (input.greenScore) {
    assertInRange(input.greenScore.score, 'greenScore.score', { min: 0, max: 100 });
    assertOneOf(input.greenScore.band, ['A', 'B', 'C', 'D', 'E'] as const, 'greenScore.band');
    if (input.greenScore.confidence !== undefined) {
      assertInRange(input.greenScore.confidence, 'greenScore.confidence', { min: 0, max: 1 });
    }
  }
  const aprMethod = input.aprMethod ?? 'eu';
  const policy = resolvePolicy(input.policy);

  const rateBeforeDiscount = addRates(input.baseRate, input.creditSpread);
  invariant(
    rateBeforeDiscount > -1,
    ErrorCode.OutOfRange,
    'creditSpread',
    'base rate + credit spread must be > −100 %',
  );
  const discount = greenDiscount(input.greenScore, rateBeforeDiscount, policy);
  const finalRate = addRates(rateBeforeDiscount, -discount.applied);

  const terms = {
    principal: input.principal,
    currency: input.currency,
    payments: input.termMonths / monthsPerPeriod,
    frequency,
    method: input.method ?? 'annuity',
    dayCount: input.dayCount ?? '30/360',
    startDate: input.startDate,
    firstPaymentDate: input.firstPaymentDate,
    rounding: input.rounding ?? 'half-even',
  } as const;
  const discounted = schedule({ ...terms, annualRate: finalRate });
  const undiscounted =
    discount.applied === 0 ? discounted : schedule({ ...terms, annualRate: rateBeforeDiscount });
  const payingRows = discounted.installments.filter((row) => row.payment > 0).length;
  const totalFees = fees.upfront + fees.perPayment * payingRows;
  const aprs = loanAprs(discounted, undiscounted, input, fees, aprMethod);

  return {
    currency: input.currency,
    principal: input.principal,
    termMonths: input.termMonths,
    baseRate: input.baseRate,
    creditSpread: input.creditSpread,
    rateBeforeDiscount,
    greenDiscount: discount,
    finalRate,
    apr: aprs.withDiscount,
    aprMethod,
    regularPayment: discounted.regularPayment,
    totalInterest: discounted.totalInterest,
    totalPayment: discounted.totalPayment,
    totalFees,
    totalCostOfCredit: discounted.totalInterest + totalFees,
    interestSaved: undiscounted.totalInterest - discounted.totalInterest,
    withoutDiscount: {
      rate: rateBeforeDiscount,
      regularPayment: undiscounted.regularPayment,
      totalInterest: undiscounted.totalInterest,
      apr: aprs.withoutDiscount,
    },
    schedule: discounted,
    policy,
    greenScore: input.greenScore ?? null,
    sustainabilityLinked: input.sustainabilityLinked
      ? simulateMarginRatchet({ ...input.sustainabilityLinked, loan: { ...terms, annualRate: finalRate } })
      : null,
  };
}
