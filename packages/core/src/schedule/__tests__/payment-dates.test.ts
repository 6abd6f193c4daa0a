import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { DAY_COUNTS, yearFraction } from '../../day-count.js';
import { addMonths, daysBetween, type IsoDate } from '../../dates.js';
import { GreenfinError } from '../../errors.js';
import { FREQUENCIES, monthsPerPeriod, periodsPerYear } from '../frequency.js';
import { paymentDates, periodTable, planDates } from '../payment-dates.js';
import { arbDate } from './arbitraries.js';

describe('periodsPerYear / monthsPerPeriod', () => {
  it('maps each frequency', () => {
    expect(FREQUENCIES.map(periodsPerYear)).toEqual([12, 4, 2, 1]);
    expect(FREQUENCIES.map((f) => monthsPerPeriod(f))).toEqual([1, 3, 6, 12]);
  });
  it('rejects an unknown frequency with invalid_option', () => {
    expect(() => periodsPerYear('weekly' as never)).toThrow(
      expect.objectContaining({ code: 'invalid_option', path: 'frequency' }),
    );
  });
});

describe('paymentDates', () => {
  it('steps from the start date, clamping to month end without drifting (TSDoc examples)', () => {
    expect(paymentDates('2024-01-31', 3, 'monthly')).toEqual(['2024-02-29', '2024-03-31', '2024-04-30']);
    expect(paymentDates('2024-01-10', 2, 'quarterly', '2024-03-01')).toEqual(['2024-03-01', '2024-06-01']);
    expect(paymentDates('2023-08-31', 4, 'semiannual')).toEqual([
      '2024-02-29',
      '2024-08-31',
      '2025-02-28',
      '2025-08-31',
    ]);
  });

  it('defaults to monthly', () => {
    expect(paymentDates('2025-01-15', 2)).toEqual(['2025-02-15', '2025-03-15']);
  });

  test.prop([
    arbDate('1990-01-01', '2060-12-31'),
    fc.integer({ min: 1, max: 100 }),
    fc.constantFrom(...FREQUENCIES),
    fc.option(fc.integer({ min: 1, max: 800 }), { nil: undefined }),
  ])(
    'the k-th date is addMonths(anchor, k × months) — anchor = start, or the odd first date',
    (start, n, frequency, oddDays) => {
      const first = oddDays === undefined ? undefined : addDaysIso(start, oddDays);
      const dates = paymentDates(start, n, frequency, first);
      const step = monthsPerPeriod(frequency);
      const regular = Array.from({ length: n }, (_, i) => addMonths(start, (i + 1) * step));
      if (first === undefined || first === regular[0]) {
        expect(dates).toEqual(regular);
      } else {
        expect(dates).toEqual(Array.from({ length: n }, (_, i) => addMonths(first, i * step)));
      }
      let previous: IsoDate = start;
      for (const date of dates) {
        expect(date > previous).toBe(true);
        previous = date;
      }
    },
  );

  test.prop([
    arbDate('1990-01-01', '2060-12-31'),
    fc.integer({ min: 1, max: 60 }),
    fc.constantFrom(...FREQUENCIES),
    fc.constantFrom(...DAY_COUNTS),
  ])(
    'periodTable: actual days and year fractions equal daysBetween and yearFraction',
    (start, n, frequency, dayCount) => {
      const table = periodTable(planDates(start, n, frequency, undefined), dayCount, true);
      table.dates.forEach((date, i) => {
        const previous = i === 0 ? start : table.dates[i - 1]!;
        expect(table.days[i]).toBe(daysBetween(previous, date));
        expect(table.fractions[i]).toBe(yearFraction(previous, date, dayCount));
      });
    },
  );

  const bad: [string, () => unknown, string, string][] = [
    ['bad start date', () => paymentDates('2024-02-30', 3), 'invalid_date', 'startDate'],
    ['zero payments', () => paymentDates('2024-01-01', 0), 'out_of_range', 'payments'],
    ['non-integer payments', () => paymentDates('2024-01-01', 2.5), 'invalid_type', 'payments'],
    ['more than 100 years', () => paymentDates('2024-01-01', 101, 'annual'), 'out_of_range', 'payments'],
    [
      'unknown frequency',
      () => paymentDates('2024-01-01', 3, 'fortnightly' as never),
      'invalid_option',
      'frequency',
    ],
    [
      'bad first date',
      () => paymentDates('2024-01-01', 3, 'monthly', '2024-02-31'),
      'invalid_date',
      'firstPaymentDate',
    ],
    [
      'first date not after start',
      () => paymentDates('2024-01-01', 3, 'monthly', '2024-01-01'),
      'dates_out_of_order',
      'firstPaymentDate',
    ],
  ];
  it.each(bad)('rejects %s', (_name, call, code, path) => {
    expect(call).toThrow(GreenfinError);
    expect(call).toThrow(expect.objectContaining({ code, path }));
  });
});

function addDaysIso(date: IsoDate, days: number): IsoDate {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}
