/**
 * Unit-periods of 12 CFR 1026 Appendix J: the standard intervals of time (b)(3)(iii) a transaction
 * is measured in, how many make a year (b)(5), and how the unit-period is chosen from the payment
 * dates when the caller does not name one (b)(4).
 */
import { ErrorCode, invariant } from '../errors.js';
import { type CalendarPoint, wholeMonthsBack } from './calendar.js';

/** A named unit-period. `two-months` is Appendix J (c)(4)(ii)'s "every two months". */
export type UnitPeriodName =
  | 'day'
  | 'week'
  | 'two-weeks'
  | 'four-weeks'
  | 'semi-month'
  | 'month'
  | 'two-months'
  | 'quarter'
  | 'half-year'
  | 'year';

/**
 * A unit-period: a name, or any other standard interval as a count of weeks (1–52) or months
 * (1–12). `{ days: n }` is the term of a single-advance, single-payment transaction shorter than a
 * year, which Appendix J (b)(4)(ii) makes the unit-period.
 */
export type UnitPeriod =
  UnitPeriodName | { readonly days: number } | { readonly weeks: number } | { readonly months: number };

export const UNIT_PERIOD_NAMES: readonly UnitPeriodName[] = [
  'day',
  'week',
  'two-weeks',
  'four-weeks',
  'semi-month',
  'month',
  'two-months',
  'quarter',
  'half-year',
  'year',
];

/** The internal form: a kind and a multiple. */
export type UnitSpec =
  | { readonly kind: 'day'; readonly n: number }
  | { readonly kind: 'week'; readonly n: number }
  | { readonly kind: 'semi-month' }
  | { readonly kind: 'month'; readonly n: number };

const NAMED: Readonly<Record<UnitPeriodName, UnitSpec>> = {
  day: { kind: 'day', n: 1 },
  week: { kind: 'week', n: 1 },
  'two-weeks': { kind: 'week', n: 2 },
  'four-weeks': { kind: 'week', n: 4 },
  'semi-month': { kind: 'semi-month' },
  month: { kind: 'month', n: 1 },
  'two-months': { kind: 'month', n: 2 },
  quarter: { kind: 'month', n: 3 },
  'half-year': { kind: 'month', n: 6 },
  year: { kind: 'month', n: 12 },
};

/**
 * Validates a caller's unit-period and returns its internal form. Throws `invalid_option`.
 *
 * @example toUnitSpec('quarter', 'unitPeriod') // { kind: 'month', n: 3 }
 */
export function toUnitSpec(value: unknown, path: string): UnitSpec {
  if (typeof value === 'string') {
    invariant(
      (UNIT_PERIOD_NAMES as readonly string[]).includes(value),
      ErrorCode.InvalidOption,
      path,
      `must be one of ${UNIT_PERIOD_NAMES.map((o) => `'${o}'`).join(', ')}, { weeks }, { months } or { days }, got ${JSON.stringify(value)}`,
    );
    return NAMED[value as UnitPeriodName];
  }
  invariant(
    typeof value === 'object' && value !== null && !Array.isArray(value),
    ErrorCode.InvalidOption,
    path,
    `must be a unit-period name or { weeks }, { months } or { days }, got ${JSON.stringify(value)}`,
  );
  const keys = Object.keys(value);
  const [key] = keys;
  const limits = { days: 365, weeks: 52, months: 12 } as const;
  invariant(
    keys.length === 1 && (key === 'days' || key === 'weeks' || key === 'months'),
    ErrorCode.InvalidOption,
    path,
    `must have exactly one of days, weeks or months, got ${JSON.stringify(value)}`,
  );
  const n: unknown = (value as Record<string, unknown>)[key];
  const max = limits[key];
  invariant(
    typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= max,
    ErrorCode.OutOfRange,
    `${path}.${key}`,
    `must be an integer from 1 to ${max} (a unit-period never exceeds a year), got ${JSON.stringify(n)}`,
  );
  if (key === 'days') return { kind: 'day', n };
  if (key === 'weeks') return { kind: 'week', n };
  return { kind: 'month', n };
}

/**
 * The caller-facing form of a unit-period: its name when it has one.
 *
 * @example fromUnitSpec({ kind: 'week', n: 2 }) // 'two-weeks'
 */
export function fromUnitSpec(spec: UnitSpec): UnitPeriod {
  for (const name of UNIT_PERIOD_NAMES) {
    const named = NAMED[name];
    if (named.kind === spec.kind && (spec.kind === 'semi-month' || ('n' in named && named.n === spec.n)))
      return name;
  }
  switch (spec.kind) {
    case 'day':
      return { days: spec.n };
    case 'week':
      return { weeks: spec.n };
    case 'month':
      return { months: spec.n };
    case 'semi-month':
      return 'semi-month';
  }
}

/**
 * Unit-periods per year, Appendix J (b)(5): 365 per day (and 365 ÷ days for a term measured in
 * days, (b)(5)(vii)), 52 ÷ weeks, 24 per semi-month, 12 ÷ months.
 *
 * @example unitPeriodsPerYear({ kind: 'day', n: 255 }) // 365 / 255, Appendix J (c)(5)(i)
 */
export function unitPeriodsPerYear(spec: UnitSpec): number {
  switch (spec.kind) {
    case 'day':
      return 365 / spec.n;
    case 'week':
      return 52 / spec.n;
    case 'semi-month':
      return 24;
    case 'month':
      return 12 / spec.n;
  }
}

/** Approximate length in days, used only to order and average periods ((b)(4)(i)(A) and (B)). */
function approximateDays(spec: UnitSpec): number {
  switch (spec.kind) {
    case 'day':
      return spec.n;
    case 'week':
      return 7 * spec.n;
    case 'semi-month':
      return 365 / 24;
    case 'month':
      return (365 / 12) * spec.n;
  }
}

/**
 * True when payments fall twice a calendar month (1st and 16th, 15th and month-end…): then a 13–17
 * day interval is a semi-month even when it happens to be 14 days (two weeks).
 */
function isSemiMonthlySeries(points: readonly CalendarPoint[]): boolean {
  if (points.length < 3) return false;
  let allSameWeeks = true;
  for (let k = 1; k < points.length; k++) {
    const days = points[k]!.day - points[k - 1]!.day;
    if (days < 13 || days > 17) return false;
    if (days !== points[1]!.day - points[0]!.day || days % 7 !== 0) allSameWeeks = false;
  }
  if (allSameWeeks) return false; // every 14 days exactly is fortnightly, not semi-monthly
  const perMonth = new Map<number, number>();
  for (const p of points) {
    const key = p.civil.year * 12 + p.civil.month;
    perMonth.set(key, (perMonth.get(key) ?? 0) + 1);
  }
  const firstKey = points[0]!.civil.year * 12 + points[0]!.civil.month;
  const lastKey = points[points.length - 1]!.civil.year * 12 + points[points.length - 1]!.civil.month;
  for (let key = firstKey; key <= lastKey; key++) {
    const count = perMonth.get(key) ?? 0;
    if (count > 2 || (key > firstKey && key < lastKey && count !== 2)) return false;
  }
  return true;
}

/** One shared object per standard interval, so classifying thousands of periods allocates nothing. */
const DAY: UnitSpec = { kind: 'day', n: 1 };
const SEMI_MONTH: UnitSpec = { kind: 'semi-month' };
const WEEKS: readonly UnitSpec[] = Array.from({ length: 53 }, (_, n) => ({ kind: 'week', n }) as const);
const MONTHS: readonly UnitSpec[] = Array.from({ length: 13 }, (_, n) => ({ kind: 'month', n }) as const);

/**
 * The standard interval (b)(3)(iii) a period is exactly equal to, or `null`. Whole months win over
 * whole weeks (a 28-day February is one month, not four weeks).
 */
function classifyPeriod(from: CalendarPoint, to: CalendarPoint, semiMonthly: boolean): UnitSpec | null {
  const days = to.day - from.day;
  if (days <= 0) return null;
  if (days === 1) return DAY;
  const back = wholeMonthsBack(from, to);
  if (back.landingDay === from.day && back.months >= 1 && back.months <= 12) return MONTHS[back.months]!;
  if (semiMonthly && days >= 13 && days <= 17) return SEMI_MONTH;
  if (days % 7 === 0 && days / 7 <= 52) return WEEKS[days / 7]!;
  if (days >= 13 && days <= 17) return SEMI_MONTH;
  return null;
}

/** Every standard interval up to a year, shortest first: the candidates of (b)(4)(i)(B). */
function standardIntervals(): UnitSpec[] {
  const all: UnitSpec[] = [DAY, SEMI_MONTH, ...WEEKS.slice(1), ...MONTHS.slice(1)];
  return all.sort((a, b) => approximateDays(a) - approximateDays(b));
}

/** Calls `visit` for each period of (b)(3)(i): start of term → first payment, between payments, between advances. */
function forEachPeriod(
  advances: readonly CalendarPoint[],
  payments: readonly CalendarPoint[],
  visit: (from: CalendarPoint, to: CalendarPoint) => void,
): void {
  let previous = advances[0]!;
  for (const p of payments) {
    if (p.day > previous.day) visit(previous, p);
    previous = p;
  }
  for (let k = 1; k < advances.length; k++) {
    if (advances[k]!.day > advances[k - 1]!.day) visit(advances[k - 1]!, advances[k]!);
  }
}

/**
 * Appendix J (b)(4)(i)(A): the common period (a standard interval occurring more than once) that
 * occurs most frequently, the smaller on a tie; `null` when no period repeats.
 *
 * `payments` and `advances` are in date order; the first advance starts the term.
 *
 * @example commonUnitPeriod([start], monthlyPayments) // { kind: 'month', n: 1 }
 */
export function commonUnitPeriod(
  advances: readonly CalendarPoint[],
  payments: readonly CalendarPoint[],
): UnitSpec | null {
  const semiMonthly = isSemiMonthlySeries(payments);
  // classifyPeriod returns the shared object of each interval, so identity is sameness.
  const counts = new Map<UnitSpec, number>();
  forEachPeriod(advances, payments, (from, to) => {
    const spec = classifyPeriod(from, to, semiMonthly);
    if (spec) counts.set(spec, (counts.get(spec) ?? 0) + 1);
  });
  let best: UnitSpec | null = null;
  let bestCount = 1;
  for (const [spec, count] of counts) {
    if (
      count > bestCount ||
      (count === bestCount && best !== null && approximateDays(spec) < approximateDays(best))
    ) {
      best = spec;
      bestCount = count;
    }
  }
  return best;
}

/**
 * The unit-period of Appendix J (b)(4)(i): the most frequent common period (A); with no common
 * period, the average of all periods rounded to the nearest standard interval, the lower on a tie
 * (B). A unit-period never exceeds a year.
 *
 * @example inferUnitPeriod([start], paymentsEvery28Days) // { kind: 'week', n: 4 }
 */
export function inferUnitPeriod(
  advances: readonly CalendarPoint[],
  payments: readonly CalendarPoint[],
): UnitSpec {
  const common = commonUnitPeriod(advances, payments);
  if (common) return common;
  let periods = 0;
  let totalDays = 0;
  forEachPeriod(advances, payments, (from, to) => {
    periods++;
    totalDays += to.day - from.day;
  });
  // With no period at all (every flow on one day) any unit will do.
  const average = periods > 0 ? totalDays / periods : 1;
  let best: UnitSpec = DAY;
  let bestDistance = Infinity;
  for (const spec of standardIntervals()) {
    const distance = Math.abs(approximateDays(spec) - average);
    if (distance < bestDistance - 1e-9) {
      best = spec;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * The unit-period of a single-advance, single-payment transaction, (b)(4)(ii): its term, but never
 * more than a year. A term that is a whole number of months is measured in months ((b)(5)(vi)),
 * otherwise in days ((b)(5)(vii)).
 *
 * @example singlePaymentUnitPeriod(1978-01-03, 1978-09-15) // { kind: 'day', n: 255 }, (c)(5)(i)
 */
export function singlePaymentUnitPeriod(advance: CalendarPoint, payment: CalendarPoint): UnitSpec {
  const back = wholeMonthsBack(advance, payment);
  if (back.months >= 12) return { kind: 'month', n: 12 };
  if (back.landingDay === advance.day && back.months >= 1) return { kind: 'month', n: back.months };
  return { kind: 'day', n: Math.max(1, payment.day - advance.day) };
}
