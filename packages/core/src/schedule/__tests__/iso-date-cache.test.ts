import { describe, expect, it } from 'vitest';
import { cachedIsoDate, yearInfo } from '../payment-dates.js';
import { paymentDates } from '../index.js';

describe('the shared ISO date strings', () => {
  it('formats like Date.toISOString (proleptic Gregorian, 4-digit years) for every day of sample years', () => {
    for (const year of [825, 1999, 2000, 2024, 2100, 9999]) {
      for (let month = 1; month <= 12; month++) {
        const end = new Date(0);
        end.setUTCFullYear(year, month, 0); // day 0 of the next month: the month's last day
        for (let day = 1; day <= end.getUTCDate(); day++) {
          const reference = new Date(0);
          reference.setUTCFullYear(year, month - 1, day);
          expect(cachedIsoDate(year, month, day)).toBe(reference.toISOString().slice(0, 10));
        }
      }
    }
  });

  it('returns the very same string on repeat, and the schedule dates come from it', () => {
    const a = cachedIsoDate(2031, 7, 9);
    expect(cachedIsoDate(2031, 7, 9)).toBe(a);
    expect(yearInfo(2031).dates[7 * 32 + 9]).toBe('2031-07-09');
    expect(paymentDates('2031-06-09', 2, 'monthly')).toEqual(['2031-07-09', '2031-08-09']);
  });
});
