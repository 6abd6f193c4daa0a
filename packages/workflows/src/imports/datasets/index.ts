/**
 * Dataset parsers for bulk imports: what turns an uploaded CSV into validated rows.
 */
export type {
  CompiledLine,
  CsvRecord,
  DatasetBatch,
  DatasetName,
  DatasetOptions,
  DatasetSpec,
  DatasetVariant,
  HeaderBinding,
  LineCompiler,
  ReadDatasetOptions,
  RejectedRow,
  RowParser,
  RowResult,
  TargetColumn,
  TargetTable,
  TargetValue,
} from './types.js';
export { DATASET_NAMES } from './types.js';
export {
  DatasetCsvError,
  DatasetError,
  DatasetErrorCode,
  DatasetHeaderError,
  isDatasetError,
} from './errors.js';
export {
  DATASETS,
  bindDataset,
  datasetSpec,
  isDatasetName,
  type BoundDataset,
  type DatasetRows,
} from './registry.js';
export { DEFAULT_BATCH_SIZE, readDataset } from './read-dataset.js';
export { planDataset, type DatasetPlan } from './plan-dataset.js';
export type { CsvSource } from './csv-records.js';
export type { CompanyImportRow, CompanyStatus } from './companies.js';
export type { EnvironmentalMetricImportRow } from './environmental-metrics.js';
export { ENVIRONMENTAL_METRICS_COLUMNS } from './environmental-metrics.js';
export type { EuEtsInstallationRow, EuEtsRow, EuEtsVerifiedEmissionsRow } from './eu-ets.js';
export type { DesnzScope, EmissionFactorImportRow } from './emission-factors.js';
export type { FxRateImportRow } from './fx-rates.js';
export {
  parseTransactionAmount,
  parseTransactionDate,
  toTransaction,
  withDedupRank,
  TRANSACTION_YEARS,
  type TransactionImportRow,
} from './transactions.js';
export {
  resolveTransactionMapping,
  TransactionMappingError,
  TRANSACTION_DATE_FORMATS,
  TRANSACTION_FIELDS,
  TRANSACTION_MAPPING_PRESETS,
  TRANSACTION_PRESETS,
  type FieldColumns,
  type TransactionDateFormat,
  type TransactionField,
  type TransactionMapping,
  type TransactionMappingInput,
  type TransactionMappingOption,
  type TransactionMappingPreset,
  type TransactionSign,
} from './transaction-mapping.js';
