/**
 * EU / UK APR: Directive 2008/48/EC Annex I (as amended by Directive 2011/90/EU), kept in UK law by
 * FCA CONC App 1.2 (and, in the same words, MCOB 10A.2.3 R for mortgages).
 *
 * Published worked examples: Annex I of 2008/48/EC has none, so we use the "Examples of calculation"
 * the Union published with the same equation in Directive 98/7/EC, Annex III, part A (calendar basis),
 * which the 2008 Directive replaced: https://service.betterregulation.com/document/260747 and COM(1996)79
 * Annex II. Those examples round to one decimal (the Annex I remark (d) precision) and also give two
 * decimals. No FCA / OFT worked example with published figures was found.
 */
import { describe, expect, it } from 'vitest';
import { addDays } from '../../dates.js';
import { apr, aprDetails } from '../index.js';

/** The APR in percent, rounded half-up to `dp` decimals as Annex I remark (d) prescribes. */
const percent = (fraction: number, dp: number): number => Math.round(fraction * 100 * 10 ** dp) / 10 ** dp;

describe('Directive 98/7/EC Annex III, A: examples of calculation (same equation as 2008/48/EC Annex I)', () => {
  const loan = { method: 'eu' as const, advances: [{ amount: 100_000, date: '1994-01-01' }] };

  it('first example: ECU 1,000 on 1 Jan 1994 repaid by ECU 1,200 on 1 Jul 1995, "546 (= 365 + 181) days" → 13 % (12.96 %)', () => {
    const payments = [{ amount: 120_000, date: '1995-07-01' }];
    // The example counts the interval in days over a 365-day year: our days-only count.
    const byDays = aprDetails({ ...loan, payments, unitPeriod: 'day' });
    expect(byDays.timeline[1]!.time).toBe(546 / 365);
    expect(percent(byDays.apr, 1)).toBe(13);
    expect(percent(byDays.apr, 2)).toBe(12.96);
    // Remark (c) as amended by 2011/90/EU counts whole months first: 18 months are 1.5 years, so the
    // same loan is 1.2^(1/1.5) − 1 = 12.92 % (a closed form, not a published figure).
    expect(apr({ ...loan, payments })).toBeCloseTo(1.2 ** (1 / 1.5) - 1, 14);
  });

  it('second example: ECU 50 of administrative expenses retained, so ECU 950 lent → 16.9 %', () => {
    const payments = [{ amount: 120_000, date: '1995-07-01' }];
    const netAdvance = apr({ method: 'eu', advances: [{ amount: 95_000, date: '1994-01-01' }], payments });
    expect(percent(netAdvance, 1)).toBe(16.9);
    expect(
      percent(
        apr({
          method: 'eu',
          advances: [{ amount: 95_000, date: '1994-01-01' }],
          payments,
          unitPeriod: 'day',
        }),
        1,
      ),
    ).toBe(16.9);
    // The same fee given as a charge paid at drawdown gives the same equation.
    const asFee = apr({ ...loan, payments, fees: [{ amount: 5_000, date: '1994-01-01' }] });
    expect(asFee).toBeCloseTo(netAdvance, 14);
  });

  it('third example: ECU 1,000 repaid by ECU 600 after one and two years → i = 0.1306623, 13.1 % (13.07 %)', () => {
    const rate = apr({
      ...loan,
      payments: [
        { amount: 60_000, date: '1995-01-01' },
        { amount: 60_000, date: '1996-01-01' },
      ],
    });
    // Published to 7 decimals, truncated (0.13066238…).
    expect(Math.floor(rate * 1e7) / 1e7).toBe(0.1306623);
    expect(percent(rate, 1)).toBe(13.1);
    expect(percent(rate, 2)).toBe(13.07);
    // The closed form the example solves "by algebra": 600v² + 600v − 1000 = 0, v = 1/(1+i).
    const v = (-600 + Math.sqrt(600 ** 2 + 4 * 600 * 1000)) / (2 * 600);
    expect(rate).toBeCloseTo(1 / v - 1, 14);
  });
});

describe('Annex I remark (c) time measure (as amended by Directive 2011/90/EU)', () => {
  const timeOf = (start: string, date: string, unitPeriod?: 'month' | 'week' | 'day') =>
    aprDetails({
      method: 'eu',
      advances: [{ amount: 100_000, date: start }],
      payments: [{ amount: 110_000, date }],
      ...(unitPeriod ? { unitPeriod } : {}),
    }).timeline[1]!.time;

  it('a whole month is 1/12 of a year whatever its days (an equal month of 30.41666 days)', () => {
    expect(timeOf('2023-02-01', '2023-03-01')).toBe(1 / 12); // 28 days
    expect(timeOf('2023-01-01', '2023-02-01')).toBe(1 / 12); // 31 days
    expect(timeOf('2024-02-15', '2025-02-15')).toBe(1);
  });

  it('months, then residual days, are counted backwards to the drawdown; days over the year before the last day (365 or 366)', () => {
    // Back from 2019-03-01: one whole month to 2019-02-01 ≥ 2019-01-31, then 1 day.
    expect(timeOf('2019-01-31', '2019-03-01')).toBeCloseTo(1 / 12 + 1 / 365, 15);
    // Two months back to 2021-01-01, 1 day; the year before 2021-01-01 holds 29 Feb 2020 → 366.
    expect(timeOf('2020-12-31', '2021-03-01')).toBeCloseTo(2 / 12 + 1 / 366, 15);
    // 17 months back from 2020-06-15 land on 2019-01-15, then 14 days over 2018-01-15…2019-01-15 (365).
    expect(timeOf('2019-01-01', '2020-06-15')).toBeCloseTo(17 / 12 + 14 / 365, 15);
  });

  it('a month-end series is measured from month end to month end (31 Jan → 28 Feb is one month)', () => {
    expect(timeOf('2019-01-31', '2019-02-28')).toBe(1 / 12);
    expect(timeOf('2020-01-31', '2020-02-29')).toBe(1 / 12);
  });

  it('a year has 52 weeks when the equal period is the week', () => {
    expect(timeOf('2024-01-01', '2024-01-08', 'week')).toBe(1 / 52);
    // 9 days: one week back to 2024-01-03, then 2 days over the 365 days from 2023-01-03.
    expect(timeOf('2024-01-01', '2024-01-10', 'week')).toBeCloseTo(1 / 52 + 2 / 365, 15);
  });

  it('weekly schedules are measured in weeks by default', () => {
    const d = aprDetails({
      method: 'eu',
      advances: [{ amount: 100_000, date: '2025-01-06' }],
      payments: [1, 2, 3, 4].map((k) => ({ amount: 26_000, date: addDays('2025-01-06', 7 * k) })),
    });
    expect(d.unitPeriod).toBe('week');
    expect(d.timeline.filter((e) => e.kind === 'payment').map((e) => e.time)).toEqual([
      1 / 52,
      2 / 52,
      3 / 52,
      4 / 52,
    ]);
    // Exact: 1000 = 260 Σ v^k (k = 1..4), v = (1+X)^(−1/52).
    const v = (1 + d.apr) ** (-1 / 52);
    expect(260 * (v + v ** 2 + v ** 3 + v ** 4)).toBeCloseTo(1000, 9);
  });
});

describe('closed forms', () => {
  it('1,000 lent and 1,100 repaid exactly one year later is 10 % under both methods', () => {
    for (const method of ['eu', 'us-actuarial'] as const) {
      const rate = apr({
        method,
        advances: [{ amount: 100_000, date: '2024-03-15' }],
        payments: [{ amount: 110_000, date: '2025-03-15' }],
      });
      expect(rate).toBeCloseTo(0.1, 14);
    }
  });

  it('repaying exactly what was lent is 0 % (exactly)', () => {
    const input = {
      advances: [{ amount: 120_000, date: '2024-01-10' }],
      payments: Array.from({ length: 12 }, (_, k) => ({
        amount: 10_000,
        date: `${2024 + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}-28`,
      })),
    };
    expect(apr({ ...input, method: 'eu' })).toBe(0);
    expect(apr({ ...input, method: 'us-actuarial' })).toBe(0);
  });

  it('repaying less than was lent is a negative rate, above −100 %', () => {
    const rate = apr({
      method: 'eu',
      advances: [{ amount: 100_000, date: '2024-03-15' }],
      payments: [{ amount: 90_000, date: '2025-03-15' }],
    });
    expect(rate).toBeCloseTo(-0.1, 14);
  });

  it('a one-day payday loan of £100 + £10 solves to (1.1)^365 − 1, an APR in the quadrillions, not Infinity', () => {
    const rate = apr({
      method: 'eu',
      advances: [{ amount: 10_000, date: '2023-06-01' }],
      payments: [{ amount: 11_000, date: '2023-06-02' }],
    });
    expect(rate / (1.1 ** 365 - 1)).toBeCloseTo(1, 10);
  });
});
