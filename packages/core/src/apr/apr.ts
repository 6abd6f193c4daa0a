/**
 * The annual percentage rate as regulators define it:
 *
 * - `'eu'` — Directive 2008/48/EC Annex I (as amended by Directive 2011/90/EU), which the UK keeps in
 *   FCA CONC App 1.2 (and, for credit secured on land, CONC App 1.1 / MCOB 10A): the annual rate X
 *   with Σ advances (1+X)^(−t) = Σ repayments and charges (1+X)^(−s), times in years;
 * - `'us-actuarial'` — 12 CFR 1026 (Regulation Z) Appendix J, actuarial method: the unit-period
 *   rate i of the general equation (b)(8), times the unit-periods in a year (b)(1).
 *
 * See docs/methodology/apr.md for the equations, time conventions and sources.
 */
import { assertOneOf, ErrorCode, invariant } from '../errors.js';
import { type CivilDate, type IsoDate } from '../dates.js';
import { assertMinorUnits } from '../money.js';
import { calendarPoint, readDate, type CalendarPoint } from './calendar.js';
import { solveRate } from './solver.js';
import { annexIYears, regZUnitPeriods, type AnnexITimeUnit } from './time.js';
import {
  commonUnitPeriod,
  fromUnitSpec,
  inferUnitPeriod,
  singlePaymentUnitPeriod,
  toUnitSpec,
  unitPeriodsPerYear,
  type UnitPeriod,
  type UnitSpec,
} from './unit-period.js';

/** An amount of money changing hands on a date: minor units (> 0) of the loan's currency. */
export interface CashFlow {
  readonly amount: number;
  readonly date: IsoDate;
}

/** `'eu'`: EU CCD Annex I = UK CONC App 1; `'us-actuarial'`: Regulation Z Appendix J. */
export type AprMethod = 'eu' | 'us-actuarial';
export const APR_METHODS: readonly AprMethod[] = ['eu', 'us-actuarial'];

export interface AprInput {
  /** Money lent to the consumer (drawdowns), net of any fee kept back at drawdown; at least one. */
  readonly advances: readonly CashFlow[];
  /** Repayments (principal, interest and any charges folded into them); at least one. */
  readonly payments: readonly CashFlow[];
  /**
   * Charges the consumer pays besides `payments`, on their dates: an arrangement fee paid at
   * drawdown (same effect as a smaller advance), one added to the first payment, periodic account
   * fees… Each is a "payment of charges" of Annex I and a finance charge of Regulation Z (one paid
   * at consummation is a prepaid finance charge, reducing the amount financed). See `loanFeeCashFlows`.
   */
  readonly fees?: readonly CashFlow[];
  readonly method: AprMethod;
  /**
   * `us-actuarial`: the Appendix J unit-period; inferred from the dates as (b)(4) prescribes when
   * absent. `eu`: selects the equal period of Annex I remark (c) — weeks for week-based unit-periods,
   * days only for `'day'`/`{ days }`, months otherwise; when absent, weeks if the schedule's most
   * frequent repeated period is whole weeks (weekly, fortnightly, four-weekly), months otherwise.
   */
  readonly unitPeriod?: UnitPeriod;
}

/** One cash flow as the equation saw it. */
export interface AprTimelineEntry {
  readonly kind: 'advance' | 'payment' | 'fee';
  /** Index in the caller's `advances`, `payments` or `fees`. */
  readonly index: number;
  readonly date: IsoDate;
  readonly amount: number;
  /** EU: years from the first advance. US: unit-periods from it (`wholePeriods + fraction`). */
  readonly time: number;
  /** US only: Appendix J's t (or q), whole unit-periods. */
  readonly wholePeriods?: number;
  /** US only: Appendix J's f (or e), the fraction of a unit-period earned at simple interest. */
  readonly fraction?: number;
}

export interface AprDetails {
  /** Annual percentage rate as a fraction (0.0969 = 9.69 %), unrounded. */
  readonly apr: number;
  readonly method: AprMethod;
  /**
   * US: the unit-period used. EU: the equal period the times were counted in (`'month'`, `'week'`
   * or `'day'`).
   */
  readonly unitPeriod: UnitPeriod;
  /** Whether the unit-period came from the input or was inferred from the dates. */
  readonly unitPeriodSource: 'input' | 'inferred';
  /** US: unit-periods per year (12, 24, 52, 365/255…); EU: null. */
  readonly unitPeriodsPerYear: number | null;
  /** US: the rate per unit-period, i (APR = i × unit-periods per year); EU: null. */
  readonly unitPeriodRate: number | null;
  /** Solver iterations after bracketing the root. */
  readonly iterations: number;
  /** Every cash flow with its time, in the caller's order (advances, payments, fees). */
  readonly timeline: readonly AprTimelineEntry[];
}

const LISTS = ['advances', 'payments', 'fees'] as const;
const KINDS = ['advance', 'payment', 'fee'] as const;

/**
 * Validates one list of cash flows and appends each flow's date and amount to `civils` and
 * `amounts`; returns how many it read. A plain loop with paths and messages built only on failure:
 * this runs for every cash flow.
 */
function readFlows(
  value: unknown,
  path: string,
  required: boolean,
  civils: CivilDate[],
  amounts: number[],
): number {
  if (value === undefined && !required) return 0;
  invariant(
    Array.isArray(value),
    value === undefined ? ErrorCode.Required : ErrorCode.InvalidType,
    path,
    'must be an array of { amount, date }',
  );
  invariant(!required || value.length > 0, ErrorCode.Required, path, 'must contain at least one cash flow');
  for (let index = 0; index < value.length; index++) {
    const flow: unknown = value[index];
    if (typeof flow !== 'object' || flow === null) {
      invariant(false, ErrorCode.InvalidType, `${path}[${index}]`, 'must be an object { amount, date }');
    }
    const { amount, date } = flow as Record<string, unknown>;
    assertPositiveAmount(amount, path, index);
    civils.push(readDate(date, path, index));
    amounts.push(amount as number);
  }
  return value.length;
}

/** Throws unless `amount` is a whole number of minor units above 0 (path built only on failure). */
function assertPositiveAmount(amount: unknown, path: string, index: number): void {
  if (typeof amount === 'number' && Number.isSafeInteger(amount) && amount > 0) return;
  assertMinorUnits(amount, `${path}[${index}].amount`);
  invariant(
    false,
    ErrorCode.OutOfRange,
    `${path}[${index}].amount`,
    `must be > 0 minor units, got ${amount}`,
  );
}

/** `points[from, to)` in date order (a copy; already-ordered lists, the usual case, skip the sort). */
function inDateOrder(points: readonly CalendarPoint[], from: number, to: number): CalendarPoint[] {
  const out = points.slice(from, to);
  for (let k = 1; k < out.length; k++) {
    if (out[k]!.day < out[k - 1]!.day) return out.sort((a, b) => a.day - b.day);
  }
  return out;
}

/**
 * Validates the input and prepares every date for counting. Flows are kept in the caller's order —
 * advances, then payments, then fees — as parallel arrays (`points`, signed `amounts`).
 */
function prepare(input: AprInput) {
  invariant(
    typeof input === 'object' && input !== null,
    ErrorCode.InvalidType,
    '',
    'input must be an object',
  );
  assertOneOf(input.method, APR_METHODS, 'method');
  const civils: CivilDate[] = [];
  const unsigned: number[] = [];
  const advanceCount = readFlows(input.advances, 'advances', true, civils, unsigned);
  const paymentCount = readFlows(input.payments, 'payments', true, civils, unsigned);
  readFlows(input.fees, 'fees', false, civils, unsigned);
  const spec = input.unitPeriod === undefined ? null : toUnitSpec(input.unitPeriod, 'unitPeriod');

  const n = civils.length;
  let seriesDay = 1;
  for (let j = 0; j < n; j++) seriesDay = Math.max(seriesDay, civils[j]!.day);
  const points = new Array<CalendarPoint>(n);
  const amounts = new Float64Array(n);
  let start = 0; // index of the earliest advance
  for (let j = 0; j < n; j++) {
    points[j] = calendarPoint(civils[j]!, seriesDay);
    amounts[j] = j < advanceCount ? unsigned[j]! : -unsigned[j]!;
    if (j < advanceCount && points[j]!.day < points[start]!.day) start = j;
  }
  const firstDay = points[start]!.day;
  for (let j = advanceCount; j < n; j++) {
    if (points[j]!.day < firstDay) {
      const { list, index } = flowAt(j, advanceCount, paymentCount);
      const date = (input[list]![index] as CashFlow).date;
      invariant(
        false,
        ErrorCode.DatesOutOfOrder,
        `${list}[${index}].date`,
        `${date} is before the first advance (${input.advances[start]!.date})`,
      );
    }
  }
  return {
    method: input.method,
    spec,
    points,
    amounts,
    advanceCount,
    paymentCount,
    start: points[start]!,
    advances: inDateOrder(points, 0, advanceCount),
    payments: inDateOrder(points, advanceCount, advanceCount + paymentCount),
  };
}

/** Which list and position flow `j` (caller order: advances, payments, fees) came from. */
function flowAt(j: number, advanceCount: number, paymentCount: number) {
  const kind = j < advanceCount ? 0 : j < advanceCount + paymentCount ? 1 : 2;
  const index = kind === 0 ? j : kind === 1 ? j - advanceCount : j - advanceCount - paymentCount;
  return { list: LISTS[kind], kind: KINDS[kind], index };
}

type Prepared = ReturnType<typeof prepare>;

/** The Appendix J unit-period: the caller's, or (b)(4)(ii) for one advance and one payment, or (b)(4)(i). */
function regZUnit(p: Prepared): UnitSpec {
  if (p.spec) return p.spec;
  if (p.advances.length === 1 && p.payments.length === 1)
    return singlePaymentUnitPeriod(p.advances[0]!, p.payments[0]!);
  return inferUnitPeriod(p.advances, p.payments);
}

/**
 * The equal period of Annex I remark (c): the caller's, or weeks when the schedule's most frequent
 * period is a whole number of weeks, otherwise months.
 */
function annexIUnit(p: Prepared): AnnexITimeUnit {
  const spec = p.spec ?? commonUnitPeriod(p.advances, p.payments);
  if (spec?.kind === 'week') return 'week';
  return spec?.kind === 'day' && p.spec ? 'day' : 'month';
}

/** Every flow's time under the input's method: the equation's exponents, counted once per input. */
function countTimes(p: Prepared) {
  const n = p.points.length;
  const whole = new Float64Array(n);
  if (p.method === 'eu') {
    const unit = annexIUnit(p);
    for (let j = 0; j < n; j++) whole[j] = annexIYears(p.start, p.points[j]!, unit);
    return { unit, whole, fraction: null, spec: null };
  }
  const spec = regZUnit(p);
  const fraction = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const count = regZUnitPeriods(p.start, p.points[j]!, spec);
    whole[j] = count.whole;
    fraction[j] = count.fraction;
  }
  return { unit: fromUnitSpec(spec), whole, fraction, spec };
}

type Times = ReturnType<typeof countTimes>;

/** The annual rate that solves the equation for `amounts` at `times`, and the solver's working. */
function solve(times: Times, amounts: Float64Array) {
  const root = solveRate({ amounts, whole: times.whole, fraction: times.fraction });
  const perYear = times.spec ? unitPeriodsPerYear(times.spec) : null;
  return { apr: perYear === null ? root.rate : root.rate * perYear, root, perYear };
}

function compute(input: AprInput, withTimeline: boolean): AprDetails {
  const p = prepare(input);
  const times = countTimes(p);
  const { apr: rate, root, perYear } = solve(times, p.amounts);
  const timeline: AprTimelineEntry[] = [];
  if (withTimeline) {
    for (let j = 0; j < p.points.length; j++) {
      const { list, kind, index } = flowAt(j, p.advanceCount, p.paymentCount);
      const base = { kind, index, date: input[list]![index]!.date, amount: Math.abs(p.amounts[j]!) };
      const whole = times.whole[j]!;
      timeline.push(
        times.fraction
          ? { ...base, time: whole + times.fraction[j]!, wholePeriods: whole, fraction: times.fraction[j]! }
          : { ...base, time: whole },
      );
    }
  }
  return {
    apr: rate,
    method: p.method,
    unitPeriod: times.unit,
    unitPeriodSource: p.spec ? 'input' : 'inferred',
    unitPeriodsPerYear: perYear,
    unitPeriodRate: perYear === null ? null : root.rate,
    iterations: root.iterations,
    timeline,
  };
}

/**
 * Internal to core (not exported from the package): {@link apr} of `input`, then of the same flows
 * with the payments' amounts replaced by each list of `alternatives` (one amount per payment, in
 * order). The dates are read and their times counted once, so pricing a loan with and without a
 * discount costs one date pass instead of two.
 *
 * @example aprsOnSameDates(discountedInput, [undiscountedPayments]) // [aprWith, aprWithout]
 */
export function aprsOnSameDates(input: AprInput, alternatives: readonly (readonly number[])[]): number[] {
  const p = prepare(input);
  const times = countTimes(p);
  const rates = [solve(times, p.amounts).apr];
  for (const payments of alternatives) {
    invariant(
      payments.length === p.paymentCount,
      ErrorCode.OutOfRange,
      'payments',
      `an alternative must have one amount per payment (${p.paymentCount}), got ${payments.length}`,
    );
    const amounts = p.amounts.slice();
    for (let i = 0; i < payments.length; i++) {
      assertPositiveAmount(payments[i], 'payments', i);
      amounts[p.advanceCount + i] = -payments[i]!;
    }
    rates.push(solve(times, amounts).apr);
  }
  return rates;
}

/**
 * The annual percentage rate of a credit, as a fraction at full precision (callers round for
 * display: Annex I remark (d) asks for at least one decimal place of the percentage, Appendix J
 * publishes two).
 *
 * Throws `GreenfinError`: `required`/`invalid_type` for missing or malformed lists, `not_minor_units`
 * or `out_of_range` for an amount that is not a positive integer (path `payments[2].amount`),
 * `invalid_date`, `dates_out_of_order` for a payment or fee before the first advance,
 * `invalid_option` for an unknown method or unit-period, `no_solution` when no rate above −100 %
 * balances the flows.
 *
 * @example
 * apr({ method: 'eu', advances: [{ amount: 100_000, date: '2024-01-15' }],
 *       payments: [{ amount: 110_000, date: '2025-01-15' }] }); // 0.1 (10 %)
 * @example
 * // Regulation Z Appendix J (c)(1)(i): $5,000, 24 monthly payments of $230 → 9.69 %
 * apr({ method: 'us-actuarial', advances: [{ amount: 500_000, date: '1978-01-10' }], payments }); // 0.09687…
 */
export function apr(input: AprInput): number {
  return compute(input, false).apr;
}

/**
 * {@link apr} with its working: the unit-period (given or inferred), unit-periods per year and the
 * rate per unit-period (US), solver iterations, and each cash flow's time in the equation.
 *
 * @example
 * const d = aprDetails({ method: 'us-actuarial', advances, payments });
 * d.unitPeriod;          // 'month'
 * d.unitPeriodsPerYear;  // 12
 * d.timeline[1];         // { kind: 'payment', wholePeriods: 1, fraction: 19 / 30, … }
 */
export function aprDetails(input: AprInput): AprDetails {
  return compute(input, true);
}
