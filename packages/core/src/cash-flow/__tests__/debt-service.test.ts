import { describe, expect, it } from 'vitest';
import { PMT as formulajsPMT } from '@formulajs/formulajs';
import { ErrorCode } from '../../errors.js';
import { schedule } from '../../schedule/index.js';
import { debtServiceCoverage, monthlyDebtService, type DebtServiceCoverageInput } from '../debt-service.js';

const PMT = (rate: number, n: number, pv: number): number => formulajsPMT(rate, n, pv) as number;
const loan = { principal: 50_000_000, currency: 'GBP', startDate: '2025-01-15' } as const;

describe('monthlyDebtService', () => {
  it('an annuity: the level instalment (Excel PMT, to the penny)', () => {
    const s = schedule({ ...loan, annualRate: 0.07, payments: 60 });
    expect(monthlyDebtService(s)).toBe(Math.round(PMT(0.07 / 12, 60, -500_000) * 100));
  });

  it('linear repayment: the mean of the first twelve (largest) instalments', () => {
    // £1,200 over 24 months at 12 %: principal £50 a month, interest 1 % of the opening balance.
    const s = schedule({ ...loan, principal: 120_000, annualRate: 0.12, payments: 24, method: 'linear' });
    let expected = 0;
    for (let k = 0; k < 12; k++) expected += 5_000 + (120_000 - 5_000 * k) * 0.01;
    expect(monthlyDebtService(s)).toBeCloseTo(expected / 12, 9);
  });

  it('quarterly instalments: the four due in the first year, per month', () => {
    const s = schedule({ ...loan, principal: 1_200_000, annualRate: 0, payments: 8, frequency: 'quarterly' });
    expect(monthlyDebtService(s)).toBe((4 * 150_000) / 12);
  });

  it('a loan shorter than a year: all payments over its months', () => {
    const s = schedule({ ...loan, principal: 600_000, annualRate: 0, payments: 6 });
    expect(monthlyDebtService(s)).toBe(100_000);
  });

  it('a bullet loan has nothing due in year one: an error that says what to pass instead', () => {
    const s = schedule({ ...loan, annualRate: 0.05, payments: 60, method: 'bullet' });
    expect(() => monthlyDebtService(s)).toThrow(
      expect.objectContaining({ code: ErrorCode.OutOfRange, path: 'scheduledPayment' }),
    );
  });
});

describe('debtServiceCoverage', () => {
  it('DSCR = monthly operating cash flow / (new + existing monthly debt service)', () => {
    expect(
      debtServiceCoverage({ averageMonthlyNetOperatingCashFlow: 1_500_000, scheduledPayment: 1_000_000 })
        .dscr,
    ).toBe(1.5);
    const withExisting = debtServiceCoverage({
      analytics: { averageMonthlyNetOperatingCashFlow: 1_500_000 },
      scheduledPayment: 1_000_000,
      existingDebtService: 200_000,
    });
    expect(withExisting.dscr).toBe(1.25);
    expect(withExisting.monthlyDebtService).toBe(1_200_000);
    expect(withExisting.explanation).toContain('1.25x');
    expect(withExisting.explanation).toContain('existing 200000');
  });

  it('states its figures in the currency when it knows one (given, or the schedule’s)', () => {
    const given = debtServiceCoverage({
      averageMonthlyNetOperatingCashFlow: 1_950_000,
      scheduledPayment: 1_001_897,
      currency: 'GBP',
    });
    expect(given.explanation).toBe(
      'Average monthly net operating cash flow GBP 19500.00 / monthly debt service GBP 10018.97 a month = DSCR 1.95x.',
    );
    const yen = debtServiceCoverage({
      averageMonthlyNetOperatingCashFlow: 300_000,
      scheduledPayment: 100_000,
      currency: 'JPY',
    });
    expect(yen.explanation).toContain('JPY 300000 / monthly debt service JPY 100000 a month = DSCR 3.00x');
    const s = schedule({ ...loan, annualRate: 0.065, payments: 60 });
    expect(
      debtServiceCoverage({ averageMonthlyNetOperatingCashFlow: 2_000_000, scheduledPayment: s }).explanation,
    ).toContain(`monthly debt service ${s.currency} `);
    expect(() =>
      debtServiceCoverage({
        averageMonthlyNetOperatingCashFlow: 1,
        scheduledPayment: 1,
        currency: 'XXX' as never,
      }),
    ).toThrow(/currency/);
  });

  it('takes a schedule', () => {
    const s = schedule({ ...loan, annualRate: 0.065, payments: 60 });
    const payment = Math.round(PMT(0.065 / 12, 60, -500_000) * 100);
    expect(
      debtServiceCoverage({ averageMonthlyNetOperatingCashFlow: 2_000_000, scheduledPayment: s }).dscr,
    ).toBe(2_000_000 / payment);
  });

  it('a negative cash flow gives a negative DSCR, not an error', () => {
    expect(
      debtServiceCoverage({ averageMonthlyNetOperatingCashFlow: -50_000, scheduledPayment: 100_000 }).dscr,
    ).toBe(-0.5);
  });

  it.each([
    [{ scheduledPayment: 1 }, ErrorCode.Required, 'averageMonthlyNetOperatingCashFlow'],
    [
      {
        averageMonthlyNetOperatingCashFlow: 1,
        analytics: { averageMonthlyNetOperatingCashFlow: 1 },
        scheduledPayment: 1,
      },
      ErrorCode.Required,
      'averageMonthlyNetOperatingCashFlow',
    ],
    [
      { averageMonthlyNetOperatingCashFlow: 1.5, scheduledPayment: 1 },
      ErrorCode.NotMinorUnits,
      'averageMonthlyNetOperatingCashFlow',
    ],
    [
      { averageMonthlyNetOperatingCashFlow: 1, scheduledPayment: -1 },
      ErrorCode.OutOfRange,
      'scheduledPayment',
    ],
    [
      { averageMonthlyNetOperatingCashFlow: 1, scheduledPayment: 0 },
      ErrorCode.OutOfRange,
      'scheduledPayment',
    ],
    [
      { averageMonthlyNetOperatingCashFlow: 1, scheduledPayment: 'x' },
      ErrorCode.InvalidType,
      'scheduledPayment',
    ],
    [
      { averageMonthlyNetOperatingCashFlow: 1, scheduledPayment: 1, existingDebtService: -1 },
      ErrorCode.OutOfRange,
      'existingDebtService',
    ],
  ])('rejects %j', (input, code, path) => {
    expect(() => debtServiceCoverage(input as unknown as DebtServiceCoverageInput)).toThrow(
      expect.objectContaining({ code, path }),
    );
  });
});
