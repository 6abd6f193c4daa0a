/**
 * Calendar arithmetic shared by both APR methods: whole months counted back from a later date to an
 * earlier one, with the end-of-month rule, and the length of the year ending on a date.
 *
 * Both regulations count whole months backwards from the later date (Annex I remark (c)(ii) as
 * amended by Directive 2011/90/EU; Appendix J (b)(5)(ii)), and both need a rule for month ends:
 * Appendix J (b)(3)(iv) measures a series scheduled on the last day of each month from last day to
 * last day, and uses the last day of February for a series on the 29th or 30th.
 */
import {
  daysInMonth,
  fromDayNumber,
  parseDate,
  toDayNumber,
  tryParseDate,
  type CivilDate,
} from '../dates.js';

/**
 * Reads a cash-flow date; the error path (`${list}[${index}].date`) is only built on failure.
 *
 * @example readDate('2024-02-29', 'payments', 0) // { year: 2024, month: 2, day: 29 }
 */
export function readDate(value: unknown, list: string, index: number): CivilDate {
  return tryParseDate(value) ?? parseDate(value, `${list}[${index}].date`);
}

/** A cash-flow date prepared for month counting. */
export interface CalendarPoint {
  readonly civil: CivilDate;
  /** Day number (days since 1970-01-01). */
  readonly day: number;
  /**
   * The day of month this date stands for when months are counted back from it: its own day, or —
   * when it is the last day of a short month — the latest day of month used in the transaction
   * (28 Feb stands for the 30th in a series on the 30th, for the 31st in a month-end series).
   */
  readonly nominalDay: number;
}

/**
 * Prepares a date for month counting. `seriesDay` is the latest day of month among the
 * transaction's cash-flow dates.
 *
 * @example calendarPoint({ year: 2023, month: 2, day: 28 }, 30).nominalDay // 30
 */
export function calendarPoint(civil: CivilDate, seriesDay: number): CalendarPoint {
  const isMonthEnd = civil.day === daysInMonth(civil.year, civil.month);
  return {
    civil,
    day: toDayNumber(civil),
    nominalDay: isMonthEnd ? Math.max(civil.day, seriesDay) : civil.day,
  };
}

/**
 * Day number of the date `months` calendar months before (negative) or after `point`.
 *
 * @example shiftMonthsDay(2024-03-31 in a month-end series, -1) // day number of 2024-02-29
 */
export function shiftMonthsDay(point: CalendarPoint, months: number): number {
  const index = point.civil.year * 12 + (point.civil.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return toDayNumber({ year, month, day: Math.min(point.nominalDay, daysInMonth(year, month)) });
}

/**
 * Whole calendar months counted back from `date` that stay on or after `start`, and the day number
 * where the count lands (the beginning of the first whole month). `date` must not precede `start`.
 *
 * @example 2024-01-31 → 2024-04-30 in a month-end series: 3 months, landing on 2024-01-31.
 */
export function wholeMonthsBack(
  start: CalendarPoint,
  date: CalendarPoint,
): { months: number; landingDay: number } {
  let months = date.civil.year * 12 + date.civil.month - (start.civil.year * 12 + start.civil.month);
  // Landing in start's own month may overshoot start; one month fewer then lands after it.
  while (months > 0) {
    const landingDay = shiftMonthsDay(date, -months);
    if (landingDay >= start.day) return { months, landingDay };
    months--;
  }
  return { months: 0, landingDay: date.day };
}

/**
 * Days (365 or 366) in the complete year counted back from the date with day number `lastDay` to the
 * same day of the previous year — the divisor of Annex I remark (c)(iii) as amended by 2011/90/EU.
 *
 * @example daysInYearEndingOn(dayNumber('2021-01-01')) // 366 (the year holds 29 Feb 2020)
 */
export function daysInYearEndingOn(lastDay: number): number {
  const civil = fromDayNumber(lastDay);
  const year = civil.year - 1;
  const previous = toDayNumber({
    year,
    month: civil.month,
    day: Math.min(civil.day, daysInMonth(year, civil.month)),
  });
  return lastDay - previous;
}
