import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCode, GreenfinError } from '../../errors.js';
import {
  EMISSION_FACTOR_YEARS,
  ENERGY_SOURCES,
  FACTOR_KEYS,
  desnzEdition,
  emissionFactor,
  emissionFactorTable,
  type FactorKey,
} from '../emission-factors.js';
import {
  DEFAULT_DESNZ_DATA_DIR,
  GENERATED_FILE,
  generateDesnzFactorsModule,
} from '../../../scripts/emission-factors/generate-desnz-factors.js';
import { parseCsv } from '../../../scripts/lib/read-csv.js';

function errorOf(fn: () => unknown): GreenfinError {
  try {
    fn();
  } catch (e) {
    if (e instanceof GreenfinError) return e;
    throw e;
  }
  throw new Error('expected a GreenfinError');
}

describe('DESNZ 2025 factors (UK Government GHG Conversion Factors for Company Reporting 2025, flat file v1, June 2025)', () => {
  // Published values, sheet "Factors by Category", GHG/Unit "kg CO2e" rows.
  const published: [FactorKey, 'gross-cv' | 'net-cv' | 'default', number, string][] = [
    ['electricity', 'default', 0.177, '7_400_4000_5_1'],
    ['electricity-td-losses', 'default', 0.01853, '13_402_4000_5_1'],
    ['natural-gas', 'gross-cv', 0.18296, '1_100_1004_6_1'],
    ['natural-gas', 'net-cv', 0.2027, '1_100_1004_7_1'],
    ['lpg', 'gross-cv', 0.2145, '1_100_1003_6_1'],
    ['diesel', 'gross-cv', 0.24411, '1_101_1011_6_1'],
    ['gas-oil', 'gross-cv', 0.2565, '1_101_1014_6_1'],
    ['fuel-oil', 'gross-cv', 0.26813, '1_101_1013_6_1'],
    ['burning-oil', 'gross-cv', 0.24677, '1_101_1010_6_1'],
    ['coal', 'gross-cv', 0.32246, '1_102_1025_6_1'],
    ['wood-pellets', 'default', 0.0115, '2_104_1045_5_1'],
    ['wood-chips', 'default', 0.0115, '2_104_1044_5_1'],
    ['district-heat', 'default', 0.17529, '10_401_4003_5_1'],
  ];
  it.each(published)('%s (%s) = %f kgCO2e/kWh, factor ID %s', (key, basis, value, id) => {
    const f = emissionFactor(key, { year: 2025, basis: basis === 'default' ? undefined : basis });
    expect(f.value).toBe(value);
    expect(f.unit).toBe('kgCO2e/kWh');
    expect(f.source.id).toBe(id);
    expect(f.source.ghgUnit).toBe('kg CO2e');
    expect(f.source.file).toBe('ghg-conversion-factors-2025-flat-file.xlsx');
  });

  it('UK electricity is the Scope 2 location-based "electricity generated" row, 0.17700 kgCO2e/kWh', () => {
    const f = emissionFactor('electricity');
    expect(f.year).toBe(2025); // default year
    expect(f.value.toFixed(5)).toBe('0.17700');
    expect(f.scope).toBe('Scope 2');
    expect(f.source).toMatchObject({
      sheet: 'Factors by Category',
      row: 3066,
      level1: 'UK electricity',
      level2: 'Electricity generated',
      level3: 'Electricity: UK',
      level4: 'kWh',
      uom: 'kWh',
    });
    expect(f.citation).toContain('ID 7_400_4000_5_1');
  });

  it('natural gas defaults to the gross CV factor (the energy-billing basis), 0.18296 kgCO2e/kWh', () => {
    const f = emissionFactor('natural-gas');
    expect(f.value).toBe(0.18296);
    expect(f.basis).toBe('gross-cv');
    expect(f.scope).toBe('Scope 1');
    expect(f.source.uom).toBe('kWh (Gross CV)');
    expect(f.source.level3).toBe('Natural gas');
  });
});

describe('DESNZ 2024 factors (UK Government GHG Conversion Factors for Company Reporting 2024, full set v1.1)', () => {
  // Published values from the full-set workbook's formatted sheets (sheet, 1-based row).
  const published: [FactorKey, 'gross-cv' | 'net-cv' | 'default', number, string, number][] = [
    ['electricity', 'default', 0.20705, 'UK electricity', 25],
    ['electricity-td-losses', 'default', 0.0183, 'Transmission and distribution', 22],
    ['natural-gas', 'gross-cv', 0.1829, 'Fuels', 42],
    ['natural-gas', 'net-cv', 0.20264, 'Fuels', 41],
    ['lpg', 'gross-cv', 0.2145, 'Fuels', 38],
    ['diesel', 'gross-cv', 0.23902, 'Fuels', 74],
    ['gas-oil', 'gross-cv', 0.25649, 'Fuels', 86],
    ['fuel-oil', 'gross-cv', 0.26814, 'Fuels', 82],
    ['burning-oil', 'gross-cv', 0.24677, 'Fuels', 70],
    ['coal', 'gross-cv', 0.32302, 'Fuels', 133],
    ['wood-pellets', 'default', 0.01132, 'Bioenergy', 68],
    ['district-heat', 'default', 0.17965, 'Heat and steam', 22],
  ];
  it.each(published)('%s (%s) = %f kgCO2e/kWh, sheet %s row %i', (key, basis, value, sheet, row) => {
    const f = emissionFactor(key, { year: 2024, basis: basis === 'default' ? undefined : basis });
    expect(f.value).toBe(value);
    expect(f.source).toMatchObject({
      sheet,
      row,
      id: null,
      file: 'ghg-conversion-factors-2024-full-set-v1.1.xlsx',
    });
  });

  it('2024 → 2025 UK electricity 0.20705 → 0.177, as also quoted by Climate Essentials, "Carbon factors: A 2025 update" (2025)', () => {
    // Independent cross-check of the two headline values: 100,000 kWh × 0.20705 = 20,705 kgCO2e (2024)
    // and × 0.177 = 17,700 kgCO2e (2025), a ~15 % fall.
    expect(100_000 * emissionFactor('electricity', { year: 2024 }).value).toBeCloseTo(20_705, 6);
    expect(100_000 * emissionFactor('electricity', { year: 2025 }).value).toBeCloseTo(17_700, 6);
  });
});

describe('the factor table', () => {
  it('has every key for every year, one total (kg CO2e) row each, with its edition', () => {
    expect(EMISSION_FACTOR_YEARS).toEqual([2024, 2025]);
    for (const year of EMISSION_FACTOR_YEARS) {
      expect(desnzEdition(year)).toMatchObject({ year, licence: 'Open Government Licence v3.0' });
      for (const key of FACTOR_KEYS) {
        const f = emissionFactor(key, { year });
        expect(f.key).toBe(key);
        expect(f.value).toBeGreaterThan(0);
        expect(f.value).toBeLessThan(1);
      }
    }
    expect(emissionFactorTable()).toHaveLength(2 * 19); // 12 keys; 7 fuels have gross + net
    expect(ENERGY_SOURCES).not.toContain('electricity-td-losses');
  });

  it('fuels publish gross CV ≤ net CV per kWh (the same energy counted with its latent heat)', () => {
    for (const year of EMISSION_FACTOR_YEARS) {
      for (const key of [
        'natural-gas',
        'lpg',
        'diesel',
        'gas-oil',
        'fuel-oil',
        'burning-oil',
        'coal',
      ] as const) {
        const gross = emissionFactor(key, { year, basis: 'gross-cv' }).value;
        const net = emissionFactor(key, { year, basis: 'net-cv' }).value;
        expect(gross).toBeLessThan(net);
      }
    }
  });

  it('rejects unknown sources, years and bases with a typed error naming the field', () => {
    expect(errorOf(() => emissionFactor('steam' as FactorKey))).toMatchObject({
      code: ErrorCode.InvalidOption,
      path: 'source',
    });
    expect(errorOf(() => emissionFactor('electricity', { year: 2023 as 2024 }))).toMatchObject({
      code: ErrorCode.InvalidOption,
      path: 'year',
    });
    expect(errorOf(() => emissionFactor('electricity', { basis: 'net-cv' }))).toMatchObject({
      code: ErrorCode.InvalidOption,
      path: 'basis',
    });
    expect(errorOf(() => emissionFactor('wood-pellets', { basis: 'gross-cv' }))).toMatchObject({
      code: ErrorCode.InvalidOption,
      path: 'basis',
    });
    expect(errorOf(() => emissionFactor('natural-gas', { basis: 'hhv' as 'gross-cv' }))).toMatchObject({
      code: ErrorCode.InvalidOption,
      path: 'basis',
    });
  });
});

describe('generation from the published files', () => {
  const hasData = existsSync(join(DEFAULT_DESNZ_DATA_DIR, 'ghg-conversion-factors-2025-flat-file.csv'));
  const why = hasData ? '' : ` — SKIPPED: DESNZ source files not found in ${DEFAULT_DESNZ_DATA_DIR}`;

  it.skipIf(!hasData)(`the committed table equals a fresh generation${why}`, async () => {
    const fresh = await generateDesnzFactorsModule(DEFAULT_DESNZ_DATA_DIR);
    expect(fresh).toBe(readFileSync(GENERATED_FILE, 'utf8'));
  });

  it('the committed file carries the OGL v3.0 attribution statement', () => {
    const text = readFileSync(GENERATED_FILE, 'utf8');
    expect(text).toContain(
      'Contains public sector information licensed under the Open Government Licence v3.0',
    );
    expect(text).toContain('GENERATED FILE');
  });

  it('parses RFC 4180 CSV: quoted commas, doubled quotes and line breaks inside quotes', () => {
    expect(parseCsv('ID,Level 3\r\n1,"Long-haul, to/from UK"\n2,"a ""b""\nc"\n')).toEqual([
      ['ID', 'Level 3'],
      ['1', 'Long-haul, to/from UK'],
      ['2', 'a "b"\nc'],
    ]);
    expect(() => parseCsv('a,"b')).toThrow(/unterminated/);
  });
});
