/**
 * Emission factors for energy use from the UK Government GHG Conversion Factors for Company
 * Reporting (DESNZ), with the exact spreadsheet row each factor comes from. The numbers live in
 * `desnz-factors.generated.ts`, written by `scripts/emission-factors/generate-desnz-factors.ts`
 * from the published files; this module is the typed, validated way to read them.
 */
import { ErrorCode, assertOneOf, invariant } from '../errors.js';
import { DESNZ_EDITIONS, DESNZ_FACTORS } from './desnz-factors.generated.js';

/** Energy carriers a project can save, each mapped to one DESNZ factor row (see the methodology). */
export const ENERGY_SOURCES = [
  'electricity',
  'natural-gas',
  'lpg',
  'diesel',
  'gas-oil',
  'fuel-oil',
  'burning-oil',
  'coal',
  'wood-pellets',
  'wood-chips',
  'district-heat',
] as const;

/** An energy carrier core has a DESNZ factor for. */
export type EnergySource = (typeof ENERGY_SOURCES)[number];

/**
 * Every factor in the table: the energy sources plus the Scope 3 factor for UK electricity
 * transmission and distribution losses.
 */
export const FACTOR_KEYS = [...ENERGY_SOURCES, 'electricity-td-losses'] as const;

/** A row of the factor table. */
export type FactorKey = (typeof FACTOR_KEYS)[number];

/**
 * Calorific-value basis of a fuel's per-kWh factor. DESNZ: "the majority of energy billing is
 * provided on a gross CV basis whereas transportation is based on a net CV basis".
 */
export type CalorificBasis = 'gross-cv' | 'net-cv';
export const CALORIFIC_BASES: readonly CalorificBasis[] = ['gross-cv', 'net-cv'];

/** Publication years of the DESNZ factor sets core ships. */
export const EMISSION_FACTOR_YEARS = [2024, 2025] as const;
export type EmissionFactorYear = (typeof EMISSION_FACTOR_YEARS)[number];

/** The year used when none is asked for: the latest set shipped. */
export const DEFAULT_EMISSION_FACTOR_YEAR: EmissionFactorYear = 2025;

/** GHG Protocol scope a factor reports under. */
export type GhgScope = 'Scope 1' | 'Scope 2' | 'Scope 3';

/** Where in the published DESNZ file a factor was read. */
export interface DesnzSourceRow {
  /** File name as published / mirrored (see the edition for its hash). */
  readonly file: string;
  /** Worksheet the row belongs to (`Factors by Category` for the flat file). */
  readonly sheet: string;
  /** 1-based spreadsheet row number in that worksheet. */
  readonly row: number;
  /** The flat file's factor ID (e.g. `7_400_4000_5_1`); the full set has none. */
  readonly id: string | null;
  readonly scope: GhgScope;
  /** Flat-file hierarchy; for the full set, Level 1 is the sheet, 2 the Activity, 3 the Fuel/Type. */
  readonly level1: string;
  readonly level2: string;
  readonly level3: string;
  readonly level4: string | null;
  /** Unit of measure of the activity, e.g. `kWh (Gross CV)`. */
  readonly uom: string;
  /** Always the all-gases total, never a per-gas row. */
  readonly ghgUnit: 'kg CO2e';
}

/** One emission factor with its provenance. */
export interface DesnzFactor {
  readonly key: FactorKey;
  readonly year: EmissionFactorYear;
  /** Calorific basis for fuels; null for electricity and heat (metered as delivered kWh). */
  readonly basis: CalorificBasis | null;
  /** kgCO2e per kWh — numerically equal to tCO2e per MWh. */
  readonly value: number;
  readonly unit: 'kgCO2e/kWh';
  readonly scope: GhgScope;
  readonly source: DesnzSourceRow;
  /** Why this row was chosen or how to read it, when not obvious. */
  readonly note: string | null;
}

/** A published DESNZ factor set core reads from. */
export interface DesnzEdition {
  readonly year: EmissionFactorYear;
  readonly title: string;
  /** "Flat file" or "Full set". */
  readonly factorSet: string;
  readonly version: string;
  /** The set's "Updated" date from its front page, when it states one. */
  readonly updated: string | null;
  /** The published workbook the source rows refer to. */
  readonly file: string;
  /** SHA-256 of that workbook. */
  readonly sha256: string;
  /** The file the values were parsed from (the 2025 flat file's CSV export; rows are cross-checked). */
  readonly readFrom: string;
  readonly readFromSha256: string;
  readonly publisher: string;
  readonly licence: string;
}

/** A factor together with a human-readable citation of its source. */
export interface CitedFactor extends DesnzFactor {
  /** e.g. "DESNZ GHG Conversion Factors 2025 (Flat file, v1), ID 7_400_4000_5_1: Scope 2 › …". */
  readonly citation: string;
}

export interface EmissionFactorOptions {
  /** DESNZ publication year (default {@link DEFAULT_EMISSION_FACTOR_YEAR}). */
  readonly year?: EmissionFactorYear;
  /**
   * Calorific-value basis for fuels (default gross CV where DESNZ publishes both; biomass is
   * published on a net CV basis only). Not applicable to electricity and heat.
   */
  readonly basis?: CalorificBasis;
}

/** The DESNZ editions core ships, by year. */
export function desnzEdition(year: EmissionFactorYear): DesnzEdition {
  const edition = DESNZ_EDITIONS.find((e) => e.year === year);
  invariant(edition, ErrorCode.InvalidOption, 'year', `no DESNZ factor set for ${year}`);
  return edition;
}

function citation(f: DesnzFactor): string {
  const edition = desnzEdition(f.year);
  const s = f.source;
  const where = s.id ? `ID ${s.id} (sheet '${s.sheet}', row ${s.row})` : `sheet '${s.sheet}', row ${s.row}`;
  const path = [s.scope, s.level1, s.level2, s.level3, s.level4, s.uom].filter((p) => p).join(' › ');
  return `DESNZ UK GHG Conversion Factors ${f.year} (${edition.factorSet}, v${edition.version}), ${where}: ${path}, ${s.ghgUnit}`;
}

/** @internal Factor lookup with caller-supplied error paths (used by co2Savings). */
export function lookupEmissionFactor(
  key: unknown,
  year: unknown,
  basis: unknown,
  paths: { key: string; year: string; basis: string },
): CitedFactor {
  assertOneOf(key, FACTOR_KEYS, paths.key);
  invariant(
    typeof year === 'number' && (EMISSION_FACTOR_YEARS as readonly number[]).includes(year),
    ErrorCode.InvalidOption,
    paths.year,
    `must be one of ${EMISSION_FACTOR_YEARS.join(', ')}, got ${JSON.stringify(year)}`,
  );
  if (basis !== undefined) assertOneOf(basis, CALORIFIC_BASES, paths.basis);
  const candidates = DESNZ_FACTORS.filter((f) => f.key === key && f.year === year);
  invariant(
    candidates.length > 0,
    ErrorCode.InvalidOption,
    paths.key,
    `no ${year} DESNZ factor for '${key}'`,
  );
  let chosen: DesnzFactor | undefined;
  if (basis === undefined) {
    // Gross CV is the billing basis; fall back to the only basis published (biomass: net CV).
    chosen =
      candidates.find((f) => f.basis === 'gross-cv') ??
      candidates.find((f) => f.basis === null) ??
      candidates[0];
  } else {
    chosen = candidates.find((f) => f.basis === basis);
    const available = candidates.map((f) => f.basis ?? 'none (metered kWh)').join(', ');
    invariant(
      chosen,
      ErrorCode.InvalidOption,
      paths.basis,
      `'${key}' has no ${basis} factor in the ${year} set (available: ${available})`,
    );
  }
  invariant(chosen, ErrorCode.InvalidOption, paths.key, `no ${year} DESNZ factor for '${key}'`);
  return Object.freeze({ ...chosen, citation: citation(chosen) });
}

/**
 * The DESNZ emission factor for an energy source, in kgCO2e per kWh (= tCO2e per MWh), with the
 * exact published row it was read from. Electricity is the UK location-based grid average
 * ("electricity generated", Scope 2); `electricity-td-losses` is the separate Scope 3 factor for
 * grid transmission and distribution losses.
 *
 * @example emissionFactor('electricity').value // 0.177 (2025, kgCO2e/kWh)
 * @example emissionFactor('natural-gas', { year: 2024 }).value // 0.1829 (gross CV)
 * @example emissionFactor('natural-gas', { basis: 'net-cv' }).source.uom // "kWh (Net CV)"
 */
export function emissionFactor(source: FactorKey, options: EmissionFactorOptions = {}): CitedFactor {
  return lookupEmissionFactor(source, options.year ?? DEFAULT_EMISSION_FACTOR_YEAR, options.basis, {
    key: 'source',
    year: 'year',
    basis: 'basis',
  });
}

/** Every factor shipped, for listing in reports and the API's reference data. */
export function emissionFactorTable(): readonly DesnzFactor[] {
  return DESNZ_FACTORS;
}
