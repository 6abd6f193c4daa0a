/**
 * A cheap first pass over an uploaded file: is the header right, which variant is it, how many
 * data lines (for progress `total`), and is the CSV well-formed to the end — all before the import
 * writes anything. Values are not validated here (that is `readDataset`'s job).
 */
import type { CsvSource } from './csv-records.js';
import { openDataset } from './read-dataset.js';
import type { DatasetName, DatasetOptions } from './types.js';

/** What a file holds, from its header and line count. */
export interface DatasetPlan {
  readonly dataset: DatasetName;
  /** The variant the header matched. */
  readonly variant: string;
  /** Header names as in the file (trimmed). */
  readonly header: readonly string[];
  /** Header columns the dataset does not read; worth showing, a misspelt optional column lands here. */
  readonly ignoredColumns: readonly string[];
  readonly headerLine: number;
  /** Non-blank lines after the header: accepted + rejected lines of a full import. */
  readonly dataLines: number;
  /** Last physical line holding data (0 when there is none). */
  readonly lastLine: number;
  /** Where the variant's rows go. */
  readonly table: string;
}

/**
 * Reads `source` to the end without validating values.
 *
 * @throws {DatasetHeaderError} when the header does not fit; {@link DatasetCsvError} when the CSV is malformed.
 * @example const plan = await planDataset('eu-ets', fs.createReadStream(file)); // plan.variant === 'eu-ets-compliance'
 */
export async function planDataset(
  name: DatasetName,
  source: CsvSource,
  options: DatasetOptions & { signal?: AbortSignal } = {},
): Promise<DatasetPlan> {
  const { bound, header, headerLine, chunks } = await openDataset(name, source, options);
  let dataLines = 0;
  let lastLine = 0;
  for await (const records of chunks) {
    dataLines += records.length;
    lastLine = records[records.length - 1]!.endLine;
  }
  return {
    dataset: name,
    variant: bound.variant.name,
    header,
    ignoredColumns: bound.ignoredColumns,
    headerLine,
    dataLines,
    lastLine,
    table: bound.variant.target.table,
  };
}
