/**
 * Streams CSV records with the physical lines they occupy. Input is UTF-8 (a UTF-16 file is
 * refused with a clear error). Handles a UTF-8 BOM, LF / CRLF / CR line endings, quoted fields
 * spanning lines, blank lines, and records with a different number of fields from the header (the
 * caller decides what those mean). The tokenizing is {@link CsvTokenizer}'s; this module feeds it
 * a stream and hands its records on a chunk at a time.
 */
import { Readable } from 'node:stream';
import { untilAborted } from '../../abort.js';
import { CsvTokenizer, type CsvLine } from './csv-tokenizer.js';
import { DatasetCsvError } from './errors.js';

export { MAX_RECORD_BYTES, type CsvLine } from './csv-tokenizer.js';

/** Where an upload comes from: a Node stream, or any async iterable of bytes or text. */
export type CsvSource = AsyncIterable<Uint8Array | string> | Readable;

function toBuffer(chunk: Uint8Array | string): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** `head` without a UTF-8 BOM; a UTF-16 file is refused (its bytes would be read as garbage). */
function withoutBom(head: Buffer): Buffer {
  if (head.subarray(0, 3).equals(UTF8_BOM)) return head.subarray(3);
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    throw new DatasetCsvError('the file is UTF-16; save it as UTF-8 (CSV UTF-8 in Excel)', 1);
  }
  return head;
}

/**
 * Yields every non-blank record of `source` (the header included) with its lines, in arrays: the
 * records each chunk of the source completes. Records whose fields are all empty or spaces
 * (`,,,` rows spreadsheets leave behind) are blank lines, not data. Aborting `signal` closes the
 * source at once and the generator throws the signal's reason, even while a read is pending.
 *
 * @throws {DatasetCsvError} when the CSV is malformed (e.g. an unclosed quote), naming the line
 *   where the bad record starts.
 */
export async function* csvRecordChunks(
  source: CsvSource,
  signal?: AbortSignal,
): AsyncGenerator<readonly CsvLine[]> {
  signal?.throwIfAborted();
  const tokenizer = new CsvTokenizer();
  const iterator = (source as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
  // The first bytes are held back until we know whether they are a byte-order mark: it is
  // dropped here, before the tokenizer, so it is not mistaken for data.
  let head: Buffer | null = Buffer.alloc(0);
  try {
    for (;;) {
      const next = await (signal ? untilAborted(iterator.next(), signal) : iterator.next());
      if (next.done) break;
      let buffer = toBuffer(next.value);
      if (head !== null) {
        head = Buffer.concat([head, buffer]);
        if (head.length < UTF8_BOM.length) continue;
        buffer = withoutBom(head);
        head = null;
      }
      const records = tokenizer.push(buffer);
      if (records.length > 0) yield records;
      signal?.throwIfAborted();
    }
    const last = head !== null && head.length > 0 ? tokenizer.push(withoutBom(head)) : [];
    last.push(...tokenizer.end());
    if (last.length > 0) yield last;
    signal?.throwIfAborted();
  } finally {
    // Closes the upload (or file descriptor) at once, also when the consumer stops early.
    // (Not awaited: a stalled source would never let its return() settle.)
    if (source instanceof Readable) source.destroy();
    else void iterator.return?.()?.catch(() => undefined);
  }
}

/** {@link csvRecordChunks}, one record at a time. */
export async function* csvRecords(source: CsvSource, signal?: AbortSignal): AsyncGenerator<CsvLine> {
  for await (const records of csvRecordChunks(source, signal)) yield* records;
}
