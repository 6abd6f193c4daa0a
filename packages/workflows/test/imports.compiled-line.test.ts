/**
 * The EU ETS compliance fast path (`compileLine`) against the row parser it stands in for: it
 * accepts exactly the lines the row parser accepts, with the dataset's natural key and the COPY
 * text VersionWriter.encode writes for the parsed row — for cells padded, signed, zero-led,
 * out of range, malformed or empty, under any column order and case of the header. And a step
 * read with the fast path writes the same COPY text and rejects as one read without it.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyLines } from '../src/activities/imports/key-lines.js';
import { StepReader } from '../src/activities/imports/step-reader.js';
import { VersionWriter } from '../src/activities/imports/versions.js';
import { euEtsComplianceVariant, euEtsDataset } from '../src/imports/datasets/eu-ets.js';
import { openDataset } from '../src/imports/datasets/read-dataset.js';
import type { CompiledLine, EuEtsRow } from '../src/imports/datasets/index.js';

const ids = fc.oneof(
  fc.constantFrom(
    'DE_1234',
    'GB_200735',
    'XI_9',
    'AT_ab-12',
    ' FR_7 ',
    'de_1',
    'DE1234',
    'DE_',
    '',
    '  ',
    'DE_1\t2',
  ),
  fc
    .tuple(fc.constantFrom('PL', 'ES', 'IT'), fc.integer({ min: 0, max: 999_999 }))
    .map(([c, n]) => `${c}_${n}`),
);
const years = fc.oneof(
  fc.integer({ min: 2000, max: 2110 }).map(String),
  fc.constantFrom(' 2013 ', '02015', '+2016', '-2020', '2013.0', '2e3', 'x', ''),
);
const integers = fc.oneof(
  fc.integer({ min: -5, max: 9_000_000_000_000_000 }).map(String),
  fc.constantFrom('', ' ', '0', '-0', '+0', '007', '1.5', '1e3', ' 42 ', '9007199254740993', '1,000'),
  // Either side of the cells the fast path passes through unparsed (15 digits at most).
  fc.constantFrom('999999999999999', '1000000000000000', '9007199254740992', '00', '10'),
);
const numbers = fc.oneof(
  fc.double({ min: -10, max: 1e9, noNaN: true }).map(String),
  fc.integer({ min: 0, max: 50_000_000 }).map((n) => String(n / 10)),
  // Decimals of 0-6 places, trailing zeros kept (toFixed), around the unparsed pass-through's
  // limits: four decimals, the last not 0, 15 significant digits.
  fc
    .tuple(fc.integer({ min: 0, max: 10 ** 15 }), fc.nat({ max: 6 }))
    .map(([m, k]) => (m / 10 ** k).toFixed(k)),
  fc.constantFrom(
    '1.50',
    '0.0001',
    '0.00001',
    '0.1000',
    '00.5',
    '12345678901.2345',
    '123456789012.5',
    '99999999999.9999',
    '0.30000000000000004',
    '123456789012345.12345', // more digits than a double holds: String writes it otherwise
  ),
  fc.constantFrom(
    '',
    '0',
    '-0',
    '12.5',
    '1e-7',
    '.5',
    '5.',
    '+5',
    ' 4.25 ',
    '1,000',
    '45%',
    'abc',
    'Infinity',
    '1e400',
  ),
);
const record = fc.record({ id: ids, year: years, free: integers, emission: numbers });

/** Header spellings and orders a file may use, with a column the variant does not read. */
const headers = fc
  .shuffledSubarray(['installation_id', 'year', 'free', 'emission', 'note'], { minLength: 5, maxLength: 5 })
  .chain((names) =>
    fc.tuple(
      fc.constant(names),
      fc.array(fc.boolean(), { minLength: names.length, maxLength: names.length }),
    ),
  )
  .map(([names, upper]) => names.map((n, i) => (upper[i] ? n.toUpperCase() : n)));

const valuesIn = (
  header: readonly string[],
  r: { id: string; year: string; free: string; emission: string },
) =>
  header.map((h) => {
    const name = h.toLowerCase();
    return name === 'installation_id'
      ? r.id
      : name === 'note'
        ? 'ignored'
        : r[name as 'year' | 'free' | 'emission'];
  });

describe('eu-ets compliance fast path', () => {
  it('accepts exactly what the row parser accepts, with the same natural key and COPY text', () => {
    const writer = new VersionWriter(euEtsComplianceVariant.target, randomUUID(), randomUUID());
    let accepted = 0;
    let rejected = 0;
    fc.assert(
      fc.property(headers, fc.array(record, { minLength: 1, maxLength: 40 }), (header, records) => {
        const binding = euEtsComplianceVariant.bindHeader(header, {});
        if (!binding.ok || !binding.compileLine)
          throw new Error('the compliance header must bind with a fast path');
        const out: CompiledLine = { key: '', copy: '' };
        records.forEach((r, i) => {
          const values = valuesIn(header, r);
          const line = i + 2;
          const parsed = binding.parseRow(values, line);
          const fast = binding.compileLine!(values, out);
          expect(fast).toBe(parsed.ok);
          if (!parsed.ok) {
            rejected++;
            return;
          }
          accepted++;
          const row = parsed.rows[0]!;
          expect(out.key).toBe(euEtsDataset.naturalKey(row));
          const pieces: string[] = [];
          writer.pushCompiled(pieces, line, out.copy);
          expect(pieces.join('')).toBe(writer.encode(line, row));
        });
      }),
      { numRuns: 300 },
    );
    // Both sides of the property were exercised.
    expect(accepted).toBeGreaterThan(200);
    expect(rejected).toBeGreaterThan(200);
  });

  it('reads a step to the same COPY text, rejects and counts with the fast path as without it', async () => {
    // Mostly lines a file would have, on few installations (so keys repeat), some of anything.
    const usual = fc.record({
      id: fc.integer({ min: 1, max: 12 }).map((n) => `DE_${n}`),
      year: fc.integer({ min: 2013, max: 2020 }).map(String),
      free: fc.oneof(fc.constant(''), fc.nat(250_000).map(String)),
      emission: fc.oneof(
        fc.constant(''),
        fc.nat(5_000_000).map((n) => String(n / 10)),
      ),
    });
    const line = fc.oneof({ weight: 4, arbitrary: usual }, { weight: 1, arbitrary: record });
    const totals = { accepted: 0, rejected: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 50, maxLength: 200 }), async (records) => {
        const csv = [
          'installation_id,year,free,emission',
          ...records.map((r) => [r.id, r.year, r.free, r.emission].map((v) => `"${v}"`).join(',')),
        ].join('\n');
        const writer = new VersionWriter(euEtsComplianceVariant.target, randomUUID(), randomUUID());
        const read = async (fast: boolean) => {
          const opened = await openDataset('eu-ets', Readable.from([csv]), {});
          const reader = new StepReader<EuEtsRow>({
            records: opened.chunks,
            header: opened.header,
            parseRow: opened.bound.parseRow,
            naturalKey: euEtsDataset.naturalKey,
            keyColumns: opened.bound.variant.target.conflictKey,
            operation: 'op',
            encodeRow: (l, _seq, _key, row) => writer.encode(l, row as never),
            keepRaw: false,
            firstLineOfKey: new KeyLines(),
            lookup: null,
            compiled: fast
              ? {
                  line: opened.bound.compileLine!,
                  push: (pieces, l, copy) => writer.pushCompiled(pieces, l, copy),
                }
              : null,
          });
          const step = await reader.read(1_000, 2, null);
          await opened.chunks.return();
          return { ...step, copy: step.copy.join(''), ranked: null };
        };
        const fast = await read(true);
        expect(fast).toEqual(await read(false));
        totals.accepted += fast.accepted;
        totals.rejected += fast.rejects.length;
      }),
      { numRuns: 60 },
    );
    // Accepted lines, duplicates and invalid lines all occurred.
    expect(totals.accepted).toBeGreaterThan(1000);
    expect(totals.rejected).toBeGreaterThan(1000);
  });
});
