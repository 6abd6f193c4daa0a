import { describe, expect, it } from 'vitest';
import { PMT } from '@formulajs/formulajs';
import { ecotechExample, ecotechJourney } from '../index.js';

describe('ecotechJourney', () => {
  const j = ecotechJourney();
  it('prices the band-A loan at base + spread − 0.50 pp with an Excel-PMT instalment', () => {
    expect(j.score.band).toBe('A');
    expect(j.priced.finalRate).toBe(0.065);
    expect(j.priced.regularPayment).toBe(Math.round((PMT(0.065 / 12, 60, -500_000) as number) * 100));
    expect(j.priced.schedule.installments.reduce((s, r) => s + r.principal, 0)).toBe(
      ecotechExample.loan.principal.amount,
    );
  });
  it('saves 120 MWh × 0.177 + 260 MWh × 0.18296 kgCO2e/kWh a year (DESNZ 2025)', () => {
    expect(j.co2.tco2ePerYear).toBeCloseTo(120 * 0.177 + 260 * 0.18296, 6);
  });
  it('finances emissions in proportion to the year-end balance (PCAF §5.2)', () => {
    const first = j.financed.years[0]!;
    expect(first.attributionFactor).toBeCloseTo(first.outstanding.amount / 300_000_000, 12);
    expect(j.financed.years.at(-1)!.financedScope1And2).toBe(0);
  });
});
