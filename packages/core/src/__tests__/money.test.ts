import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { addMoney, allocate, fromDecimalString, money, toDecimalString } from '../money.js';
import { ErrorCode, GreenfinError } from '../errors.js';

describe('money', () => {
  it('formats with the ISO 4217 exponent', () => {
    expect(toDecimalString(money(50000000, 'GBP'))).toBe('500000.00');
    expect(toDecimalString(money(-5, 'EUR'))).toBe('-0.05');
    expect(toDecimalString(money(1234, 'JPY'))).toBe('1234');
    expect(toDecimalString(money(1234, 'KWD'))).toBe('1.234');
  });
  it('parses decimals exactly and refuses extra precision', () => {
    expect(fromDecimalString('500000.00', 'GBP').amount).toBe(50000000);
    expect(fromDecimalString('0.1', 'GBP').amount).toBe(10);
    expect(() => fromDecimalString('1.005', 'GBP')).toThrow(GreenfinError);
    expect(() => fromDecimalString('abc', 'GBP')).toThrow(/decimal string/);
  });
  test.prop([fc.integer({ min: -1e12, max: 1e12 })])('decimal strings round-trip', (n) => {
    expect(fromDecimalString(toDecimalString(money(n, 'GBP')), 'GBP').amount).toBe(n);
  });
  it('rejects non-integer minor units and unknown currencies with codes', () => {
    const e1 = (() => {
      try {
        money(1.5, 'GBP');
      } catch (e) {
        return e;
      }
    })();
    expect(e1).toMatchObject({ code: ErrorCode.NotMinorUnits, path: 'amount' });
    expect(() => money(1, 'XXX' as never)).toThrow(
      expect.objectContaining({ code: ErrorCode.UnknownCurrency }),
    );
    expect(() => addMoney(money(1, 'GBP'), money(1, 'EUR' as 'GBP'))).toThrow(
      expect.objectContaining({ code: ErrorCode.CurrencyMismatch }),
    );
  });
  test.prop([
    fc.integer({ min: -1e9, max: 1e9 }),
    fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 20 }),
  ])('allocation never loses a minor unit', (total, ratios) => {
    fc.pre(ratios.some((r) => r > 0));
    const parts = allocate(money(total, 'GBP'), ratios);
    expect(parts.reduce((s, p) => s + p.amount, 0)).toBe(total);
    parts.forEach((p, i) => {
      const exact = (total * ratios[i]!) / ratios.reduce((s, r) => s + r, 0);
      expect(Math.abs(p.amount - exact)).toBeLessThan(1 + 1e-9);
    });
  });
  it('allocates the remainder to the largest fractional shares', () => {
    expect(allocate(money(100, 'GBP'), [1, 1, 1]).map((m) => m.amount)).toEqual([34, 33, 33]);
  });
});
