/** Invalid input: one GreenfinError with a stable code and the offending field's path, never NaN. */
import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { GreenfinError } from '../../errors.js';
import { apr, aprDetails, loanFeeCashFlows, type AprInput } from '../index.js';

const valid: AprInput = {
  method: 'eu',
  advances: [{ amount: 100_000, date: '2024-01-15' }],
  payments: [
    { amount: 35_000, date: '2024-02-15' },
    { amount: 35_000, date: '2024-03-15' },
    { amount: 35_000, date: '2024-04-15' },
  ],
};

function errorOf(run: () => unknown): { code: string; path: string } {
  try {
    run();
  } catch (e) {
    if (e instanceof GreenfinError) return { code: e.code, path: e.path };
    throw e;
  }
  throw new Error('expected a GreenfinError');
}

const withPayment = (k: number, patch: Record<string, unknown>): AprInput => ({
  ...valid,
  payments: valid.payments.map((p, j) => (j === k ? { ...p, ...patch } : p)) as AprInput['payments'],
});

describe('apr input validation', () => {
  it('accepts the valid baseline', () => {
    expect(apr(valid)).toBeGreaterThan(0);
  });

  it.each<[string, unknown, { code: string; path: string }]>([
    ['missing advances', { ...valid, advances: undefined }, { code: 'required', path: 'advances' }],
    ['empty advances', { ...valid, advances: [] }, { code: 'required', path: 'advances' }],
    ['advances not a list', { ...valid, advances: 'all of it' }, { code: 'invalid_type', path: 'advances' }],
    ['empty payments', { ...valid, payments: [] }, { code: 'required', path: 'payments' }],
    [
      'a payment that is not an object',
      { ...valid, payments: [null] },
      { code: 'invalid_type', path: 'payments[0]' },
    ],
    [
      'fractional minor units',
      withPayment(2, { amount: 35_000.5 }),
      { code: 'not_minor_units', path: 'payments[2].amount' },
    ],
    [
      'a NaN amount',
      withPayment(1, { amount: Number.NaN }),
      { code: 'invalid_type', path: 'payments[1].amount' },
    ],
    ['a zero payment', withPayment(0, { amount: 0 }), { code: 'out_of_range', path: 'payments[0].amount' }],
    [
      'a negative advance',
      { ...valid, advances: [{ amount: -5, date: '2024-01-15' }] },
      { code: 'out_of_range', path: 'advances[0].amount' },
    ],
    [
      'an impossible date',
      withPayment(1, { date: '2024-02-30' }),
      { code: 'invalid_date', path: 'payments[1].date' },
    ],
    [
      'a non-ISO date',
      withPayment(2, { date: '15/04/2024' }),
      { code: 'invalid_date', path: 'payments[2].date' },
    ],
    [
      'a payment before the first advance',
      withPayment(2, { date: '2024-01-14' }),
      { code: 'dates_out_of_order', path: 'payments[2].date' },
    ],
    [
      'a fee before the first advance',
      {
        ...valid,
        fees: [
          { amount: 500, date: '2024-01-15' },
          { amount: 500, date: '2023-12-31' },
        ],
      },
      { code: 'dates_out_of_order', path: 'fees[1].date' },
    ],
    ['an unknown method', { ...valid, method: 'uk' }, { code: 'invalid_option', path: 'method' }],
    [
      'an unknown unit-period',
      { ...valid, unitPeriod: 'fortnight' },
      { code: 'invalid_option', path: 'unitPeriod' },
    ],
    [
      'a unit-period over a year',
      { ...valid, unitPeriod: { weeks: 53 } },
      { code: 'out_of_range', path: 'unitPeriod.weeks' },
    ],
    [
      'an ambiguous unit-period',
      { ...valid, unitPeriod: { weeks: 2, months: 1 } },
      { code: 'invalid_option', path: 'unitPeriod' },
    ],
    ['no input object', null, { code: 'invalid_type', path: '' }],
  ])('%s', (_, input, expected) => {
    expect(errorOf(() => apr(input as AprInput))).toEqual(expected);
  });

  it('throws no_solution when every repayment falls on the drawdown day', () => {
    const input: AprInput = { ...valid, payments: [{ amount: 110_000, date: '2024-01-15' }] };
    expect(errorOf(() => apr(input))).toEqual({ code: 'no_solution', path: 'payments' });
    expect(errorOf(() => apr({ ...input, method: 'us-actuarial' }))).toEqual({
      code: 'no_solution',
      path: 'payments',
    });
  });

  it('throws no_solution when fees at drawdown exceed the advance (the consumer only ever pays)', () => {
    const input: AprInput = { ...valid, fees: [{ amount: 200_000, date: '2024-01-15' }] };
    expect(errorOf(() => apr(input))).toEqual({ code: 'no_solution', path: 'payments' });
  });

  test.prop([
    fc.array(
      fc.record({ amount: fc.integer({ min: 1, max: 1e9 }), day: fc.integer({ min: 0, max: 20_000 }) }),
      {
        minLength: 1,
        maxLength: 3,
      },
    ),
    fc.array(
      fc.record({ amount: fc.integer({ min: 1, max: 1e9 }), day: fc.integer({ min: 0, max: 20_000 }) }),
      {
        minLength: 1,
        maxLength: 30,
      },
    ),
    fc.constantFrom('eu' as const, 'us-actuarial' as const),
  ])(
    // EU: an effective annual rate, so > −100 %. US: a nominal rate (unit-period rate × unit periods
    // per year, App. J (b)(9)), which may fall below −100 % for a short unit period; what must hold
    // is the unit-period rate > −100 %. (fast-check found: advance 2, repay 1 a day later → i = −50 %
    // per day, APR = −182.5.)
    'any well-formed input gives a finite rate (per-period rate above −100 %) or a typed error, never NaN',
    (advances, payments, method) => {
      const date = (day: number) =>
        new Date(Date.UTC(1990, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
      const first = Math.min(...advances.map((a) => a.day));
      const input: AprInput = {
        method,
        advances: advances.map((a) => ({ amount: a.amount, date: date(a.day) })),
        payments: payments.map((p) => ({ amount: p.amount, date: date(first + (p.day % 3000)) })),
      };
      try {
        const details = aprDetails(input);
        expect(Number.isFinite(details.apr)).toBe(true);
        expect(method === 'eu' ? details.apr : details.unitPeriodRate!).toBeGreaterThan(-1);
      } catch (e) {
        expect(e).toBeInstanceOf(GreenfinError);
        expect((e as GreenfinError).code).toBe('no_solution');
      }
    },
  );
});

describe('US nominal APR below −100 % (regression found by fast-check)', () => {
  it('advance 2, repay 1 a day later: −50 % per day unit-period, APR = −0.5 × 365', () => {
    const d = aprDetails({
      method: 'us-actuarial',
      advances: [{ amount: 2, date: '1990-01-01' }],
      payments: [{ amount: 1, date: '1990-01-02' }],
    });
    expect(d.unitPeriod).toBe('day');
    expect(d.unitPeriodRate).toBeCloseTo(-0.5, 12);
    expect(d.apr).toBeCloseTo(-182.5, 9);
  });
});

describe('loanFeeCashFlows validation', () => {
  it.each<[string, () => unknown, { code: string; path: string }]>([
    [
      'an unknown timing',
      () =>
        loanFeeCashFlows({ arrangementFee: 100, arrangementFeeTiming: 'later' as never }, '2024-01-15', [
          '2024-02-15',
        ]),
      { code: 'invalid_option', path: 'fees.arrangementFeeTiming' },
    ],
    [
      'a negative fee',
      () => loanFeeCashFlows({ feePerPayment: -1 }, '2024-01-15', ['2024-02-15']),
      { code: 'out_of_range', path: 'fees.feePerPayment' },
    ],
    [
      'a fee with the first payment but no payments',
      () =>
        loanFeeCashFlows(
          { arrangementFee: 100, arrangementFeeTiming: 'with-first-payment' },
          '2024-01-15',
          [],
        ),
      { code: 'required', path: 'paymentDates' },
    ],
    [
      'a bad payment date',
      () => loanFeeCashFlows({ feePerPayment: 1 }, '2024-01-15', ['2024-02-15', '2024-13-15']),
      { code: 'invalid_date', path: 'paymentDates[1]' },
    ],
  ])('%s', (_, run, expected) => {
    expect(errorOf(run)).toEqual(expected);
  });
});
