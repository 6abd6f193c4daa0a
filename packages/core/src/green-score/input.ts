/**
 * What the green score takes in, and its validation: bad input (negative energy, a renewable
 * share above 1, a PCAF score of 7, an unknown currency, duplicate years, non-finite numbers)
 * throws one `GreenfinError` naming the field; missing values are allowed and become warnings.
 */
import {
  ErrorCode,
  GreenfinError,
  assertFinite,
  assertInRange,
  assertInteger,
  assertOneOf,
  invariant,
} from '../errors.js';
import {
  CURRENCY_EXPONENTS,
  assertCurrency,
  assertMinorUnits,
  isCurrency,
  type CurrencyCode,
  type Money,
} from '../money.js';
import { assertFxRates, type FxRates } from './fx.js';
import { assertSectorBenchmarks, type SectorBenchmark } from './sector-benchmarks.js';
import { parseSicCode, type SicCode } from './sic.js';

/** PCAF data-quality score: 1 (verified reported emissions) … 5 (sector averages). */
export type PcafScore = 1 | 2 | 3 | 4 | 5;

/**
 * One reporting year of a company's environmental data. Every field but `year` may be missing
 * (`undefined` or `null`): a missing value never crashes and never scores as good.
 */
export interface EnvironmentalMetrics {
  /** Reporting year, e.g. 2024. */
  readonly year: number;
  /** Energy consumed, MWh. */
  readonly energyMwh?: number | null;
  /** Direct emissions, t CO2e. */
  readonly scope1Tco2e?: number | null;
  /** Purchased-energy emissions, t CO2e (as reported; location- or market-based). */
  readonly scope2Tco2e?: number | null;
  /** Value-chain emissions, t CO2e (only whether it is reported is scored). */
  readonly scope3Tco2e?: number | null;
  /** Revenue of the year, integer minor units. */
  readonly revenue?: Money | null;
  /** Share of energy from renewable sources, 0–1. */
  readonly renewableShare?: number | null;
  /** Scope 1+2 verified by an independent third party. */
  readonly verified?: boolean | null;
  /** PCAF data-quality score of the year's emissions. */
  readonly pcafDataQuality?: PcafScore | null;
}

/** Which emissions a target covers. */
export type TargetScopes = 'scope1+2' | 'scope1+2+3' | 'scope1' | 'scope2';
export const TARGET_SCOPES: readonly TargetScopes[] = ['scope1+2', 'scope1+2+3', 'scope1', 'scope2'];

/** An absolute emissions-reduction target: `reduction` (0–1) of base-year emissions by `targetYear`. */
export interface EmissionsTarget {
  readonly baseYear: number;
  readonly targetYear: number;
  /** Fraction of base-year emissions to cut, e.g. 0.42. */
  readonly reduction: number;
  readonly scopes: TargetScopes;
  /** Validated by the Science Based Targets initiative (or an equivalent independent body). */
  readonly validated: boolean;
}

/** What `greenScore` scores. */
export interface GreenScoreInput {
  /** SIC 2007 codes as Companies House records them; the first is taken as the main activity. */
  readonly sicCodes: readonly string[];
  /** Reporting years, in any order, one per year. */
  readonly metrics: readonly EnvironmentalMetrics[];
  /** `null`: the company has no target; `undefined`: not known. */
  readonly target?: EmissionsTarget | null;
}

/** Options of `greenScore`. */
export interface GreenScoreOptions {
  /** Your own sector benchmarks; an entry replaces ours for the same SIC key, and the most specific key wins. */
  readonly benchmarks?: readonly SectorBenchmark[];
  /** `false`: use only `benchmarks`, never ours. Default `true`. */
  readonly useDefaultBenchmarks?: boolean;
  /** Rates to convert revenue into a benchmark's currency. Default: ECB 2022 annual averages. */
  readonly fxRates?: FxRates;
  /** Score as at this year: later reporting years are ignored, and stale data lowers confidence. */
  readonly asOfYear?: number;
}

/** A validated reporting year with money in major units. */
export interface MetricsRow {
  readonly year: number;
  /** Position in the caller's `metrics` array, for messages. */
  readonly index: number;
  readonly energyMwh: number | null;
  readonly scope1: number | null;
  readonly scope2: number | null;
  readonly scope3: number | null;
  /** Revenue in millions of `currency` (major units / 10⁶). */
  readonly revenueMillions: number | null;
  readonly currency: CurrencyCode | null;
  readonly renewableShare: number | null;
  readonly verified: boolean | null;
  readonly pcaf: PcafScore | null;
}

/** Validated, normalised input. */
export interface ValidatedInput {
  readonly sic: SicCode | null;
  /** Reporting years sorted by year, `asOfYear` applied. */
  readonly rows: readonly MetricsRow[];
  /** Reporting years dropped because they are after `asOfYear`. */
  readonly ignoredYears: readonly number[];
  readonly target: EmissionsTarget | null | undefined;
}

const MIN_YEAR = 1900;
const MAX_YEAR = 2200;
const POWERS_OF_TEN = [1, 10, 100, 1000, 10000];

function isMissing(v: unknown): v is null | undefined {
  return v === undefined || v === null;
}

// Fast paths first: the assertion helpers build their messages eagerly, and scoring 100,000
// companies a second leaves no room for that on valid input. They still produce every error.
function optionalNonNegative(v: unknown, index: number, field: string): number | null {
  if (isMissing(v)) return null;
  if (typeof v === 'number' && v >= 0 && v < Infinity) return v;
  assertInRange(v, `metrics[${index}].${field}`, { min: 0 });
  return v;
}

function isYear(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= MIN_YEAR && v <= MAX_YEAR;
}

function assertYear(v: unknown, path: string): asserts v is number {
  if (isYear(v)) return;
  invariant(v !== undefined && v !== null, ErrorCode.Required, path, 'is required');
  assertInteger(v, path, MIN_YEAR);
  throw new GreenfinError(ErrorCode.OutOfRange, path, `must be ≤ ${MAX_YEAR}, got ${v}`);
}

function validateRow(m: unknown, i: number): MetricsRow {
  // Paths are built only on the error branches (string building costs on the hot path).
  if (typeof m !== 'object' || m === null)
    throw new GreenfinError(ErrorCode.InvalidType, `metrics[${i}]`, 'must be an object');
  const r = m as Record<string, unknown>;
  const year = r['year'];
  if (!isYear(year)) assertYear(year, `metrics[${i}].year`);

  let revenueMillions: number | null = null;
  let currency: CurrencyCode | null = null;
  const revenue = r['revenue'];
  if (!isMissing(revenue)) {
    if (typeof revenue !== 'object')
      throw new GreenfinError(ErrorCode.InvalidType, `metrics[${i}].revenue`, 'must be { amount, currency }');
    const money = revenue as Record<string, unknown>;
    const amount = money['amount'];
    if (!(typeof amount === 'number' && Number.isSafeInteger(amount) && amount >= 0)) {
      assertMinorUnits(amount, `metrics[${i}].revenue.amount`);
      invariant(amount >= 0, ErrorCode.OutOfRange, `metrics[${i}].revenue.amount`, 'must be ≥ 0');
    }
    const code = money['currency'];
    if (!isCurrency(code)) assertCurrency(code, `metrics[${i}].revenue.currency`);
    currency = code;
    revenueMillions = amount / POWERS_OF_TEN[CURRENCY_EXPONENTS[code]]! / 1e6;
  }

  const share = r['renewableShare'];
  if (!isMissing(share) && !(typeof share === 'number' && share >= 0 && share <= 1)) {
    assertInRange(share, `metrics[${i}].renewableShare`, { min: 0, max: 1 });
  }
  const verified = r['verified'];
  if (!isMissing(verified) && typeof verified !== 'boolean') {
    throw new GreenfinError(
      ErrorCode.InvalidType,
      `metrics[${i}].verified`,
      `must be true or false, got ${JSON.stringify(verified)}`,
    );
  }
  const pcaf = r['pcafDataQuality'];
  if (!isMissing(pcaf) && !(pcaf === 1 || pcaf === 2 || pcaf === 3 || pcaf === 4 || pcaf === 5)) {
    assertFinite(pcaf, `metrics[${i}].pcafDataQuality`);
    throw new GreenfinError(
      ErrorCode.InvalidOption,
      `metrics[${i}].pcafDataQuality`,
      `must be a PCAF data-quality score 1, 2, 3, 4 or 5, got ${pcaf}`,
    );
  }
  return {
    year,
    index: i,
    energyMwh: optionalNonNegative(r['energyMwh'], i, 'energyMwh'),
    scope1: optionalNonNegative(r['scope1Tco2e'], i, 'scope1Tco2e'),
    scope2: optionalNonNegative(r['scope2Tco2e'], i, 'scope2Tco2e'),
    scope3: optionalNonNegative(r['scope3Tco2e'], i, 'scope3Tco2e'),
    revenueMillions,
    currency,
    renewableShare: isMissing(share) ? null : share,
    verified: isMissing(verified) ? null : verified,
    pcaf: isMissing(pcaf) ? null : (pcaf as PcafScore),
  };
}

function validateTarget(t: unknown): EmissionsTarget {
  invariant(typeof t === 'object', ErrorCode.InvalidType, 'target', 'must be an object or null');
  const r = t as Record<string, unknown>;
  const baseYear = r['baseYear'];
  const targetYear = r['targetYear'];
  assertYear(baseYear, 'target.baseYear');
  assertYear(targetYear, 'target.targetYear');
  if (targetYear <= baseYear) {
    throw new GreenfinError(
      ErrorCode.DatesOutOfOrder,
      'target.targetYear',
      `must be after the base year ${baseYear}, got ${targetYear}`,
    );
  }
  const reduction = r['reduction'];
  if (!(typeof reduction === 'number' && reduction >= 0 && reduction <= 1)) {
    assertInRange(reduction, 'target.reduction', { min: 0, max: 1 });
  }
  const scopes = r['scopes'];
  if (!(scopes === 'scope1+2' || scopes === 'scope1+2+3' || scopes === 'scope1' || scopes === 'scope2')) {
    assertOneOf(scopes, TARGET_SCOPES, 'target.scopes');
  }
  if (typeof r['validated'] !== 'boolean') {
    throw new GreenfinError(
      ErrorCode.InvalidType,
      'target.validated',
      `must be true or false, got ${JSON.stringify(r['validated'])}`,
    );
  }
  return t as EmissionsTarget;
}

/**
 * Validates options; returns the `asOfYear` (or null).
 *
 * @example validateOptions({ asOfYear: 2025 }) // 2025
 */
export function validateOptions(options: GreenScoreOptions | undefined): number | null {
  if (options === undefined) return null;
  invariant(
    typeof options === 'object' && options !== null,
    ErrorCode.InvalidType,
    'options',
    'must be an object',
  );
  if (options.benchmarks !== undefined) assertSectorBenchmarks(options.benchmarks, 'options.benchmarks');
  if (options.useDefaultBenchmarks !== undefined) {
    invariant(
      typeof options.useDefaultBenchmarks === 'boolean',
      ErrorCode.InvalidType,
      'options.useDefaultBenchmarks',
      'must be true or false',
    );
  }
  if (options.fxRates !== undefined) assertFxRates(options.fxRates, 'options.fxRates');
  if (options.asOfYear === undefined) return null;
  assertInteger(options.asOfYear, 'options.asOfYear', MIN_YEAR);
  invariant(options.asOfYear <= MAX_YEAR, ErrorCode.OutOfRange, 'options.asOfYear', `must be ≤ ${MAX_YEAR}`);
  return options.asOfYear;
}

/**
 * Validates the input and returns the reporting years sorted by year, dropping those after
 * `asOfYear`. Throws `GreenfinError` with the path of the first bad field.
 *
 * @example validateInput({ sicCodes: ['25210'], metrics: [{ year: 2024 }] }, null).rows[0]?.year // 2024
 */
export function validateInput(input: GreenScoreInput, asOfYear: number | null): ValidatedInput {
  invariant(
    typeof input === 'object' && input !== null,
    ErrorCode.InvalidType,
    '',
    'input must be an object',
  );
  const codes = input.sicCodes;
  invariant(
    codes !== undefined && codes !== null,
    ErrorCode.Required,
    'sicCodes',
    'is required (an empty array if unknown)',
  );
  invariant(Array.isArray(codes), ErrorCode.InvalidType, 'sicCodes', 'must be an array of SIC 2007 codes');
  let sic: SicCode | null = null;
  for (let i = 0; i < codes.length; i++) {
    const parsed = parseSicCode(codes[i], `sicCodes[${i}]`);
    if (i === 0) sic = parsed;
  }

  const metrics = input.metrics;
  invariant(
    metrics !== undefined && metrics !== null,
    ErrorCode.Required,
    'metrics',
    'is required (may be empty)',
  );
  invariant(Array.isArray(metrics), ErrorCode.InvalidType, 'metrics', 'must be an array of reporting years');
  const all: MetricsRow[] = [];
  for (let i = 0; i < metrics.length; i++) all.push(validateRow(metrics[i], i));
  all.sort((a, b) => a.year - b.year || a.index - b.index);
  for (let i = 1; i < all.length; i++) {
    const prev = all[i - 1]!;
    const row = all[i]!;
    invariant(
      row.year !== prev.year,
      ErrorCode.InvalidOption,
      `metrics[${row.index}].year`,
      `duplicate reporting year ${row.year} (also metrics[${prev.index}])`,
    );
  }
  let rows: MetricsRow[] = all;
  const ignoredYears: number[] = [];
  if (asOfYear !== null) {
    rows = [];
    for (const row of all) {
      if (row.year <= asOfYear) rows.push(row);
      else ignoredYears.push(row.year);
    }
  }

  const target = input.target;
  return { sic, rows, ignoredYears, target: isMissing(target) ? target : validateTarget(target) };
}
