/**
 * Streaming a dataset file into validated rows, in batches that can be resumed from a checkpoint.
 *
 * Guarantees: the header is checked before any row; every non-blank line after it is either
 * accepted (its rows yielded with its line) or rejected with its line and reason — never dropped;
 * a later line repeating an earlier line's natural key is rejected (the first one wins) — or, for a
 * dataset with `repeats` (transactions), ranked as its next occurrence; and a run
 * resumed with `fromLine: batch.lastLine + 1` yields exactly what the uninterrupted run yields
 * after that batch.
 */
import { csvRecordChunks, type CsvLine, type CsvSource } from './csv-records.js';
import { DatasetError, DatasetErrorCode, DatasetHeaderError } from './errors.js';
import { bindDataset, datasetSpec, type BoundDataset, type DatasetRows } from './registry.js';
import type {
  DatasetBatch,
  DatasetName,
  DatasetOptions,
  ReadDatasetOptions,
  RejectedRow,
  RowResult,
} from './types.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Rows + rejects per batch when the caller does not say. */
export const DEFAULT_BATCH_SIZE = 1000;

/** A file whose header has been read and accepted, with the records after it still to come. */
export interface OpenedDataset<Row> {
  readonly bound: BoundDataset<Row>;
  /** Header names as in the file, trimmed (unnamed columns are `''`). */
  readonly header: readonly string[];
  readonly headerLine: number;
  /** Byte offset (without the BOM) just after the header record: where the data lines start. */
  readonly headerEndByte: number;
  /** Last physical line of the header record. */
  readonly headerEndLine: number;
  /** The records after the header, in order, a chunk of the file at a time. */
  readonly chunks: RecordChunks;
}

/** Records a chunk at a time; `return()` closes the file (also before the first `next()`). */
export interface RecordChunks extends AsyncIterableIterator<readonly CsvLine[]> {
  return(): Promise<IteratorResult<readonly CsvLine[]>>;
}

/** `rest`, after `first` when it holds records. */
function prepend(first: readonly CsvLine[], rest: AsyncGenerator<readonly CsvLine[]>): RecordChunks {
  let head: readonly CsvLine[] | null = first.length > 0 ? first : null;
  return {
    next() {
      if (head === null) return rest.next();
      const value = head;
      head = null;
      return Promise.resolve({ done: false, value });
    },
    return() {
      head = null;
      return rest.return(undefined);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * Reads the header of `source` and binds `name`'s matching variant to it.
 *
 * @throws {DatasetHeaderError} for an empty file or a header that fits no variant.
 */
export async function openDataset<N extends DatasetName>(
  name: N,
  source: CsvSource,
  options: DatasetOptions & { signal?: AbortSignal },
): Promise<OpenedDataset<DatasetRows[N]>> {
  const spec = datasetSpec(name);
  const chunks = csvRecordChunks(source, options.signal);
  try {
    const first = await chunks.next();
    if (first.done) {
      throw new DatasetHeaderError(
        name,
        'the file is empty: the first line must be the header',
        [],
        1,
        DatasetErrorCode.EmptyFile,
      );
    }
    const [headerRecord, ...after] = first.value;
    const header = headerRecord!.values.map((h) => h.trim());
    const bound = bindDataset(spec, header, options, headerRecord!.line);
    return {
      bound,
      header,
      headerLine: headerRecord!.line,
      headerEndByte: headerRecord!.endByte,
      headerEndLine: headerRecord!.endLine,
      chunks: prepend(after, chunks),
    };
  } catch (error) {
    await chunks.return(undefined);
    throw error;
  }
}

function positiveInteger(value: number | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new DatasetError(DatasetErrorCode.InvalidOption, `${option} must be an integer ≥ 1, got ${value}`);
  }
  return value;
}

/** The record keyed by header name; a null prototype, so a column named `__proto__` is just a column. */
export function toRecord(header: readonly string[], values: readonly string[]): Record<string, string> {
  const record = Object.create(null) as Record<string, string>;
  for (let i = 0; i < header.length; i++) {
    const name = header[i]!;
    if (name !== '' && !(name in record)) record[name] = values[i] ?? '';
  }
  return record;
}

/**
 * What is wrong with a line's shape, before its values are looked at: fields missing under
 * named columns, or values beyond the header (usually an unquoted comma shifting the fields).
 */
export function shapeProblem(header: readonly string[], values: readonly string[]): string | null {
  if (values.length < header.length) {
    const missing = header.slice(values.length).filter((h) => h !== '');
    if (missing.length > 0) {
      return `line has ${values.length} fields but the header has ${header.length}: no value for ${missing.map((h) => `"${h}"`).join(', ')}`;
    }
  } else if (values.length > header.length && values.slice(header.length).some((v) => v.trim() !== '')) {
    return `line has ${values.length} fields but the header has ${header.length}: quote values that contain commas`;
  }
  for (let i = 0; i < values.length; i++) {
    if (values[i]!.includes('\uFFFD')) {
      return `${header[i] || `field ${i + 1}`}: not valid UTF-8 text; save the file as UTF-8`;
    }
  }
  return null;
}

/**
 * Streams `source` as dataset `name`: checks the header first, then parses, validates and
 * de-duplicates each line, yielding batches of rows and rejects.
 *
 * @example
 * for await (const batch of readDataset('fx-rates', fs.createReadStream(path), { fromLine: checkpoint })) {
 *   await writer.write(batch.rows);      // then record batch.rejects, and checkpoint batch.lastLine + 1
 * }
 * @throws {DatasetHeaderError} before the first batch when the header does not fit.
 * @throws {DatasetCsvError} when the CSV is malformed (an unclosed quote), naming the line.
 * @throws the signal's reason when `signal` aborts.
 */
export async function* readDataset<N extends DatasetName>(
  name: N,
  source: CsvSource,
  options: ReadDatasetOptions = {},
): AsyncGenerator<DatasetBatch<DatasetRows[N]>> {
  type Row = DatasetRows[N];
  const fromLine = positiveInteger(options.fromLine, 'fromLine', 1);
  const batchSize = positiveInteger(options.batchSize, 'batchSize', DEFAULT_BATCH_SIZE);
  const spec = datasetSpec(name);
  const { bound, header, chunks } = await openDataset(name, source, options);
  const keyColumns = bound.variant.target.conflictKey.join(', ');
  // First line of each natural key. Lines before `fromLine` are parsed too so that a resumed run
  // rejects exactly the duplicates an uninterrupted one does.
  const firstLineOfKey = new Map<string, number>();

  const newBatch = (): Mutable<DatasetBatch<Row>> => ({
    variant: bound.variant.name,
    rows: [],
    rowLines: [],
    rejects: [],
    dataLines: 0,
    lastLine: 0,
  });
  let batch = newBatch();

  // Occurrences so far of each natural key, for datasets whose repeats are ranked, not rejected.
  const occurrences = new Map<string, number>();
  const rank = (rows: readonly Row[]): Row[] =>
    rows.map((row) => {
      const key = spec.naturalKey(row);
      const n = (occurrences.get(key) ?? 0) + 1;
      occurrences.set(key, n);
      return spec.repeats!.rank(row, n, spec.repeats!.key(key, n));
    });

  const evaluate = (values: readonly string[], line: number): RowResult<Row> => {
    const result = bound.parseRow(values, line);
    if (!result.ok) return result;
    if (spec.repeats) return { ok: true, rows: rank(result.rows) };
    const keys = result.rows.map((row) => spec.naturalKey(row));
    for (const key of keys) {
      const first = firstLineOfKey.get(key);
      if (first !== undefined) {
        return {
          ok: false,
          reason: `duplicate: line ${first} already has ${key} (${keyColumns}); the first line wins`,
        };
      }
    }
    for (const key of keys) firstLineOfKey.set(key, line);
    return result;
  };

  try {
    for await (const chunk of chunks)
      for (const { values, line, endLine } of chunk) {
        const problem = shapeProblem(header, values);
        const result: RowResult<Row> =
          problem === null ? evaluate(values, line) : { ok: false, reason: problem };
        if (line < fromLine) continue;
        if (result.ok) {
          for (const row of result.rows) {
            batch.rows.push(row);
            batch.rowLines.push(line);
          }
        } else {
          const reject: RejectedRow = { line, reason: result.reason, raw: { ...toRecord(header, values) } };
          batch.rejects.push(reject);
        }
        batch.dataLines++;
        batch.lastLine = endLine;
        if (batch.rows.length + batch.rejects.length >= batchSize) {
          await settled(options.signal);
          yield batch;
          batch = newBatch();
        }
      }
  } finally {
    await chunks.return();
  }
  await settled(options.signal);
  if (batch.dataLines > 0) yield batch;
}

/**
 * A chunk's records are parsed synchronously, so an abort requested while a batch was being
 * built would not be seen before it is delivered: let it land, then honour it.
 */
async function settled(signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return;
  await Promise.resolve();
  signal.throwIfAborted();
}
