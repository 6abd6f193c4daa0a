/**
 * `environmental-metrics`: our own template — the documented example, one fault per line, and a
 * header that lacks columns.
 */
import { describe, expect, it } from 'vitest';
import { DatasetHeaderError } from '../errors.js';
import { readDataset } from '../read-dataset.js';
import { fixtureStream, readAll, reasons } from './support.js';

describe('environmental-metrics dataset', () => {
  it('reads the template example, with revenue parsed exactly into minor units', async () => {
    const read = await readAll('environmental-metrics', fixtureStream('environmental-metrics-template.csv'));
    expect(read.rejects).toEqual([]);
    expect(read.rowLines).toEqual([2, 3, 4, 5, 6, 7]);
    expect(read.rows[0]).toEqual({
      jurisdiction: 'gb',
      companyNumber: '12345678',
      year: 2022,
      energyMwh: 588,
      scope1Tco2e: 120.5,
      scope2Tco2e: 85.2,
      scope3Tco2e: null,
      revenue: { amount: 1_150_000_000, currency: 'GBP' },
      renewableShare: 0.25,
      verified: true,
      pcafDataQuality: 2,
      source: 'Annual report 2022, p. 14',
    });
    // Empty cells are missing values; "no" is false; "1234567" / "GB" / "gbp" are normalised.
    expect(read.rows[3]).toMatchObject({
      companyNumber: 'SC123456',
      revenue: null,
      renewableShare: null,
      verified: false,
      pcafDataQuality: null,
      source: null,
    });
    expect(read.rows[4]).toMatchObject({
      jurisdiction: 'gb',
      companyNumber: '01234567',
      revenue: { amount: 98_000_000, currency: 'GBP' },
      renewableShare: 0,
    });
    // 45000000.5 USD is 4,500,000,050 cents — exactly, no float on the way.
    expect(read.rows[5]).toMatchObject({
      jurisdiction: 'us_de',
      companyNumber: '5501234',
      revenue: { amount: 4_500_000_050, currency: 'USD' },
    });
  });

  it('rejects each bad line with its physical line and every faulty field, keeping the rest', async () => {
    const read = await readAll('environmental-metrics', fixtureStream('environmental-metrics-bad-rows.csv'));
    expect(read.rowLines).toEqual([2, 10]);
    expect(read.rows[1]?.source).toBe('Sustainability report\n2024, p. 3');
    expect(reasons(read.rejects)).toEqual([
      [3, 'year: must be an integer between 1990 and 2100, got "20x4"'],
      [
        4,
        'energy_mwh: must be a number ≥ 0, got "-5"; renewable_share: must be a fraction between 0 and 1, got "1.5"; verified: must be true or false (yes/no, 1/0), got "maybe"; pcaf_data_quality: must be a PCAF data-quality score 1, 2, 3, 4 or 5, got "7"',
      ],
      [6, 'revenue_amount: GBP has 2 decimal places, got "1234.567"'],
      [7, 'revenue_currency: must be an ISO 4217 currency code such as GBP, got "XYZ"'],
      [8, 'revenue_currency: is required when revenue_amount is given'],
      [
        9,
        'duplicate: line 2 already has gb/12345678/2024 (jurisdiction, company_number, year); the first line wins',
      ],
      // Line 10–11 is one record (a quoted field with a line break): the next line is 12.
      [12, 'line has 16 fields but the header has 14: quote values that contain commas'],
      [
        13,
        'line has 5 fields but the header has 14: no value for "scope2_tco2e", "scope3_tco2e", "revenue_amount", "revenue_currency", "renewable_share", "verified", "pcaf_data_quality", "source", "notes"',
      ],
      // Line 14 is ",,,,…" and lines 19–20 are empty: blank, not data.
      [15, 'company_number: is required'],
      [16, 'jurisdiction: must be a jurisdiction code such as "gb" or "us_de", got "zz-top"'],
      [
        17,
        'energy_mwh: must be a number ≥ 0 (no thousands separators), got "1,000"; renewable_share: must be a fraction between 0 and 1 (no percent sign: 45% is 0.45), got "45%"',
      ],
      [
        18,
        'revenue_amount: must be a decimal amount like "1234.56" (no thousands separators or symbols), got "1,000.00"',
      ],
    ]);
    expect(read.dataLines).toBe(read.rows.length + read.rejects.length);
    expect(read.rejects[0]?.raw).toMatchObject({ company_number: '12345678', year: '20x4', notes: '' });
  });

  it('names every missing column before yielding any row', async () => {
    const batches = readDataset(
      'environmental-metrics',
      fixtureStream('environmental-metrics-missing-columns.csv'),
    );
    const error = await batches.next().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetHeaderError);
    expect(error).toMatchObject({
      code: 'invalid_header',
      line: 1,
      missingColumns: ['scope3_tco2e', 'pcaf_data_quality'],
      message: 'environmental-metrics: missing required columns "scope3_tco2e", "pcaf_data_quality"',
    });
  });
});
