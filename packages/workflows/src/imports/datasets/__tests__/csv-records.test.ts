/**
 * Record boundaries and physical line numbers, whatever the line endings, BOM, quoting and chunk
 * boundaries; and, differentially, the same records, byte offsets and errors as csv-parse 7 with
 * the options the tokenizer reproduces (csv-parse's own line counter counts a CRLF inside quotes
 * twice, so lines are checked against a count of the breaks instead).
 */
import { fc, test } from '@fast-check/vitest';
import { CsvError, parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { MAX_RECORD_BYTES, csvRecords, type CsvLine } from '../csv-records.js';
import { DatasetCsvError } from '../errors.js';
import { chunked } from './support.js';

async function collect(source: AsyncIterable<Uint8Array | string>): Promise<CsvLine[]> {
  const out: CsvLine[] = [];
  for await (const record of csvRecords(source)) out.push(record);
  return out;
}

/** A generated CSV with the records and lines it must read back as. */
interface Generated {
  text: string;
  expected: { values: string[]; line: number; endLine: number }[];
}

const plainField = fc.stringMatching(/^[a-z0-9 .-]{0,6}$/);
const quotedPiece = fc.constantFrom('a', 'b', ' ', ',', '"', '\n', '\r\n', 'é', '€');
const quotedField = fc.array(quotedPiece, { maxLength: 6 }).map((parts) => parts.join(''));
const record = fc.tuple(
  fc.stringMatching(/^[a-z][a-z0-9]{0,4}$/), // never blank, so never skipped
  fc.array(
    fc.oneof(
      plainField.map((v) => ({ v, quoted: false })),
      quotedField.map((v) => ({ v, quoted: true })),
    ),
    {
      maxLength: 4,
    },
  ),
);
const generated = fc
  .record({
    bom: fc.boolean(),
    eol: fc.constantFrom('\n', '\r\n'),
    trailingEol: fc.boolean(),
    records: fc.array(fc.tuple(fc.nat({ max: 2 }), record), { minLength: 1, maxLength: 12 }),
  })
  .map(({ bom, eol, trailingEol, records }): Generated => {
    let text = bom ? '\uFEFF' : '';
    let line = 1;
    const expected: Generated['expected'] = [];
    records.forEach(([blankLinesBefore, [first, rest]], i) => {
      text += eol.repeat(blankLinesBefore);
      line += blankLinesBefore;
      const start = line;
      const cells = [first, ...rest.map((f) => (f.quoted ? `"${f.v.replace(/"/g, '""')}"` : f.v))];
      const body = cells.join(',');
      text += body;
      line += (body.match(/\r\n|\n/g) ?? []).length;
      expected.push({ values: [first, ...rest.map((f) => f.v)], line: start, endLine: line });
      if (i < records.length - 1 || trailingEol) {
        text += eol;
        line++;
      }
    });
    return { text, expected };
  });

describe('csvRecords', () => {
  test.prop([generated, fc.array(fc.nat({ max: 400 }), { maxLength: 8 })], { numRuns: 300 })(
    'reads back every record with the lines it starts and ends on, for any chunking',
    async (file, cuts) => {
      const read = await collect(chunked(file.text, cuts));
      expect(read.map((r) => ({ values: [...r.values], line: r.line, endLine: r.endLine }))).toEqual(
        file.expected,
      );
    },
  );

  it('numbers lines after a CRLF inside quotes correctly (csv-parse alone says 4, not 3)', async () => {
    const read = await collect(chunked('a,b\r\n1,"x\r\ny"\r\n\r\n2,3\r\n'));
    expect(read.map((r) => [r.line, r.endLine])).toEqual([
      [1, 1],
      [2, 3],
      [5, 5],
    ]);
  });

  it('skips blank lines and records whose fields are all empty, but counts their lines', async () => {
    const read = await collect(chunked('h1,h2\n\n,\n  ,  \nx,y\n\n\n'));
    expect(read.map((r) => [r.line, [...r.values]])).toEqual([
      [1, ['h1', 'h2']],
      [5, ['x', 'y']],
    ]);
  });

  it('reads strings and Uint8Array chunks alike, splitting a multi-byte character across chunks', async () => {
    const bytes = Buffer.from('name\n€uro\n', 'utf8');
    const cutInsideEuroSign = [6];
    const read = await collect(chunked(bytes, cutInsideEuroSign));
    expect(read.map((r) => r.values[0])).toEqual(['name', '€uro']);
    async function* strings(): AsyncGenerator<string> {
      yield 'name\n€u';
      yield 'ro\n';
    }
    expect((await collect(strings())).map((r) => r.values[0])).toEqual(['name', '€uro']);
  });

  it('fails on an unclosed quote, naming the line where the bad record starts', async () => {
    const error = await collect(chunked('a,b\r\n1,2\r\n\r\n"open,3\r\n4,5\r\n', [3, 9])).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatasetCsvError);
    expect(error).toMatchObject({ code: 'csv_syntax', line: 4 });
    expect(String((error as Error).message)).toMatch(/^line 4: CSV_QUOTE_NOT_CLOSED/);
  });

  it('drops a UTF-8 BOM even when it arrives one byte at a time, and refuses UTF-16', async () => {
    const bytes = Buffer.from('\uFEFF\nname\nx\n', 'utf8');
    const read = await collect(chunked(bytes, [1, 2, 3, 4]));
    expect(read.map((r) => [r.line, r.values[0]])).toEqual([
      [2, 'name'],
      [3, 'x'],
    ]);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name\nx\n', 'utf16le')]);
    await expect(collect(chunked(utf16))).rejects.toThrow(/UTF-16; save it as UTF-8/);
  });

  it('reads old Mac files whose lines end in CR alone', async () => {
    const read = await collect(chunked('a,b\r1,2\r\r3,4\r'));
    expect(read.map((r) => [r.line, [...r.values]])).toEqual([
      [1, ['a', 'b']],
      [2, ['1', '2']],
      [4, ['3', '4']],
    ]);
  });

  it('gives up on a record over the size limit (an unclosed quote) instead of buffering the file', async () => {
    const text = `a\nok\n"${'x'.repeat(MAX_RECORD_BYTES + 10)}\n`;
    await expect(collect(chunked(text, [1000, 500_000]))).rejects.toMatchObject({
      code: 'csv_syntax',
      line: 3,
    });
  });

  it('keeps a stray quote inside an unquoted field as text', async () => {
    const read = await collect(chunked('size,item\n12" pipe,x\n'));
    expect(read[1]?.values).toEqual(['12" pipe', 'x']);
  });
});

/** Line of each byte offset of `bytes`, counting every CR, LF or CRLF as one break. */
function linesOf(bytes: Buffer): Int32Array {
  const lines = new Int32Array(bytes.length + 1);
  let line = 1;
  for (let i = 0; i < bytes.length; i++) {
    lines[i] = line;
    if (bytes[i] === 0x0d || (bytes[i] === 0x0a && bytes[i - 1] !== 0x0d)) line++;
  }
  lines[bytes.length] = line;
  return lines;
}

/** csv-parse 7's reading of `bytes` as CsvLines, lines derived from its byte offsets. */
function csvParseReading(bytes: Buffer): CsvLine[] | { code: string } {
  const lines = linesOf(bytes);
  const isBreak = (b: number | undefined) => b === 0x0d || b === 0x0a;
  const out: CsvLine[] = [];
  let start = 0;
  try {
    parse(bytes, {
      bom: false,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      max_record_size: MAX_RECORD_BYTES,
      on_record: (values: string[], info) => {
        const end = info.bytes;
        let first = start;
        while (first < end && isBreak(bytes[first])) first++;
        let last = end - 1;
        while (last > first && isBreak(bytes[last])) last--;
        start = end;
        if (values.every((v) => v.trim() === '')) return null;
        out.push({ values, line: lines[first]!, endLine: lines[last]!, endByte: end });
        return values;
      },
    });
  } catch (error) {
    if (error instanceof CsvError) return { code: error.code };
    throw error;
  }
  return out;
}

async function ourReading(bytes: Buffer, cuts: number[]): Promise<CsvLine[] | { code: string }> {
  try {
    return (await collect(chunked(bytes, cuts))).map((r) => ({ ...r, values: [...r.values] }));
  } catch (error) {
    if (error instanceof DatasetCsvError) return { code: /^line \d+: (\w+)/.exec(error.message)?.[1] ?? '?' };
    throw error;
  }
}

describe('CsvTokenizer against csv-parse 7 (differential)', () => {
  // Text built from the characters CSV treats specially, in every order: quotes next to
  // commas, breaks of all three kinds inside and outside quotes, stray and doubled quotes.
  const piece = fc.constantFrom(
    'a',
    'b',
    ' ',
    ',',
    ',',
    '"',
    '"',
    '""',
    '\n',
    '\r\n',
    '\r',
    'é',
    '€',
    '\uFFFD',
  );
  const text = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(''));
  test.prop([text, fc.array(fc.nat({ max: 120 }), { maxLength: 6 })], { numRuns: 3000 })(
    'reads the same records, offsets and errors for any text and chunking',
    async (t, cuts) => {
      const bytes = Buffer.from(t, 'utf8');
      expect(await ourReading(bytes, cuts)).toEqual(csvParseReading(bytes));
    },
  );

  // The same against files shaped like real imports: a header, lines of fields, some quoted.
  const field = fc.oneof(
    fc.stringMatching(/^[a-z0-9 .£-]{0,8}$/),
    fc
      .array(fc.constantFrom('x', ',', '"', '\n', '\r\n', ' '), { maxLength: 5 })
      .map((p) => `"${p.join('').replace(/"/g, '""')}"`),
  );
  const file = fc
    .tuple(
      fc.constantFrom('\n', '\r\n', '\r'),
      fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 30 }),
    )
    .map(([eol, rows]) => rows.map((r) => r.join(',')).join(eol) + eol);
  test.prop([file, fc.array(fc.nat({ max: 600 }), { maxLength: 8 })], { numRuns: 500 })(
    'reads the same records and offsets for well-formed files in any chunking',
    async (t, cuts) => {
      const bytes = Buffer.from(t, 'utf8');
      expect(await ourReading(bytes, cuts)).toEqual(csvParseReading(bytes));
    },
  );

  it('agrees on the quirks of relaxed quotes and of the first line break fixing the delimiter', async () => {
    for (const t of ['"x"y,1', '"x" ,1', 'a,"b\r\n"c', 'a""b,c', 'a\r\nb\nc\rd', 'a\nb\r\nc', '"a""b"c,d']) {
      const bytes = Buffer.from(t, 'utf8');
      expect(await ourReading(bytes, [])).toEqual(csvParseReading(bytes));
    }
    expect(((await ourReading(Buffer.from('"x"y,1'), [])) as CsvLine[])[0]?.values).toEqual(['"x"y', '1']);
  });

  it('treats CRLF as one break even when CR and LF arrive in different chunks', async () => {
    const read = await collect(chunked('a\r\nb\r\nc\r\n', [2, 5]));
    expect(read.map((r) => [r.line, r.endByte, [...r.values]])).toEqual([
      [1, 3, ['a']],
      [2, 6, ['b']],
      [3, 9, ['c']],
    ]);
  });
});
