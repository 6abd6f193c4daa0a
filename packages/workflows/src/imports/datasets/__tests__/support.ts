/**
 * Helpers for the dataset parser tests: fixture paths, sources cut into arbitrary chunks, and
 * reading a whole dataset into one flat result.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDataset } from '../read-dataset.js';
import type { DatasetRows } from '../registry.js';
import type { DatasetName, ReadDatasetOptions, RejectedRow } from '../types.js';
import type { CsvSource } from '../csv-records.js';

const here = fileURLToPath(new URL('.', import.meta.url));
export const FIXTURES = resolve(here, '../../../../test/fixtures/imports');

/** Absolute path of a fixture file. */
export function fixture(name: string): string {
  return resolve(FIXTURES, name);
}

/** The fixture's bytes. */
export function fixtureBytes(name: string): Buffer {
  return readFileSync(fixture(name));
}

/** A file stream, as the import activity would open it. */
export function fixtureStream(name: string): CsvSource {
  return createReadStream(fixture(name), { highWaterMark: 4096 });
}

/** Yields `bytes` cut at the given offsets (sorted, within range), to hit every chunk boundary case. */
export async function* chunked(
  bytes: Buffer | string,
  cuts: readonly number[] = [],
): AsyncGenerator<Uint8Array> {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  let from = 0;
  for (const cut of [...new Set(cuts)].filter((c) => c > 0 && c < buffer.length).sort((a, b) => a - b)) {
    yield new Uint8Array(buffer.subarray(from, cut));
    from = cut;
  }
  yield new Uint8Array(buffer.subarray(from));
}

/** Everything a read produced, flattened. */
export interface ReadAll<Row> {
  variant: string | undefined;
  rows: Row[];
  rowLines: number[];
  rejects: RejectedRow[];
  dataLines: number;
  batches: { lastLine: number; size: number }[];
}

/** Reads a whole dataset. */
export async function readAll<N extends DatasetName>(
  name: N,
  source: CsvSource,
  options: ReadDatasetOptions = {},
): Promise<ReadAll<DatasetRows[N]>> {
  const out: ReadAll<DatasetRows[N]> = {
    variant: undefined,
    rows: [],
    rowLines: [],
    rejects: [],
    dataLines: 0,
    batches: [],
  };
  for await (const batch of readDataset(name, source, options)) {
    out.variant = batch.variant;
    out.rows.push(...batch.rows);
    out.rowLines.push(...batch.rowLines);
    out.rejects.push(...batch.rejects);
    out.dataLines += batch.dataLines;
    out.batches.push({ lastLine: batch.lastLine, size: batch.rows.length + batch.rejects.length });
  }
  return out;
}

/** Rejects as `line: reason` pairs, for compact assertions. */
export function reasons(rejects: readonly RejectedRow[]): [number, string][] {
  return rejects.map((r) => [r.line, r.reason]);
}
