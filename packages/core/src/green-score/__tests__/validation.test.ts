import { describe, expect, it } from 'vitest';
import { GreenfinError } from '../../errors.js';
import { greenScore } from '../green-score.js';
import type { GreenScoreOptions } from '../input.js';
import { ecotech } from './helpers.js';

type Input = ReturnType<typeof ecotech>;

function expectError(
  mutate: (input: Input) => unknown,
  code: string,
  path: string,
  options?: GreenScoreOptions,
) {
  const input = ecotech();
  mutate(input);
  let caught: unknown;
  try {
    greenScore(input, options);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(GreenfinError);
  expect(caught).toMatchObject({ code, path });
}

const set = (i: number, patch: Record<string, unknown>) => (input: Input) => {
  input.metrics[i] = { ...input.metrics[i]!, ...patch } as Input['metrics'][number];
};

describe('invalid input throws one GreenfinError naming the field', () => {
  it('negative energy', () => expectError(set(0, { energyMwh: -1 }), 'out_of_range', 'metrics[0].energyMwh'));
  it('renewable share above 1', () =>
    expectError(set(2, { renewableShare: 1.2 }), 'out_of_range', 'metrics[2].renewableShare'));
  it('PCAF score 7', () =>
    expectError(set(1, { pcafDataQuality: 7 }), 'invalid_option', 'metrics[1].pcafDataQuality'));
  it('PCAF score 2.5', () =>
    expectError(set(1, { pcafDataQuality: 2.5 }), 'invalid_option', 'metrics[1].pcafDataQuality'));
  it('unknown currency', () =>
    expectError(
      set(0, { revenue: { amount: 100, currency: 'XYZ' } }),
      'unknown_currency',
      'metrics[0].revenue.currency',
    ));
  it('fractional minor units', () =>
    expectError(
      set(0, { revenue: { amount: 10.5, currency: 'GBP' } }),
      'not_minor_units',
      'metrics[0].revenue.amount',
    ));
  it('negative revenue', () =>
    expectError(
      set(0, { revenue: { amount: -100, currency: 'GBP' } }),
      'out_of_range',
      'metrics[0].revenue.amount',
    ));
  it('duplicate years name the later entry', () =>
    expectError(set(2, { year: 2022 }), 'invalid_option', 'metrics[2].year'));
  it('NaN scope 1', () =>
    expectError(set(1, { scope1Tco2e: Number.NaN }), 'invalid_type', 'metrics[1].scope1Tco2e'));
  it('Infinite scope 2', () =>
    expectError(set(2, { scope2Tco2e: Number.POSITIVE_INFINITY }), 'invalid_type', 'metrics[2].scope2Tco2e'));
  it('Infinite revenue', () =>
    expectError(
      set(2, { revenue: { amount: Number.POSITIVE_INFINITY, currency: 'GBP' } }),
      'invalid_type',
      'metrics[2].revenue.amount',
    ));
  it('string energy', () =>
    expectError(set(0, { energyMwh: '500' }), 'invalid_type', 'metrics[0].energyMwh'));
  it('verified not a boolean', () =>
    expectError(set(0, { verified: 'yes' }), 'invalid_type', 'metrics[0].verified'));
  it('missing year', () => expectError(set(1, { year: undefined }), 'required', 'metrics[1].year'));
  it('fractional year', () => expectError(set(1, { year: 2023.5 }), 'invalid_type', 'metrics[1].year'));
  it('metrics not an array', () =>
    expectError((i) => Object.assign(i, { metrics: 'x' }), 'invalid_type', 'metrics'));
  it('a metrics entry that is not an object', () =>
    expectError((i) => i.metrics.push(null as never), 'invalid_type', 'metrics[3]'));
  it('SIC code of a division that does not exist (04)', () =>
    expectError((i) => (i.sicCodes = ['04100']), 'invalid_option', 'sicCodes[0]'));
  it('SIC subclass not on the Companies House list', () =>
    expectError((i) => (i.sicCodes = ['25210', '25219']), 'invalid_option', 'sicCodes[1]'));
  it('SIC code with letters', () =>
    expectError((i) => (i.sicCodes = ['2521A']), 'invalid_type', 'sicCodes[0]'));
  it('sicCodes missing', () =>
    expectError((i) => Object.assign(i, { sicCodes: undefined }), 'required', 'sicCodes'));
  it('target year not after base year', () =>
    expectError(
      (i) =>
        (i.target = {
          baseYear: 2030,
          targetYear: 2030,
          reduction: 0.4,
          scopes: 'scope1+2',
          validated: true,
        }),
      'dates_out_of_order',
      'target.targetYear',
    ));
  it('target reduction above 1', () =>
    expectError(
      (i) =>
        (i.target = {
          baseYear: 2022,
          targetYear: 2030,
          reduction: 1.5,
          scopes: 'scope1+2',
          validated: true,
        }),
      'out_of_range',
      'target.reduction',
    ));
  it('target scopes unknown', () =>
    expectError(
      (i) =>
        (i.target = {
          baseYear: 2022,
          targetYear: 2030,
          reduction: 0.4,
          scopes: 'all' as never,
          validated: true,
        }),
      'invalid_option',
      'target.scopes',
    ));
  it('target validated not a boolean', () =>
    expectError(
      (i) =>
        (i.target = {
          baseYear: 2022,
          targetYear: 2030,
          reduction: 0.4,
          scopes: 'scope1+2',
          validated: 1 as never,
        }),
      'invalid_type',
      'target.validated',
    ));
  it('asOfYear not an integer', () =>
    expectError(() => {}, 'invalid_type', 'options.asOfYear', { asOfYear: 2024.5 }));
  it('FX rate of zero', () =>
    expectError(() => {}, 'out_of_range', 'options.fxRates.rates.GBP', {
      fxRates: { base: 'EUR', year: 2024, source: 'test', rates: { GBP: 0 } },
    }));
  it('FX table with an unknown currency', () =>
    expectError(() => {}, 'unknown_currency', 'options.fxRates.rates.XXX', {
      fxRates: { base: 'EUR', year: 2024, source: 'test', rates: { XXX: 1 } as never },
    }));
  it('benchmark with a bad SIC key', () =>
    expectError(() => {}, 'invalid_option', 'options.benchmarks[0].sic', {
      benchmarks: [{ sic: 'Z', scope12PerMillionRevenue: 10, currency: 'GBP', year: 2024, source: 's' }],
    }));
  it('benchmark with a negative value', () =>
    expectError(() => {}, 'out_of_range', 'options.benchmarks[1].scope12PerMillionRevenue', {
      benchmarks: [
        { sic: 'C', scope12PerMillionRevenue: 10, currency: 'GBP', year: 2024, source: 's' },
        { sic: '25', scope12PerMillionRevenue: -1, currency: 'GBP', year: 2024, source: 's' },
      ],
    }));
  it('benchmark without a source', () =>
    expectError(() => {}, 'required', 'options.benchmarks[0].source', {
      benchmarks: [{ sic: '25', scope12PerMillionRevenue: 10, currency: 'GBP', year: 2024, source: '' }],
    }));
  it('duplicate benchmark keys', () =>
    expectError(() => {}, 'invalid_option', 'options.benchmarks[1].sic', {
      benchmarks: [
        { sic: '25', scope12PerMillionRevenue: 10, currency: 'GBP', year: 2024, source: 's' },
        { sic: '25', scope12PerMillionRevenue: 11, currency: 'GBP', year: 2024, source: 's' },
      ],
    }));
});

describe('missing values are not errors', () => {
  it('null and undefined fields score without throwing', () => {
    const input = ecotech();
    input.metrics = input.metrics.map((m) => ({
      year: m.year,
      energyMwh: null,
      revenue: null,
      verified: null,
    }));
    expect(() => greenScore(input)).not.toThrow();
  });
});
