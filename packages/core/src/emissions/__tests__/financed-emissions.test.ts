import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { ErrorCode, GreenfinError } from '../../errors.js';
import { ecotechExample } from '../../examples/index.js';
import { money, type Money } from '../../money.js';
import { financedEmissions, type CompanyValue, type FinancedEmissionsInput } from '../financed-emissions.js';
import { yearEndOutstanding } from '../year-end-outstanding.js';

function errorOf(fn: () => unknown): GreenfinError {
  try {
    fn();
  } catch (e) {
    if (e instanceof GreenfinError) return e;
    throw e;
  }
  throw new Error('expected a GreenfinError');
}

const gbp = (amount: number): Money => money(amount, 'GBP');
const tenMillion: CompanyValue = { basis: 'equity-plus-debt', total: gbp(10_000_000) };

describe('PCAF Part A (2nd ed., Dec 2022) §5.2 "Example accounting – a portfolio of different companies", Tables 5-8 and 5-9', () => {
  // Table 5-8 gives each company's scope 1/2/3 emissions (tCO2e, reporting year 2020) and the
  // FI's attribution factor (10 %, 25 %, 20 %); we reproduce those factors as outstanding / (equity + debt).
  const companies = [
    { name: 'Forestry company', outstanding: 1_000_000, scope1: 1_000, scope2: 100, scope3: 5_000 },
    { name: 'Industrial company', outstanding: 2_500_000, scope1: 20_000, scope2: 5_000, scope3: 30_000 },
    { name: 'Energy company', outstanding: 2_000_000, scope1: 5_000, scope2: 0, scope3: 10_000 },
  ];
  const results = companies.map(
    (c) =>
      financedEmissions({
        balances: [{ year: 2020, outstanding: gbp(c.outstanding) }],
        companyValue: tenMillion,
        emissions: { scope1Tco2e: c.scope1, scope2Tco2e: c.scope2, scope3Tco2e: c.scope3, dataQuality: 1 },
      }).years[0]!,
  );

  it('attribution factors 10 %, 25 %, 20 %', () => {
    expect(results.map((r) => r.attributionFactor)).toEqual([0.1, 0.25, 0.2]);
  });

  it('Table 5-9 portfolio totals: scope 1 = 6,100, scope 2 = 1,260, scope 3 = 10,000 tCO2e', () => {
    const sum = (pick: (r: (typeof results)[number]) => number) => results.reduce((s, r) => s + pick(r), 0);
    expect(sum((r) => r.financedScope1)).toBe(6_100);
    expect(sum((r) => r.financedScope2)).toBe(1_260);
    expect(sum((r) => r.financedScope3 ?? Number.NaN)).toBe(10_000);
    expect(sum((r) => r.financedScope1And2)).toBe(7_360);
  });
});

describe('per year as the balance falls — EcoTech (hand-derived example, not a published figure)', () => {
  // EcoTech's balance sheet (examples.ts): equity £2.1m + debt £0.9m = £3.0m; 2024 emissions
  // scope 1 42.0 + scope 2 49.8 = 91.8 tCO2e, scope 3 1,010 tCO2e, PCAF score 2.
  // Hand-made schedule: £500,000 drawn 2025-01-15, repaid £100,000 each 15 January 2026–2030.
  const metrics = ecotechExample.metrics[2];
  const balances = yearEndOutstanding({
    principal: ecotechExample.loan.principal,
    startDate: ecotechExample.loan.startDate,
    installments: [2026, 2027, 2028, 2029, 2030].map((y, i) => ({
      date: `${y}-01-15`,
      balance: 50_000_000 - (i + 1) * 10_000_000,
    })),
  });
  const result = financedEmissions({
    balances,
    companyValue: { basis: 'equity-plus-debt', ...ecotechExample.balanceSheet },
    emissions: {
      scope1Tco2e: metrics.scope1Tco2e,
      scope2Tco2e: metrics.scope2Tco2e,
      scope3Tco2e: metrics.scope3Tco2e,
      dataQuality: metrics.pcafDataQuality,
    },
  });

  it('attribution = year-end balance / £3.0m: 1/6, 2/15, 1/10, 1/15, 1/30, then 0 when repaid', () => {
    expect(result.years.map((y) => y.year)).toEqual([2025, 2026, 2027, 2028, 2029, 2030]);
    const expected = [5, 4, 3, 2, 1, 0].map((k) => (k * 100_000) / 3_000_000);
    result.years.forEach((y, i) => expect(y.attributionFactor).toBeCloseTo(expected[i]!, 15));
    expect(result.years[0]!.companyValue).toEqual(gbp(300_000_000));
  });

  it('financed scope 1+2: 15.3, 12.24, 9.18, 6.12, 3.06, 0 tCO2e; total 45.9 (= 91.8 × £1.5m / £3.0m)', () => {
    expect(result.years.map((y) => y.financedScope1And2)).toEqual([15.3, 12.24, 9.18, 6.12, 3.06, 0]);
    expect(result.totals.financedScope1And2).toBe(45.9);
  });

  it('scope 3 separately: 1,010 × 1/6 = 168.333333 in 2025; total 505', () => {
    expect(result.years[0]!.financedScope3).toBe(168.333333);
    expect(result.totals.financedScope3).toBe(505);
  });

  it('carries the PCAF data-quality score 1 (verified reported emissions) with its meaning (Table 5-7: option 1a)', () => {
    expect(result.years[0]!.dataQuality.score).toBe(1);
    expect(result.years[0]!.dataQuality.options).toEqual(['1a']);
    expect(result.weightedDataQuality).toEqual({ scope1And2: 1, scope3: 1 });
    expect(result.method).toMatch(/PCAF .*Part A.*2nd edition.*§5\.2/);
    expect(result.warnings).toEqual([]);
  });
});

describe('company value (PCAF §5.2 "Company value" and footnote 90)', () => {
  const emissions = { scope1Tco2e: 1_000, scope2Tco2e: 500, dataQuality: 1 as const };
  it('listed companies use EVIC', () => {
    const r = financedEmissions({
      balances: [{ year: 2025, outstanding: gbp(50_000_000) }],
      companyValue: { basis: 'evic', evic: gbp(1_000_000_000) },
      emissions,
    });
    expect(r.years[0]).toMatchObject({
      attributionFactor: 0.05,
      financedScope1And2: 75,
      companyValueBasis: 'evic',
    });
  });

  it('negative total equity counts as 0, so all emissions go to debt', () => {
    const r = financedEmissions({
      balances: [{ year: 2025, outstanding: gbp(1_000_000) }],
      companyValue: { basis: 'equity-plus-debt', equity: gbp(-3_000_000), debt: gbp(4_000_000) },
      emissions,
    });
    expect(r.years[0]!.companyValue).toEqual(gbp(4_000_000));
    expect(r.years[0]!.attributionFactor).toBe(0.25);
    expect(r.warnings.join(' ')).toMatch(/negative total equity set to 0/);
  });

  it('says so for every year the shared negative-equity company value is used', () => {
    const r = financedEmissions({
      balances: [
        { year: 2025, outstanding: gbp(1_000_000) },
        { year: 2026, outstanding: gbp(800_000), companyValue: { basis: 'evic', evic: gbp(8_000_000) } },
        { year: 2027, outstanding: gbp(600_000) },
      ],
      companyValue: { basis: 'equity-plus-debt', equity: gbp(-3_000_000), debt: gbp(4_000_000) },
      emissions,
    });
    expect(r.warnings.filter((w) => /negative total equity/.test(w)).map((w) => w.slice(0, 4))).toEqual([
      '2025',
      '2027',
    ]);
    expect(r.years.map((y) => y.attributionFactor)).toEqual([0.25, 0.1, 0.15]);
  });

  it('caps the attribution factor at 1 (and says so) when the balance exceeds the company value', () => {
    const r = financedEmissions({
      balances: [{ year: 2025, outstanding: gbp(5_000_000) }],
      companyValue: { basis: 'equity-plus-debt', total: gbp(4_000_000) },
      emissions,
    });
    expect(r.years[0]).toMatchObject({
      attributionFactor: 1,
      attributionCapped: true,
      financedScope1And2: 1_500,
    });
    expect(r.warnings.join(' ')).toMatch(/capped at 1/);
  });

  it('per-year company data override the loan-level data; data quality is weighted by outstanding', () => {
    const r = financedEmissions({
      balances: [
        { year: 2025, outstanding: gbp(500_000) },
        {
          year: 2026,
          outstanding: gbp(400_000),
          companyValue: { basis: 'equity-plus-debt', total: gbp(2_000_000) },
          emissions: { scope1Tco2e: 80, scope2Tco2e: 20, dataQuality: 1 },
        },
      ],
      companyValue: { basis: 'equity-plus-debt', total: gbp(1_000_000) },
      emissions: { scope1Tco2e: 100, scope2Tco2e: 50, dataQuality: 3 },
    });
    expect(r.years.map((y) => y.financedScope1And2)).toEqual([75, 20]);
    expect(r.weightedDataQuality.scope1And2).toBeCloseTo((500_000 * 3 + 400_000 * 1) / 900_000, 12);
    expect(r.weightedDataQuality.scope3).toBeNull();
    expect(r.totals.financedScope3).toBeNull();
  });
});

describe('financedEmissions — laws', () => {
  const amount = fc.integer({ min: 0, max: 1e12 });
  const positive = fc.integer({ min: 1, max: 1e12 });
  const tonnes = fc.double({ min: 0, max: 1e7, noNaN: true });

  test.prop([amount, positive, tonnes, tonnes])(
    'the attribution factor is always in [0, 1]',
    (o, v, s1, s2) => {
      const r = financedEmissions({
        balances: [{ year: 2025, outstanding: gbp(o) }],
        companyValue: { basis: 'equity-plus-debt', total: gbp(v) },
        emissions: { scope1Tco2e: s1, scope2Tco2e: s2, dataQuality: 4 },
      });
      const af = r.years[0]!.attributionFactor;
      expect(af).toBeGreaterThanOrEqual(0);
      expect(af).toBeLessThanOrEqual(1);
      expect(r.years[0]!.financedScope1And2).toBeLessThanOrEqual(s1 + s2 + 1e-6);
    },
  );

  test.prop([fc.array(amount, { minLength: 1, maxLength: 30 }), positive, tonnes, tonnes])(
    'financed emissions never rise as the balance falls',
    (amounts, v, s1, s2) => {
      const falling = [...amounts].sort((a, b) => b - a);
      const r = financedEmissions({
        balances: falling.map((a, i) => ({ year: 2025 + i, outstanding: gbp(a) })),
        companyValue: { basis: 'evic', evic: gbp(v) },
        emissions: { scope1Tco2e: s1, scope2Tco2e: s2, scope3Tco2e: s1, dataQuality: 1 },
      });
      for (let i = 1; i < r.years.length; i++) {
        expect(r.years[i]!.financedScope1And2).toBeLessThanOrEqual(r.years[i - 1]!.financedScope1And2);
        expect(r.years[i]!.financedScope3!).toBeLessThanOrEqual(r.years[i - 1]!.financedScope3!);
      }
    },
  );

  test.prop([positive, tonnes, tonnes, tonnes])('a zero balance finances zero emissions', (v, s1, s2, s3) => {
    const r = financedEmissions({
      balances: [{ year: 2030, outstanding: gbp(0) }],
      companyValue: { basis: 'equity-plus-debt', total: gbp(v) },
      emissions: { scope1Tco2e: s1, scope2Tco2e: s2, scope3Tco2e: s3, dataQuality: 5 },
    });
    expect(r.years[0]).toMatchObject({ attributionFactor: 0, financedScope1And2: 0, financedScope3: 0 });
    expect(r.weightedDataQuality.scope1And2).toBeNull(); // nothing outstanding to weight by
  });
});

describe('financedEmissions — bad input is one typed error naming the field', () => {
  const ok: FinancedEmissionsInput = {
    balances: [
      { year: 2025, outstanding: gbp(500_000) },
      { year: 2026, outstanding: gbp(400_000) },
    ],
    companyValue: { basis: 'equity-plus-debt', total: gbp(3_000_000) },
    emissions: { scope1Tco2e: 10, scope2Tco2e: 5, dataQuality: 2 },
  };
  const withBalance = (i: number, patch: object) => ({
    ...ok,
    balances: ok.balances.map((b, j) => (j === i ? { ...b, ...patch } : b)),
  });
  it.each([
    [
      'outstanding in another currency than equity + debt',
      {
        ...ok,
        balances: ok.balances.map((b) => ({ ...b, outstanding: money(b.outstanding.amount, 'EUR') })),
      },
      ErrorCode.CurrencyMismatch,
      'balances[0].outstanding.currency',
    ],
    [
      'balances in two currencies',
      withBalance(1, { outstanding: money(1, 'EUR') }),
      ErrorCode.CurrencyMismatch,
      'balances[1].outstanding.currency',
    ],
    [
      'equity and debt in different currencies',
      { ...ok, companyValue: { basis: 'equity-plus-debt', equity: gbp(1), debt: money(1, 'USD') } },
      ErrorCode.CurrencyMismatch,
      'companyValue.debt.currency',
    ],
    [
      'a negative balance',
      withBalance(1, { outstanding: { amount: -1, currency: 'GBP' } }),
      ErrorCode.OutOfRange,
      'balances[1].outstanding.amount',
    ],
    [
      'a fractional minor unit',
      withBalance(0, { outstanding: { amount: 0.5, currency: 'GBP' } }),
      ErrorCode.NotMinorUnits,
      'balances[0].outstanding.amount',
    ],
    ['years out of order', withBalance(1, { year: 2025 }), ErrorCode.DatesOutOfOrder, 'balances[1].year'],
    // The checks a valid balance skips (isPlainBalance) still name the field at fault.
    ['a null balance', { ...ok, balances: [ok.balances[0], null] }, ErrorCode.InvalidType, 'balances[1]'],
    [
      'no outstanding',
      withBalance(1, { outstanding: undefined }),
      ErrorCode.Required,
      'balances[1].outstanding',
    ],
    [
      'an unknown currency',
      withBalance(0, { outstanding: { amount: 1, currency: 'XXY' } }),
      ErrorCode.UnknownCurrency,
      'balances[0].outstanding.currency',
    ],
    ['a year as text', withBalance(1, { year: '2026' }), ErrorCode.InvalidType, 'balances[1].year'],
    [
      'a bad company value of its own',
      withBalance(1, { companyValue: { basis: 'evic', evic: gbp(-5) } }),
      ErrorCode.OutOfRange,
      'balances[1].companyValue',
    ],
    [
      'an own company value in another currency',
      withBalance(1, { companyValue: { basis: 'evic', evic: money(5, 'EUR') } }),
      ErrorCode.CurrencyMismatch,
      'balances[1].outstanding.currency',
    ],
    ['a fractional year', withBalance(0, { year: 2025.5 }), ErrorCode.InvalidType, 'balances[0].year'],
    ['no balances', { ...ok, balances: [] }, ErrorCode.Required, 'balances'],
    [
      'zero EVIC',
      { ...ok, companyValue: { basis: 'evic', evic: gbp(0) } },
      ErrorCode.OutOfRange,
      'companyValue',
    ],
    [
      'an unknown company-value basis',
      { ...ok, companyValue: { basis: 'market-cap', total: gbp(1) } },
      ErrorCode.InvalidOption,
      'companyValue.basis',
    ],
    [
      'a data-quality score of 6',
      { ...ok, emissions: { ...ok.emissions, dataQuality: 6 } },
      ErrorCode.InvalidOption,
      'emissions.dataQuality',
    ],
    [
      'negative scope 1',
      { ...ok, emissions: { ...ok.emissions, scope1Tco2e: -1 } },
      ErrorCode.OutOfRange,
      'emissions.scope1Tco2e',
    ],
    [
      'bad per-year emissions',
      withBalance(1, {
        emissions: { scope1Tco2e: 1, scope2Tco2e: Number.POSITIVE_INFINITY, dataQuality: 1 },
      }),
      ErrorCode.InvalidType,
      'balances[1].emissions.scope2Tco2e',
    ],
  ])('%s', (_name, input, code, path) => {
    expect(errorOf(() => financedEmissions(input as never))).toMatchObject({ code, path });
  });
});
