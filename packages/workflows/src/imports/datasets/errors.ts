/**
 * Errors that fail a whole file (as opposed to a rejected row). Each has a stable `code` so the
 * import activity can turn it into a non-retryable failure and the API into a problem document:
 * retrying cannot fix a file that lacks a column.
 */
import type { DatasetName } from './types.js';

/** Stable codes of file-level import errors. */
export const DatasetErrorCode = {
  /** The dataset name is not one of `DATASET_NAMES`. */
  UnknownDataset: 'unknown_dataset',
  /** An option (variant, year, fromLine, batchSize) is invalid. */
  InvalidOption: 'invalid_option',
  /** The file has no header line. */
  EmptyFile: 'empty_file',
  /** The header lacks required columns, names one twice, or matches no variant. */
  InvalidHeader: 'invalid_header',
  /** The file is not well-formed CSV (an unclosed quote, a record over the size limit). */
  CsvSyntax: 'csv_syntax',
} as const;

export type DatasetErrorCode = (typeof DatasetErrorCode)[keyof typeof DatasetErrorCode];

/** Base class of every file-level import error. */
export class DatasetError extends Error {
  override readonly name: string = 'DatasetError';
  constructor(
    readonly code: DatasetErrorCode,
    message: string,
    /** The physical line the problem is on, when there is one. */
    readonly line?: number,
  ) {
    super(message);
  }
}

/**
 * The header does not fit the dataset: required columns missing (all of them named, per variant
 * when the dataset has several), a column named twice, or no header at all. Thrown before any
 * row is yielded.
 */
export class DatasetHeaderError extends DatasetError {
  override readonly name = 'DatasetHeaderError';
  constructor(
    readonly dataset: DatasetName,
    message: string,
    /** Required columns the header lacks (of the closest variant). */
    readonly missingColumns: readonly string[] = [],
    line = 1,
    code: DatasetErrorCode = DatasetErrorCode.InvalidHeader,
  ) {
    super(code, `${dataset}: ${message}`, line);
  }
}

/** The CSV itself is malformed at `line`; record boundaries after it cannot be trusted. */
export class DatasetCsvError extends DatasetError {
  override readonly name = 'DatasetCsvError';
  constructor(message: string, line: number) {
    super(DatasetErrorCode.CsvSyntax, `line ${line}: ${message}`, line);
  }
}

/** True for any file-level import error (the activity fails without retrying). */
export function isDatasetError(error: unknown): error is DatasetError {
  return error instanceof DatasetError;
}
