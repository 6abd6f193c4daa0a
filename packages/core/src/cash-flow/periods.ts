/**
 * Calendar periods of a cash-flow window: calendar months, calendar quarters (Jan–Mar, …) or ISO
 * 8601 weeks (Monday to Sunday), clipped to the window's first and last day.
 */
import { formatDate, fromDayNumber, parseDate, toDayNumber, type CivilDate, type IsoDate } from '../dates.js';
import { ErrorCode, assertOneOf, invariant } from '../errors.js';

/** How analytics buckets a window. */
export type Granularity = 'month' | 'quarter' | 'week';
/**
 * Every {@link Granularity}.
 *
 * @example GRANULARITIES // ['month', 'quarter', 'week']
 */
export const GRANULARITIES: readonly Granularity[] = ['month', 'quarter', 'week'];

/** One period, both ends inclusive. */
export interface Period {
  readonly start: IsoDate;
  readonly end: IsoDate;
}

// Day 0 (1970-01-01) was a Thursday; +3 puts Mondays on multiples of 7.
const isoWeekNumber = (day: number) => Math.floor((day + 3) / 7);
const monthNumber = (d: CivilDate) => d.year * 12 + d.month - 1;

/**
 * A period's sequence number on a continuous scale (months, quarters or ISO weeks since an epoch);
 * consecutive periods differ by 1. `day` is the date's day number.
 * @internal
 */
export function periodNumber(granularity: Granularity, date: CivilDate, day: number): number {
  if (granularity === 'week') return isoWeekNumber(day);
  const m = monthNumber(date);
  return granularity === 'month' ? m : Math.floor(m / 3);
}

function firstDayOf(granularity: Granularity, n: number): number {
  if (granularity === 'week') return n * 7 - 3;
  const m = granularity === 'month' ? n : n * 3;
  return toDayNumber({ year: Math.floor(m / 12), month: (m % 12) + 1, day: 1 });
}

/**
 * The periods covering `from`…`to` (inclusive), each clipped to the window.
 *
 * @example
 * calendarPeriods('2025-01-15', '2025-03-31', 'month')
 * // [{ start: '2025-01-15', end: '2025-01-31' }, { start: '2025-02-01', end: '2025-02-28' },
 * //  { start: '2025-03-01', end: '2025-03-31' }]
 */
export function calendarPeriods(from: IsoDate, to: IsoDate, granularity: Granularity): Period[] {
  assertOneOf(granularity, GRANULARITIES, 'granularity');
  const fromDay = toDayNumber(parseDate(from, 'from'));
  const toDay = toDayNumber(parseDate(to, 'to'));
  invariant(
    toDay >= fromDay,
    ErrorCode.DatesOutOfOrder,
    'to',
    `must be on or after from (${from}), got ${to}`,
  );
  return periodDays(fromDay, toDay, granularity).map(([s, e]) => ({
    start: formatDate(fromDayNumber(s)),
    end: formatDate(fromDayNumber(e)),
  }));
}

/** `[startDay, endDay]` of each period in the window, clipped to it. @internal */
export function periodDays(fromDay: number, toDay: number, granularity: Granularity): [number, number][] {
  const first = periodNumber(granularity, fromDayNumber(fromDay), fromDay);
  const last = periodNumber(granularity, fromDayNumber(toDay), toDay);
  const out: [number, number][] = [];
  for (let n = first; n <= last; n++) {
    out.push([
      Math.max(fromDay, firstDayOf(granularity, n)),
      Math.min(toDay, firstDayOf(granularity, n + 1) - 1),
    ]);
  }
  return out;
}
