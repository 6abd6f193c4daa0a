/**
 * Every dataset by name, and the header check that picks a dataset's variant for a file.
 */
import { companiesDataset, type CompanyImportRow } from './companies.js';
import { emissionFactorsDataset, type EmissionFactorImportRow } from './emission-factors.js';
import { environmentalMetricsDataset, type EnvironmentalMetricImportRow } from './environmental-metrics.js';
import { DatasetError, DatasetErrorCode, DatasetHeaderError } from './errors.js';
import { euEtsDataset, type EuEtsRow } from './eu-ets.js';
import { fxRatesDataset, type FxRateImportRow } from './fx-rates.js';
import { transactionsDataset, type TransactionImportRow } from './transactions.js';
import type {
  DatasetName,
  DatasetOptions,
  DatasetSpec,
  DatasetVariant,
  LineCompiler,
  RowParser,
} from './types.js';

/** The row type each dataset yields. */
export interface DatasetRows {
  companies: CompanyImportRow;
  'environmental-metrics': EnvironmentalMetricImportRow;
  'eu-ets': EuEtsRow;
  'emission-factors': EmissionFactorImportRow;
  'fx-rates': FxRateImportRow;
  transactions: TransactionImportRow;
}

/** Every dataset `POST /v1/imports` accepts, by name. */
export const DATASETS: { readonly [N in DatasetName]: DatasetSpec<DatasetRows[N]> } = {
  companies: companiesDataset,
  'environmental-metrics': environmentalMetricsDataset,
  'eu-ets': euEtsDataset,
  'emission-factors': emissionFactorsDataset,
  'fx-rates': fxRatesDataset,
  transactions: transactionsDataset,
};

/** True when `name` is a dataset (for validating the `dataset` form field). */
export function isDatasetName(name: unknown): name is DatasetName {
  return typeof name === 'string' && Object.hasOwn(DATASETS, name);
}

/** The spec of `name`, or a {@link DatasetError} listing the datasets there are. */
export function datasetSpec<N extends DatasetName>(name: N): DatasetSpec<DatasetRows[N]> {
  if (!isDatasetName(name)) {
    throw new DatasetError(
      DatasetErrorCode.UnknownDataset,
      `unknown dataset ${JSON.stringify(name)}: expected one of ${Object.keys(DATASETS).join(', ')}`,
    );
  }
  return DATASETS[name];
}

/** A dataset bound to one file's header. */
export interface BoundDataset<Row> {
  readonly variant: DatasetVariant<Row>;
  readonly parseRow: RowParser<Row>;
  /** The variant's fast path for this header (see {@link LineCompiler}), when it has one. */
  readonly compileLine: LineCompiler | null;
  readonly ignoredColumns: readonly string[];
}

/**
 * Picks the variant whose required columns the header has (the `variant` option forces one) and
 * binds its row parser. With no match, the error names the missing columns of each variant.
 *
 * @throws {DatasetHeaderError} before any row is read.
 */
export function bindDataset<Row>(
  spec: DatasetSpec<Row>,
  header: readonly string[],
  options: DatasetOptions,
  headerLine = 1,
): BoundDataset<Row> {
  let candidates = spec.variants;
  if (options.variant !== undefined) {
    candidates = spec.variants.filter((v) => v.name === options.variant);
    if (candidates.length === 0) {
      throw new DatasetError(
        DatasetErrorCode.InvalidOption,
        `${spec.name}: unknown variant ${JSON.stringify(options.variant)}: expected one of ${spec.variants.map((v) => v.name).join(', ')}`,
      );
    }
  }
  const misses: { variant: string; missing: readonly string[] }[] = [];
  for (const variant of candidates) {
    const binding = variant.bindHeader(header, options);
    if (binding.ok) {
      return {
        variant,
        parseRow: binding.parseRow,
        compileLine: binding.compileLine ?? null,
        ignoredColumns: binding.ignoredColumns,
      };
    }
    misses.push({ variant: variant.name, missing: binding.missing });
  }
  const closest = [...misses].sort((a, b) => a.missing.length - b.missing.length)[0]!;
  const detail =
    misses.length === 1
      ? `missing required column${closest.missing.length > 1 ? 's' : ''} ${closest.missing.map((c) => `"${c}"`).join(', ')}`
      : `the header matches no variant: ${misses.map((m) => `${m.variant} lacks ${m.missing.map((c) => `"${c}"`).join(', ')}`).join('; ')}`;
  throw new DatasetHeaderError(spec.name, detail, closest.missing, headerLine);
}
