import { describe, expect, it } from 'vitest';
import { carbonIntensityFraction } from '../carbon-intensity.js';
import { greenScore } from '../green-score.js';
import type { SectorBenchmark } from '../sector-benchmarks.js';
import { component, ecotech, warningCodes } from './helpers.js';

describe('carbonIntensityFraction: ½ − log₂(ratio)/6, clamped (methodology doc, "Carbon intensity")', () => {
  it('gives half the points at the benchmark, all at 8× cleaner, none at 8× dirtier', () => {
    expect(carbonIntensityFraction(1)).toBe(0.5);
    expect(carbonIntensityFraction(1 / 8)).toBe(1);
    expect(carbonIntensityFraction(8)).toBe(0);
    expect(carbonIntensityFraction(1 / 64)).toBe(1);
    expect(carbonIntensityFraction(100)).toBe(0);
    expect(carbonIntensityFraction(0)).toBe(1);
  });

  it('moves by 1/6 per doubling', () => {
    expect(carbonIntensityFraction(0.5)).toBeCloseTo(0.5 + 1 / 6, 12);
    expect(carbonIntensityFraction(2)).toBeCloseTo(0.5 - 1 / 6, 12);
    expect(carbonIntensityFraction(4)).toBeCloseTo(0.5 - 2 / 6, 12);
  });
});

describe('carbon-intensity component on EcoTech (SIC 25210 → division 25)', () => {
  const result = greenScore(ecotech());
  const c = component(result, 'carbon-intensity');

  it('measures 2024 scope 1+2 per GBP million: (42.0 + 49.8) / 4.8 = 19.125', () => {
    expect(c.value).toBeCloseTo(19.125, 12);
    expect(c.unit).toBe('tCO2e per GBP million revenue');
  });

  it('compares with division 25: EPA median 0.234 kg/USD × 1000 × 1/8 = 29.25 t per USD million', () => {
    // 0.234 is the median of the 32 NAICS-6 factors mapped to SIC 25 (EPA Supply Chain GHG
    // Emission Factors v1.3.0, "without margins"), e.g. 333414 Heating Equipment 0.138.
    expect(c.benchmark?.original?.value).toBe(29.25);
    expect(c.benchmark?.sector).toEqual({
      sic: '25',
      level: 'division',
      title: 'Manufacture of fabricated metal products, except machinery and equipment',
      fromCaller: false,
    });
  });

  it('converts the benchmark at the ECB 2022 average cross rate: 29.25 × 1.0530486/0.85276086 = 36.1199 t per GBP million', () => {
    expect(c.benchmark?.fx?.rate).toBeCloseTo(0.85276086 / 1.0530486, 12);
    expect(c.benchmark?.value).toBeCloseTo(36.11994, 4);
  });

  it('scores 30 × (½ − log₂(19.125/36.11994)/6) = 19.587 → 19.6 points', () => {
    expect(c.points).toBe(19.6);
    expect(c.maxPoints).toBe(30);
    expect(c.explanation).toContain('19.13 tCO2e per GBP million revenue');
    expect(c.explanation).toContain('0.53×');
  });
});

describe('carbon-intensity: missing or unusable data scores 0 with a named warning', () => {
  it('no SIC code', () => {
    const r = greenScore({ ...ecotech(), sicCodes: [] });
    expect(component(r, 'carbon-intensity').points).toBe(0);
    expect(warningCodes(r)).toContain('missing_sic_code');
  });

  it('electricity (SIC 35110) has no benchmark: the EPA file has no NAICS 2211 factor', () => {
    const r = greenScore({ ...ecotech(), sicCodes: ['35110'] });
    expect(component(r, 'carbon-intensity').points).toBe(0);
    expect(warningCodes(r)).toContain('no_sector_benchmark');
  });

  it('missing scope 2 is not taken as zero', () => {
    const input = ecotech();
    input.metrics[2] = { ...input.metrics[2]!, scope2Tco2e: null };
    const r = greenScore(input);
    expect(component(r, 'carbon-intensity').points).toBe(0);
    expect(r.warnings).toContainEqual(
      expect.objectContaining({ code: 'missing_emissions', component: 'carbon-intensity' }),
    );
  });

  it('missing revenue, zero revenue', () => {
    const a = ecotech();
    a.metrics[2] = { ...a.metrics[2]!, revenue: undefined };
    expect(component(greenScore(a), 'carbon-intensity').points).toBe(0);
    expect(warningCodes(greenScore(a))).toContain('missing_revenue');
    const b = ecotech();
    b.metrics[2] = { ...b.metrics[2]!, revenue: { amount: 0, currency: 'GBP' } };
    expect(component(greenScore(b), 'carbon-intensity').points).toBe(0);
    expect(warningCodes(greenScore(b))).toContain('zero_revenue');
  });

  it('a currency with no rate in the FX table', () => {
    const input = ecotech();
    input.metrics[2] = { ...input.metrics[2]!, revenue: { amount: 2_000_000_00, currency: 'AED' } };
    const r = greenScore(input);
    expect(component(r, 'carbon-intensity').points).toBe(0);
    expect(warningCodes(r)).toContain('fx_rate_unavailable');
  });
});

describe('carbon-intensity with caller benchmarks', () => {
  const own: SectorBenchmark = {
    sic: '25',
    scope12PerMillionRevenue: 19.125,
    currency: 'GBP',
    year: 2024,
    source: 'Bank internal peer set 2024',
  };

  it('a caller entry for the same key replaces ours; equal intensity scores exactly half', () => {
    const r = greenScore(ecotech(), { benchmarks: [own] });
    const c = component(r, 'carbon-intensity');
    expect(c.benchmark?.value).toBe(19.125);
    expect(c.benchmark?.source).toBe('Bank internal peer set 2024');
    expect(c.benchmark?.sector?.fromCaller).toBe(true);
    expect(c.benchmark?.fx).toBeUndefined();
    expect(c.points).toBe(15);
  });

  it('a more specific caller key (class 2521) beats our division', () => {
    const r = greenScore(ecotech(), {
      benchmarks: [{ ...own, sic: '2521', scope12PerMillionRevenue: 19.125 * 8 }],
    });
    const c = component(r, 'carbon-intensity');
    expect(c.benchmark?.sector).toMatchObject({ sic: '2521', level: 'class', fromCaller: true });
    expect(c.points).toBe(30);
  });

  it('our more specific division beats a caller section entry; useDefaultBenchmarks: false uses only the caller', () => {
    const section: SectorBenchmark = { ...own, sic: 'C', scope12PerMillionRevenue: 19.125 / 8 };
    expect(
      component(greenScore(ecotech(), { benchmarks: [section] }), 'carbon-intensity').benchmark?.sector?.sic,
    ).toBe('25');
    const only = greenScore(ecotech(), { benchmarks: [section], useDefaultBenchmarks: false });
    expect(component(only, 'carbon-intensity').benchmark?.sector?.sic).toBe('C');
    expect(component(only, 'carbon-intensity').points).toBe(0);
  });

  it('a caller null entry removes a benchmark', () => {
    const r = greenScore(ecotech(), { benchmarks: [{ ...own, scope12PerMillionRevenue: null }] });
    expect(component(r, 'carbon-intensity').points).toBe(0);
    expect(warningCodes(r)).toContain('no_sector_benchmark');
  });
});
