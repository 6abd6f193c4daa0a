/**
 * `fx-rates`: the ECB's euro foreign exchange reference rates, full history (`eurofxref-hist.csv`):
 * one line per business day, one column per currency → one row per day and currency.
 * Source: European Central Bank (reuse with the source acknowledged).
 */
import { DatasetHeaderError } from './errors.js';
import { FieldReader, quote } from './fields.js';
import { assertNoDuplicateColumns, boundColumns, matchColumns } from './header.js';
import type { DatasetSpec, DatasetVariant, TargetTable } from './types.js';

/** Units of `currency` one euro bought at the ECB's reference fixing on `date`. */
export interface FxRateImportRow {
  /** ISO date of the fixing. */
  readonly date: string;
  /** ISO 4217 code, including currencies the euro or others replaced (CYP, ROL, TRL…). */
  readonly currency: string;
  readonly ratePerEur: number;
}

export const FX_DATE_COLUMN = 'Date';
/** How a currency column is named. */
export const FX_CURRENCY_COLUMN = '<ISO 4217 code>';
const CURRENCY = /^[A-Z]{3}$/;
/** What the ECB writes where a currency has no rate that day. */
const NOT_AVAILABLE = 'N/A';

const target: TargetTable<FxRateImportRow> = {
  table: 'fx_rates',
  columns: [
    { name: 'date', type: 'date', nullable: false },
    { name: 'currency', type: 'text', nullable: false },
    { name: 'rate_per_eur', type: 'double precision', nullable: false },
  ],
  conflictKey: ['date', 'currency'],
  values: (r) => [r.date, r.currency, r.ratePerEur],
};

const variant: DatasetVariant<FxRateImportRow> = {
  name: 'fx-rates',
  description: 'ECB euro reference rates (eurofxref-hist.csv)',
  requiredColumns: [FX_DATE_COLUMN, FX_CURRENCY_COLUMN],
  target,
  bindHeader(header) {
    const currencies = header.filter((h) => CURRENCY.test(h.toUpperCase()) && h.toLowerCase() !== 'eur');
    const match = matchColumns(header, [FX_DATE_COLUMN], currencies);
    if (!match.ok || currencies.length === 0) {
      return {
        ok: false,
        missing: [
          ...(match.ok ? [] : match.missing),
          ...(currencies.length === 0 ? [FX_CURRENCY_COLUMN] : []),
        ],
      };
    }
    const { names } = match;
    assertNoDuplicateColumns('fx-rates', header, names.values());
    const columns = boundColumns(header, names);
    if (header.some((h) => h.toLowerCase() === 'eur')) {
      throw new DatasetHeaderError('fx-rates', 'rates are per euro: a EUR column makes no sense here');
    }
    return {
      ok: true,
      ignoredColumns: match.ignored,
      parseRow(values) {
        const f = new FieldReader(values, columns);
        const date = f.date(FX_DATE_COLUMN, { required: true, minYear: 1999, maxYear: 2100 });
        const rates: FxRateImportRow[] = [];
        for (const currency of currencies) {
          const cell = f.cell(currency);
          // "N/A" (or an empty cell): no fixing for that currency that day — not a row, not an error.
          if (cell === '' || cell.toUpperCase() === NOT_AVAILABLE) continue;
          const rate = f.number(currency, {
            min: 0,
            minExclusive: true,
            describe: 'must be a rate > 0 or N/A',
          });
          if (rate !== null && date !== null)
            rates.push({ date, currency: currency.toUpperCase(), ratePerEur: rate });
        }
        if (f.errors.length === 0 && rates.length === 0 && date !== null) {
          // A day with no rate at all is kept out of the table but not silently: it is rejected.
          f.fail(FX_DATE_COLUMN, `${quote(date)} has no rate for any currency`);
        }
        return f.result<FxRateImportRow>(() => rates);
      },
    };
  },
};

/** The `fx-rates` dataset. Natural key: `<date>/<currency>`. */
export const fxRatesDataset: DatasetSpec<FxRateImportRow> = {
  name: 'fx-rates',
  description:
    'ECB euro foreign exchange reference rates history: one line per day, one column per currency.',
  requiredColumns: variant.requiredColumns,
  variants: [variant],
  naturalKey: (row) => [row.date, row.currency].join('/'),
};
