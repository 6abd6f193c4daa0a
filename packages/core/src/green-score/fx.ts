/**
 * Exchange rates for comparing a company's revenue with a sector benchmark priced in another
 * currency. The default table is the ECB's euro reference rates averaged over 2022, the year of the
 * benchmark's dollars (derived by scripts/benchmarks/derive-sector-benchmarks.ts; Source: ECB).
 */
import { ErrorCode, assertInRange, assertInteger, invariant } from '../errors.js';
import { assertCurrency, type CurrencyCode } from '../money.js';
import { ECB_ANNUAL_AVERAGE_RATES_2022 } from './reference-fx-rates.generated.js';

/** A table of rates against one base currency: `rates[c]` units of `c` buy one unit of `base`. */
export interface FxRates {
  readonly base: CurrencyCode;
  /** The year the rates describe (an annual average, or a fixing date's year). */
  readonly year: number;
  /** Where the rates come from, shown in results. */
  readonly source: string;
  /** Units of each currency per 1 unit of `base`; the base itself may be omitted (it is 1). */
  readonly rates: Readonly<Partial<Record<CurrencyCode, number>>>;
}

/** Provenance of a derived FX table. */
export interface FxRatesProvenance {
  readonly dataset: string;
  readonly publisher: string;
  readonly file: string;
  readonly sha256: string;
  readonly licence: string;
  readonly method: string;
  readonly generator: string;
  readonly generatedOn: string;
}

/** The default rates: ECB euro reference rates, 2022 annual averages (Source: ECB). */
export const DEFAULT_FX_RATES: FxRates = ECB_ANNUAL_AVERAGE_RATES_2022;

function perBase(fx: FxRates, currency: CurrencyCode): number | undefined {
  return currency === fx.base ? 1 : fx.rates[currency];
}

/**
 * Units of `to` that one unit of `from` buys under `fx` (a cross rate through the table's base),
 * or `null` when the table has no rate for either currency.
 *
 * @example fxRate('GBP', 'USD', DEFAULT_FX_RATES) // ≈ 1.234870 (2022 averages: 1.0530486 / 0.85276086)
 */
export function fxRate(from: CurrencyCode, to: CurrencyCode, fx: FxRates = DEFAULT_FX_RATES): number | null {
  if (from === to) return 1;
  const f = perBase(fx, from);
  const t = perBase(fx, to);
  return f === undefined || t === undefined ? null : t / f;
}

/**
 * Validates a caller's FX table: known currencies, finite positive rates, an integer year and a
 * source. Throws `GreenfinError` naming the field (e.g. `options.fxRates.rates.GBP`).
 *
 * @example assertFxRates({ base: 'EUR', year: 2022, source: 'ECB', rates: { GBP: 0.85 } }, 'fxRates')
 */
export function assertFxRates(fx: unknown, path: string): asserts fx is FxRates {
  invariant(typeof fx === 'object' && fx !== null, ErrorCode.InvalidType, path, 'must be an FX table object');
  const t = fx as Record<string, unknown>;
  assertCurrency(t['base'], `${path}.base`);
  assertInteger(t['year'], `${path}.year`, 1900);
  invariant(
    typeof t['source'] === 'string' && t['source'].length > 0,
    ErrorCode.Required,
    `${path}.source`,
    'must name where the rates come from',
  );
  const rates = t['rates'];
  invariant(
    typeof rates === 'object' && rates !== null,
    ErrorCode.InvalidType,
    `${path}.rates`,
    'must map currency codes to rates',
  );
  for (const [code, rate] of Object.entries(rates)) {
    assertCurrency(code, `${path}.rates.${code}`);
    assertInRange(rate, `${path}.rates.${code}`, { min: 0, minExclusive: true });
  }
}
