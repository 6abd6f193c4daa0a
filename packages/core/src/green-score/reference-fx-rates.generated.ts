/**
 * GENERATED FILE — do not edit. Regenerate with
 *   npx tsx packages/core/scripts/benchmarks/derive-sector-benchmarks.ts
 *
 * Source: European Central Bank, euro foreign exchange reference rates (eurofxref-hist.csv).
 * Source: ECB. Annual averages of the daily reference rates, units of currency per 1 EUR.
 */

import type { FxRates, FxRatesProvenance } from './fx.js';

/** How the default FX table was derived. */
export const ECB_FX_PROVENANCE: FxRatesProvenance = {
  dataset: 'Euro foreign exchange reference rates',
  publisher: 'European Central Bank',
  file: 'eurofxref-hist.csv',
  sha256: 'f1bb78b4d1a70fbb3f6ade17f813fe014a5d02eb44a2d52087be2d963262a5e9',
  licence: 'ECB statistics, re-usable free of charge with the source acknowledged (Source: ECB)',
  method: 'Arithmetic mean of the 257 daily reference rates of 2022, rounded to 8 significant digits',
  generator: 'packages/core/scripts/benchmarks/derive-sector-benchmarks.ts',
  generatedOn: '2026-11-22',
};

/** ECB euro reference rates, 2022 annual averages: units of each currency per 1 EUR. */
export const ECB_ANNUAL_AVERAGE_RATES_2022: FxRates = {
  base: 'EUR',
  year: 2022,
  source: 'ECB euro foreign exchange reference rates, 2022 annual average of daily rates',
  rates: {
    EUR: 1,
    AUD: 1.5166918,
    BGN: 1.9558,
    BRL: 5.4399039,
    CAD: 1.3694911,
    CHF: 1.0047093,
    CNY: 7.0788004,
    CZK: 24.56593,
    DKK: 7.4395642,
    GBP: 0.85276086,
    HKD: 8.2450996,
    HUF: 391.28646,
    IDR: 15625.251,
    ILS: 3.5345444,
    INR: 82.686386,
    ISK: 142.24315,
    JPY: 138.02739,
    KRW: 1358.0733,
    MXN: 21.186857,
    MYR: 4.6278673,
    NOK: 10.102606,
    NZD: 1.6582475,
    PHP: 57.313809,
    PLN: 4.6861066,
    RON: 4.9313128,
    SEK: 10.629575,
    SGD: 1.4511646,
    THB: 36.856156,
    TRY: 17.408795,
    USD: 1.0530486,
    ZAR: 17.208629,
  },
};
