/** fast-check generators shared by the schedule tests. */
import { fc } from '@fast-check/vitest';
import { DAY_COUNTS } from '../../day-count.js';
import { dayNumber, formatDate, fromDayNumber, type IsoDate } from '../../dates.js';
import { ROUNDING_MODES } from '../../rounding.js';
import { FREQUENCIES } from '../frequency.js';
import { REPAYMENT_METHODS, type ScheduleInput } from '../schedule.js';

/** An ISO date between `from` and `to` (inclusive). */
export const arbDate = (from = '1995-01-01', to = '2060-12-31') =>
  fc.integer({ min: dayNumber(from), max: dayNumber(to) }).map((n): IsoDate => formatDate(fromDayNumber(n)));

/** An annual rate with at most 4 decimals of a percent, 0–30 % (0 included often). */
export const arbRate = fc.oneof(
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 300_000 }).map((bp) => bp / 1_000_000) },
);

/**
 * Any realistic schedule input (rates 0–30 %, terms up to 40 years), optionally with an odd first
 * period. Terms are capped because a rounded level payment's error compounds at (1 + r) per period:
 * centuries of annual periods at 30 % can push a balance past 2^53 minor units (which schedule()
 * reports as out_of_range rather than computing garbage).
 */
export const arbScheduleInput = fc
  .record({
    principal: fc.integer({ min: 1, max: 10_000_000_000 }), // up to 100 million in major units
    currency: fc.constantFrom('GBP', 'EUR', 'USD', 'JPY', 'KWD'),
    annualRate: arbRate,
    termFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    frequency: fc.constantFrom(...FREQUENCIES),
    method: fc.constantFrom(...REPAYMENT_METHODS),
    dayCount: fc.constantFrom(...DAY_COUNTS),
    rounding: fc.constantFrom(...ROUNDING_MODES),
    startDate: arbDate(),
    firstPaymentOffsetDays: fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }),
  })
  .map(({ firstPaymentOffsetDays, termFraction, ...rest }): ScheduleInput => {
    const monthsPerPeriod = { monthly: 1, quarterly: 3, semiannual: 6, annual: 12 }[rest.frequency];
    const input = { ...rest, payments: 1 + Math.floor(termFraction * (480 / monthsPerPeriod - 1)) };
    // Keep an odd first period within two regular periods: short or long, like real loans.
    const maxOffset = Math.max(1, Math.round(monthsPerPeriod * 30.4 * 2));
    return firstPaymentOffsetDays === undefined
      ? input
      : {
          ...input,
          firstPaymentDate: formatDate(
            fromDayNumber(dayNumber(input.startDate) + 1 + ((firstPaymentOffsetDays - 1) % maxOffset)),
          ),
        };
  });
