/**
 * The schedule's hot-path twin of `yearFraction` (day-count.ts): the same 2006 ISDA §4.16 formulas
 * with the same floating-point operations in the same order, but on civil dates whose day numbers
 * are already known, so a 360-row schedule never re-parses a date string. A property test checks
 * it returns exactly (bit for bit) what `yearFraction` returns.
 */
import type { DayCount } from '../day-count.js';
import { isLeapYear, toDayNumber } from '../dates.js';

/**
 * Year fraction from (y1-m1-d1, day number n1) to (y2-m2-d2, day number n2), `start ≤ end`, under
 * an already validated convention.
 *
 * @example civilYearFraction(2024, 1, 1, 19723, 2024, 2, 1, 19754, 'ACT/365F') // 31 / 365
 */
export function civilYearFraction(
  y1: number,
  m1: number,
  d1: number,
  n1: number,
  y2: number,
  m2: number,
  d2: number,
  n2: number,
  convention: DayCount,
): number {
  switch (convention) {
    case '30/360': {
      const a = d1 === 31 ? 30 : d1;
      const b = d2 === 31 && a >= 30 ? 30 : d2;
      return (360 * (y2 - y1) + 30 * (m2 - m1) + (b - a)) / 360;
    }
    case 'ACT/365F':
      return (n2 - n1) / 365;
    case 'ACT/360':
      return (n2 - n1) / 360;
    case 'ACT/ACT': {
      if (y1 === y2) return (n2 - n1) / (isLeapYear(y1) ? 366 : 365);
      const toYearEnd = toDayNumber({ year: y1 + 1, month: 1, day: 1 }) - n1;
      const fromYearStart = n2 - toDayNumber({ year: y2, month: 1, day: 1 });
      return (
        toYearEnd / (isLeapYear(y1) ? 366 : 365) +
        (y2 - y1 - 1) +
        fromYearStart / (isLeapYear(y2) ? 366 : 365)
      );
    }
  }
}
