/**
 * schedule()'s row loop is specialised for speed (incremental month stepping, a branch-free
 * nearest-integer rounding, the uniform 30/360 rate computed once, integer method codes). These
 * tests pin it to the implementation it replaced (reference-schedule.ts, frozen) and to the
 * foundation date functions, so the speed-up cannot change a single result.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { DAY_COUNTS, type DayCount } from '../../day-count.js';
import { addMonths, daysBetween, daysInMonth, formatDate, type IsoDate } from '../../dates.js';
import { ROUNDING_MODES } from '../../rounding.js';
import { FREQUENCIES, monthsPerPeriod, type Frequency } from '../frequency.js';
import { REPAYMENT_METHODS, schedule, type Schedule, type ScheduleInput } from '../schedule.js';
import { arbDate, arbRate, arbScheduleInput } from './arbitraries.js';
import { referenceSchedule } from './reference-schedule.js';

const outcome = (f: () => Schedule): { value: Schedule } | { error: unknown } => {
  try {
    return { value: f() };
  } catch (error) {
    return { error };
  }
};

/** Where two schedules differ: same keys in the same order, every value identical under Object.is (so 0 vs −0 counts). */
function differences(actual: Schedule, expected: Schedule): string[] {
  const out: string[] = [];
  const compare = (a: object, e: object, where: string) => {
    const keys = Object.keys(e);
    if (Object.keys(a).join() !== keys.join()) out.push(`${where}: keys ${Object.keys(a).join()}`);
    for (const key of keys) {
      if (key === 'installments') continue;
      const x = (a as Record<string, unknown>)[key];
      const y = (e as Record<string, unknown>)[key];
      if (!Object.is(x, y)) out.push(`${where}.${key}: ${String(x)} ≠ ${String(y)}`);
    }
  };
  compare(actual, expected, 'schedule');
  if (actual.installments.length !== expected.installments.length) out.push('installments: length');
  expected.installments.forEach((row, i) => {
    const other = actual.installments[i];
    if (other) compare(other, row, `row ${i + 1}`);
  });
  return out;
}

function expectSameOutcome(input: ScheduleInput): void {
  const fast = outcome(() => schedule(input));
  const reference = outcome(() => referenceSchedule(input));
  if ('value' in reference) {
    if (!('value' in fast)) throw fast.error;
    expect(differences(fast.value, reference.value)).toEqual([]);
  } else {
    expect(fast).toEqual(reference); // the same GreenfinError (code, path, message)
  }
}

/** Start dates where month-end clamping matters: the 28th–31st, and leap / non-leap / century Februaries. */
const arbMonthEndDate = fc
  .tuple(
    fc.constantFrom(1900, 2000, 2023, 2024, 2025, 2099, 2100),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 28, max: 31 }),
  )
  .map(([year, month, day]) => formatDate({ year, month, day: Math.min(day, daysInMonth(year, month)) }));

describe('the optimised schedule() returns exactly what the pre-optimisation implementation did', () => {
  test.prop([arbScheduleInput], { numRuns: 2000 })('any realistic input', expectSameOutcome);

  test.prop(
    [
      fc.record({
        principal: fc.integer({ min: 1, max: 10_000_000_000 }),
        currency: fc.constant('GBP' as const),
        annualRate: arbRate,
        payments: fc.integer({ min: 1, max: 100 }),
        frequency: fc.constantFrom(...FREQUENCIES),
        method: fc.constantFrom(...REPAYMENT_METHODS),
        dayCount: fc.constantFrom(...DAY_COUNTS),
        rounding: fc.constantFrom(...ROUNDING_MODES),
        startDate: arbMonthEndDate,
      }),
      fc.option(arbMonthEndDate, { nil: undefined }),
    ],
    { numRuns: 2000 },
  )('month-end start (and first payment) dates, leap and century years', (input, first) => {
    expectSameOutcome(
      first !== undefined && first > input.startDate ? { ...input, firstPaymentDate: first } : input,
    );
  });

  test.prop([
    fc.record({
      principal: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
      currency: fc.constant('EUR' as const),
      annualRate: fc.double({ min: -0.999, max: 5, noNaN: true }),
      payments: fc.integer({ min: 1, max: 1200 }),
      frequency: fc.constantFrom(...FREQUENCIES),
      method: fc.constantFrom(...REPAYMENT_METHODS),
      dayCount: fc.constantFrom(...DAY_COUNTS),
      rounding: fc.constantFrom(...ROUNDING_MODES),
      startDate: arbDate('0001-01-01', '9899-12-31'),
    }),
  ])(
    'extreme inputs: huge principals, negative and very high rates, 100-year terms (same value or error)',
    (input) => expectSameOutcome(input),
  );

  it('the benchmark loan (360 months from the 15th, uniform 30/360 path)', () => {
    expectSameOutcome({
      principal: 30_000_000,
      currency: 'GBP',
      annualRate: 0.0525,
      payments: 360,
      frequency: 'monthly',
      startDate: '2025-01-15',
    });
  });

  // The uniform 30/360 annuity loop hands over to the general loop in these cases.
  it.each([
    ['a level payment rounded up past the balance (5 over 8 at 0 %)', 5, 0, 8],
    ['a level payment of 0 (principal 7 over 360 months)', 7, 0.05, 360],
    ['level × payments above 2^53 − 1', 9_000_000_000_000_000, 0.05, 360],
    ['a negative rate', 1_000_000, -0.02, 120],
  ])('%s', (_, principal, annualRate, payments) => {
    for (const rounding of ROUNDING_MODES) {
      expectSameOutcome({
        principal,
        currency: 'EUR',
        annualRate,
        payments,
        rounding,
        startDate: '2024-03-28',
      });
    }
  });

  it('the same rows whatever the shape of the input object (as priceLoan passes it)', () => {
    const terms = { principal: 50_000_000, currency: 'GBP', payments: 60, startDate: '2025-01-15' } as const;
    expectSameOutcome({ ...terms, method: 'annuity', dayCount: '30/360', annualRate: 0.065 });
    expectSameOutcome({ annualRate: 0.065, ...terms, firstPaymentDate: undefined });
  });
});

describe('the row loop’s date stepping matches addMonths and daysBetween', () => {
  const cases: [IsoDate, Frequency, DayCount][] = [];
  for (const start of ['2023-01-31', '2024-01-31', '2024-02-29', '2023-11-30', '1999-12-31', '2099-08-29']) {
    for (const frequency of FREQUENCIES) cases.push([start, frequency, 'ACT/ACT']);
  }
  it.each(cases)('from %s, %s', (startDate, frequency, dayCount) => {
    const step = monthsPerPeriod(frequency);
    const payments = 1200 / step - 1;
    const s = schedule({
      principal: 1_000_000,
      currency: 'GBP',
      annualRate: 0.05,
      payments,
      frequency,
      dayCount,
      startDate,
    });
    s.installments.forEach((row, i) => {
      expect(row.date).toBe(addMonths(startDate, (i + 1) * step));
      expect(row.days).toBe(daysBetween(i === 0 ? startDate : s.installments[i - 1]!.date, row.date));
    });
  });

  test.prop([
    arbMonthEndDate,
    arbMonthEndDate,
    fc.constantFrom(...FREQUENCIES),
    fc.integer({ min: 1, max: 40 }),
  ])(
    'an odd first payment date on a month end anchors the later dates',
    (startDate, first, frequency, payments) => {
      fc.pre(first > startDate);
      const step = monthsPerPeriod(frequency);
      const s = schedule({
        principal: 1_000_000,
        currency: 'GBP',
        annualRate: 0.05,
        payments,
        frequency,
        startDate,
        firstPaymentDate: first,
      });
      const regular = addMonths(startDate, step);
      s.installments.forEach((row, i) => {
        expect(row.date).toBe(
          first === regular ? addMonths(startDate, (i + 1) * step) : addMonths(first, i * step),
        );
      });
    },
  );
});
