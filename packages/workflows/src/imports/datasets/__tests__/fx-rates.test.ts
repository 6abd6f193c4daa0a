/**
 * `fx-rates`: the real ECB history sample (one column per currency, N/A for no fixing, a trailing
 * empty column) turned into one row per day and currency.
 */
import { describe, expect, it } from 'vitest';
import { readDataset } from '../read-dataset.js';
import { chunked, fixtureStream, readAll, reasons } from './support.js';

describe('fx-rates dataset', () => {
  it('reads the real ECB sample: 60 days, 1,800 quoted rates, N/A skipped', async () => {
    const read = await readAll('fx-rates', fixtureStream('ecb-eurofxref-hist-sample.csv'));
    expect(read.rejects).toEqual([]);
    expect(read.dataLines).toBe(60);
    expect(read.rows).toHaveLength(1800); // 30 currencies quoted on each of the 60 days
    // Sample line 2: 2025-05-09.
    const may9 = read.rows.filter((r) => r.date === '2025-05-09');
    expect(may9).toHaveLength(30);
    expect(may9.find((r) => r.currency === 'GBP')).toEqual({
      date: '2025-05-09',
      currency: 'GBP',
      ratePerEur: 0.8477,
    });
    expect(may9.find((r) => r.currency === 'USD')?.ratePerEur).toBe(1.1252);
    expect(may9.find((r) => r.currency === 'IDR')?.ratePerEur).toBe(18606.59);
    expect(may9.some((r) => r.currency === 'CYP' || r.currency === 'RUB')).toBe(false); // "N/A"
    expect(read.rowLines.filter((l) => l === 2)).toHaveLength(30);
  });

  it('rejects a line for a bad rate, a bad date, a repeated day or a day without rates', async () => {
    const read = await readAll('fx-rates', fixtureStream('ecb-fx-bad-rows.csv'));
    expect(read.rows).toEqual([
      { date: '2025-05-09', currency: 'USD', ratePerEur: 1.1252 },
      { date: '2025-05-09', currency: 'GBP', ratePerEur: 0.8477 },
      { date: '2008-01-02', currency: 'USD', ratePerEur: 1.4708 },
      { date: '2008-01-02', currency: 'GBP', ratePerEur: 0.74355 },
      { date: '2008-01-02', currency: 'CYP', ratePerEur: 0.5853 },
    ]);
    expect(reasons(read.rejects)).toEqual([
      [3, 'USD: must be a rate > 0 or N/A, got "abc"'],
      [4, 'Date: must be a calendar date YYYY-MM-DD, got "2025-02-30"'],
      [5, 'duplicate: line 2 already has 2025-05-09/USD (date, currency); the first line wins'],
      [6, 'Date: "2025-05-07" has no rate for any currency'],
      [7, 'GBP: must be a rate > 0 or N/A, got "-0.5"'],
    ]);
  });

  it('needs a Date column and at least one currency column; refuses a EUR column', async () => {
    await expect(readDataset('fx-rates', chunked('Day,USD\n2025-01-02,1.03\n')).next()).rejects.toMatchObject(
      {
        missingColumns: ['Date'],
      },
    );
    await expect(
      readDataset('fx-rates', chunked('Date,Comment,\n2025-01-02,x,\n')).next(),
    ).rejects.toMatchObject({
      missingColumns: ['<ISO 4217 code>'],
    });
    await expect(readDataset('fx-rates', chunked('Date,USD,EUR\n')).next()).rejects.toThrow(/per euro/);
    await expect(readDataset('fx-rates', chunked('Date,USD,usd\n')).next()).rejects.toThrow(
      'fx-rates: column "usd" appears twice (columns 2 and 3)',
    );
  });
});
