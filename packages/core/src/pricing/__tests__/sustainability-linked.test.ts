import { describe, expect, it } from 'vitest';
import { simulateMarginRatchet, type SustainabilityKpi } from '../sustainability-linked.js';
import { schedule } from '../../schedule/index.js';
import { ErrorCode } from '../../errors.js';

const loan = {
  principal: 50_000_000,
  currency: 'GBP',
  annualRate: 0.065,
  payments: 60,
  frequency: 'monthly',
  startDate: '2025-01-15',
} as const;

const emissionsKpi = (observed: number[]): SustainabilityKpi => ({
  id: 'scope12',
  label: 'Scope 1+2 emissions, tCO2e',
  direction: 'decrease',
  targets: [2025, 2026, 2027, 2028].map((year, i) => ({ year, value: 88 - 4 * i })),
  observed: observed.map((value, i) => ({ year: 2025 + i, value })),
});

describe('simulateMarginRatchet', () => {
  it('year 1 runs at the starting rate; later years step by KPI outcome from the prior reporting year', () => {
    const r = simulateMarginRatchet({ loan, kpis: [emissionsKpi([85, 90, 79, 70])] });
    expect(r.years.map((y) => y.testedYear)).toEqual([null, 2025, 2026, 2027, 2028]);
    expect(r.years.map((y) => y.tests[0]?.outcome ?? null)).toEqual([null, 'met', 'missed', 'met', 'met']);
    expect(r.years.map((y) => y.adjustment)).toEqual([0, -0.00025, 0.00025, -0.00025, -0.00025]);
    expect(r.years.map((y) => y.rate)).toEqual([0.065, 0.06475, 0.06525, 0.06475, 0.06475]);
  });

  it('year 1 instalments equal the flat schedule; principal repaid equals principal lent', () => {
    const r = simulateMarginRatchet({ loan, kpis: [emissionsKpi([85, 80, 76, 72])] });
    const flat = schedule(loan);
    expect(r.years[0]!.installments).toEqual(flat.installments.slice(0, 12));
    expect(r.installments).toHaveLength(60);
    expect(r.installments.reduce((s, row) => s + row.principal, 0)).toBe(loan.principal);
    expect(r.installments.at(-1)!.balance).toBe(0);
    expect(r.installments.map((row) => row.date)).toEqual(flat.installments.map((row) => row.date));
    expect(r.totalInterest).toBe(r.installments.reduce((s, row) => s + row.interest, 0));
  });

  it('meeting every target saves interest; missing every target costs interest; bounded by the cap', () => {
    const good = simulateMarginRatchet({ loan, kpis: [emissionsKpi([80, 75, 70, 65])] });
    const bad = simulateMarginRatchet({ loan, kpis: [emissionsKpi([95, 95, 95, 95])] });
    expect(good.interestSaved).toBeGreaterThan(0);
    expect(bad.interestSaved).toBeLessThan(0);
    const capped = simulateMarginRatchet({
      loan,
      kpis: [emissionsKpi([95, 95, 95, 95]), { ...emissionsKpi([95, 95, 95, 95]), id: 'b' }],
      stepPerKpi: 0.0008,
      maxAdjustment: 0.001,
    });
    expect(capped.years[1]!.adjustment).toBe(0.001);
  });

  it('a year with no reported outcome counts as missed (Sustainability-Linked Loan Principles: reporting is mandatory)', () => {
    const r = simulateMarginRatchet({ loan, kpis: [emissionsKpi([85])] });
    expect(r.years[2]!.tests[0]!.outcome).toBe('not-reported');
    expect(r.years[2]!.adjustment).toBe(0.00025);
  });

  it('validates its inputs', () => {
    expect(() => simulateMarginRatchet({ loan, kpis: [] })).toThrow(
      expect.objectContaining({ code: ErrorCode.Required }),
    );
    expect(() =>
      simulateMarginRatchet({ loan, kpis: [{ ...emissionsKpi([1]), direction: 'up' as never }] }),
    ).toThrow(expect.objectContaining({ path: 'sustainabilityLinked.kpis[0].direction' }));
  });
});
