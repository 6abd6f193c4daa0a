import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { PMT } from '@formulajs/formulajs';
import { GreenfinError } from '../../errors.js';
import { annuityPayment, annuityPaymentForRates } from '../annuity.js';

const relClose = (a: number, b: number, tolerance: number) =>
  expect(Math.abs(a - b)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(b)));

describe('annuityPayment (PMT-equivalent)', () => {
  it('TSDoc examples: 100.00 at 9.4822 % over 6 months; rate 0 splits evenly', () => {
    expect(annuityPayment(10_000, 0.094822 / 12, 6)).toBeCloseTo(1713.063, 3); // Fineract EMI 17.13
    expect(annuityPayment(1_000, 0, 4)).toBe(250);
  });

  test.prop([
    fc.integer({ min: 1, max: 10_000_000_000 }),
    fc.integer({ min: 1, max: 30_000 }).map((bp) => bp / 100_000), // periodic rate 0.001 % … 30 %
    fc.integer({ min: 1, max: 600 }),
  ])('equals formulajs −PMT(r, n, P) (relative 1e-9, formulajs cancels at small n·r)', (principal, r, n) => {
    relClose(annuityPayment(principal, r, n), -(PMT(r, n, principal) as number), 1e-9);
  });

  test.prop([
    fc.integer({ min: 1, max: 10_000_000_000 }),
    fc.double({ min: -0.5, max: 0.5, noNaN: true }),
    fc.integer({ min: 1, max: 480 }),
  ])('amortises: the balance after n level payments is 0 (relative 1e-9)', (principal, r, n) => {
    const payment = annuityPayment(principal, r, n);
    let balance = principal;
    for (let k = 0; k < n; k++) balance = balance * (1 + r) - payment;
    expect(Math.abs(balance)).toBeLessThanOrEqual(1e-9 * principal * Math.max(1, (1 + Math.abs(r)) ** n));
  });

  it('rejects bad input', () => {
    expect(() => annuityPayment(100, -1, 12)).toThrow(
      expect.objectContaining({ code: 'out_of_range', path: 'periodicRate' }),
    );
    expect(() => annuityPayment(100, 0.01, 0)).toThrow(
      expect.objectContaining({ code: 'out_of_range', path: 'payments' }),
    );
    expect(() => annuityPayment(Number.NaN, 0.01, 12)).toThrow(GreenfinError);
  });
});

describe('annuityPaymentForRates (per-period rates)', () => {
  test.prop([
    fc.integer({ min: 1, max: 10_000_000_000 }),
    fc.double({ min: 0, max: 0.05, noNaN: true }),
    fc.integer({ min: 1, max: 360 }),
  ])('with equal rates it is annuityPayment', (principal, r, n) => {
    relClose(
      annuityPaymentForRates(principal, Array<number>(n).fill(r)),
      annuityPayment(principal, r, n),
      1e-9,
    );
  });

  test.prop([
    fc.integer({ min: 1, max: 10_000_000_000 }),
    fc.array(fc.double({ min: -0.05, max: 0.1, noNaN: true }), { minLength: 1, maxLength: 360 }),
  ])('amortises exactly over varying rates', (principal, rates) => {
    const payment = annuityPaymentForRates(principal, rates);
    let balance = principal;
    for (const r of rates) balance = balance * (1 + r) - payment;
    expect(Math.abs(balance)).toBeLessThanOrEqual(1e-6 * principal);
  });

  it('rejects an empty list or a rate ≤ −100 %, naming the index', () => {
    expect(() => annuityPaymentForRates(100, [])).toThrow(
      expect.objectContaining({ code: 'required', path: 'periodicRates' }),
    );
    expect(() => annuityPaymentForRates(100, [0.01, -1])).toThrow(
      expect.objectContaining({ code: 'out_of_range', path: 'periodicRates[1]' }),
    );
  });
});
