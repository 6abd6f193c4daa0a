/**
 * Record boundaries and physical line numbers, whatever the line endings, BOM, quoting and chunk
 * boundaries. csv-parse's own line counter counts a CRLF inside quotes twice; ours must not.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { MAX_RECORD_BYTES, csvRecords, type CsvLine } from '../csv-records.js';
import { DatasetCsvError } from '../errors.js';
import { LineCounter } from '../line-counter.js';
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

describe('LineCounter', () => {
  it('treats CRLF as one break even when CR and LF arrive in different chunks', () => {
    const counter = new LineCounter();
    counter.append(Buffer.from('a\r'));
    counter.append(Buffer.from('\nb\rc\n'));
    expect(counter.consume(3)).toEqual({ first: 1, last: 1 });
    expect(counter.consume(5)).toEqual({ first: 2, last: 2 });
    expect(counter.consume(7)).toEqual({ first: 3, last: 3 });
  });
});
