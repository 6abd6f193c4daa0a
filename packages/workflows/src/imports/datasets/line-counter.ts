/**
 * Physical line numbers for CSV records. csv-parse reports where a record ends as a byte offset
 * (`info.bytes`), but its own line counter counts a CRLF inside a quoted field as two lines; so we
 * count line breaks ourselves over the same bytes. A line break is LF, CRLF or a lone CR (the
 * three record delimiters csv-parse detects); blank lines before a record are not part of it.
 */

const CR = 0x0d;
const LF = 0x0a;

/** Where a record sits in the file. */
export interface LineSpan {
  /** Line of the record's first character (1-based). */
  readonly first: number;
  /** Line of the record's last character before its delimiter. */
  readonly last: number;
}

/**
 * Follows the bytes fed to the parser, keeping only those after the last consumed record (the
 * parser's look-ahead), so memory stays bounded by the stream buffers.
 */
export class LineCounter {
  private readonly chunks: Buffer[] = [];
  /** Absolute offset of `chunks[0][0]`. */
  private chunksStart = 0;
  /** Absolute offset of the next byte to scan. */
  private offset = 0;
  /** Line of the byte at `offset`. */
  private line = 1;
  /** The previous scanned byte was a CR, so an LF now completes a CRLF rather than a new break. */
  private afterCr = false;

  /** Records bytes just before they are handed to the parser. */
  append(chunk: Buffer): void {
    if (chunk.length > 0) this.chunks.push(chunk);
  }

  /**
   * Scans up to absolute offset `end` (exclusive: the byte after a record's delimiter) and returns
   * the record's span; bytes before it that are line breaks belong to skipped blank lines.
   */
  consume(end: number): LineSpan {
    let first = 0;
    let last = 0;
    while (this.offset < end) {
      const chunk = this.chunks[0];
      if (chunk === undefined) break; // the parser never reports bytes it was not given
      const from = this.offset - this.chunksStart;
      const to = Math.min(chunk.length, end - this.chunksStart);
      for (let i = from; i < to; i++) {
        const b = chunk[i]!;
        if (b === CR) {
          this.line++;
          this.afterCr = true;
        } else if (b === LF) {
          if (!this.afterCr) this.line++;
          this.afterCr = false;
        } else {
          this.afterCr = false;
          if (first === 0) first = this.line;
          last = this.line;
        }
      }
      this.offset = this.chunksStart + to;
      if (to === chunk.length) {
        this.chunks.shift();
        this.chunksStart += chunk.length;
      }
    }
    return first === 0 ? { first: this.line, last: this.line } : { first, last };
  }

  /** Line of the next non-break byte already received (where an unparseable record starts). */
  nextRecordLine(): number {
    let line = this.line;
    let afterCr = this.afterCr;
    let skip = this.offset - this.chunksStart;
    for (const chunk of this.chunks) {
      for (let i = skip; i < chunk.length; i++) {
        const b = chunk[i]!;
        if (b === CR) {
          line++;
          afterCr = true;
        } else if (b === LF) {
          if (!afterCr) line++;
          afterCr = false;
        } else {
          return line;
        }
      }
      skip = 0;
    }
    return line;
  }
}
