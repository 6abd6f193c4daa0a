import { describe, expect, it } from 'vitest';
import { ErrorCode, GreenfinError } from '../../errors.js';
import { validateTransaction, validateTransactions } from '../transaction.js';

const ok = {
  accountRef: 'acc-1',
  bookingDate: '2025-01-31',
  amount: -1250,
  currency: 'GBP',
  description: 'TESCO STORES',
} as const;

function errorOf(fn: () => unknown): GreenfinError {
  try {
    fn();
  } catch (e) {
    if (e instanceof GreenfinError) return e;
    throw e;
  }
  throw new Error('expected a GreenfinError');
}

describe('validateTransaction', () => {
  it('accepts a well-formed transaction and returns it', () => {
    expect(validateTransaction(ok)).toBe(ok);
    const full = {
      ...ok,
      counterparty: 'Tesco',
      category: 'groceries',
      categorySource: 'manual',
      balanceAfter: 5,
    };
    expect(validateTransaction(full)).toBe(full);
  });

  it.each([
    [{ ...ok, amount: 12.5 }, ErrorCode.NotMinorUnits, 'transactions[2].amount'],
    [{ ...ok, amount: Number.NaN }, ErrorCode.InvalidType, 'transactions[2].amount'],
    [{ ...ok, amount: '100' }, ErrorCode.InvalidType, 'transactions[2].amount'],
    [{ ...ok, bookingDate: '2025-02-29' }, ErrorCode.InvalidDate, 'transactions[2].bookingDate'],
    [{ ...ok, bookingDate: '31/01/2025' }, ErrorCode.InvalidDate, 'transactions[2].bookingDate'],
    [{ ...ok, currency: 'XXX' }, ErrorCode.UnknownCurrency, 'transactions[2].currency'],
    [{ ...ok, accountRef: ' ' }, ErrorCode.Required, 'transactions[2].accountRef'],
    [{ ...ok, description: undefined }, ErrorCode.Required, 'transactions[2].description'],
    [{ ...ok, description: 7 }, ErrorCode.InvalidType, 'transactions[2].description'],
    [{ ...ok, balanceAfter: 1.5 }, ErrorCode.NotMinorUnits, 'transactions[2].balanceAfter'],
    [
      { ...ok, categorySource: 'guess', category: 'x' },
      ErrorCode.InvalidOption,
      'transactions[2].categorySource',
    ],
    [{ ...ok, categorySource: 'manual' }, ErrorCode.Required, 'transactions[2].category'],
    [null, ErrorCode.InvalidType, 'transactions[2]'],
  ])('rejects %j with its field path', (value, code, path) => {
    expect(errorOf(() => validateTransaction(value, 'transactions[2]'))).toMatchObject({ code, path });
  });

  it('a list must share one currency; the first mismatch is named', () => {
    expect(validateTransactions([ok, ok])).toBe('GBP');
    expect(errorOf(() => validateTransactions([ok, ok, { ...ok, currency: 'EUR' }]))).toMatchObject({
      code: ErrorCode.CurrencyMismatch,
      path: 'transactions[2].currency',
    });
    expect(errorOf(() => validateTransactions('nope'))).toMatchObject({ code: ErrorCode.InvalidType });
  });
});
