/**
 * Calendar dates as ISO `YYYY-MM-DD` strings, handled with pure integer arithmetic on the
 * proleptic Gregorian calendar (no `Date`, no time zones, no clock). Internally a date is a day
 * number: days since 1970-01-01.
 */
import { ErrorCode, GreenfinError } from './errors.js';

/** An ISO 8601 calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;

export interface CivilDate {
  readonly year: number;
  readonly month: number; // 1–12
  readonly day: number; // 1–31
}

/** True for Gregorian leap years. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in each month of a common year, January first. */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Days in `month` (1–12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1]!;
}

function digits(text: string, from: number, count: number): number {
  let n = 0;
  for (let k = from; k < from + count; k++) {
    const c = text.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * Reads an ISO `YYYY-MM-DD` calendar date, or returns `null` when `value` is not one. No regex and
 * no message building: schedules and APRs read thousands of dates on their hot paths.
 */
export function tryParseDate(value: unknown): CivilDate | null {
  if (typeof value !== 'string' || value.length !== 10 || value[4] !== '-' || value[7] !== '-') return null;
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

/**
 * Parses and validates an ISO date. Throws `invalid_date` with `path` for anything else
 * (including 2023-02-29).
 */
export function parseDate(value: unknown, path = 'date'): CivilDate {
  const date = tryParseDate(value);
  if (date) return date;
  const shape = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
  throw new GreenfinError(
    ErrorCode.InvalidDate,
    path,
    shape
      ? `${String(value)} is not a calendar date`
      : `must be an ISO date YYYY-MM-DD, got ${JSON.stringify(value)}`,
  );
}

/** Formats a civil date as `YYYY-MM-DD`. */
export function formatDate({ year, month, day }: CivilDate): IsoDate {
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

// Howard Hinnant's days_from_civil / civil_from_days (public domain), exact for all int years.
/** Day number (days since 1970-01-01) of a civil date. */
export function toDayNumber({ year, month, day }: CivilDate): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Civil date of a day number. */
export function fromDayNumber(n: number): CivilDate {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Day number of an ISO date string (validated). */
export function dayNumber(date: IsoDate, path = 'date'): number {
  return toDayNumber(parseDate(date, path));
}

/** Actual days from `start` to `end` (negative when `end` is earlier). */
export function daysBetween(start: IsoDate, end: IsoDate): number {
  return dayNumber(end, 'end') - dayNumber(start, 'start');
}

/** Adds whole days to a date. */
export function addDays(date: IsoDate, days: number): IsoDate {
  return formatDate(fromDayNumber(dayNumber(date) + days));
}

/**
 * Adds calendar months, clamping to the month's last day (2024-01-31 + 1 month = 2024-02-29).
 * Schedules call this from a fixed anchor (`addMonths(start, k × step)`), never cumulatively, so a
 * 31st-of-month loan does not drift to the 28th after February.
 */
export function addMonths(date: IsoDate | CivilDate, months: number): IsoDate {
  const d = typeof date === 'string' ? parseDate(date) : date;
  const index = d.year * 12 + (d.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return formatDate({ year, month, day: Math.min(d.day, daysInMonth(year, month)) });
}

/** Compares two ISO dates: negative, zero or positive. */
export function compareDates(a: IsoDate, b: IsoDate): number {
  return a < b ? -1 : a > b ? 1 : 0; // ISO strings sort chronologically
}
