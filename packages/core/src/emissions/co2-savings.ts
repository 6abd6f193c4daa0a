/**
 * CO2 saved by a financed project: energy saved per year, per energy source, times the DESNZ
 * emission factor of that source, over the project's lifetime.
 *
 * tCO2e/yr = Σ MWh saved/yr × kgCO2e/kWh (1 MWh × 1 kgCO2e/kWh = 1 tCO2e, so no unit conversion).
 *
 * Factors are held flat over the lifetime: no grid-decarbonisation projection is applied (see
 * docs/methodology/emissions.md). Because the UK grid is decarbonising, flat factors overstate the
 * later years' electricity savings; callers with a projection can pass their own factor.
 */
import { ErrorCode, assertFinite, assertInRange, assertInteger, assertOneOf, invariant } from '../errors.js';
import {
  DEFAULT_EMISSION_FACTOR_YEAR,
  EMISSION_FACTOR_YEARS,
  ENERGY_SOURCES,
  lookupEmissionFactor,
  type CalorificBasis,
  type CitedFactor,
  type EmissionFactorYear,
  type EnergySource,
} from './emission-factors.js';
import { roundTonnes } from './precision.js';

/** Longest project lifetime accepted, in years (a sanity bound, not a methodology limit). */
export const MAX_LIFETIME_YEARS = 100;

/** A factor the caller supplies instead of the DESNZ one (e.g. a supplier's market-based factor). */
export interface CustomEmissionFactor {
  /** kgCO2e per kWh (= tCO2e per MWh), ≥ 0. */
  readonly kgCo2ePerKwh: number;
  /** Where the factor comes from; shown in reports beside the result. */
  readonly source: string;
}

/** Energy one project saves from one source, per year. */
export interface EnergySaving {
  readonly source: EnergySource;
  /** MWh saved per year, ≥ 0. */
  readonly mwhPerYear: number;
  /** Calorific basis of the MWh for fuels (default gross CV, the billing basis). */
  readonly basis?: CalorificBasis;
  /** Replaces the DESNZ factor for this line (T&D losses are then not added). */
  readonly customFactor?: CustomEmissionFactor;
}

export interface Co2SavingsInput {
  /** At least one line; the demo's `ecotechExample.project.energySaved` fits. */
  readonly energySaved: readonly EnergySaving[];
  /** Years the savings last: a whole number, 1–100. */
  readonly lifetimeYears: number;
  /** DESNZ factor set to use (default 2025). */
  readonly factorYear?: EmissionFactorYear;
  /**
   * Also count UK grid transmission and distribution losses avoided by saved electricity (DESNZ
   * Scope 3 T&D factor). Default false: savings are counted on the Scope 2 generation factor only.
   */
  readonly includeTransmissionLosses?: boolean;
}

/** A factor as applied, with its source. */
export interface AppliedFactor {
  readonly value: number;
  readonly unit: 'kgCO2e/kWh';
  /** Citation of the published row, or the caller's description for a custom factor. */
  readonly source: string;
  /** The DESNZ row, or null for a custom factor. */
  readonly desnz: CitedFactor | null;
}

export interface Co2SavingsLine {
  readonly source: EnergySource;
  readonly mwhPerYear: number;
  /** The factors summed for this line: generation/combustion, plus T&D losses when asked. */
  readonly factors: readonly AppliedFactor[];
  /** Sum of {@link factors}, kgCO2e/kWh. */
  readonly kgCo2ePerKwh: number;
  readonly tco2ePerYear: number;
  readonly totalTco2e: number;
}

export interface Co2SavingsResult {
  readonly factorYear: EmissionFactorYear;
  readonly lifetimeYears: number;
  /** tCO2e saved per year (6 decimals). */
  readonly tco2ePerYear: number;
  /** tCO2e saved over the lifetime (6 decimals). */
  readonly totalTco2e: number;
  readonly breakdown: readonly Co2SavingsLine[];
  /** Plain-language assumptions to print beside the figure. */
  readonly assumptions: readonly string[];
}

function lineFactors(
  saving: EnergySaving,
  i: number,
  factorYear: EmissionFactorYear,
  includeTransmissionLosses: boolean,
): AppliedFactor[] {
  const path = `energySaved[${i}]`;
  if (saving.customFactor !== undefined) {
    const custom = saving.customFactor;
    invariant(
      typeof custom === 'object' && custom !== null,
      ErrorCode.InvalidType,
      `${path}.customFactor`,
      'must be an object { kgCo2ePerKwh, source }',
    );
    assertInRange(custom.kgCo2ePerKwh, `${path}.customFactor.kgCo2ePerKwh`, { min: 0 });
    invariant(
      typeof custom.source === 'string' && custom.source.trim() !== '',
      ErrorCode.Required,
      `${path}.customFactor.source`,
      'must say where the factor comes from',
    );
    invariant(
      saving.basis === undefined,
      ErrorCode.InvalidOption,
      `${path}.basis`,
      'does not apply when a customFactor is given',
    );
    return [{ value: custom.kgCo2ePerKwh, unit: 'kgCO2e/kWh', source: custom.source, desnz: null }];
  }
  const paths = { key: `${path}.source`, year: 'factorYear', basis: `${path}.basis` };
  const main = lookupEmissionFactor(saving.source, factorYear, saving.basis, paths);
  const factors: AppliedFactor[] = [
    { value: main.value, unit: 'kgCO2e/kWh', source: main.citation, desnz: main },
  ];
  if (includeTransmissionLosses && saving.source === 'electricity') {
    const td = lookupEmissionFactor('electricity-td-losses', factorYear, undefined, paths);
    factors.push({ value: td.value, unit: 'kgCO2e/kWh', source: td.citation, desnz: td });
  }
  return factors;
}

/**
 * Estimates the CO2e a project saves: for each energy source, MWh saved per year × the DESNZ
 * factor (kgCO2e/kWh = tCO2e/MWh) of the chosen year, then × lifetime years. Electricity uses the
 * UK location-based grid factor; fuels their gross-CV combustion factor unless told otherwise.
 * Factors are held flat over the lifetime (no grid-decarbonisation projection).
 *
 * @example
 * const r = co2Savings({ energySaved: [{ source: 'electricity', mwhPerYear: 100 }], lifetimeYears: 10 });
 * r.tco2ePerYear; // 17.7  (100 MWh × 0.177 kgCO2e/kWh, DESNZ 2025)
 * r.totalTco2e;   // 177
 */
export function co2Savings(input: Co2SavingsInput): Co2SavingsResult {
  invariant(
    typeof input === 'object' && input !== null,
    ErrorCode.InvalidType,
    '',
    'input must be an object',
  );
  const factorYear = input.factorYear ?? DEFAULT_EMISSION_FACTOR_YEAR;
  invariant(
    typeof factorYear === 'number' && (EMISSION_FACTOR_YEARS as readonly number[]).includes(factorYear),
    ErrorCode.InvalidOption,
    'factorYear',
    `must be one of ${EMISSION_FACTOR_YEARS.join(', ')}, got ${JSON.stringify(factorYear)}`,
  );
  assertInteger(input.lifetimeYears, 'lifetimeYears', 1);
  assertInRange(input.lifetimeYears, 'lifetimeYears', { max: MAX_LIFETIME_YEARS });
  const includeTransmissionLosses = input.includeTransmissionLosses ?? false;
  invariant(
    typeof includeTransmissionLosses === 'boolean',
    ErrorCode.InvalidType,
    'includeTransmissionLosses',
    'must be a boolean',
  );
  invariant(Array.isArray(input.energySaved), ErrorCode.InvalidType, 'energySaved', 'must be an array');
  invariant(
    input.energySaved.length > 0,
    ErrorCode.Required,
    'energySaved',
    'must list at least one energy source',
  );

  const lifetimeYears = input.lifetimeYears;
  let perYear = 0;
  const breakdown = input.energySaved.map((saving, i): Co2SavingsLine => {
    invariant(
      typeof saving === 'object' && saving !== null,
      ErrorCode.InvalidType,
      `energySaved[${i}]`,
      'must be an object',
    );
    assertOneOf(saving.source, ENERGY_SOURCES, `energySaved[${i}].source`);
    assertFinite(saving.mwhPerYear, `energySaved[${i}].mwhPerYear`);
    assertInRange(saving.mwhPerYear, `energySaved[${i}].mwhPerYear`, { min: 0 });
    const factors = lineFactors(saving, i, factorYear, includeTransmissionLosses);
    const kgCo2ePerKwh = factors.reduce((sum, f) => sum + f.value, 0);
    const tonnes = saving.mwhPerYear * kgCo2ePerKwh;
    perYear += tonnes;
    return {
      source: saving.source,
      mwhPerYear: saving.mwhPerYear,
      factors,
      kgCo2ePerKwh: roundTonnes(kgCo2ePerKwh),
      tco2ePerYear: roundTonnes(tonnes),
      totalTco2e: roundTonnes(tonnes * lifetimeYears),
    };
  });

  const assumptions = [
    `Emission factors: DESNZ UK GHG Conversion Factors ${factorYear}, unless a line gives its own factor.`,
    'Electricity uses the UK location-based grid average factor (Scope 2, "electricity generated").',
    includeTransmissionLosses
      ? 'Avoided UK grid transmission and distribution losses (DESNZ Scope 3 T&D factor) are added to electricity.'
      : 'Grid transmission and distribution losses are not counted.',
    `Factors are held flat for all ${lifetimeYears} years: no grid-decarbonisation projection is applied, so later years' electricity savings are likely overstated.`,
    'Savings are the stated MWh per year for every year of the lifetime (no degradation or rebound).',
  ];

  return {
    factorYear,
    lifetimeYears,
    tco2ePerYear: roundTonnes(perYear),
    totalTco2e: roundTonnes(perYear * lifetimeYears),
    breakdown,
    assumptions,
  };
}
