/**
 * A synchronous CSV tokenizer over bytes: push chunks in, get the records they complete out, each
 * with the physical lines it occupies and the byte offset after it.
 *
 * It reads CSV exactly as csv-parse 7 does with the options the imports used
 * (`relax_column_count`, `relax_quotes`, `skip_empty_lines`, auto-detected record delimiter) —
 * a differential property test holds it to that — but faster, because it works a chunk at a
 * time: no per-record callback, promise or stream hop, and a record without quotes is decoded with
 * one `toString` + `split`. docs/decisions/0011-hand-written-csv-tokenizer.md says why.
 *
 * The rules, as csv-parse applies them:
 * - The record delimiter is the first line break seen outside quotes — CRLF, LF or CR — and only
 *   that one ends records afterwards (another kind of break is data). Physical lines are counted
 *   apart from that: every CR, LF or CRLF is a line.
 * - A field that starts with `"` is quoted: `""` inside it is one `"`, and it ends at a `"`
 *   followed by a comma, the record delimiter or the end of the input. A `"` followed by anything
 *   else ends the quoting and the field continues as text, with both quotes kept (`"x"y` reads as
 *   `"x"y`). A `"` inside an unquoted field is text.
 * - A line with nothing on it is skipped; so is a record whose fields are all empty or spaces.
 */
import { isAscii } from 'node:buffer';
import { DatasetCsvError } from './errors.js';

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

const COMMA = 0x2c;
const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

const enum Eol {
  Unknown,
  Lf,
  CrLf,
  Cr,
}

/** `scan` could not finish the record: more bytes are needed. */
const MORE = -1;
const EMPTY = Buffer.alloc(0);
const NO_VALUES: readonly string[] = Object.freeze([]);

/** `indexOf`'s answer, with "none" as `n` (past every offset searched). */
const found = (index: number, n: number): number => (index === -1 ? n : index);

function isBlank(values: readonly string[]): boolean {
  for (const v of values) if (v.trim() !== '') return false;
  return true;
}

/** Turns a byte stream into {@link CsvLine}s, a chunk at a time. */
export class CsvTokenizer {
  /** Bytes from the start of the record not finished yet. */
  private carry: Buffer = EMPTY;
  /** Offset of `carry[0]` in the stream. */
  private carryStart = 0;
  /** Physical line of the next byte to count: the record being read (`carry[0]` between scans). */
  private line = 1;
  /** The byte before that one was a CR (so an LF there completes a CRLF). */
  private afterCr = false;
  /** Lines of the first and last non-break byte {@link countLines} saw (0: none). */
  private spanFirst = 0;
  private spanLast = 0;
  private eol = Eol.Unknown;

  // Per scan: the buffer, its text when it is all ASCII, and the record being read.
  private buf: Buffer = EMPTY;
  private text: string | null = null;
  private final = false;
  private values: readonly string[] = NO_VALUES;
  /**
   * Per scan, in an ASCII buffer: the offsets of the next LF, CR and quote at or after the
   * record being read (`n` when there is none; -1 before the first search). The searches are
   * native and move forward only, so a buffer is searched once for each.
   */
  private nextLf = -1;
  private nextCr = -1;
  private nextQuote = -1;
  /** The record just read was a plain line (see {@link plainLine}), whose lines it counted. */
  private plain = false;

  /**
   * Feeds the next bytes; returns the records they complete.
   *
   * @throws {DatasetCsvError} for a record over {@link MAX_RECORD_BYTES}.
   */
  push(chunk: Buffer): CsvLine[] {
    if (chunk.length === 0) return [];
    return this.scan(this.carry.length === 0 ? chunk : Buffer.concat([this.carry, chunk]), false);
  }

  /**
   * Ends the input; returns the last record, if any.
   *
   * @throws {DatasetCsvError} when the input ends inside a quoted field.
   */
  end(): CsvLine[] {
    const out = this.scan(this.carry, true);
    this.carry = EMPTY;
    return out;
  }

  private scan(buf: Buffer, final: boolean): CsvLine[] {
    const out: CsvLine[] = [];
    const n = buf.length;
    this.buf = buf;
    this.final = final;
    this.text = isAscii(buf) ? buf.toString('latin1', 0, n) : null;
    this.nextLf = this.nextCr = this.nextQuote = -1;
    let pos = 0;
    while (pos < n) {
      this.values = NO_VALUES;
      this.plain = false;
      const end = this.plainLine(pos, n) ?? this.record(pos, n);
      if (end === MORE) {
        if (n - pos > MAX_RECORD_BYTES) {
          this.fail(
            pos,
            n,
            `CSV_MAX_RECORD_SIZE: Max Record Size: record exceed the maximum number of tolerated bytes of ${MAX_RECORD_BYTES}`,
          );
        }
        break;
      }
      if (!this.plain) this.countLines(pos, end);
      const values = this.values;
      if (values.length > 0 && !isBlank(values)) {
        out.push({ values, line: this.spanFirst, endLine: this.spanLast, endByte: this.carryStart + end });
      }
      pos = end;
    }
    this.carry = pos < n ? buf.subarray(pos) : EMPTY;
    this.carryStart += pos;
    this.buf = EMPTY;
    this.text = null;
    return out;
  }

  /**
   * Counts the physical lines of bytes [from, to) — every CR, LF or CRLF is a break — advancing
   * `line`, and notes in `spanFirst` / `spanLast` the lines of their first and last other byte.
   */
  private countLines(from: number, to: number): void {
    const buf = this.buf;
    let line = this.line;
    let afterCr = this.afterCr;
    let first = 0;
    let last = 0;
    for (let i = from; i < to; i++) {
      const b = buf[i]!;
      if (b === CR) {
        line++;
        afterCr = true;
      } else if (b === LF) {
        if (!afterCr) line++;
        afterCr = false;
      } else {
        afterCr = false;
        if (first === 0) first = line;
        last = line;
      }
    }
    this.line = line;
    this.afterCr = afterCr;
    this.spanFirst = first;
    this.spanLast = last;
  }

  /** Throws a syntax error naming the line of the record's first character (at or after `pos`). */
  private fail(pos: number, n: number, message: string): never {
    this.countLines(pos, n);
    throw new DatasetCsvError(message, this.spanFirst || this.line);
  }

  private decode(start: number, end: number): string {
    return this.text === null ? this.buf.toString('utf8', start, end) : this.text.slice(start, end);
  }

  /**
   * Length of the record delimiter at `i` (0 when there is none), discovering it at the first
   * line break; `MORE` when a CR ends the bytes so far and CRLF cannot be told from CR yet.
   */
  private delimiterAt(i: number, n: number): number {
    const b = this.buf[i];
    switch (this.eol) {
      case Eol.Lf:
        return b === LF ? 1 : 0;
      case Eol.Cr:
        return b === CR ? 1 : 0;
      case Eol.CrLf:
        if (b !== CR) return 0;
        if (i + 1 >= n) return this.final ? 0 : MORE;
        return this.buf[i + 1] === LF ? 2 : 0;
      case Eol.Unknown:
        if (b === LF) {
          this.eol = Eol.Lf;
          return 1;
        }
        if (b !== CR) return 0;
        if (i + 1 >= n) {
          if (!this.final) return MORE;
          this.eol = Eol.Cr;
          return 1;
        }
        if (this.buf[i + 1] === LF) {
          this.eol = Eol.CrLf;
          return 2;
        }
        this.eol = Eol.Cr;
        return 1;
    }
  }

  /**
   * The common record, found by native searches instead of byte by byte: in an ASCII buffer whose
   * line breaks are known to be LF or CRLF, a whole line ending in that break, with no quote and
   * no other CR or LF in it (and no CR just before it), read as its text split at commas. Returns
   * the offset after its break and sets `plain`; `null` for anything else, which {@link record}
   * reads (a quote, a stray break, a line not complete in this buffer).
   */
  private plainLine(pos: number, n: number): number | null {
    const text = this.text;
    if (text === null || this.afterCr || (this.eol !== Eol.Lf && this.eol !== Eol.CrLf)) return null;
    if (this.nextLf < pos) this.nextLf = found(text.indexOf('\n', pos), n);
    const lf = this.nextLf;
    if (lf >= n) return null;
    const end = this.eol === Eol.Lf ? lf : lf - 1; // where the line's break starts
    if (end < pos || (this.eol === Eol.CrLf && text.charCodeAt(end) !== CR)) return null;
    if (this.nextCr < pos) this.nextCr = found(text.indexOf('\r', pos), n);
    if (this.nextCr < end) return null;
    if (this.nextQuote < pos) this.nextQuote = found(text.indexOf('"', pos), n);
    if (this.nextQuote < end) return null;
    if (end > pos) this.values = text.slice(pos, end).split(',');
    // What countLines would find: the line's characters on this line, then one break.
    this.spanFirst = this.spanLast = end > pos ? this.line : 0;
    this.line++;
    this.plain = true;
    return lf + 1;
  }

  /**
   * Reads the record starting at `pos` into `this.values` (left empty for an empty line);
   * returns the offset after its delimiter, or `MORE`.
   */
  private record(pos: number, n: number): number {
    const buf = this.buf;
    // Fast path: no field starts with a quote, so the record is its text split at commas.
    let i = pos;
    let fieldStart = true;
    for (; i < n; i++) {
      const b = buf[i]!;
      if (b === COMMA) {
        fieldStart = true;
        continue;
      }
      // (No line break has been met yet, so the delimiter is as it was: the slow path starts over.)
      if (b === QUOTE && fieldStart) return this.quotedRecord(pos, n);
      fieldStart = false;
      if (b === CR || b === LF) {
        const length = this.delimiterAt(i, n);
        if (length === MORE) return MORE;
        if (length > 0) {
          if (i > pos) this.values = this.decode(pos, i).split(',');
          return i + length;
        }
      }
    }
    if (!this.final) return MORE;
    if (i > pos) this.values = this.decode(pos, i).split(',');
    return n;
  }

  /** The field-by-field path for a record with a quoted field. */
  private quotedRecord(pos: number, n: number): number {
    const buf = this.buf;
    const values: string[] = [];
    this.values = values;
    let i = pos;
    for (;;) {
      // A field starts at i.
      let prefix = '';
      if (i < n && buf[i] === QUOTE) {
        const contentStart = i + 1;
        let escaped = false;
        let j = contentStart;
        let closed = -1; // offset after the closing quote
        for (;;) {
          if (j >= n) {
            if (!this.final) return MORE;
            this.fail(
              pos,
              n,
              'CSV_QUOTE_NOT_CLOSED: Quote Not Closed: the parsing is finished with an opening quote',
            );
          }
          if (buf[j] !== QUOTE) {
            j++;
            continue;
          }
          // A quote: `""`, the closing quote, or (relaxed) a quote inside the text.
          if (j + 1 >= n) {
            if (!this.final) return MORE;
            closed = j + 1;
            break;
          }
          if (buf[j + 1] === QUOTE) {
            escaped = true;
            j += 2;
            continue;
          }
          const next = buf[j + 1];
          if (next === COMMA) {
            closed = j + 1;
            break;
          }
          const length = this.delimiterAt(j + 1, n);
          if (length === MORE) return MORE;
          if (length > 0) {
            closed = j + 1;
            break;
          }
          // Relaxed: the quoting ends here and the field goes on as text, quotes and all.
          break;
        }
        let content = this.decode(contentStart, j);
        if (escaped) content = content.replaceAll('""', '"');
        if (closed >= 0) {
          values.push(content);
          i = closed;
          if (i >= n) return n; // final, checked above
          if (buf[i] === COMMA) {
            i++;
            continue; // (at the end, the text scan below reads the empty last field)
          }
          return i + this.delimiterAt(i, n);
        }
        prefix = `"${content}"`;
        i = j + 1;
      }
      // Text up to a comma, the record delimiter or the end.
      let k = i;
      for (; k < n; k++) {
        const b = buf[k]!;
        if (b === COMMA) break;
        if (b === CR || b === LF) {
          const length = this.delimiterAt(k, n);
          if (length === MORE) return MORE;
          if (length > 0) {
            values.push(prefix + this.decode(i, k));
            return k + length;
          }
        }
      }
      if (k >= n) {
        if (!this.final) return MORE;
        values.push(prefix + this.decode(i, k));
        return n;
      }
      values.push(prefix + this.decode(i, k));
      i = k + 1;
    }
  }
}
