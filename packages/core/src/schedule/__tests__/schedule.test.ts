import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { yearFraction } from '../../day-count.js';
import { addMonths, daysBetween, type IsoDate } from '../../dates.js';
import { GreenfinError } from '../../errors.js';
import { rounder } from '../../rounding.js';
import { paymentDates } from '../payment-dates.js';
import { schedule, type Schedule, type ScheduleInput } from '../schedule.js';
import { arbDate, arbScheduleInput } from './arbitraries.js';

const sum = (s: Schedule, key: 'payment' | 'interest' | 'principal') =>
  s.installments.reduce((total, row) => total + row[key], 0);
const rows = (s: Schedule) => s.installments.map((r) => [r.payment, r.interest, r.principal, r.balance]);

/** Periodic rates recomputed from the rows' dates with the foundation's yearFraction. */
const periodRates = (input: ScheduleInput, s: Schedule) =>
  s.installments.map(
    (row, i) =>
      input.annualRate *
      yearFraction(
        i === 0 ? input.startDate : s.installments[i - 1]!.date,
        row.date,
        input.dayCount ?? '30/360',
      ),
  );

describe('schedule() laws (every method, frequency, day count and rounding)', () => {
  test.prop([arbScheduleInput], { numRuns: 1500 })(
    'repays exactly the principal, rows are consistent and totals are their sums',
    (input) => {
      const s = schedule(input);
      expect(s.installments).toHaveLength(input.payments);
      expect(sum(s, 'principal')).toBe(input.principal);
      expect(s.totalPrincipal).toBe(input.principal);
      expect(s.installments.at(-1)!.balance).toBe(0);
      expect(s.totalInterest).toBe(sum(s, 'interest'));
      expect(s.totalPayment).toBe(sum(s, 'payment'));
      expect(s.totalPayment).toBe(s.totalInterest + s.totalPrincipal);
      expect(s.finalPayment).toBe(s.installments.at(-1)!.payment);
      expect(s.maturityDate).toBe(s.installments.at(-1)!.date);
      let balance = input.principal;
      s.installments.forEach((row, i) => {
        expect(row.number).toBe(i + 1);
        expect(row.payment).toBe(row.interest + row.principal);
        expect(row.balance).toBe(balance - row.principal);
        for (const v of [row.payment, row.interest, row.principal, row.balance])
          expect(Number.isSafeInteger(v)).toBe(true);
        balance = row.balance;
      });
    },
  );

  test.prop([arbScheduleInput], { numRuns: 1000 })(
    'each row’s interest is round(balance × annualRate × yearFraction(previous date, date))',
    (input) => {
      // Recomputed with the foundation's yearFraction and rounder (the specification), which the
      // schedule's fast paths must match exactly.
      const s = schedule(input);
      const round = rounder(input.rounding);
      const rates = periodRates(input, s);
      let balance = input.principal;
      s.installments.forEach((row, i) => {
        // (+ 0: rounding.ts's halfUp returns −0 for −0; amounts are plain 0.)
        expect(row.interest).toBe(round(balance * rates[i]!) + 0);
        balance = row.balance;
      });
    },
  );

  test.prop([arbScheduleInput], { numRuns: 1000 })(
    'dates strictly increase from the start, step from the anchor, and days are actual days',
    (input) => {
      const s = schedule(input);
      expect(s.installments.map((r) => r.date)).toEqual(
        paymentDates(input.startDate, input.payments, input.frequency, input.firstPaymentDate),
      );
      let previous: IsoDate = input.startDate;
      for (const row of s.installments) {
        expect(row.date > previous).toBe(true);
        expect(row.days).toBe(daysBetween(previous, row.date));
        previous = row.date;
      }
    },
  );

  test.prop([arbScheduleInput], { numRuns: 1000 })(
    'interest is never negative for a non-negative rate',
    (input) => {
      for (const row of schedule(input).installments) expect(row.interest).toBeGreaterThanOrEqual(0);
    },
  );

  test.prop([arbScheduleInput])('is deterministic and does not modify its input', (input) => {
    const copy = structuredClone(input);
    const first = schedule(input);
    expect(schedule(copy)).toEqual(first);
    expect(input).toEqual(copy);
  });

  test.prop([arbScheduleInput], { numRuns: 1000 })('each method’s shape', (input) => {
    const s = schedule(input);
    const n = input.payments;
    const body = s.installments.slice(0, -1);
    const last = s.installments.at(-1)!;
    switch (input.method) {
      case 'annuity':
        // The level payment, unless rounding it up clears the balance early (tiny principals only).
        for (const row of body) expect(row.payment === s.regularPayment || row.balance === 0).toBe(true);
        break;
      case 'linear': {
        const part = Math.floor(input.principal / n);
        s.installments.forEach((row, i) => {
          expect(row.principal).toBe(i < input.principal - part * n ? part + 1 : part);
        });
        expect(s.regularPayment).toBe(s.installments[0]!.payment);
        break;
      }
      case 'interest-only':
        for (const row of body) {
          expect(row.principal).toBe(0);
          expect(row.payment).toBe(row.interest);
        }
        expect(last.principal).toBe(input.principal);
        break;
      case 'bullet':
        for (const row of body) {
          expect(row.payment).toBe(0);
          expect(row.principal).toBe(-row.interest); // interest capitalised
        }
        expect(last.payment).toBe(input.principal + s.totalInterest);
        expect(s.regularPayment).toBe(last.payment);
        break;
    }
  });

  test.prop([arbScheduleInput], { numRuns: 1000 })(
    'balances never rise (linear, interest-only; annuity when the instalment covers every period’s interest) and only rise for bullet',
    (input) => {
      const s = schedule(input);
      const balances = [input.principal, ...s.installments.map((r) => r.balance)];
      const rising = balances.slice(1).map((b, i) => b > balances[i]!);
      const round = rounder(input.rounding);
      switch (input.method) {
        case 'linear':
        case 'interest-only':
          expect(rising.every((r) => !r)).toBe(true);
          break;
        case 'annuity': {
          // Interest on any balance ≤ P is at most round(P × max r_k) (rounding is monotone), so when
          // that is within the level payment no principal part is negative. Otherwise (a long odd
          // first period, or long months at high rates over long terms under actual day counts) the
          // level payment can fall short of a period's interest: negative amortisation, see below.
          const maxRate = Math.max(...periodRates(input, s));
          if (round(input.principal * maxRate) <= s.regularPayment)
            expect(rising.every((r) => !r)).toBe(true);
          break;
        }
        case 'bullet':
          expect(rising.slice(0, -1).every((r, i) => r || s.installments[i]!.interest === 0)).toBe(true);
          break;
      }
    },
  );

  test.prop([
    arbScheduleInput,
    fc.integer({ min: -500_000, max: -1 }).map((x) => x / 1_000_000), // −50 % … −0.0001 %
  ])('negative rates: interest ≤ 0 and the principal is still repaid exactly', (input, annualRate) => {
    const s = schedule({ ...input, annualRate, frequency: 'monthly' });
    expect(sum(s, 'principal')).toBe(input.principal);
    expect(s.installments.at(-1)!.balance).toBe(0);
    for (const row of s.installments) {
      expect(row.interest).toBeLessThanOrEqual(0);
      expect(row.payment).toBe(row.interest + row.principal);
    }
  });
});

describe('schedule() hand-checkable examples', () => {
  const base = { currency: 'GBP', startDate: '2024-01-15', dayCount: '30/360' } as const;

  it('annuity defaults: monthly, 30/360, half-even — 1,000.00 at 12 % over 3 months', () => {
    // r = 1 %; PMT = 100000 × 0.01 / (1 − 1.01⁻³) = 34002.21… → 34002.
    // Interest 1000; 669.98 → 670; 336.66 → 337; the last pays the remaining 33666 + 337 = 34003.
    const s = schedule({
      principal: 100_000,
      currency: 'GBP',
      annualRate: 0.12,
      payments: 3,
      startDate: '2024-01-15',
    });
    expect(s).toMatchObject({
      method: 'annuity',
      frequency: 'monthly',
      dayCount: '30/360',
      rounding: 'half-even',
    });
    expect(rows(s)).toEqual([
      [34_002, 1_000, 33_002, 66_998],
      [34_002, 670, 33_332, 33_666],
      [34_003, 337, 33_666, 0],
    ]);
  });

  it('linear: 1,000.00 at 8 % quarterly over a year — 250.00 of principal plus falling interest', () => {
    // Each quarter is 90/360 = ¼ year, r = 2 %: interest 2000, 1500, 1000, 500.
    const s = schedule({
      ...base,
      principal: 100_000,
      annualRate: 0.08,
      payments: 4,
      frequency: 'quarterly',
      method: 'linear',
    });
    expect(s.installments.map((r) => r.date)).toEqual([
      '2024-04-15',
      '2024-07-15',
      '2024-10-15',
      '2025-01-15',
    ]);
    expect(rows(s)).toEqual([
      [27_000, 2_000, 25_000, 75_000],
      [26_500, 1_500, 25_000, 50_000],
      [26_000, 1_000, 25_000, 25_000],
      [25_500, 500, 25_000, 0],
    ]);
    expect(s.regularPayment).toBe(27_000);
    expect(s.totalInterest).toBe(5_000);
  });

  it('linear: the remainder goes one minor unit at a time to the first instalments (100 in 3 → 34, 33, 33)', () => {
    const s = schedule({ ...base, principal: 100, annualRate: 0, payments: 3, method: 'linear' });
    expect(s.installments.map((r) => r.principal)).toEqual([34, 33, 33]);
  });

  it('interest-only: 12,000.00 at 6 % monthly — 60.00 a month, the principal with the last', () => {
    const s = schedule({
      ...base,
      principal: 1_200_000,
      annualRate: 0.06,
      payments: 3,
      method: 'interest-only',
    });
    expect(rows(s)).toEqual([
      [6_000, 6_000, 0, 1_200_000],
      [6_000, 6_000, 0, 1_200_000],
      [1_206_000, 6_000, 1_200_000, 0],
    ]);
  });

  it('bullet: 10,000.00 at 12 % semi-annual over 18 months — interest capitalised, 1.06³ at maturity', () => {
    // r = 6 % a half-year: 60000 → 1,060,000; 63600 → 1,123,600; 67416 → 1,191,016 = 1,000,000 × 1.06³.
    const s = schedule({
      ...base,
      principal: 1_000_000,
      annualRate: 0.12,
      payments: 3,
      frequency: 'semiannual',
      method: 'bullet',
    });
    expect(rows(s)).toEqual([
      [0, 60_000, -60_000, 1_060_000],
      [0, 63_600, -63_600, 1_123_600],
      [1_191_016, 67_416, 1_123_600, 0],
    ]);
    expect(s.regularPayment).toBe(1_191_016);
    expect(s.totalInterest).toBe(191_016);
  });

  it('long odd first period: 1,000.00 at 12 %, 30/360, first payment after 45 days', () => {
    // Jan 1 → Feb 16 is 45/360 = 0.125 year (r₁ = 1.5 %); Feb 16 → Mar 16 is 30/360 (r₂ = 1 %).
    // Level payment P / (1/1.015 + 1/(1.015 × 1.01)) = 100000 × 1.015 × 1.01 / 2.01 = 51002.49 → 51002.
    const s = schedule({
      ...base,
      startDate: '2024-01-01',
      firstPaymentDate: '2024-02-16',
      principal: 100_000,
      annualRate: 0.12,
      payments: 2,
    });
    expect(s.installments.map((r) => [r.date, r.days])).toEqual([
      ['2024-02-16', 46],
      ['2024-03-16', 29],
    ]);
    expect(rows(s)).toEqual([
      [51_002, 1_500, 49_502, 50_498],
      [51_003, 505, 50_498, 0], // 504.98 → 505; the last absorbs the rounding
    ]);
  });

  it('short odd first period: 19 days of interest, then regular months anchored on the first date', () => {
    // Jan 1 → Jan 20 = 19/360 year at 9 %: 1,200.00 × 0.09 × 19/360 = 5.70.
    const s = schedule({
      ...base,
      startDate: '2024-01-01',
      firstPaymentDate: '2024-01-20',
      principal: 120_000,
      annualRate: 0.09,
      payments: 3,
      method: 'interest-only',
    });
    expect(s.installments.map((r) => [r.date, r.interest])).toEqual([
      ['2024-01-20', 570],
      ['2024-02-20', 900], // 1,200.00 × 0.09 / 12
      ['2024-03-20', 900],
    ]);
  });

  it('a first payment date equal to the regular one changes nothing (31st anchor included)', () => {
    const input = {
      ...base,
      startDate: '2024-01-31',
      principal: 500_000,
      annualRate: 0.05,
      payments: 6,
    } as const;
    expect(schedule({ ...input, firstPaymentDate: '2024-02-29' })).toEqual(schedule(input));
  });

  it('31st-of-month anchor: dates clamp to month end and never drift', () => {
    const s = schedule({
      ...base,
      startDate: '2024-01-31',
      principal: 600_000,
      annualRate: 0.06,
      payments: 6,
      dayCount: 'ACT/365F',
    });
    expect(s.installments.map((r) => [r.date, r.days])).toEqual([
      ['2024-02-29', 29],
      ['2024-03-31', 31],
      ['2024-04-30', 30],
      ['2024-05-31', 31],
      ['2024-06-30', 30],
      ['2024-07-31', 31],
    ]);
    // Adding a month cumulatively would have drifted to the 29th for good.
    let cumulative: IsoDate = '2024-01-31';
    const drifted = Array.from({ length: 6 }, () => (cumulative = addMonths(cumulative, 1)));
    expect(drifted.at(-1)).toBe('2024-07-29');
  });

  it('ISDA 30/360 at month end: 31st → 29 Feb is 29 days, 29 Feb → 31 Mar is 32 (2006 ISDA §4.16(f))', () => {
    // D1 = 31 → 30, D2 = 29: 29 days; D1 = 29 stays, D2 = 31 stays (D1 < 30): 30 + 2 = 32 days.
    const s = schedule({
      ...base,
      startDate: '2024-01-31',
      principal: 360_000,
      annualRate: 0.1,
      payments: 2,
      method: 'interest-only',
    });
    expect(s.installments.map((r) => r.interest)).toEqual([2_900, 3_200]); // 3600.00 × 10 % × 29/360, × 32/360
  });

  it('quarterly and annual steps from the anchor', () => {
    const q = schedule({
      ...base,
      startDate: '2023-11-30',
      principal: 100_000,
      annualRate: 0.04,
      payments: 3,
      frequency: 'quarterly',
    });
    expect(q.installments.map((r) => r.date)).toEqual(['2024-02-29', '2024-05-30', '2024-08-30']);
    const a = schedule({
      ...base,
      startDate: '2024-02-29',
      principal: 100_000,
      annualRate: 0.04,
      payments: 2,
      frequency: 'annual',
    });
    expect(a.installments.map((r) => r.date)).toEqual(['2025-02-28', '2026-02-28']);
  });

  it('half-up vs half-even on an exact tie (interest 0.5 minor unit → 0 or 1)', () => {
    // 100 minor units at 6 % for one 30/360 month: 100 × 0.005 = 0.5.
    const input = {
      ...base,
      principal: 100,
      annualRate: 0.06,
      payments: 1,
      method: 'interest-only',
    } as const;
    expect(schedule({ ...input, rounding: 'half-even' }).installments[0]!.interest).toBe(0);
    expect(schedule({ ...input, rounding: 'half-up' }).installments[0]!.interest).toBe(1);
  });

  it('a level payment rounded up that would overpay ends the loan early instead of refunding', () => {
    // 3 minor units over 5 payments at 0 %: the level payment 0.6 rounds to 1, which clears the
    // balance after three rows; the last two rows are empty (not 1 and −1).
    const s = schedule({ ...base, principal: 3, annualRate: 0, payments: 5, frequency: 'annual' });
    expect(rows(s)).toEqual([
      [1, 0, 1, 2],
      [1, 0, 1, 1],
      [1, 0, 1, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
  });

  it('negative amortisation: a long odd first period on a 30-year loan capitalises the shortfall', () => {
    // 60 days of interest at 10 % (≈ 1.67 % of the balance) exceed the level payment (≈ 0.88 %).
    const s = schedule({
      ...base,
      startDate: '2024-01-01',
      firstPaymentDate: '2024-03-01',
      principal: 10_000_000,
      annualRate: 0.1,
      payments: 360,
    });
    const first = s.installments[0]!;
    expect(first.interest).toBe(166_667); // 100,000.00 × 10 % × 60/360
    expect(first.interest).toBeGreaterThan(s.regularPayment);
    expect(first.principal).toBeLessThan(0);
    expect(first.balance).toBeGreaterThan(10_000_000);
    expect(s.totalPrincipal).toBe(10_000_000);
    expect(s.installments.at(-1)!.balance).toBe(0);
  });

  test.prop([arbDate('2000-01-01', '2040-12-31'), fc.integer({ min: 1, max: 120 })])(
    'a zero-rate annuity is the principal split evenly, the last absorbing the remainder',
    (startDate, payments) => {
      const s = schedule({ principal: 1_000_003, currency: 'EUR', annualRate: 0, payments, startDate });
      const level = rounder('half-even')(1_000_003 / payments);
      expect(s.regularPayment).toBe(level);
      expect(s.totalInterest).toBe(0);
      expect(s.installments.at(-1)!.payment).toBe(1_000_003 - level * (payments - 1));
    },
  );
});

describe('schedule() rejects bad input with one GreenfinError naming the field', () => {
  const valid: ScheduleInput = {
    principal: 100_000,
    currency: 'GBP',
    annualRate: 0.05,
    payments: 12,
    startDate: '2024-01-15',
  };
  const cases: [string, Record<string, unknown>, string, string][] = [
    ['negative principal', { principal: -1 }, 'out_of_range', 'principal'],
    ['zero principal', { principal: 0 }, 'out_of_range', 'principal'],
    ['fractional principal', { principal: 100.5 }, 'not_minor_units', 'principal'],
    ['NaN principal', { principal: Number.NaN }, 'invalid_type', 'principal'],
    ['string principal', { principal: '100000' }, 'invalid_type', 'principal'],
    ['unknown currency', { currency: 'XYZ' }, 'unknown_currency', 'currency'],
    ['rate −100 %', { annualRate: -1 }, 'out_of_range', 'annualRate'],
    ['rate below −100 %', { annualRate: -2.5 }, 'out_of_range', 'annualRate'],
    ['infinite rate', { annualRate: Number.POSITIVE_INFINITY }, 'invalid_type', 'annualRate'],
    ['NaN rate', { annualRate: Number.NaN }, 'invalid_type', 'annualRate'],
    ['zero payments', { payments: 0 }, 'out_of_range', 'payments'],
    ['fractional payments', { payments: 12.5 }, 'invalid_type', 'payments'],
    ['a term over 100 years (monthly)', { payments: 1201 }, 'out_of_range', 'payments'],
    ['a term over 100 years (annual)', { payments: 101, frequency: 'annual' }, 'out_of_range', 'payments'],
    ['unknown frequency', { frequency: 'weekly' }, 'invalid_option', 'frequency'],
    ['null frequency', { frequency: null }, 'invalid_option', 'frequency'],
    ['unknown method', { method: 'balloon' }, 'invalid_option', 'method'],
    ['unknown day count', { dayCount: '30E/360' }, 'invalid_option', 'dayCount'],
    ['unknown rounding', { rounding: 'bankers' }, 'invalid_option', 'rounding'],
    ['impossible start date', { startDate: '2023-02-29' }, 'invalid_date', 'startDate'],
    ['malformed start date', { startDate: '2024-1-15' }, 'invalid_date', 'startDate'],
    ['missing start date', { startDate: undefined }, 'invalid_date', 'startDate'],
    ['impossible first payment date', { firstPaymentDate: '2024-13-01' }, 'invalid_date', 'firstPaymentDate'],
    [
      'first payment on the start date',
      { firstPaymentDate: '2024-01-15' },
      'dates_out_of_order',
      'firstPaymentDate',
    ],
    [
      'first payment before the start',
      { firstPaymentDate: '2023-12-31' },
      'dates_out_of_order',
      'firstPaymentDate',
    ],
    ['past the year 9999', { startDate: '9990-01-01', payments: 240 }, 'out_of_range', 'payments'],
    [
      'a period rate ≤ −100 % (−90 % a year over a 2-year first period)',
      { annualRate: -0.9, frequency: 'annual', firstPaymentDate: '2026-01-15' },
      'out_of_range',
      'annualRate',
    ],
    [
      'amounts beyond 2^53 minor units',
      { principal: 9_000_000_000_000_000, annualRate: 1, payments: 360, method: 'bullet' },
      'out_of_range',
      'principal',
    ],
  ];
  it.each(cases)('%s', (_name, patch, code, path) => {
    let caught: unknown;
    try {
      schedule({ ...valid, ...patch } as ScheduleInput);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GreenfinError);
    expect(caught).toMatchObject({ code, path });
  });

  it('rejects a non-object input', () => {
    expect(() => schedule(null as unknown as ScheduleInput)).toThrow(GreenfinError);
  });

  it('accepts the boundaries: principal 1, one payment, 1200 payments, rate just above −100 %', () => {
    expect(schedule({ ...valid, principal: 1, payments: 1 }).totalPrincipal).toBe(1);
    expect(schedule({ ...valid, payments: 1200 }).installments).toHaveLength(1200);
    expect(schedule({ ...valid, annualRate: -0.999 }).installments.at(-1)!.balance).toBe(0);
  });
});
