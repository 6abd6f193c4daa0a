/**
 * The reader's contract, whatever the dataset: header first, batches at record boundaries, a
 * checkpoint resume that yields exactly what the uninterrupted run yields, prompt abort, nothing
 * dropped.
 */
import { createReadStream } from 'node:fs';
import { PassThrough } from 'node:stream';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { DatasetCsvError, DatasetError, DatasetHeaderError } from '../errors.js';
import { planDataset } from '../plan-dataset.js';
import { readDataset } from '../read-dataset.js';
import type { DatasetName } from '../types.js';
import { chunked, fixture, fixtureBytes, readAll } from './support.js';

const FILES: readonly { dataset: DatasetName; file: string }[] = [
  { dataset: 'environmental-metrics', file: 'environmental-metrics-bad-rows.csv' },
  { dataset: 'companies', file: 'companies-bom-crlf.csv' },
  { dataset: 'companies', file: 'companies-house-export-sample.csv' },
  { dataset: 'fx-rates', file: 'ecb-fx-bad-rows.csv' },
  { dataset: 'eu-ets', file: 'eutl-compliance-sample.csv' },
];

/** What a run produced, line by line, for comparing runs. */
async function outcome(
  dataset: DatasetName,
  bytes: Buffer,
  opts: { fromLine?: number; batchSize?: number; cuts?: number[] },
) {
  const read = await readAll(dataset, chunked(bytes, opts.cuts), opts);
  return {
    rows: read.rows.map((row, i) => ({ line: read.rowLines[i]!, row })),
    rejects: read.rejects,
    dataLines: read.dataLines,
    batches: read.batches,
  };
}

describe('readDataset', () => {
  test.prop(
    [
      fc.constantFrom(...FILES),
      fc.integer({ min: 1, max: 40 }),
      fc.nat({ max: 200 }),
      fc.array(fc.nat({ max: 20_000 }), { maxLength: 5 }),
    ],
    { numRuns: 60 },
  )(
    'resuming from any batch checkpoint yields exactly the rest of the uninterrupted run',
    async (f, batchSize, k, cuts) => {
      const bytes = fixtureBytes(f.file);
      const whole = await outcome(f.dataset, bytes, { batchSize });
      const split = k % whole.batches.length;
      const checkpoint = whole.batches[split]!.lastLine + 1;
      const before = await outcome(f.dataset, bytes, { batchSize });
      const rowsBefore = before.rows.filter((r) => r.line < checkpoint);
      const rejectsBefore = before.rejects.filter((r) => r.line < checkpoint);
      // Batches up to the checkpoint hold exactly the lines before it.
      const consumedBefore = before.batches.slice(0, split + 1).reduce((n, b) => n + b.size, 0);
      expect(consumedBefore).toBe(rowsBefore.length + rejectsBefore.length);
      const after = await outcome(f.dataset, bytes, { batchSize, fromLine: checkpoint, cuts });
      expect([...rowsBefore, ...after.rows]).toEqual(whole.rows);
      expect([...rejectsBefore, ...after.rejects]).toEqual(whole.rejects);
    },
  );

  test.prop([fc.constantFrom(...FILES), fc.integer({ min: 1, max: 140 }), fc.integer({ min: 1, max: 25 })], {
    numRuns: 60,
  })(
    'from any line, yields exactly the uninterrupted run’s lines from there on (duplicates included)',
    async (f, fromLine, batchSize) => {
      const bytes = fixtureBytes(f.file);
      const whole = await outcome(f.dataset, bytes, {});
      const resumed = await outcome(f.dataset, bytes, { fromLine, batchSize });
      expect(resumed.rows).toEqual(whole.rows.filter((r) => r.line >= fromLine));
      expect(resumed.rejects).toEqual(whole.rejects.filter((r) => r.line >= fromLine));
    },
  );

  it('cuts batches at record boundaries once they hold batchSize rows + rejects', async () => {
    const read = await readAll(
      'environmental-metrics',
      createReadStream(fixture('environmental-metrics-bad-rows.csv')),
      {
        batchSize: 3,
      },
    );
    expect(read.batches).toEqual([
      { lastLine: 4, size: 3 },
      { lastLine: 8, size: 3 },
      { lastLine: 12, size: 3 }, // line 12 follows the record on lines 10–11
      { lastLine: 16, size: 3 },
      { lastLine: 18, size: 2 },
    ]);
    expect(read.dataLines).toBe(14);
  });

  it('checks the header before reading on: an endless file with a bad header fails at once', async () => {
    let chunksPulled = 0;
    async function* endless(): AsyncGenerator<string> {
      yield 'company_number,year\n';
      for (;;) {
        chunksPulled++;
        yield '12345678,2024\n'.repeat(100);
      }
    }
    const error = await readDataset('environmental-metrics', endless())
      .next()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetHeaderError);
    expect(chunksPulled).toBeLessThan(100);
  });

  it('rejects a line holding bytes that are not UTF-8, naming the column', async () => {
    const latin1 = Buffer.concat([
      Buffer.from('Date,USD\n2025-01-02,1.03\n'),
      Buffer.from('2025-01-03,1.0', 'utf8'),
      Buffer.from([0xa3]), // "£" in Latin-1
      Buffer.from('\n'),
    ]);
    const read = await readAll('fx-rates', chunked(latin1));
    expect(read.rows).toHaveLength(1);
    expect(read.rejects.map((r) => [r.line, r.reason])).toEqual([
      [3, 'USD: not valid UTF-8 text; save the file as UTF-8'],
    ]);
  });

  it('refuses an empty file, an unknown dataset and bad options before reading', async () => {
    await expect(readDataset('fx-rates', chunked('\n\n')).next()).rejects.toMatchObject({
      code: 'empty_file',
    });
    await expect(readDataset('nope' as DatasetName, chunked('a\n')).next()).rejects.toMatchObject({
      code: 'unknown_dataset',
    });
    await expect(
      readDataset('fx-rates', chunked('Date,USD\n'), { fromLine: 0 }).next(),
    ).rejects.toBeInstanceOf(DatasetError);
    await expect(
      readDataset('fx-rates', chunked('Date,USD\n'), { batchSize: 1.5 }).next(),
    ).rejects.toMatchObject({
      code: 'invalid_option',
    });
  });

  it('stops promptly when aborted, even while the upload stalls, and closes the upload', async () => {
    const upload = new PassThrough();
    upload.write('Date,USD,GBP\n');
    for (let d = 1; d <= 9; d++) upload.write(`2025-01-0${d},1.0${d},0.8${d}\n`);
    // …and then nothing more arrives: the next read waits forever unless aborted.
    const controller = new AbortController();
    const batches = readDataset('fx-rates', upload, { batchSize: 4, signal: controller.signal });
    const first = await batches.next();
    expect(first.done).toBe(false);
    expect(first.value?.rows).toHaveLength(4);
    const pending = batches.next();
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(upload.destroyed).toBe(true);
  });

  it('refuses to start on an already aborted signal', async () => {
    const controller = new AbortController();
    controller.abort(new Error('operation canceled'));
    await expect(
      readDataset('fx-rates', chunked('Date,USD\n'), { signal: controller.signal }).next(),
    ).rejects.toThrow('operation canceled');
  });

  it('closes the file when the consumer stops early', async () => {
    const stream = createReadStream(fixture('eutl-compliance-sample.csv'), { highWaterMark: 256 });
    for await (const batch of readDataset('eu-ets', stream, { batchSize: 10 })) {
      expect(batch.rows).toHaveLength(10);
      break;
    }
    expect(stream.destroyed).toBe(true);
  });

  it('fails the file on malformed CSV, naming the line where the bad record starts', async () => {
    const csv =
      'installation_id,year,free,emission\r\nDE_1,2019,"1\r\n",2\r\nDE_2,2019,"1,2\r\nDE_3,2019,1,2\r\n';
    const error = await (async () => {
      for await (const batch of readDataset('eu-ets', chunked(csv), { batchSize: 1 }))
        expect(batch.rowLines).toEqual([2]);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetCsvError);
    expect(error).toMatchObject({ code: 'csv_syntax', line: 4 });
  });
});

describe('planDataset', () => {
  it('counts data lines and names the variant and table without validating values', async () => {
    const plan = await planDataset(
      'environmental-metrics',
      createReadStream(fixture('environmental-metrics-bad-rows.csv')),
    );
    expect(plan).toMatchObject({
      dataset: 'environmental-metrics',
      variant: 'environmental-metrics',
      table: 'environmental_metrics',
      ignoredColumns: ['notes'],
      headerLine: 1,
      dataLines: 14,
      lastLine: 18,
    });
    const eu = await planDataset('eu-ets', createReadStream(fixture('eutl-installations-sample.csv')));
    expect(eu).toMatchObject({
      variant: 'eu-ets-installations',
      table: 'eu_ets_installations',
      dataLines: 100,
    });
    const fx = await planDataset('fx-rates', createReadStream(fixture('ecb-eurofxref-hist-sample.csv')));
    expect(fx.ignoredColumns).toEqual([]); // the trailing unnamed column is not reported
  });

  it('fails on a bad header or malformed CSV, so nothing is written for such a file', async () => {
    await expect(
      planDataset('eu-ets', createReadStream(fixture('eu-ets-unknown-header.csv'))),
    ).rejects.toBeInstanceOf(DatasetHeaderError);
    await expect(
      planDataset('fx-rates', chunked('Date,USD\n2025-01-02,1\n"2025-01-03,1\n')),
    ).rejects.toMatchObject({
      code: 'csv_syntax',
      line: 3,
    });
  });
});
