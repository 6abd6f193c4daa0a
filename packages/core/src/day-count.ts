/**
 * Day-count conventions: the fraction of a year between two dates, which turns an annual rate into
 * the interest of one period. Definitions follow the 2006 ISDA Definitions, section 4.16.
 */
import { assertOneOf } from './errors.js';
import { daysInMonth, isLeapYear, parseDate, toDayNumber, type IsoDate } from './dates.js';

/** The day-count conventions core supports. */
export type DayCount = '30/360' | 'ACT/365F' | 'ACT/360' | 'ACT/ACT';
export const DAY_COUNTS: readonly DayCount[] = ['30/360', 'ACT/365F', 'ACT/360', 'ACT/ACT'];

/**
 * Year fraction from `start` to `end` under `convention`.
 *
 * - `30/360` — ISDA 30/360 (Bond Basis, 4.16(f)): D1 = 31 → 30; D2 = 31 → 30 when D1 ≥ 30.
 * - `ACT/365F` — actual days / 365 (4.16(d)).
 * - `ACT/360` — actual days / 360 (4.16(e)).
 * - `ACT/ACT` — ISDA (4.16(b)): days falling in leap years / 366 + days in other years / 365.
 *
 * @example yearFraction('2024-01-01', '2024-02-01', '30/360') // 0.083333… (30/360)
 * @example yearFraction('2024-01-01', '2025-01-01', 'ACT/ACT') // 1
 */
export function yearFraction(start: IsoDate, end: IsoDate, convention: DayCount, path = 'dayCount'): number {
  assertOneOf(convention, DAY_COUNTS, path);
  const a = parseDate(start, 'start');
  const b = parseDate(end, 'end');
  const actual = toDayNumber(b) - toDayNumber(a);
  switch (convention) {
    case '30/360': {
      const d1 = a.day === 31 ? 30 : a.day;
      const d2 = b.day === 31 && d1 >= 30 ? 30 : b.day;
      return (360 * (b.year - a.year) + 30 * (b.month - a.month) + (d2 - d1)) / 360;
    }
    case 'ACT/365F':
      return actual / 365;
    case 'ACT/360':
      return actual / 360;
    case 'ACT/ACT': {
      if (actual < 0) return -yearFraction(end, start, convention);
      if (a.year === b.year) return actual / (isLeapYear(a.year) ? 366 : 365);
      const toYearEnd = toDayNumber({ year: a.year + 1, month: 1, day: 1 }) - toDayNumber(a);
      const fromYearStart = toDayNumber(b) - toDayNumber({ year: b.year, month: 1, day: 1 });
      return (
        toYearEnd / (isLeapYear(a.year) ? 366 : 365) +
        (b.year - a.year - 1) +
        fromYearStart / (isLeapYear(b.year) ? 366 : 365)
      );
    }
  }
}

/** Last day of the date's month (handy for end-of-month rules). */
export function isEndOfMonth(date: IsoDate): boolean {
  const d = parseDate(date);
  return d.day === daysInMonth(d.year, d.month);
}
