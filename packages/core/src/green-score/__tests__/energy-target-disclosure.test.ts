import { describe, expect, it } from 'vitest';
import { pcafFraction } from '../disclosure.js';
import { energyTrendFraction } from '../energy.js';
import { greenScore } from '../green-score.js';
import { targetAmbitionFraction } from '../target-ambition.js';
import { component, ecotech, warningCodes } from './helpers.js';

describe('renewable share: 8 × share', () => {
  it('EcoTech 2024: 42 % → 8 × 0.42 = 3.36 → 3.4 points', () => {
    const c = component(greenScore(ecotech()), 'renewable-share');
    expect(c.value).toBe(0.42);
    expect(c.points).toBe(3.4);
  });

  it('missing share: 0 with missing_renewable_share', () => {
    const input = ecotech();
    input.metrics[2] = { ...input.metrics[2]!, renewableShare: null };
    const r = greenScore(input);
    expect(component(r, 'renewable-share').points).toBe(0);
    expect(warningCodes(r)).toContain('missing_renewable_share');
  });
});

describe('energy-intensity trend vs the COP28 4 %/yr efficiency pace', () => {
  it('EcoTech: 690/4.1 = 168.29 → 500/4.8 = 104.17 MWh per GBP million, √(104.17/168.29) − 1 = −21.33 %/yr → 7 of 7', () => {
    const c = component(greenScore(ecotech()), 'energy-intensity-trend');
    expect(c.value).toBeCloseTo(Math.sqrt(500 / 4.8 / (690 / 4.1)) - 1, 12);
    expect(c.value).toBeCloseTo(-0.213259, 6);
    expect(c.benchmark?.value).toBe(-0.04);
    expect(c.points).toBe(7);
  });

  it('−2 %/yr earns half', () => {
    expect(energyTrendFraction(-0.02)).toBeCloseTo(0.5, 12);
    expect(energyTrendFraction(0.01)).toBe(0);
    expect(energyTrendFraction(null)).toBe(0);
    expect(energyTrendFraction(0, true)).toBe(1);
  });

  it('flat intensity (energy and revenue both +10 %) earns nothing', () => {
    const input = ecotech();
    input.metrics[2] = {
      ...input.metrics[2]!,
      energyMwh: 690 * 1.1,
      revenue: { amount: 451_000_000, currency: 'GBP' },
    };
    expect(component(greenScore(input), 'energy-intensity-trend').points).toBe(0);
  });

  it('converts a base year reported in another currency at the FX table rate', () => {
    const input = ecotech();
    // £4.1m at the ECB 2022 averages: 4.1 / 0.85276086 = 4.807913 EUR million → 480_791_297 cents.
    input.metrics[0] = { ...input.metrics[0]!, revenue: { amount: 480_791_297, currency: 'EUR' } };
    const c = component(greenScore(input), 'energy-intensity-trend');
    expect(c.value).toBeCloseTo(-0.213259, 6);
  });

  it('missing base-year energy: 0 with missing_energy', () => {
    const input = ecotech();
    input.metrics[0] = { ...input.metrics[0]!, energyMwh: undefined };
    const r = greenScore(input);
    expect(component(r, 'energy-intensity-trend').points).toBe(0);
    expect(warningCodes(r)).toContain('missing_energy');
  });
});

describe('target ambition: 15 × min(1, (reduction/years)/4.2 %) × validation × coverage', () => {
  it('EcoTech −42 % 2022→2030 validated: 5.25 %/yr ≥ 4.2 % → 15 of 15', () => {
    const c = component(greenScore(ecotech()), 'target-ambition');
    expect(c.value).toBeCloseTo(0.0525, 12);
    expect(c.points).toBe(15);
  });

  it('−21 % over 8 years, validated: 2.625/4.2 = 0.625 → 9.375 → 9.4 points', () => {
    const input = ecotech();
    input.target = { baseYear: 2022, targetYear: 2030, reduction: 0.21, scopes: 'scope1+2', validated: true };
    expect(component(greenScore(input), 'target-ambition').points).toBe(9.4);
  });

  it('not validated ×0.6; scope 1 only ×0.5 with a warning', () => {
    const t = {
      baseYear: 2022,
      targetYear: 2030,
      reduction: 0.42,
      scopes: 'scope1+2',
      validated: false,
    } as const;
    expect(targetAmbitionFraction(t)).toBeCloseTo(0.6, 12);
    expect(targetAmbitionFraction({ ...t, scopes: 'scope1', validated: true })).toBeCloseTo(0.5, 12);
    const input = ecotech();
    input.target = { ...t, scopes: 'scope1' };
    const r = greenScore(input);
    expect(component(r, 'target-ambition').points).toBe(4.5);
    expect(warningCodes(r)).toContain('target_partial_scope');
  });

  it('an expired target scores 0 (target_expired); none (null) 0 with no_target; unknown 0 with missing_target', () => {
    const input = ecotech();
    input.target = { baseYear: 2015, targetYear: 2023, reduction: 0.5, scopes: 'scope1+2', validated: true };
    const expired = greenScore(input);
    expect(component(expired, 'target-ambition').points).toBe(0);
    expect(warningCodes(expired)).toContain('target_expired');
    expect(warningCodes(greenScore({ ...ecotech(), target: null }))).toContain('no_target');
    expect(warningCodes(greenScore({ ...ecotech(), target: undefined }))).toContain('missing_target');
    expect(greenScore({ ...ecotech(), target: null }).confidence).toBeGreaterThan(
      greenScore({ ...ecotech(), target: undefined }).confidence,
    );
  });
});

describe('disclosure: PCAF data quality (Part A Table 5-7), verification, scope 3', () => {
  it('maps PCAF 1…5 to 10, 7.5, 5, 2.5, 0 points', () => {
    expect([1, 2, 3, 4, 5].map((q) => 10 * pcafFraction(q as 1 | 2 | 3 | 4 | 5))).toEqual([
      10, 7.5, 5, 2.5, 0,
    ]);
  });

  it('EcoTech 2024: PCAF 1 (option 1a, verified reported emissions) 10, verified 6, scope 3 reported 4', () => {
    const r = greenScore(ecotech());
    expect(component(r, 'data-quality').points).toBe(10);
    expect(component(r, 'verification').points).toBe(6);
    expect(component(r, 'scope3-disclosure')).toMatchObject({ points: 4, value: 1010 });
  });

  it('missing PCAF score, verification and scope 3 each score 0 with their warning', () => {
    const input = ecotech();
    input.metrics[2] = {
      ...input.metrics[2]!,
      pcafDataQuality: null,
      verified: undefined,
      scope3Tco2e: null,
    };
    const r = greenScore(input);
    expect(component(r, 'data-quality').points).toBe(0);
    expect(component(r, 'verification').points).toBe(0);
    expect(component(r, 'scope3-disclosure').points).toBe(0);
    expect(warningCodes(r)).toEqual(
      expect.arrayContaining(['missing_pcaf_score', 'missing_verification', 'scope3_not_reported']),
    );
  });
});
