/**
 * A minimal, dependency-free reader for the cell values of an .xlsx workbook (Office Open XML):
 * enough to read the DESNZ full-set workbook without adding a spreadsheet library to the project.
 * It reads the ZIP central directory, inflates the parts it needs, and returns each sheet as rows
 * of raw cell values (shared strings resolved, numbers as the stored decimal text). No formulas are
 * evaluated: Excel stores the last computed value beside each formula, and that is what we read.
 */
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

/** A cell value as stored: a string, a number, or null for an empty cell. */
export type CellValue = string | number | null;

/** A sheet as a sparse grid: `rows[r][c]`, zero-based, holes filled with null. */
export type SheetRows = CellValue[][];

function readZipEntries(buffer: Buffer): Map<string, Buffer> {
  // End of central directory record: signature 0x06054b50, within the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = buffer.length - 22; i >= Math.max(0, buffer.length - 65_557); i--) {
    if (buffer.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a ZIP file (no end-of-central-directory record)');
  const count = buffer.readUInt16LE(eocd + 10);
  let offset = buffer.readUInt32LE(eocd + 16);
  const entries = new Map<string, Buffer>();
  for (let n = 0; n < count; n++) {
    if (buffer.readUInt32LE(offset) !== 0x02014b50) throw new Error('corrupt ZIP central directory');
    const method = buffer.readUInt16LE(offset + 10);
    const compressedSize = buffer.readUInt32LE(offset + 20);
    const nameLength = buffer.readUInt16LE(offset + 28);
    const extraLength = buffer.readUInt16LE(offset + 30);
    const commentLength = buffer.readUInt16LE(offset + 32);
    const localOffset = buffer.readUInt32LE(offset + 42);
    const name = buffer.toString('utf8', offset + 46, offset + 46 + nameLength);
    // The local header repeats name and extra field with its own lengths.
    const localNameLength = buffer.readUInt16LE(localOffset + 26);
    const localExtraLength = buffer.readUInt16LE(localOffset + 28);
    const start = localOffset + 30 + localNameLength + localExtraLength;
    const data = buffer.subarray(start, start + compressedSize);
    if (method === 0) entries.set(name, data);
    else if (method === 8) entries.set(name, inflateRawSync(data));
    else throw new Error(`unsupported ZIP compression method ${method} for ${name}`);
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function decodeXml(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Concatenates every `<t>` run of a string item (rich text has several). */
function textOf(item: string): string {
  return [...item.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => decodeXml(m[1] ?? '')).join('');
}

function columnIndex(ref: string): number {
  const letters = /^[A-Z]+/.exec(ref)?.[0] ?? '';
  let index = 0;
  for (const ch of letters) index = index * 26 + (ch.charCodeAt(0) - 64);
  return index - 1;
}

/**
 * Reads every sheet of an .xlsx file into rows of cell values, keyed by sheet name.
 *
 * @example readXlsx('factors.xlsx').get('Fuels')?.[0]
 */
export function readXlsx(file: string): Map<string, SheetRows> {
  const entries = readZipEntries(readFileSync(file));
  const part = (name: string): string => {
    const data = entries.get(name);
    if (!data) throw new Error(`workbook part ${name} is missing`);
    return data.toString('utf8');
  };
  const sharedStrings = entries.has('xl/sharedStrings.xml')
    ? [...part('xl/sharedStrings.xml').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => textOf(m[1] ?? ''))
    : [];
  const relTargets = new Map(
    [...part('xl/_rels/workbook.xml.rels').matchAll(/<Relationship\s[^>]*>/g)].map((m) => [
      /Id="([^"]+)"/.exec(m[0])?.[1] ?? '',
      /Target="([^"]+)"/.exec(m[0])?.[1] ?? '',
    ]),
  );
  const sheets = new Map<string, SheetRows>();
  for (const m of part('xl/workbook.xml').matchAll(/<sheet\s[^>]*>/g)) {
    const name = decodeXml(/name="([^"]*)"/.exec(m[0])?.[1] ?? '');
    const relId = /r:id="([^"]+)"/.exec(m[0])?.[1] ?? '';
    const target = (relTargets.get(relId) ?? '').replace(/^\/?(xl\/)?/, '');
    const xml = part(`xl/${target}`);
    const rows: SheetRows = [];
    for (const row of xml.matchAll(/<row\s[^>]*?r="(\d+)"[^>]*?(?:\/>|>([\s\S]*?)<\/row>)/g)) {
      const r = Number(row[1]) - 1;
      const cells: CellValue[] = [];
      for (const cell of (row[2] ?? '').matchAll(/<c\s([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
        const attrs = cell[1] ?? '';
        const body = cell[2] ?? '';
        const ref = /r="([A-Z]+\d+)"/.exec(attrs)?.[1] ?? '';
        const type = /t="([^"]+)"/.exec(attrs)?.[1] ?? 'n';
        const raw = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
        let value: CellValue = null;
        if (type === 's' && raw !== undefined) value = sharedStrings[Number(raw)] ?? null;
        else if (type === 'inlineStr') value = textOf(body);
        else if (type === 'str' && raw !== undefined) value = decodeXml(raw);
        else if (type === 'n' && raw !== undefined) value = Number(raw);
        else if (raw !== undefined) value = decodeXml(raw);
        const c = columnIndex(ref);
        while (cells.length < c) cells.push(null);
        cells[c] = value;
      }
      while (rows.length < r) rows.push([]);
      rows[r] = cells;
    }
    sheets.set(name, rows);
  }
  return sheets;
}
