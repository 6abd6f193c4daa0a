import { describe, expect, it } from 'vitest';
import { DEFAULT_FX_RATES, assertFxRates, fxRate } from '../fx.js';
import { ECB_FX_PROVENANCE } from '../reference-fx-rates.generated.js';
import {
  DEFAULT_SECTOR_BENCHMARKS,
  SECTOR_BENCHMARK_PROVENANCE,
  findSectorBenchmark,
} from '../sector-benchmarks.js';
import { SECTOR_FACTORS } from '../sector-benchmarks.generated.js';
import { SIC_CODES_PROVENANCE } from '../sic-codes.generated.js';
import { SIC_SECTIONS, parseSicCode, sectionOfDivision } from '../sic.js';

describe('SIC 2007 sections from division ranges (ONS UK SIC 2007 structure)', () => {
  it('places divisions in their sections', () => {
    const expected: [number, string][] = [
      [1, 'A'], [3, 'A'], [5, 'B'], [9, 'B'], [10, 'C'], [25, 'C'], [33, 'C'], [35, 'D'], [36, 'E'], [39, 'E'],
      [41, 'F'], [43, 'F'], [45, 'G'], [47, 'G'], [49, 'H'], [53, 'H'], [55, 'I'], [56, 'I'], [58, 'J'], [63, 'J'],
      [64, 'K'], [66, 'K'], [68, 'L'], [69, 'M'], [75, 'M'], [77, 'N'], [82, 'N'], [84, 'O'], [85, 'P'], [86, 'Q'],
      [88, 'Q'], [90, 'R'], [93, 'R'], [94, 'S'], [96, 'S'], [97, 'T'], [98, 'T'], [99, 'U'],
    ]; // prettier-ignore
    for (const [division, section] of expected) expect(sectionOfDivision(division)).toBe(section);
  });

  it('knows the gaps in the numbering: 04, 34, 40, 44, 48, 54, 57, 67, 76, 83, 89 are not divisions', () => {
    for (const d of [0, 4, 34, 40, 44, 48, 54, 57, 67, 76, 83, 89])
      expect(sectionOfDivision(d)).toBeUndefined();
    expect(SIC_SECTIONS).toHaveLength(21);
  });

  it('parses Companies House subclasses and shorter codes', () => {
    expect(parseSicCode('25210')).toEqual({ code: '25210', division: '25', section: 'C' });
    expect(parseSicCode('62012')).toEqual({ code: '62012', division: '62', section: 'J' });
    expect(parseSicCode('99999')).toEqual({ code: '99999', division: '99', section: 'U' }); // "Dormant Company"
    expect(parseSicCode('2521')).toMatchObject({ division: '25', section: 'C' });
    expect(() => parseSicCode('25219')).toThrow(expect.objectContaining({ code: 'invalid_option' }));
    expect(() => parseSicCode('1')).toThrow(expect.objectContaining({ code: 'invalid_type' }));
  });

  it('ships the 731 codes of the Companies House condensed list with provenance (OGL v3.0)', () => {
    expect(SIC_CODES_PROVENANCE.codes).toBe(731);
    expect(SIC_CODES_PROVENANCE.licence).toBe('Open Government Licence v3.0');
  });
});

describe('default FX: ECB euro reference rates, 2022 annual averages (Source: ECB)', () => {
  it('matches the ECB’s published 2022 annual averages at their precision (ECB SDW series EXR.A.{USD,GBP,JPY,CHF}.EUR.SP00.A)', () => {
    // Published: USD 1.0530, GBP 0.85276, JPY 138.03, CHF 1.0047.
    expect(DEFAULT_FX_RATES.rates.USD?.toFixed(4)).toBe('1.0530');
    expect(DEFAULT_FX_RATES.rates.GBP?.toFixed(5)).toBe('0.85276');
    expect(DEFAULT_FX_RATES.rates.JPY?.toFixed(2)).toBe('138.03');
    expect(DEFAULT_FX_RATES.rates.CHF?.toFixed(4)).toBe('1.0047');
    expect(DEFAULT_FX_RATES).toMatchObject({ base: 'EUR', year: 2022 });
  });

  it('cross rates go through the euro: USD per GBP = 1.0530486 / 0.85276086', () => {
    expect(fxRate('GBP', 'USD')).toBeCloseTo(1.0530486 / 0.85276086, 12);
    expect(fxRate('EUR', 'GBP')).toBe(0.85276086);
    expect(fxRate('GBP', 'GBP')).toBe(1);
    expect(fxRate('GBP', 'AED')).toBeNull();
  });

  it('carries provenance', () => {
    expect(ECB_FX_PROVENANCE).toMatchObject({
      publisher: 'European Central Bank',
      file: 'eurofxref-hist.csv',
    });
    expect(ECB_FX_PROVENANCE.method).toContain('257 daily reference rates of 2022');
    expect(ECB_FX_PROVENANCE.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('validates a caller table', () => {
    expect(() => assertFxRates({ base: 'EUR', year: 2024, source: 'x', rates: { GBP: -1 } }, 'fx')).toThrow(
      expect.objectContaining({ path: 'fx.rates.GBP' }),
    );
  });
});

describe('sector benchmarks derived from US EPA Supply Chain GHG Emission Factors v1.3.0 (public domain)', () => {
  it('carries provenance: dataset, file, version, licence, method, concordance, generated-on', () => {
    expect(SECTOR_BENCHMARK_PROVENANCE).toMatchObject({
      dataset: 'Supply Chain Greenhouse Gas Emission Factors v1.3 by NAICS-6',
      version: '1.3.0',
      file: 'SupplyChainGHGEmissionFactors_v1.3.0_NAICS_CO2e_USD2022.csv',
      licence: 'Public domain (U.S. federal government work)',
      column: 'Supply Chain Emission Factors without Margins',
      currency: 'USD',
      priceYear: 2022,
      naicsIndustries: 1016,
    });
    expect(SECTOR_BENCHMARK_PROVENANCE.generatedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(SECTOR_BENCHMARK_PROVENANCE.concordance).toContain('ISIC Rev. 4');
    expect(SECTOR_BENCHMARK_PROVENANCE.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('every default benchmark cites its source and derivation', () => {
    expect(DEFAULT_SECTOR_BENCHMARKS.length).toBe(SECTOR_FACTORS.length);
    for (const b of DEFAULT_SECTOR_BENCHMARKS) {
      expect(b.derivation).toBeTruthy();
      if (b.scope12PerMillionRevenue !== null) {
        expect(b.source).toContain('US EPA Supply Chain GHG Emission Factors v1.3.0');
        expect(b.currency).toBe('USD');
        expect(b.year).toBe(2022);
      }
    }
  });

  it('a division with one NAICS industry takes its published factor: SIC 12 ← 312230 Tobacco Manufacturing 0.055 kg/USD', () => {
    const row = SECTOR_FACTORS.find((r) => r.sic === '12');
    expect(row).toMatchObject({ naicsIndustries: 1, median: 0.055, min: 0.055, max: 0.055 });
    expect(DEFAULT_SECTOR_BENCHMARKS.find((b) => b.sic === '12')?.scope12PerMillionRevenue).toBeCloseTo(
      (0.055 * 1000) / 8,
      12,
    );
  });

  it('sections contain their divisions’ industries; quartiles bracket the median', () => {
    for (const s of SECTOR_FACTORS.filter((r) => r.level === 'section')) {
      const divisions = SECTOR_FACTORS.filter(
        (r) => r.level === 'division' && sectionOfDivision(Number(r.sic)) === s.sic,
      );
      expect(divisions.reduce((n, d) => n + d.naicsIndustries, 0)).toBe(s.naicsIndustries);
    }
    for (const r of SECTOR_FACTORS.filter((x) => x.median !== null)) {
      expect(r.min!).toBeLessThanOrEqual(r.p25!);
      expect(r.p25!).toBeLessThanOrEqual(r.median!);
      expect(r.median!).toBeLessThanOrEqual(r.p75!);
      expect(r.p75!).toBeLessThanOrEqual(r.max!);
    }
  });

  it('all 1,016 NAICS-6 industries are placed, and electricity (SIC 35.1) is an explicit gap', () => {
    const total = SECTOR_FACTORS.filter((r) => r.level === 'section').reduce(
      (n, r) => n + r.naicsIndustries,
      0,
    );
    expect(total).toBe(1016);
    expect(findSectorBenchmark(parseSicCode('35110'))?.benchmark.scope12PerMillionRevenue).toBeNull();
    expect(findSectorBenchmark(parseSicCode('35220'))?.matchedKey).toBe('35');
  });

  it('public administration (O), households (T) and extraterritorial bodies (U) have no benchmark', () => {
    expect(findSectorBenchmark(parseSicCode('84110'))).toBeNull();
    expect(findSectorBenchmark(parseSicCode('97000'))).toBeNull();
    expect(findSectorBenchmark(parseSicCode('99000'))).toBeNull();
  });
});
