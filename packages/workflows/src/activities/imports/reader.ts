/**
 * Opening a stored file at a checkpoint. A batch does not re-read the file from the top: the
 * header's bytes are followed by the bytes from the checkpoint's offset (the start of the
 * physical line to resume at), and the line numbers and offsets the parser reports are shifted
 * back to the original file's. When the offset is not known, the file is read from the top and
 * the records before the line are skipped (slower, same records).
 */
import { Readable } from 'node:stream';
import type { CsvLine } from '../../imports/datasets/csv-records.js';
import { openDataset, type OpenedDataset, type RecordChunks } from '../../imports/datasets/read-dataset.js';
import type { DatasetRows } from '../../imports/datasets/registry.js';
import type { DatasetName, DatasetOptions } from '../../imports/datasets/types.js';
import type { ImportFileStore } from './file-store.js';

/** Where a run's file starts and its data begins, as planImport recorded it. */
export interface FileLayout {
  organizationId: string;
  fileId: string;
  dataset: DatasetName;
  options: DatasetOptions;
  /** 3 when the file starts with a UTF-8 BOM, else 0. */
  bomBytes: number;
  /** Offset (without the BOM) just after the header record. */
  headerEndByte: number;
  /** First physical line after the header. */
  startLine: number;
}

/**
 * A file opened at a line: the bound dataset and its records from there on (original
 * coordinates), a chunk at a time.
 */
export interface PositionedRecords<Row> {
  opened: OpenedDataset<Row>;
  chunks: RecordChunks;
}

function concat(first: Readable, second: () => Promise<Readable>): Readable {
  async function* both(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of first) yield chunk as Buffer;
    } finally {
      first.destroy();
    }
    const rest = await second();
    try {
      for await (const chunk of rest) yield chunk as Buffer;
    } finally {
      rest.destroy();
    }
  }
  return Readable.from(both(), { objectMode: false });
}

/**
 * Opens the file so that its first record is the one starting at `line` (or the first after it).
 *
 * @param byteOffset offset (without the BOM) of the start of physical line `line`, when known.
 */
export async function openAt<N extends DatasetName>(
  files: ImportFileStore,
  layout: FileLayout,
  line: number,
  byteOffset: number | null,
  signal?: AbortSignal,
): Promise<PositionedRecords<DatasetRows[N]>> {
  const { organizationId, fileId } = layout;
  const fast = byteOffset !== null && line >= layout.startLine;
  const source = fast
    ? concat(await files.open(organizationId, fileId, { end: layout.bomBytes + layout.headerEndByte }), () =>
        files.open(organizationId, fileId, { start: layout.bomBytes + byteOffset }),
      )
    : await files.open(organizationId, fileId);
  const opened = (await openDataset(layout.dataset, source, {
    ...layout.options,
    ...(signal && { signal }),
  })) as OpenedDataset<DatasetRows[N]>;
  const lineShift = fast ? line - layout.startLine : 0;
  const byteShift = fast ? byteOffset - layout.headerEndByte : 0;
  const inner = opened.chunks;
  if (!fast && line <= layout.startLine) return { opened, chunks: inner };
  const shift = (record: CsvLine): CsvLine => ({
    values: record.values,
    line: record.line + lineShift,
    endLine: record.endLine + lineShift,
    endByte: record.endByte + byteShift,
  });
  const chunks: RecordChunks = {
    async next() {
      for (;;) {
        const next = await inner.next();
        if (next.done) return next;
        const records = fast ? next.value.map(shift) : next.value;
        const from = records.findIndex((r) => r.line >= line);
        if (from === 0) return { done: false, value: records };
        if (from > 0) return { done: false, value: records.slice(from) };
      }
    },
    return: () => inner.return(),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return { opened, chunks };
}
