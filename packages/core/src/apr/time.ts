/**
 * How far a cash flow lies from the start of the transaction, under each regulation's rule.
 *
 * - EU / UK: years and fractions of a year, Directive 2008/48/EC Annex I remark (c) as amended by
 *   Directive 2011/90/EU (same words in FCA CONC App 1.2 and MCOB 10A.2.3 R(3)).
 * - US: whole unit-periods and a fraction of one, 12 CFR 1026 Appendix J (b)(5).
 */
import { type CalendarPoint, daysInYearEndingOn, shiftMonthsDay, wholeMonthsBack } from './calendar.js';
import { type UnitSpec } from './unit-period.js';

/**
 * The equal period Annex I remark (c) counts in before the residual days: months (a year is 12 equal
 * months), weeks (a year is 52 weeks), or days only.
 */
export type AnnexITimeUnit = 'month' | 'week' | 'day';

/**
 * Years from `start` (the first drawdown) to `date` under Annex I remark (c) as amended by Directive
 * 2011/90/EU: whole equal periods are counted backwards from `date` towards the drawdown, each month
 * being 1/12 of a year and each week 1/52 whatever its length in days; the remaining days (first day
 * excluded, last included) are divided by the days (365 or 366) of the complete year counted back
 * from the last of them to the same day of the previous year.
 *
 * @example annexIYears(2019-01-31, 2019-03-01, 'month') // 1/12 + 1/365
 */
export function annexIYears(start: CalendarPoint, date: CalendarPoint, unit: AnnexITimeUnit): number {
  if (date.day === start.day) return 0;
  let whole = 0;
  let perYear = 1;
  let landing = date.day;
  if (unit === 'month') {
    const back = wholeMonthsBack(start, date);
    whole = back.months;
    landing = back.landingDay;
    perYear = 12;
  } else if (unit === 'week') {
    whole = Math.floor((date.day - start.day) / 7);
    landing = date.day - 7 * whole;
    perYear = 52;
  }
  const days = landing - start.day;
  return whole / perYear + (days === 0 ? 0 : days / daysInYearEndingOn(landing));
}

/** A time in Appendix J's terms: whole unit-periods (t or q) and a fraction of one (f or e). */
export interface UnitPeriodCount {
  readonly whole: number;
  readonly fraction: number;
}

function split(days: number, perUnit: number): UnitPeriodCount {
  const whole = Math.floor(days / perUnit);
  return { whole, fraction: (days - whole * perUnit) / perUnit };
}

/**
 * Unit-periods from `start` (the beginning of the term) to `date`, Appendix J (b)(5):
 * - (iv) days, weeks and multiples of a week: actual days ÷ days per unit-period;
 * - (ii)/(iii) months, semi-months and multiples of a month up to 11: 30 × whole months counted back
 *   from the later date + the remaining days, ÷ 15 or 30 × months per unit-period (all months are
 *   equal, (b)(3)(iv); the 30-day month of (b)(5)(ii));
 * - (v) a year: whole years counted back, then the remaining months ÷ 12 when the rest is a whole
 *   number of months, otherwise the remaining days ÷ 365.
 *
 * @example regZUnitPeriods(1978-02-10, 1978-04-01, month) // { whole: 1, fraction: 19/30 }, (c)(1)(ii)
 */
export function regZUnitPeriods(start: CalendarPoint, date: CalendarPoint, unit: UnitSpec): UnitPeriodCount {
  switch (unit.kind) {
    case 'day':
      return split(date.day - start.day, unit.n);
    case 'week':
      return split(date.day - start.day, 7 * unit.n);
    case 'semi-month': {
      const back = wholeMonthsBack(start, date);
      return split(30 * back.months + (back.landingDay - start.day), 15);
    }
    case 'month': {
      const back = wholeMonthsBack(start, date);
      if (unit.n < 12) return split(30 * back.months + (back.landingDay - start.day), 30 * unit.n);
      const years = Math.floor(back.months / 12);
      if (back.landingDay === start.day) return { whole: years, fraction: (back.months - 12 * years) / 12 };
      return { whole: years, fraction: (shiftMonthsDay(date, -12 * years) - start.day) / 365 };
    }
  }
}
