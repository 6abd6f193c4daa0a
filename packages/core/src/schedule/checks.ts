/**
 * Happy-path guards for the schedule's hot path. errors.ts's helpers build their error messages
 * before checking (stringifying values, joining option lists) — fine once, but a schedule is built
 * thousands of times a second. These guards test cheaply and call the errors.ts / dates.ts helper
 * only when the test fails, so a bad input still throws exactly the standard error.
 */
import { daysInMonth, parseDate, type CivilDate } from '../dates.js';
import { assertOneOf } from '../errors.js';

/**
 * Asserts `value` is one of `options` (throws `invalid_option` via `assertOneOf` otherwise).
 *
 * @example checkOneOf('monthly', FREQUENCIES, 'frequency') // passes; 'weekly' throws invalid_option
 */
export function checkOneOf<T extends string>(
  value: unknown,
  options: readonly T[],
  path: string,
): asserts value is T {
  if (!(options as readonly unknown[]).includes(value)) assertOneOf(value, options, path);
}

function digits(text: string, at: number, length: number): number {
  let value = 0;
  for (let i = at; i < at + length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (!(digit >= 0 && digit <= 9)) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * Parses an ISO `YYYY-MM-DD` date like `parseDate` (same result, same `invalid_date` error with
 * `path`), reading the characters directly instead of running a regular expression.
 *
 * @example checkIsoDate('2024-02-29', 'startDate') // { year: 2024, month: 2, day: 29 }
 */
export function checkIsoDate(value: unknown, path: string): CivilDate {
  if (
    typeof value === 'string' &&
    value.length === 10 &&
    value.charCodeAt(4) === 45 &&
    value.charCodeAt(7) === 45
  ) {
    const year = digits(value, 0, 4);
    const month = digits(value, 5, 2);
    const day = digits(value, 8, 2);
    if (year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)) {
      return { year, month, day };
    }
  }
  return parseDate(value, path);
}
