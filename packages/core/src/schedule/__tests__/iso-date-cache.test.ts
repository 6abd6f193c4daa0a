import { describe, expect, it } from 'vitest';
import { FREQUENCIES, monthsPerPeriod, type Frequency } from '../frequency.js';
import { cachedIsoDate, periodTable, planDates, regularDueDates, yearInfo } from '../payment-dates.js';
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

describe('the memoised due-date sequences of regular plans', () => {
  const expectLikePeriodTable = (startDate: string, payments: number, frequency: Frequency) => {
    const plan = planDates(startDate, payments, frequency, undefined);
    const table = periodTable(plan, undefined, true);
    const due = regularDueDates(plan.anchorIndex + plan.step, plan.step, plan.anchorDay, payments);
    expect(due.dates.slice(0, payments)).toEqual(table.dates);
    expect(due.days.slice(0, payments)).toEqual(table.days);
  };

  it.each(FREQUENCIES)('agree with periodTable (%s, leap and century years, days 1–28)', (frequency) => {
    for (const startDate of ['2024-01-28', '1899-11-01', '2099-12-15', '0004-02-10']) {
      expectLikePeriodTable(startDate, 1200 / monthsPerPeriod(frequency), frequency);
    }
  });

  it('serve a shorter plan from a longer sequence, and grow for a longer one', () => {
    expectLikePeriodTable('2031-03-05', 12, 'monthly');
    expectLikePeriodTable('2031-03-05', 600, 'monthly');
    expectLikePeriodTable('2031-03-05', 24, 'monthly');
  });

  it('stay correct when more plans are asked for than are kept', () => {
    for (let day = 1; day <= 28; day++) {
      for (let month = 1; month <= 6; month++) {
        expectLikePeriodTable(`2030-0${month}-${String(day).padStart(2, '0')}`, 13, 'monthly');
      }
    }
    expectLikePeriodTable('2030-01-01', 13, 'monthly');
  });
});
