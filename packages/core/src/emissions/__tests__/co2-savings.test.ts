import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { ErrorCode, GreenfinError } from '../../errors.js';
import { ecotechExample } from '../../examples/index.js';
import { co2Savings, type EnergySaving } from '../co2-savings.js';
import { ENERGY_SOURCES, type EnergySource } from '../emission-factors.js';

function errorOf(fn: () => unknown): GreenfinError {
  try {
    fn();
  } catch (e) {
    if (e instanceof GreenfinError) return e;
    throw e;
  }
  throw new Error('expected a GreenfinError');
}

describe('co2Savings — hand-checkable against the published DESNZ factors', () => {
  it('100 MWh of UK electricity × 0.177 kgCO2e/kWh (DESNZ 2025, ID 7_400_4000_5_1) = 17.7 tCO2e/yr', () => {
    const r = co2Savings({ energySaved: [{ source: 'electricity', mwhPerYear: 100 }], lifetimeYears: 10 });
    expect(r.factorYear).toBe(2025);
    expect(r.tco2ePerYear).toBe(17.7);
    expect(r.totalTco2e).toBe(177);
    const line = r.breakdown[0]!;
    expect(line.factors).toHaveLength(1);
    expect(line.factors[0]).toMatchObject({ value: 0.177, unit: 'kgCO2e/kWh' });
    expect(line.factors[0]!.source).toContain('7_400_4000_5_1');
    expect(line.factors[0]!.desnz?.scope).toBe('Scope 2');
  });

  it('the 2024 set gives 100 MWh × 0.20705 (DESNZ 2024 full set, UK electricity row 25) = 20.705 tCO2e/yr', () => {
    const r = co2Savings({
      energySaved: [{ source: 'electricity', mwhPerYear: 100 }],
      lifetimeYears: 1,
      factorYear: 2024,
    });
    expect(r.tco2ePerYear).toBe(20.705);
  });

  it('natural gas uses gross CV by default (0.18296) and net CV on request (0.2027), DESNZ 2025', () => {
    const gross = co2Savings({ energySaved: [{ source: 'natural-gas', mwhPerYear: 100 }], lifetimeYears: 1 });
    const net = co2Savings({
      energySaved: [{ source: 'natural-gas', mwhPerYear: 100, basis: 'net-cv' }],
      lifetimeYears: 1,
    });
    expect(gross.tco2ePerYear).toBe(18.296);
    expect(net.tco2ePerYear).toBe(20.27);
  });

  it('adds avoided T&D losses on request: 100 MWh × (0.177 + 0.01853 DESNZ 2025 T&D) = 19.553 tCO2e/yr', () => {
    const r = co2Savings({
      energySaved: [
        { source: 'electricity', mwhPerYear: 100 },
        { source: 'natural-gas', mwhPerYear: 100 },
      ],
      lifetimeYears: 1,
      includeTransmissionLosses: true,
    });
    expect(r.breakdown[0]!.factors.map((f) => f.value)).toEqual([0.177, 0.01853]);
    expect(r.breakdown[0]!.kgCo2ePerKwh).toBe(0.19553);
    expect(r.breakdown[0]!.tco2ePerYear).toBe(19.553);
    expect(r.breakdown[1]!.factors).toHaveLength(1); // losses apply to grid electricity only
    expect(r.tco2ePerYear).toBe(37.849); // 19.553 + 18.296
  });

  it('accepts a caller-supplied factor and reports its source', () => {
    const r = co2Savings({
      energySaved: [
        {
          source: 'electricity',
          mwhPerYear: 100,
          customFactor: { kgCo2ePerKwh: 0.05, source: 'Supplier fuel-mix disclosure 2024 (market-based)' },
        },
      ],
      lifetimeYears: 4,
      includeTransmissionLosses: true,
    });
    expect(r.tco2ePerYear).toBe(5);
    expect(r.totalTco2e).toBe(20);
    expect(r.breakdown[0]!.factors).toEqual([
      {
        value: 0.05,
        unit: 'kgCO2e/kWh',
        source: 'Supplier fuel-mix disclosure 2024 (market-based)',
        desnz: null,
      },
    ]);
  });

  it('states its flat-factor assumption', () => {
    const r = co2Savings({ energySaved: [{ source: 'electricity', mwhPerYear: 1 }], lifetimeYears: 3 });
    expect(r.assumptions.join(' ')).toMatch(/no grid-decarbonisation projection/);
  });
});

describe('co2Savings — the EcoTech demo project (examples.ts)', () => {
  it('120 MWh electricity × 0.177 + 260 MWh gas × 0.18296 (DESNZ 2025) = 68.8096 tCO2e/yr, 688.096 t over 10 years', () => {
    // Hand check: 120 × 0.177 = 21.24; 260 × 0.18296 = 47.5696; sum 68.8096; × 10 years.
    const r = co2Savings(ecotechExample.project);
    expect(r.lifetimeYears).toBe(10);
    expect(r.breakdown.map((l) => [l.source, l.tco2ePerYear])).toEqual([
      ['electricity', 21.24],
      ['natural-gas', 47.5696],
    ]);
    expect(r.tco2ePerYear).toBe(68.8096);
    expect(r.totalTco2e).toBe(688.096);
  });
});

describe('co2Savings — laws', () => {
  const saving = fc.record({
    source: fc.constantFrom<EnergySource>(...ENERGY_SOURCES),
    mwhPerYear: fc.double({ min: 0, max: 1e6, noNaN: true }),
  });
  test.prop([fc.array(saving, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 100 })])(
    'total = per-year × lifetime, and the lines add up (to the reported gram)',
    (energySaved: EnergySaving[], lifetimeYears) => {
      const r = co2Savings({ energySaved, lifetimeYears });
      expect(r.totalTco2e).toBeCloseTo(r.tco2ePerYear * lifetimeYears, 3);
      const lines = r.breakdown.reduce((s, l) => s + l.tco2ePerYear, 0);
      expect(r.tco2ePerYear).toBeCloseTo(lines, 5);
      expect(r.tco2ePerYear).toBeGreaterThanOrEqual(0);
    },
  );
  test.prop([
    fc.constantFrom<EnergySource>(...ENERGY_SOURCES),
    fc.double({ min: 0, max: 1e6, noNaN: true }),
    fc.double({ min: 0, max: 1e6, noNaN: true }),
  ])('saving more energy never saves less CO2', (source, a, b) => {
    const [lo, hi] = a <= b ? [a, b] : [b, a];
    const low = co2Savings({ energySaved: [{ source, mwhPerYear: lo }], lifetimeYears: 1 });
    const high = co2Savings({ energySaved: [{ source, mwhPerYear: hi }], lifetimeYears: 1 });
    expect(high.tco2ePerYear).toBeGreaterThanOrEqual(low.tco2ePerYear);
  });
});

describe('co2Savings — bad input is one typed error naming the field', () => {
  const ok = { energySaved: [{ source: 'electricity' as const, mwhPerYear: 10 }], lifetimeYears: 5 };
  it.each([
    [
      'negative MWh',
      { ...ok, energySaved: [{ source: 'electricity', mwhPerYear: -1 }] },
      ErrorCode.OutOfRange,
      'energySaved[0].mwhPerYear',
    ],
    [
      'NaN MWh',
      { ...ok, energySaved: [{ source: 'electricity', mwhPerYear: Number.NaN }] },
      ErrorCode.InvalidType,
      'energySaved[0].mwhPerYear',
    ],
    [
      'unknown source',
      {
        ...ok,
        energySaved: [
          { source: 'electricity', mwhPerYear: 1 },
          { source: 'hydrogen', mwhPerYear: 1 },
        ],
      },
      ErrorCode.InvalidOption,
      'energySaved[1].source',
    ],
    ['lifetime 0', { ...ok, lifetimeYears: 0 }, ErrorCode.OutOfRange, 'lifetimeYears'],
    ['non-integer lifetime', { ...ok, lifetimeYears: 2.5 }, ErrorCode.InvalidType, 'lifetimeYears'],
    ['lifetime over 100 years', { ...ok, lifetimeYears: 101 }, ErrorCode.OutOfRange, 'lifetimeYears'],
    ['unsupported factor year', { ...ok, factorYear: 2023 }, ErrorCode.InvalidOption, 'factorYear'],
    ['no lines', { ...ok, energySaved: [] }, ErrorCode.Required, 'energySaved'],
    [
      'a calorific basis for electricity',
      { ...ok, energySaved: [{ source: 'electricity', mwhPerYear: 1, basis: 'net-cv' }] },
      ErrorCode.InvalidOption,
      'energySaved[0].basis',
    ],
    [
      'a custom factor without a source',
      {
        ...ok,
        energySaved: [
          { source: 'electricity', mwhPerYear: 1, customFactor: { kgCo2ePerKwh: 0.1, source: ' ' } },
        ],
      },
      ErrorCode.Required,
      'energySaved[0].customFactor.source',
    ],
    [
      'a negative custom factor',
      {
        ...ok,
        energySaved: [{ source: 'lpg', mwhPerYear: 1, customFactor: { kgCo2ePerKwh: -0.1, source: 'x' } }],
      },
      ErrorCode.OutOfRange,
      'energySaved[0].customFactor.kgCo2ePerKwh',
    ],
  ])('%s', (_name, input, code, path) => {
    expect(errorOf(() => co2Savings(input as never))).toMatchObject({ code, path });
  });
});
