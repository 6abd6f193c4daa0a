/**
 * Instalment due dates and the length of each period. Dates step from a fixed anchor
 * (`anchor + k × months`, clamped to the month's last day, exactly as `addMonths` does), never
 * cumulatively, so a loan paid on the 31st does not drift to the 28th after February.
 */
import type { DayCount } from '../day-count.js';
import { daysInMonth, isLeapYear, toDayNumber, type CivilDate, type IsoDate } from '../dates.js';
import { ErrorCode, GreenfinError, assertInteger } from '../errors.js';
import { checkIsoDate, checkOneOf } from './checks.js';
import { FREQUENCIES, MONTHS_PER_PERIOD, type Frequency } from './frequency.js';
import { civilYearFraction } from './period-fraction.js';

/** The longest term a schedule may have, in months (100 years). */
export const MAX_TERM_MONTHS = 1200;

/** Validated date inputs of a schedule: where its due dates come from. */
export interface DatePlan {
  readonly start: CivilDate;
  /** Day number of the start date. */
  readonly startDay: number;
  /** Month index (year × 12 + month − 1) and day of the anchor the due dates step from. */
  readonly anchorIndex: number;
  readonly anchorDay: number;
  /** 1 when the anchor is the start date (regular first period), 0 when it is an odd first date. */
  readonly offset: number;
  /** Months per period. */
  readonly step: number;
  readonly payments: number;
}

/**
 * Validates the date inputs of a schedule (throwing the field's error) and fixes its anchor: the
 * start date (due dates = start + k periods, k ≥ 1), or an odd first payment date (due dates =
 * first + k periods, k ≥ 0). A first date equal to the regular one is the regular schedule, so both
 * spellings give the same dates.
 *
 * @example planDates('2024-01-31', 12, 'monthly', undefined) // { anchorDay: 31, offset: 1, step: 1, … }
 */
export function planDates(
  startDate: IsoDate,
  payments: number,
  frequency: Frequency,
  firstPaymentDate: IsoDate | undefined,
): DatePlan {
  const start = checkIsoDate(startDate, 'startDate');
  checkOneOf(frequency, FREQUENCIES, 'frequency');
  const step = MONTHS_PER_PERIOD[frequency];
  if (!(Number.isSafeInteger(payments) && payments >= 1 && payments * step <= MAX_TERM_MONTHS)) {
    assertInteger(payments, 'payments', 1);
    throw new GreenfinError(
      ErrorCode.OutOfRange,
      'payments',
      `the term must be at most ${MAX_TERM_MONTHS / 12} years (${MAX_TERM_MONTHS / step} ${frequency} payments), got ${payments}`,
    );
  }
  const startDay = toDayNumber(start);
  let anchor: CivilDate = start;
  let offset = 1;
  if (firstPaymentDate !== undefined) {
    const first = checkIsoDate(firstPaymentDate, 'firstPaymentDate');
    if (toDayNumber(first) <= startDay) {
      throw new GreenfinError(
        ErrorCode.DatesOutOfOrder,
        'firstPaymentDate',
        `must be after startDate ${startDate}, got ${firstPaymentDate}`,
      );
    }
    const regularIndex = start.year * 12 + start.month - 1 + step;
    const regularYear = Math.floor(regularIndex / 12);
    const regularMonth = regularIndex - regularYear * 12 + 1;
    const regularDay = Math.min(start.day, daysInMonth(regularYear, regularMonth));
    if (first.year !== regularYear || first.month !== regularMonth || first.day !== regularDay) {
      anchor = first;
      offset = 0;
    }
  }
  const anchorIndex = anchor.year * 12 + anchor.month - 1;
  if (Math.floor((anchorIndex + (offset + payments - 1) * step) / 12) > 9999) {
    throw new GreenfinError(ErrorCode.OutOfRange, 'payments', 'the schedule would run past the year 9999');
  }
  return { start, startDay, anchorIndex, anchorDay: anchor.day, offset, step, payments };
}

/**
 * True when every period of the plan has the same 30/360 year fraction without computing them: a
 * regular schedule whose anchor day (≤ 28) never needs an end-of-month clamp.
 *
 * @example isUniform30360(planDates('2025-01-15', 360, 'monthly', undefined)) // true
 */
export function isUniform30360(plan: DatePlan): boolean {
  return plan.offset === 1 && plan.anchorDay <= 28;
}

// Month lengths (February outside leap years) and days before the 1st of each month, 1-based.
export const MONTH_LENGTH: readonly number[] = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
export const DAYS_BEFORE_MONTH: readonly number[] = [
  0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334,
];

/** "-MM-DD" for every month/day pair at index `month × 32 + day`, built once: a due date is then one concatenation. */
export const MONTH_DAY: readonly string[] = (() => {
  const out = new Array<string>(13 * 32).fill('');
  for (let m = 1; m <= 12; m++) {
    for (let d = 1; d <= 31; d++) out[m * 32 + d] = `-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
  }
  return out;
})();

/** What the date loops need of one year, computed once per year and shared. */
export interface YearInfo {
  readonly leap: boolean;
  /** Day number of 1 January. */
  readonly start: number;
  /** Day number of the 1st of each month, at index `month` (1–12; index 0 unused). */
  readonly monthStart: readonly number[];
  /** "YYYY". */
  readonly prefix: string;
  /** ISO dates at index `month × 32 + day`; '' where not built yet (see {@link cachedIsoDate}). */
  readonly dates: string[];
}

/**
 * Years 0–9999, each filled on first use. A packed array (not a sparse one, which V8 would keep
 * as a dictionary) so a lookup is one indexed load: 80 kB of slots.
 */
const YEARS: (YearInfo | null)[] = new Array<YearInfo | null>(10_000).fill(null);

/**
 * The shared {@link YearInfo} of `year` (0–9999): the date loops read a year's leap flag, first
 * day and ISO date strings from here instead of recomputing them — and a due date is then one
 * array read instead of a new string per instalment. Bounded: only years asked for are built.
 *
 * @example yearInfo(2024).leap // true
 * @internal
 */
export function yearInfo(year: number): YearInfo {
  let info = YEARS[year];
  if (info == null) {
    const leap = isLeapYear(year);
    const start = toDayNumber({ year, month: 1, day: 1 });
    const monthStart = new Array<number>(13).fill(0);
    for (let m = 1; m <= 12; m++) monthStart[m] = start + DAYS_BEFORE_MONTH[m]! + (leap && m > 2 ? 1 : 0);
    info = {
      leap,
      start,
      monthStart,
      prefix: yearText(year),
      dates: new Array<string>(13 * 32).fill(''),
    };
    YEARS[year] = info;
  }
  return info;
}

/**
 * The ISO date `year-month-day` (a valid civil date, year 0–9999) through the
 * {@link yearInfo} cache.
 *
 * @example cachedIsoDate(825, 3, 5) // '0825-03-05'
 * @internal
 */
export function cachedIsoDate(year: number, month: number, day: number): string {
  const info = yearInfo(year);
  const i = month * 32 + day;
  const text = info.dates[i]!;
  if (text !== '') return text;
  return (info.dates[i] = info.prefix + MONTH_DAY[i]!);
}

/**
 * `YYYY` for a year 0–9999.
 *
 * @example yearText(825) // '0825'
 */
export function yearText(year: number): string {
  return year >= 1000 ? String(year) : String(year).padStart(4, '0');
}

/** Due dates, actual days and year fractions of every period of a plan. */
export interface PeriodTable {
  readonly dates: IsoDate[];
  readonly days: number[];
  /** Empty when no day count was given. */
  readonly fractions: number[];
}

/**
 * Walks the periods of a plan: the k-th due date is the anchor plus `offset + k` periods, its day
 * clamped to the month's length. Civil dates and day numbers are carried forward, so nothing is
 * parsed and each date is formatted once. `schedule()` runs the same steps fused into its row loop
 * (one pass, no intermediate arrays); tests check the two agree.
 *
 * @example periodTable(planDates('2024-01-01', 2, 'monthly', undefined), 'ACT/365F', true)
 * // { dates: ['2024-02-01', '2024-03-01'], days: [31, 29], fractions: [31 / 365, 29 / 365] }
 */
export function periodTable(plan: DatePlan, dayCount: DayCount | undefined, withDates: boolean): PeriodTable {
  const { anchorIndex, anchorDay, offset, step, payments } = plan;
  const dates = new Array<IsoDate>(withDates ? payments : 0);
  const days = new Array<number>(payments);
  const fractions = new Array<number>(dayCount === undefined ? 0 : payments);
  let py = plan.start.year;
  let pm = plan.start.month;
  let pd = plan.start.day;
  let pn = plan.startDay;
  let year = -1; // per-year values below are refreshed once a year at most
  let yearStart = 0;
  let leap = false;
  for (let k = 0; k < payments; k++) {
    const index = anchorIndex + (offset + k) * step;
    const y = Math.floor(index / 12);
    const m = index - y * 12 + 1;
    if (y !== year) {
      year = y;
      const info = yearInfo(y);
      leap = info.leap;
      yearStart = info.start;
    }
    const monthLength = m === 2 && leap ? 29 : MONTH_LENGTH[m]!;
    const d = anchorDay < monthLength ? anchorDay : monthLength;
    const n = yearStart + DAYS_BEFORE_MONTH[m]! + (leap && m > 2 ? 1 : 0) + d - 1;
    if (withDates) dates[k] = cachedIsoDate(y, m, d);
    days[k] = n - pn;
    if (dayCount !== undefined) fractions[k] = civilYearFraction(py, pm, pd, pn, y, m, d, n, dayCount);
    py = y;
    pm = m;
    pd = d;
    pn = n;
  }
  return { dates, days, fractions };
}

/**
 * Due dates of `payments` instalments every `frequency` from `startDate` (the disbursement).
 * Without `firstPaymentDate` the k-th date is `addMonths(startDate, k × months)`; with it, the first
 * period is odd (short or long) and the k-th date is `addMonths(firstPaymentDate, (k − 1) × months)`
 * (a `firstPaymentDate` equal to the regular first date changes nothing). Throws `invalid_date`,
 * `invalid_option`, `out_of_range` or `dates_out_of_order` with the field's path for bad input.
 *
 * @example paymentDates('2024-01-31', 3, 'monthly') // ['2024-02-29', '2024-03-31', '2024-04-30']
 * @example paymentDates('2024-01-10', 2, 'quarterly', '2024-03-01') // ['2024-03-01', '2024-06-01']
 */
export function paymentDates(
  startDate: IsoDate,
  payments: number,
  frequency: Frequency = 'monthly',
  firstPaymentDate?: IsoDate,
): IsoDate[] {
  return periodTable(planDates(startDate, payments, frequency, firstPaymentDate), undefined, true).dates;
}
