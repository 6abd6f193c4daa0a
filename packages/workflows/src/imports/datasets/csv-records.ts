/**
 * Streams CSV records with the physical lines they occupy, on top of csv-parse. Input is UTF-8
 * (a UTF-16 file is refused with a clear error). Handles a UTF-8 BOM, LF / CRLF / CR line endings, quoted fields spanning lines, blank lines, and records with a
 * different number of fields from the header (the caller decides what those mean).
 */
import { Readable, pipeline } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { DatasetCsvError } from './errors.js';
import { LineCounter, type LineSpan } from './line-counter.js';

/** Where an upload comes from: a Node stream, or any async iterable of bytes or text. */
export type CsvSource = AsyncIterable<Uint8Array | string> | Readable;

/** One non-blank record. */
export interface CsvLine {
  readonly values: readonly string[];
  /** Physical line of the record's first character. */
  readonly line: number;
  /** Physical line of its last character (after a quoted field with line breaks, later than `line`). */
  readonly endLine: number;
  /**
   * Byte offset just after the record's delimiter, counted in the stream without its BOM: where
   * the next physical line (`endLine + 1`) starts. A resumable reader can restart there.
   */
  readonly endByte: number;
}

/** Largest record accepted: beyond it an unclosed quote is assumed rather than buffering the file. */
export const MAX_RECORD_BYTES = 1 << 20;

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

function isBlank(values: readonly string[]): boolean {
  for (const v of values) if (v.trim() !== '') return false;
  return true;
}

/** csv-parse's own "at line N" counts a CRLF inside quotes twice; we report our line instead. */
function withoutParserLine(message: string): string {
  return message.replace(/,? (?:at|on) line \d+/g, '');
}

/**
 * Yields every non-blank record of `source` (the header included) with its lines. Records whose
 * fields are all empty or spaces (`,,,` rows spreadsheets leave behind) are blank lines, not data.
 * Aborting `signal` destroys the stream at once and the generator throws the signal's reason.
 *
 * @throws {DatasetCsvError} when the CSV is malformed (e.g. an unclosed quote), naming the line
 *   where the bad record starts.
 */
export async function* csvRecords(source: CsvSource, signal?: AbortSignal): AsyncGenerator<CsvLine> {
  signal?.throwIfAborted();
  const lines = new LineCounter();
  // Spans of the records the parser has emitted and we have not read yet, in order.
  const spans: (LineSpan & { end: number })[] = [];
  let nextSpan = 0;
  const parser = parse({
    bom: false, // removed by tap() below
    relax_column_count: true,
    // A stray quote inside an unquoted field (`12" pipe`) is kept as text, as spreadsheets write it.
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_BYTES,
    // Runs synchronously as each record is parsed, while the bytes it came from are the ones the
    // counter holds; so after a syntax error the counter still points at the bad record.
    on_record: (record, info) => {
      const span = lines.consume(info.bytes);
      if (isBlank(record)) return null;
      spans.push({ first: span.first, last: span.last, end: info.bytes });
      return record;
    },
  });
  async function* tap(): AsyncGenerator<Buffer> {
    // The first bytes are held back until we know whether they are a byte-order mark: it is
    // dropped here, before both the parser and the line counter, so neither mistakes it for data.
    let head: Buffer | null = Buffer.alloc(0);
    for await (const chunk of source) {
      let buffer = toBuffer(chunk);
      if (head !== null) {
        head = Buffer.concat([head, buffer]);
        if (head.length < UTF8_BOM.length) continue;
        buffer = withoutBom(head);
        head = null;
      }
      lines.append(buffer);
      yield buffer;
    }
    if (head !== null && head.length > 0) {
      lines.append(head);
      yield head;
    }
  }
  // pipeline() destroys every stage when one fails or the consumer stops early, so an abandoned
  // import never leaves the upload stream open.
  pipeline(Readable.from(tap()), parser, () => undefined);
  const onAbort = (): void => {
    parser.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const values of parser as AsyncIterable<string[]>) {
      signal?.throwIfAborted();
      const span = spans[nextSpan++]!;
      if (nextSpan > 1024) {
        spans.splice(0, nextSpan);
        nextSpan = 0;
      }
      yield { values, line: span.first, endLine: span.last, endByte: span.end };
    }
    signal?.throwIfAborted();
  } catch (error) {
    signal?.throwIfAborted();
    if (error instanceof CsvError)
      throw new DatasetCsvError(`${error.code}: ${withoutParserLine(error.message)}`, lines.nextRecordLine());
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    parser.destroy();
    // A stream stalled mid-read would keep tap() suspended and never see the pipeline's
    // teardown; destroying it here closes the upload (or file descriptor) at once.
    if (source instanceof Readable) source.destroy();
  }
}
