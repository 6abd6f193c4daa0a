/**
 * Appendix J's rules for unit-periods and time, 12 CFR 1026 App. J (b)(3)–(b)(5), each test on the
 * paragraph it checks (the printed examples are in reg-z-appendix-j.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { addDays, addMonths } from '../../dates.js';
import { aprDetails, type AprDetails, type CashFlow, type UnitPeriod } from '../index.js';

function us(advanceDate: string, dates: string[], unitPeriod?: UnitPeriod): AprDetails {
  const payments: CashFlow[] = dates.map((date) => ({ amount: 30_000, date }));
  return aprDetails({
    method: 'us-actuarial',
    advances: [{ amount: 25_000 * dates.length, date: advanceDate }],
    payments,
    ...(unitPeriod ? { unitPeriod } : {}),
  });
}

const times = (d: AprDetails) =>
  d.timeline.filter((e) => e.kind === 'payment').map((e) => [e.wholePeriods, e.fraction]);

describe('(b)(4)(i) the unit-period is the most frequent common period', () => {
  it('two common periods occurring equally often: the smaller is the unit-period ((A))', () => {
    // Periods: 1, 1, 2, 2 months.
    const d = us('2024-01-01', ['2024-02-01', '2024-03-01', '2024-05-01', '2024-07-01']);
    expect(d.unitPeriod).toBe('month');
    expect(d.unitPeriodSource).toBe('inferred');
  });

  it('no common period: the average of all periods rounded to the nearest standard interval ((B))', () => {
    // Periods of 10, 40 and 70 days average 40 days: nearest is 6 weeks (42), not a month (30.4).
    const d = us('2024-01-01', ['2024-01-11', '2024-02-20', '2024-04-30']);
    expect(d.unitPeriod).toEqual({ weeks: 6 });
    expect(d.unitPeriodsPerYear).toBeCloseTo(52 / 6, 15);
  });

  it('every 14 days is fortnightly; the 1st and 15th of each month is semi-monthly', () => {
    const fortnightly = Array.from({ length: 8 }, (_, k) => addDays('2024-01-05', 14 * k));
    expect(us('2023-12-22', fortnightly).unitPeriod).toBe('two-weeks');
    const semiMonthly = Array.from({ length: 8 }, (_, k) =>
      addDays(addMonths('2024-02-01', Math.floor(k / 2)), 14 * (k % 2)),
    );
    expect(us('2024-01-20', semiMonthly).unitPeriod).toBe('semi-month');
  });

  it('a unit-period given by the caller is used as is', () => {
    const d = us('2024-01-01', ['2024-02-01', '2024-03-01'], 'week');
    expect(d.unitPeriod).toBe('week');
    expect(d.unitPeriodSource).toBe('input');
    expect(times(d)).toEqual([
      [4, 3 / 7],
      [8, 4 / 7],
    ]);
  });
});

describe('(b)(3)(iv) all months are equal; month-end and 29th/30th series', () => {
  it('a series on the last day of each month is measured last day to last day', () => {
    const d = us('2024-01-31', ['2024-02-29', '2024-03-31', '2024-04-30', '2024-05-31']);
    expect(d.unitPeriod).toBe('month');
    expect(times(d)).toEqual([
      [1, 0],
      [2, 0],
      [3, 0],
      [4, 0],
    ]);
  });

  it('a series on the 30th uses the last day of February', () => {
    const d = us('2023-01-30', ['2023-02-28', '2023-03-30', '2023-04-30']);
    expect(times(d)).toEqual([
      [1, 0],
      [2, 0],
      [3, 0],
    ]);
  });
});

describe('(b)(5) number of unit-periods between two dates', () => {
  it('(ii) monthly: months counted back from the later date, remaining days ÷ 30', () => {
    // 2024-03-20 back 1 month = 2024-02-20 ≥ 2024-01-25; remaining 26 days.
    expect(times(us('2024-01-25', ['2024-03-20'], 'month'))).toEqual([[1, 26 / 30]]);
  });

  it('(iii) semi-monthly: 30 × months + remaining days, ÷ 15', () => {
    // 1 month + 26 days = 56 days = 3 semi-months + 11/15.
    expect(times(us('2024-01-25', ['2024-03-20'], 'semi-month'))).toEqual([[3, 11 / 15]]);
  });

  it('(iv) weekly and daily: actual days ÷ days per unit-period; 365 days a year', () => {
    // 55 actual days (the 56 of (iii) is on 30-day months).
    expect(times(us('2024-01-25', ['2024-03-20'], 'two-weeks'))).toEqual([[3, 13 / 14]]);
    const daily = us('2024-01-25', ['2024-03-20'], 'day');
    expect(times(daily)).toEqual([[55, 0]]);
    expect(daily.unitPeriodsPerYear).toBe(365);
  });

  it('(v)(A) yearly: whole years back, then remaining whole months ÷ 12', () => {
    expect(times(us('2020-01-15', ['2021-04-15'], 'year'))).toEqual([[1, 3 / 12]]);
  });

  it('(v)(B) yearly: a remainder that is not whole months is days ÷ 365', () => {
    // 2021-03-15 back one year = 2020-03-15; 74 days from 2020-01-01 (a leap year: still ÷ 365).
    expect(times(us('2020-01-01', ['2021-03-15'], 'year'))).toEqual([[1, 74 / 365]]);
  });

  it('(vi) one advance, one payment, a whole number of months under a year: 1 unit-period, 12 ÷ months a year', () => {
    const d = us('2024-01-31', ['2024-04-30']);
    expect(d.unitPeriod).toBe('quarter');
    expect(d.unitPeriodsPerYear).toBe(4);
    expect(times(d)).toEqual([[1, 0]]);
  });

  it('(vii) one advance, one payment, not whole months: 1 unit-period, 365 ÷ days a year', () => {
    const d = us('2024-01-01', ['2024-01-31']);
    expect(d.unitPeriod).toEqual({ days: 30 });
    expect(d.unitPeriodsPerYear).toBeCloseTo(365 / 30, 15);
    expect(d.apr).toBeCloseTo((30_000 / 25_000 - 1) * (365 / 30), 12);
  });
});

describe('fees in the equation', () => {
  it('a fee paid at consummation has time 0: the same APR as an advance net of it', () => {
    const payments = Array.from({ length: 12 }, (_, k) => ({
      amount: 9_000,
      date: addMonths('2024-01-10', k + 1),
    }));
    for (const method of ['eu', 'us-actuarial'] as const) {
      const net = aprDetails({ method, advances: [{ amount: 95_000, date: '2024-01-10' }], payments });
      const gross = aprDetails({
        method,
        advances: [{ amount: 100_000, date: '2024-01-10' }],
        payments,
        fees: [{ amount: 5_000, date: '2024-01-10' }],
      });
      expect(gross.apr).toBeCloseTo(net.apr, 13);
      expect(gross.timeline.find((e) => e.kind === 'fee')).toMatchObject({ index: 0, time: 0 });
    }
  });
});
