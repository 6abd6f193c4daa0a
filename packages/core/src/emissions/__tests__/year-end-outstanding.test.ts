import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { ErrorCode, GreenfinError } from '../../errors.js';
import { addMonths } from '../../dates.js';
import { money } from '../../money.js';
import { schedule } from '../../schedule/index.js';
import { ecotechExample } from '../../examples/index.js';
import { yearEndOutstanding, type YearEndOutstandingInput } from '../year-end-outstanding.js';

function errorOf(fn: () => unknown): GreenfinError {
  try {
    fn();
  } catch (e) {
    if (e instanceof GreenfinError) return e;
    throw e;
  }
  throw new Error('expected a GreenfinError');
}

// PCAF Part A (2nd ed.) §5.2: the outstanding amount is disbursed debt minus repayments, taken at
// the calendar or financial year-end, and declines to 0 when the loan is repaid.
describe('yearEndOutstanding', () => {
  const annual: YearEndOutstandingInput = {
    principal: money(300_000, 'GBP'),
    startDate: '2025-01-15',
    installments: [
      { date: '2026-01-15', balance: 200_000 },
      { date: '2027-01-15', balance: 100_000 },
      { date: '2028-01-15', balance: 0 },
    ],
  };

  it('reads the balance at each 31 December, from drawdown to the year the loan is repaid (0)', () => {
    expect(yearEndOutstanding(annual).map((b) => [b.date, b.outstanding.amount])).toEqual([
      ['2025-12-31', 300_000],
      ['2026-12-31', 200_000],
      ['2027-12-31', 100_000],
      ['2028-12-31', 0],
    ]);
  });

  it('supports a financial year-end (31 March), labelled by the calendar year it falls in', () => {
    expect(
      yearEndOutstanding({ ...annual, yearEnd: '03-31' }).map((b) => [b.year, b.outstanding.amount]),
    ).toEqual([
      [2025, 300_000],
      [2026, 200_000],
      [2027, 100_000],
      [2028, 0],
    ]);
  });

  it('takes a payment due on the year-end itself as paid by then', () => {
    const r = yearEndOutstanding({
      principal: money(1_200, 'GBP'),
      startDate: '2024-12-31',
      installments: [
        { date: '2025-06-30', balance: 600 },
        { date: '2025-12-31', balance: 0 },
      ],
    });
    expect(r.map((b) => [b.year, b.outstanding.amount])).toEqual([
      [2024, 1_200],
      [2025, 0],
    ]);
  });

  test.prop([
    fc.integer({ min: 1, max: 120 }),
    fc.integer({ min: 1, max: 1e9 }),
    fc.integer({ min: 1, max: 28 }),
  ])('monthly linear schedules: one balance per year, never rising, ending at 0', (months, perMonth, day) => {
    const startDate = `2025-03-${String(day).padStart(2, '0')}`;
    const principal = months * perMonth;
    const installments = Array.from({ length: months }, (_, k) => ({
      date: addMonths(startDate, k + 1),
      balance: principal - (k + 1) * perMonth,
    }));
    const r = yearEndOutstanding({ principal: money(principal, 'EUR'), startDate, installments });
    const lastYear = Number(installments.at(-1)!.date.slice(0, 4));
    expect(r.map((b) => b.year)).toEqual(Array.from({ length: lastYear - 2025 + 1 }, (_, k) => 2025 + k));
    for (let i = 1; i < r.length; i++) {
      expect(r[i]!.outstanding.amount).toBeLessThanOrEqual(r[i - 1]!.outstanding.amount);
    }
    expect(r.at(-1)!.outstanding.amount).toBe(0);
    expect(r[0]!.outstanding.amount).toBe(principal - Math.min(months, 12 - 3) * perMonth);
  });

  it('feeds a schedule() straight in: the EcoTech £500,000 5-year monthly annuity', () => {
    const { principal, startDate, termMonths } = ecotechExample.loan;
    const s = schedule({
      principal: principal.amount,
      currency: principal.currency,
      annualRate: 0.065,
      payments: termMonths,
      startDate,
    });
    const r = yearEndOutstanding({ principal, startDate, installments: s.installments });
    expect(r.map((b) => b.year)).toEqual([2025, 2026, 2027, 2028, 2029, 2030]);
    // 31 Dec 2025 is after the 15 Dec instalment, the 11th: the schedule's own balance after it.
    expect(r[0]!.outstanding).toEqual(money(s.installments[10]!.balance, 'GBP'));
    expect(r[4]!.outstanding.amount).toBe(s.installments[58]!.balance);
    expect(r[5]!.outstanding.amount).toBe(0);
  });

  it('counts a bullet loan’s capitalised interest out: outstanding stays at the principal until repaid', () => {
    const s = schedule({
      principal: 1_000_000,
      currency: 'GBP',
      annualRate: 0.06,
      payments: 3,
      frequency: 'annual',
      method: 'bullet',
      startDate: '2025-06-30',
    });
    expect(s.installments[0]!.balance).toBeGreaterThan(1_000_000); // the schedule capitalises interest
    const r = yearEndOutstanding({
      principal: money(1_000_000, 'GBP'),
      startDate: '2025-06-30',
      installments: s.installments,
    });
    expect(r.map((b) => [b.year, b.outstanding.amount])).toEqual([
      [2025, 1_000_000],
      [2026, 1_000_000],
      [2027, 1_000_000],
      [2028, 0],
    ]);
  });

  it.each([
    [
      'instalments out of order',
      { ...annual, installments: [annual.installments[1]!, annual.installments[0]!] },
      ErrorCode.DatesOutOfOrder,
      'installments[1].date',
    ],
    [
      'an instalment before drawdown',
      { ...annual, installments: [{ date: '2024-12-31', balance: 0 }] },
      ErrorCode.DatesOutOfOrder,
      'installments[0].date',
    ],
    [
      'a negative balance',
      { ...annual, installments: [{ date: '2026-01-15', balance: -1 }] },
      ErrorCode.OutOfRange,
      'installments[0].balance',
    ],
    ['no instalments', { ...annual, installments: [] }, ErrorCode.Required, 'installments'],
    ['a bad start date', { ...annual, startDate: '2025-02-30' }, ErrorCode.InvalidDate, 'startDate'],
    ['29 February as year-end', { ...annual, yearEnd: '02-29' }, ErrorCode.InvalidDate, 'yearEnd'],
    ['month 13 as year-end', { ...annual, yearEnd: '13-01' }, ErrorCode.InvalidDate, 'yearEnd'],
    ['a zero principal', { ...annual, principal: money(0, 'GBP') }, ErrorCode.OutOfRange, 'principal.amount'],
  ])('rejects %s', (_name, input, code, path) => {
    expect(errorOf(() => yearEndOutstanding(input as never))).toMatchObject({ code, path });
  });
});
