/**
 * Bank transactions as cash-flow underwriting reads them: one booked movement on one account, a
 * signed integer amount in minor units (+ inflow, − outflow), an ISO booking date.
 * Methodology: docs/methodology/cash-flow.md.
 */
import { parseDate, tryParseDate, type IsoDate } from '../dates.js';
import { ErrorCode, GreenfinError, assertOneOf, invariant } from '../errors.js';
import { CURRENCY_EXPONENTS, assertCurrency, assertMinorUnits, type CurrencyCode } from '../money.js';

/** Who set a transaction's category: a person (never overwritten), a rule, or the bank's import. */
export type CategorySource = 'manual' | 'rule' | 'import';
/**
 * Every {@link CategorySource}.
 *
 * @example CATEGORY_SOURCES.includes('manual') // true
 */
export const CATEGORY_SOURCES: readonly CategorySource[] = ['manual', 'rule', 'import'];

/** One booked bank transaction. */
export interface Transaction {
  /** The account it was booked on (an IBAN, a sort code + number, an internal id). */
  readonly accountRef: string;
  /** Booking date, ISO `YYYY-MM-DD`. */
  readonly bookingDate: IsoDate;
  /** Signed integer minor units: positive = money in (inflow), negative = money out (outflow). */
  readonly amount: number;
  readonly currency: CurrencyCode;
  /** The bank's narrative ("CARD PAYMENT TESCO STORES 1234"). May be empty, never absent. */
  readonly description: string;
  readonly counterparty?: string;
  readonly category?: string;
  /** Who set `category`; a category without a source counts as `'import'`. */
  readonly categorySource?: CategorySource;
  /** The account's balance right after this transaction, minor units, when the bank states it. */
  readonly balanceAfter?: number;
}

const NON_BLANK = /\S/;

function assertText(value: unknown, path: string, allowEmpty: boolean): asserts value is string {
  if (typeof value !== 'string') {
    throw new GreenfinError(
      value === undefined ? ErrorCode.Required : ErrorCode.InvalidType,
      path,
      `must be a string, got ${value === undefined ? 'nothing' : typeof value}`,
    );
  }
  invariant(allowEmpty || NON_BLANK.test(value), ErrorCode.Required, path, 'must not be empty');
}

const isText = (v: unknown): v is string => typeof v === 'string';
const CURRENCIES: ReadonlySet<unknown> = new Set(Object.keys(CURRENCY_EXPONENTS));
/** Has a non-whitespace character (the common case, a printable first character, without a regex). */
const nonBlank = (s: string) =>
  (s.length > 0 && s.charCodeAt(0) > 32 && s.charCodeAt(0) < 127) || NON_BLANK.test(s);

/**
 * Every field of a transaction but `bookingDate` is valid. Allocation-free: analytics checks a
 * million transactions with it and parses each distinct date once itself.
 * @internal
 */
export function hasValidFieldsExceptDate(t: Record<string, unknown>): boolean {
  return (
    isText(t.accountRef) &&
    nonBlank(t.accountRef) &&
    Number.isSafeInteger(t.amount) &&
    CURRENCIES.has(t.currency) &&
    isText(t.description) &&
    (t.counterparty === undefined || isText(t.counterparty)) &&
    (t.category === undefined || (isText(t.category) && nonBlank(t.category))) &&
    (t.categorySource === undefined ||
      (t.category !== undefined && (CATEGORY_SOURCES as readonly unknown[]).includes(t.categorySource))) &&
    (t.balanceAfter === undefined || Number.isSafeInteger(t.balanceAfter))
  );
}

/**
 * True when `value` is a valid transaction. Allocation-free (no paths or messages are built): ask
 * {@link validateTransaction} for the error only when this says no.
 *
 * @example isValidTransaction({ accountRef: 'a', bookingDate: '2025-02-30', amount: 1,
 *   currency: 'GBP', description: '' }) // false: no 30 February
 */
export function isValidTransaction(value: unknown): value is Transaction {
  if (typeof value !== 'object' || value === null) return false;
  const t = value as Record<string, unknown>;
  return hasValidFieldsExceptDate(t) && tryParseDate(t.bookingDate) !== null;
}

/**
 * Validates one transaction and returns it unchanged (typed). Every problem names its field.
 *
 * @example
 * validateTransaction({ accountRef: 'acc-1', bookingDate: '2025-01-31', amount: -1250,
 *   currency: 'GBP', description: 'TESCO STORES' }, 'transactions[0]'); // the same object
 */
export function validateTransaction(value: unknown, path = 'transaction'): Transaction {
  if (isValidTransaction(value)) return value;
  invariant(
    typeof value === 'object' && value !== null,
    ErrorCode.InvalidType,
    path,
    'must be a transaction object',
  );
  const t = value as Record<string, unknown>;
  assertText(t.accountRef, `${path}.accountRef`, false);
  parseDate(t.bookingDate, `${path}.bookingDate`);
  assertMinorUnits(t.amount, `${path}.amount`);
  assertCurrency(t.currency, `${path}.currency`);
  assertText(t.description, `${path}.description`, true);
  if (t.counterparty !== undefined) assertText(t.counterparty, `${path}.counterparty`, true);
  if (t.category !== undefined) assertText(t.category, `${path}.category`, false);
  if (t.categorySource !== undefined) {
    assertOneOf(t.categorySource, CATEGORY_SOURCES, `${path}.categorySource`);
    invariant(
      t.category !== undefined,
      ErrorCode.Required,
      `${path}.category`,
      `is required when categorySource is '${t.categorySource}'`,
    );
  }
  if (t.balanceAfter !== undefined) assertMinorUnits(t.balanceAfter, `${path}.balanceAfter`);
  /* c8 ignore next */
  throw new Error('unreachable: isValidTransaction and validateTransaction disagree');
}

/**
 * Validates a list of transactions (paths `transactions[i].field`) and that they share one
 * currency; returns that currency (or `fallback` when the list is empty).
 *
 * @example
 * validateTransactions([{ accountRef: 'a', bookingDate: '2025-01-02', amount: 100, currency: 'GBP',
 *   description: 'Invoice 17' }]); // 'GBP'
 */
export function validateTransactions(
  transactions: unknown,
  path = 'transactions',
  fallback?: CurrencyCode,
): CurrencyCode | undefined {
  invariant(Array.isArray(transactions), ErrorCode.InvalidType, path, 'must be an array of transactions');
  let currency = fallback;
  for (let i = 0; i < transactions.length; i++) {
    const item: unknown = transactions[i];
    const t = isValidTransaction(item) ? item : validateTransaction(item, `${path}[${i}]`);
    if (currency === undefined) currency = t.currency;
    else if (t.currency !== currency) {
      throw new GreenfinError(
        ErrorCode.CurrencyMismatch,
        `${path}[${i}].currency`,
        `is ${t.currency} but the other transactions are ${currency}; convert them first`,
      );
    }
  }
  return currency;
}
