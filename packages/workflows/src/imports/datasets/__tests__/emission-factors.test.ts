/**
 * `emission-factors`: the real DESNZ 2025 flat-file sample, and the factor set's year from the
 * header or the `year` option.
 */
import { describe, expect, it } from 'vitest';
import { DatasetError, DatasetHeaderError } from '../errors.js';
import { readDataset } from '../read-dataset.js';
import { chunked, fixtureStream, readAll, reasons } from './support.js';

describe('emission-factors dataset', () => {
  it('reads the real DESNZ sample: 110 factors, year 2025 from the header', async () => {
    const read = await readAll('emission-factors', fixtureStream('desnz-ghg-factors-2025-sample.csv'));
    expect(read.rejects).toEqual([]);
    expect(read.rows).toHaveLength(110);
    expect(new Set(read.rows.map((r) => r.year))).toEqual(new Set([2025]));
    const byId = (id: string) => read.rows.find((r) => r.factorId === id);
    // Sample line 2 (first line of the file).
    expect(byId('1_100_1000_15_1')).toEqual({
      year: 2025,
      factorId: '1_100_1000_15_1',
      scope: 'Scope 1',
      level1: 'Fuels',
      level2: 'Gaseous fuels',
      level3: 'Butane',
      level4: null,
      columnText: null,
      unit: 'tonnes',
      ghgUnit: 'kg CO2e',
      factor: 3033.38067,
    });
    // Sample line 33: the file writes small factors in exponent notation.
    expect(byId('1_100_1001_6_4')?.factor).toBe(0.00009);
    // Sample line 102 (file line 342): DESNZ publishes no factor — kept, as null.
    expect(byId('1_101_1021_8_1')).toMatchObject({ level3: 'Refinery miscellaneous', factor: null });
    // Sample line 106 (file line 3061): UK grid electricity, 0.177 kg CO2e/kWh.
    expect(byId('7_400_4000_5_1')).toMatchObject({
      scope: 'Scope 2',
      level1: 'UK electricity',
      unit: 'kWh',
      factor: 0.177,
    });
    // Sample line 110: a quoted level with a comma.
    expect(byId('21_316_3160_11_1')).toMatchObject({ level3: 'Domestic, to/from UK', columnText: 'With RF' });
  });

  it('takes the year from the option when the header has none, and rejects bad lines', async () => {
    const read = await readAll('emission-factors', fixtureStream('emission-factors-no-year.csv'), {
      year: 2025,
    });
    expect(read.rows.map((r) => [r.year, r.factorId, r.factor])).toEqual([
      [2025, '7_400_4000_5_1', 0.177],
      [2025, '1_100_1000_15_1', 3033.38067],
    ]);
    expect(reasons(read.rejects)).toEqual([
      [
        4,
        'ID: must be a DESNZ factor id like "7_400_4000_5_1", got "X-1"; Scope: must be one of Scope 1, Scope 2, Scope 3, Outside of Scopes, got "Scope 4"; Level 1: is required; UOM: is required; GHG Conversion Factor: must be a number, got "1e-05x"',
      ],
    ]);
  });

  it('refuses a file whose year it cannot tell, or that contradicts the option', async () => {
    await expect(
      readDataset('emission-factors', fixtureStream('emission-factors-no-year.csv')).next(),
    ).rejects.toThrow(/cannot tell the factor set's year/);
    const contradiction = readDataset(
      'emission-factors',
      fixtureStream('desnz-ghg-factors-2025-sample.csv'),
      { year: 2024 },
    );
    await expect(contradiction.next()).rejects.toBeInstanceOf(DatasetHeaderError);
    const badOption = readDataset('emission-factors', chunked('ID\n'), { year: 1990 });
    await expect(badOption.next()).rejects.toMatchObject({ code: 'invalid_option' });
    await expect(
      readDataset('emission-factors', chunked('ID,Scope\n1,Scope 1\n')).next(),
    ).rejects.toMatchObject({
      missingColumns: [
        'Level 1',
        'Level 2',
        'Level 3',
        'Level 4',
        'Column Text',
        'UOM',
        'GHG/Unit',
        'GHG Conversion Factor <year>',
      ],
    });
    expect(new DatasetError('invalid_option', 'x')).toBeInstanceOf(Error);
  });
});
