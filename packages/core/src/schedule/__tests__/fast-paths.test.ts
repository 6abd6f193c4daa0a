/**
 * The schedule's hot-path helpers must agree exactly with the foundation functions they stand in
 * for (yearFraction, parseDate, rounder).
 */
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { DAY_COUNTS, yearFraction } from '../../day-count.js';
import { dayNumber, parseDate } from '../../dates.js';
import { ROUNDING_MODES, rounder } from '../../rounding.js';
import { checkIsoDate } from '../checks.js';
import { civilYearFraction } from '../period-fraction.js';
import { amountRounder } from '../schedule.js';
import { arbDate } from './arbitraries.js';

const outcome = (f: () => unknown) => {
  try {
    return { value: f() };
  } catch (error) {
    return { error };
  }
};

describe('fast paths match the foundation exactly', () => {
  test.prop(
    [
      arbDate('1900-01-01', '2200-12-31'),
      arbDate('1900-01-01', '2200-12-31'),
      fc.constantFrom(...DAY_COUNTS),
    ],
    {
      numRuns: 3000,
    },
  )('civilYearFraction === yearFraction (bit for bit)', (a, b, convention) => {
    const [start, end] = a <= b ? [a, b] : [b, a];
    const s = parseDate(start);
    const e = parseDate(end);
    expect(
      Object.is(
        civilYearFraction(
          s.year,
          s.month,
          s.day,
          dayNumber(start),
          e.year,
          e.month,
          e.day,
          dayNumber(end),
          convention,
        ),
        yearFraction(start, end, convention),
      ),
    ).toBe(true);
  });

  const arbDateLike = fc.oneof(
    arbDate('0001-01-01', '9999-12-31'),
    fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
      )
      .map(
        ([y, m, d]) =>
          `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
      ),
    fc.string({ maxLength: 12 }),
    fc.constantFrom(
      '2024-1-01',
      '2024-01-1 ',
      ' 2024-01-01',
      '２０２４-01-01',
      '2024/01/01',
      '+2024-01-01',
      '2024-01-01T00:00',
    ),
    fc.anything(),
  );
  test.prop([arbDateLike], { numRuns: 3000 })(
    'checkIsoDate ≡ parseDate (same value or same error)',
    (value) => {
      const fast = outcome(() => checkIsoDate(value, 'startDate'));
      const reference = outcome(() => parseDate(value, 'startDate'));
      expect(fast).toEqual(reference);
    },
  );

  const arbAmount = fc.oneof(
    fc.double({ min: -1e12, max: 1e12, noNaN: true }),
    // values at and right around .5 ties, where the modes differ
    fc
      .tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: -20, max: 20 }))
      .map(([k, ulps]) => k + 0.5 + ulps * Number.EPSILON * Math.max(1, Math.abs(k))),
    fc
      .tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.double({ min: -1e-7, max: 1e-7, noNaN: true }))
      .map(([k, d]) => k + 0.5 + d),
    fc.constantFrom(0, 0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 1e15 + 0.5),
  );
  test.prop([arbAmount, fc.constantFrom(...ROUNDING_MODES)], { numRuns: 5000 })(
    'amountRounder(mode) === rounder(mode), except −0 becomes 0',
    (x, mode) => {
      expect(amountRounder(mode)(x)).toBe(rounder(mode)(x) + 0);
    },
  );
});
