/**
 * Money as an integer number of minor units (pence, cents) with its ISO 4217 currency — never a
 * binary float. Modelled on dinero.js v2: immutable values, explicit currency, allocation that
 * never loses a minor unit.
 */
import { ErrorCode, GreenfinError, assertFinite, assertInRange, invariant } from './errors.js';

/**
 * ISO 4217 minor-unit exponents for the currencies core accepts (every ECB reference currency plus
 * the common others). Source: ISO 4217 list one (SIX Interbank Clearing, current edition).
 */
export const CURRENCY_EXPONENTS = {
  AED: 2,
  AUD: 2,
  BGN: 2,
  BHD: 3,
  BRL: 2,
  CAD: 2,
  CHF: 2,
  CLP: 0,
  CNY: 2,
  CZK: 2,
  DKK: 2,
  EUR: 2,
  GBP: 2,
  HKD: 2,
  HUF: 2,
  IDR: 2,
  ILS: 2,
  INR: 2,
  ISK: 0,
  JOD: 3,
  JPY: 0,
  KRW: 0,
  KWD: 3,
  MXN: 2,
  MYR: 2,
  NOK: 2,
  NZD: 2,
  OMR: 3,
  PHP: 2,
  PLN: 2,
  RON: 2,
  SAR: 2,
  SEK: 2,
  SGD: 2,
  THB: 2,
  TND: 3,
  TRY: 2,
  TWD: 2,
  USD: 2,
  ZAR: 2,
} as const satisfies Record<string, number>;

/** A currency code core knows. */
export type CurrencyCode = keyof typeof CURRENCY_EXPONENTS;

/** An immutable amount of money: `amount` is an integer in minor units of `currency`. */
export interface Money<C extends string = CurrencyCode> {
  readonly amount: number;
  readonly currency: C;
}

/** True when `code` is a currency core knows. */
export function isCurrency(code: unknown): code is CurrencyCode {
  return typeof code === 'string' && Object.hasOwn(CURRENCY_EXPONENTS, code);
}

/**
 * True when `value` is a money value of ≥ 0 whole minor units in `currency` (itself a known one):
 * the check a hot path runs before the asserts that word what is wrong. Internal to core.
 */
export function isNonNegativeMoneyIn(value: unknown, currency: unknown): value is Money {
  if (typeof value !== 'object' || value === null) return false;
  const { amount, currency: code } = value as { amount?: unknown; currency?: unknown };
  return Number.isSafeInteger(amount) && (amount as number) >= 0 && isCurrency(code) && code === currency;
}

/** Asserts `code` is a known ISO 4217 currency. */
export function assertCurrency(code: unknown, path = 'currency'): asserts code is CurrencyCode {
  if (!isCurrency(code)) {
    throw new GreenfinError(
      ErrorCode.UnknownCurrency,
      path,
      `unknown ISO 4217 currency ${JSON.stringify(code)}`,
    );
  }
}

/** Number of decimal places of the currency's minor unit (GBP 2, JPY 0, KWD 3). */
export function currencyExponent(code: CurrencyCode): number {
  assertCurrency(code);
  return CURRENCY_EXPONENTS[code];
}

/** Asserts `amount` is a safe integer number of minor units. */
export function assertMinorUnits(amount: unknown, path: string): asserts amount is number {
  assertFinite(amount, path);
  if (!Number.isSafeInteger(amount)) {
    throw new GreenfinError(
      ErrorCode.NotMinorUnits,
      path,
      `must be an integer number of minor units, got ${amount}`,
    );
  }
}

/**
 * Creates a money value, validating the amount and currency.
 *
 * @example money(50000000, 'GBP') // £500,000.00
 */
export function money<C extends CurrencyCode>(amount: number, currency: C): Money<C> {
  assertMinorUnits(amount, 'amount');
  assertCurrency(currency);
  return Object.freeze({ amount, currency });
}

function sameCurrency<C extends CurrencyCode>(a: Money<C>, b: Money<C>): void {
  invariant(
    a.currency === b.currency,
    ErrorCode.CurrencyMismatch,
    'currency',
    `cannot combine ${a.currency} and ${b.currency}`,
  );
}

/** `a + b`; both must share a currency (a type error where the compiler can tell, a throw otherwise). */
export function addMoney<C extends CurrencyCode>(a: Money<C>, b: Money<NoInfer<C>>): Money<C> {
  sameCurrency(a, b);
  return money(a.amount + b.amount, a.currency);
}

/** `a − b`; both must share a currency. */
export function subtractMoney<C extends CurrencyCode>(a: Money<C>, b: Money<NoInfer<C>>): Money<C> {
  sameCurrency(a, b);
  return money(a.amount - b.amount, a.currency);
}

/**
 * Splits `total` in proportion to `ratios`, handing the remainder out one minor unit at a time
 * (largest fractional share first) so the parts always sum to the total.
 *
 * @example allocate(money(100, 'GBP'), [1, 1, 1]).map(m => m.amount) // [34, 33, 33]
 */
export function allocate<C extends CurrencyCode>(total: Money<C>, ratios: readonly number[]): Money<C>[] {
  invariant(ratios.length > 0, ErrorCode.Required, 'ratios', 'must have at least one ratio');
  ratios.forEach((r, i) => assertInRange(r, `ratios[${i}]`, { min: 0 }));
  const sum = ratios.reduce((s, r) => s + r, 0);
  invariant(sum > 0, ErrorCode.OutOfRange, 'ratios', 'must not all be zero');
  const exact = ratios.map((r) => (total.amount * r) / sum);
  const parts = exact.map((x) => Math.trunc(x));
  let remainder = total.amount - parts.reduce((s, p) => s + p, 0);
  const step = Math.sign(remainder);
  const order = exact
    .map((x, i) => ({ i, frac: Math.abs(x - Math.trunc(x)) }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; remainder !== 0; k = (k + 1) % order.length) {
    const idx = order[k]!.i;
    parts[idx] = parts[idx]! + step;
    remainder -= step;
  }
  return parts.map((p) => money(p, total.currency));
}

/**
 * Formats minor units as a plain decimal string with the currency's exponent (no grouping, no
 * symbol) — the Open Banking wire format.
 *
 * @example toDecimalString(money(50000000, 'GBP')) // "500000.00"
 * @example toDecimalString(money(-5, 'GBP')) // "-0.05"
 */
export function toDecimalString(m: Money): string {
  assertMinorUnits(m.amount, 'amount');
  const exp = currencyExponent(m.currency);
  const sign = m.amount < 0 ? '-' : '';
  const digits = Math.abs(m.amount)
    .toString()
    .padStart(exp + 1, '0');
  return exp === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -exp)}.${digits.slice(-exp)}`;
}

/**
 * Parses a decimal string ("500000.00", "12.5", "-3") into money, exactly (no float on the way).
 * More decimals than the currency has is an error, not a silent rounding.
 *
 * @example fromDecimalString('500000.00', 'GBP').amount // 50000000
 */
export function fromDecimalString<C extends CurrencyCode>(
  value: string,
  currency: C,
  path = 'amount',
): Money<C> {
  assertCurrency(currency);
  const exp = CURRENCY_EXPONENTS[currency];
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(typeof value === 'string' ? value.trim() : '');
  invariant(
    match,
    ErrorCode.InvalidType,
    path,
    `must be a decimal string like "1234.56", got ${JSON.stringify(value)}`,
  );
  const [, sign, whole, frac = ''] = match;
  invariant(
    frac.length <= exp,
    ErrorCode.NotMinorUnits,
    path,
    `${currency} has ${exp} decimal places, got ${JSON.stringify(value)}`,
  );
  const amount = Number(`${whole}${frac.padEnd(exp, '0')}`) * (sign ? -1 : 1);
  invariant(Number.isSafeInteger(amount), ErrorCode.OutOfRange, path, 'amount is too large');
  return money(amount === 0 ? 0 : amount, currency);
}
