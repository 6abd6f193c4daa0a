import { describe, expect, it } from 'vitest';
import { GREEN_SCORE_BAND_THRESHOLDS, greenScoreBand } from '../bands.js';
import { greenScore } from '../green-score.js';
import { COMPONENT_MAX_POINTS, COMPONENTS } from '../methodology.js';
import { component, ecotech, warningCodes } from './helpers.js';

describe('EcoTech Manufacturing (SPEC lender journey): band A by the methodology’s own logic', () => {
  const r = greenScore(ecotech());

  it('scores 19.6 + 10 + 10 + 3.4 + 7 + 15 + 10 + 6 + 4 = 85.0, band A, confidence 1', () => {
    expect(r.components.map((c) => c.points)).toEqual([19.6, 10, 10, 3.4, 7, 15, 10, 6, 4]);
    expect(r.score).toBe(85);
    expect(r.band).toBe('A');
    expect(r.confidence).toBe(1);
    expect(r.warnings).toEqual([]);
    expect(r.methodologyVersion).toBe('gs-2026.1');
  });

  it('reports the inputs it used', () => {
    expect(r.inputs).toMatchObject({
      sicCode: '25210',
      section: 'C',
      division: '25',
      latestYear: 2024,
      priorYear: 2023,
      baseYear: 2022,
      currency: 'GBP',
      fxRates: { base: 'EUR', year: 2022 },
      target: { baseYear: 2022, targetYear: 2030, reduction: 0.42 },
    });
  });

  it('lists the nine components in order with their weights summing to 100', () => {
    expect(r.components.map((c) => c.id)).toEqual(COMPONENTS.map((c) => c.id));
    expect(Object.values(COMPONENT_MAX_POINTS).reduce((a, b) => a + b, 0)).toBe(100);
    for (const c of r.components) {
      expect(c.maxPoints).toBe(COMPONENT_MAX_POINTS[c.id]);
      expect(c.explanation.length).toBeGreaterThan(20);
    }
  });
});

describe('bands: A ≥ 80, B ≥ 65, C ≥ 50, D ≥ 35, E below', () => {
  it('maps the thresholds and their neighbours', () => {
    expect([100, 80, 79.9, 65, 64.9, 50, 49.9, 35, 34.9, 0].map(greenScoreBand)).toEqual([
      'A',
      'A',
      'B',
      'B',
      'C',
      'C',
      'D',
      'D',
      'E',
      'E',
    ]);
    expect(GREEN_SCORE_BAND_THRESHOLDS.map((t) => t.min)).toEqual([80, 65, 50, 35, 0]);
    expect(() => greenScoreBand(101)).toThrow(expect.objectContaining({ code: 'out_of_range' }));
  });
});

describe('missing data', () => {
  it('no metrics at all: only the target scores, confidence is the target’s share', () => {
    const r = greenScore({ sicCodes: ['25210'], metrics: [], target: ecotech().target });
    expect(r.score).toBe(15);
    expect(r.band).toBe('E');
    expect(warningCodes(r)).toContain('no_metrics');
    // coverage 15/100 × PCAF factor for a missing score (0.6) = 0.09
    expect(r.confidence).toBe(0.09);
  });

  it('an empty object scores 0 with confidence 0', () => {
    const r = greenScore({ sicCodes: [], metrics: [] });
    expect(r.score).toBe(0);
    expect(r.band).toBe('E');
    expect(r.confidence).toBe(0);
  });
});

describe('asOfYear', () => {
  it('ignores later reporting years and says so', () => {
    const r = greenScore(ecotech(), { asOfYear: 2023 });
    expect(r.inputs.latestYear).toBe(2023);
    expect(r.inputs.yearsIgnored).toEqual([2024]);
    expect(warningCodes(r)).toContain('metrics_after_as_of_year');
    const truncated = ecotech();
    truncated.metrics.pop();
    const same = greenScore(truncated, { asOfYear: 2023 });
    expect(r.score).toBe(same.score);
    expect(r.components).toEqual(same.components);
  });

  it('stale data lowers confidence by 0.2 a year but not the score', () => {
    const fresh = greenScore(ecotech(), { asOfYear: 2025 });
    const stale = greenScore(ecotech(), { asOfYear: 2027 });
    expect(fresh.confidence).toBe(1);
    expect(stale.confidence).toBe(0.6);
    expect(warningCodes(stale)).toContain('stale_metrics');
    expect(stale.score).toBe(fresh.score);
  });

  it('a target whose year is before asOfYear has expired', () => {
    const r = greenScore(ecotech(), { asOfYear: 2031 });
    expect(component(r, 'target-ambition').points).toBe(0);
    expect(warningCodes(r)).toContain('target_expired');
  });
});
// Speed (100,000 companies < 1 s) is measured by `npm run bench`, never asserted in tests.
