import { describe, expect, it } from 'vitest';
import { annualChange, onePointFivePathRate, trendFraction } from '../emissions-trend.js';
import { greenScore } from '../green-score.js';
import { component, ecotech, warningCodes } from './helpers.js';

describe('the 1.5 °C path (SBTi absolute contraction: 4.2 % of base-year emissions a year, linear)', () => {
  it('is 4.2 %/yr over one year (SBTi Corporate Net-Zero Standard v1.0, near-term ACA minimum)', () => {
    expect(onePointFivePathRate(1)).toBe(0.042);
  });

  it('over two years cuts 8.4 %, i.e. 1 − √0.916 = 4.2921 %/yr compound', () => {
    expect(onePointFivePathRate(2)).toBeCloseTo(1 - Math.sqrt(0.916), 15);
    expect(onePointFivePathRate(2)).toBeCloseTo(0.042921, 6);
  });

  it('reaches the SBTi 42 % over 2020–2030 after ten years', () => {
    expect(1 - (1 - onePointFivePathRate(10)) ** 10).toBeCloseTo(0.42, 12);
  });
});

describe('annualChange and trendFraction', () => {
  it('compound annual change: (to/from)^(1/n) − 1', () => {
    expect(annualChange(100, 81, 2)).toBeCloseTo(-0.1, 12);
    expect(annualChange(100, 121, 2)).toBeCloseTo(0.1, 12);
    expect(annualChange(0, 0, 1)).toBe(0);
    expect(annualChange(50, 0, 2)).toBe(-1);
    expect(annualChange(0, 5, 1)).toBeNull();
  });

  it('flat or rising earns nothing, the path pace or faster everything, linear between', () => {
    expect(trendFraction(0, 1)).toBe(0);
    expect(trendFraction(0.05, 1)).toBe(0);
    expect(trendFraction(-0.021, 1)).toBeCloseTo(0.5, 12);
    expect(trendFraction(-0.042, 1)).toBe(1);
    expect(trendFraction(-0.3, 2)).toBe(1);
    expect(trendFraction(null, 1)).toBe(0);
    expect(trendFraction(0, 1, true)).toBe(1);
  });
});

describe('emissions trend on EcoTech', () => {
  const r = greenScore(ecotech());

  it('year on year 2023 → 2024: (42.0 + 49.8)/(49.4 + 58.6) − 1 = 91.8/108 − 1 = −15 % → 10 of 10', () => {
    const c = component(r, 'emissions-trend-yoy');
    expect(c.value).toBeCloseTo(-0.15, 12);
    expect(c.benchmark?.value).toBe(-0.042);
    expect(c.points).toBe(10);
  });

  it('2022 → 2024: √(91.8/127.1) − 1 = −15.01 %/yr against −4.29 %/yr → 10 of 10', () => {
    const c = component(r, 'emissions-trend-cagr');
    expect(c.value).toBeCloseTo(-0.150138, 6);
    expect(c.benchmark?.value).toBeCloseTo(-0.042921, 6);
    expect(c.points).toBe(10);
  });
});

describe('emissions trend: partial points and missing years', () => {
  it('−2.1 % year on year earns half: 5.0 points', () => {
    const input = ecotech();
    input.metrics[1] = { ...input.metrics[1]!, scope1Tco2e: 0, scope2Tco2e: 100 };
    input.metrics[2] = { ...input.metrics[2]!, scope1Tco2e: 0, scope2Tco2e: 97.9 };
    expect(component(greenScore(input), 'emissions-trend-yoy').points).toBe(5);
  });

  it('rising emissions earn nothing', () => {
    const input = ecotech();
    input.metrics[2] = { ...input.metrics[2]!, scope1Tco2e: 80 };
    const r = greenScore(input);
    expect(component(r, 'emissions-trend-yoy').points).toBe(0);
    expect(component(r, 'emissions-trend-cagr').points).toBe(0);
  });

  it('no prior year → year-on-year 0 with missing_prior_year; no year T−2 → multi-year 0 with missing_base_year', () => {
    const input = ecotech();
    input.metrics.splice(1, 1); // drop 2023
    const a = greenScore(input);
    expect(component(a, 'emissions-trend-yoy').points).toBe(0);
    expect(component(a, 'emissions-trend-cagr').points).toBe(10);
    expect(warningCodes(a)).toContain('missing_prior_year');
    const only = ecotech();
    only.metrics.splice(0, 1); // drop 2022
    const b = greenScore(only);
    expect(component(b, 'emissions-trend-cagr').points).toBe(0);
    expect(warningCodes(b)).toContain('missing_base_year');
  });

  it('zero latest emissions earn full trend points; a rise from zero none', () => {
    const zero = ecotech();
    zero.metrics[2] = { ...zero.metrics[2]!, scope1Tco2e: 0, scope2Tco2e: 0 };
    expect(component(greenScore(zero), 'emissions-trend-yoy').points).toBe(10);
    const fromZero = ecotech();
    fromZero.metrics[1] = { ...fromZero.metrics[1]!, scope1Tco2e: 0, scope2Tco2e: 0 };
    const r = greenScore(fromZero);
    expect(component(r, 'emissions-trend-yoy').points).toBe(0);
    expect(component(r, 'emissions-trend-yoy').value).toBeNull();
  });
});
