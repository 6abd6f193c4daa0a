/**
 * Sector benchmarks for carbon intensity: the typical scope 1+2 emissions per million of revenue of
 * a SIC 2007 sector, with where the number comes from. Ours are derived from the US EPA Supply Chain
 * GHG Emission Factors v1.3 (public domain), see `sector-benchmarks.generated.ts` and
 * docs/methodology/green-score.md; a caller may add or override entries per call.
 */
import { ErrorCode, assertInRange, assertInteger, invariant } from '../errors.js';
import { assertCurrency, type CurrencyCode } from '../money.js';
import { OPERATIONAL_SHARE_OF_SUPPLY_CHAIN } from './methodology.js';
import { SECTOR_FACTORS, SECTOR_FACTORS_PROVENANCE } from './sector-benchmarks.generated.js';
import { sectionOfDivision, sicTitle, type SicCode } from './sic.js';

/** One row of the derived supply-chain factor table (kg CO2e per 2022 USD, cradle to factory gate). */
export interface SectorFactorRow {
  /** SIC 2007 section letter, two-digit division or three-digit group. */
  readonly sic: string;
  readonly level: 'section' | 'division' | 'group';
  /** Title, for rows that are not a section or division. */
  readonly title?: string;
  /** NAICS-6 industries mapped to the row (each counted once in the statistics). */
  readonly naicsIndustries: number;
  /** Distinct USEEIO commodities behind those industries. */
  readonly useeioCommodities: number;
  /** Median, quartiles and range of the industries' factors; null for an explicit gap. */
  readonly median: number | null;
  readonly p25: number | null;
  readonly p75: number | null;
  readonly min: number | null;
  readonly max: number | null;
  /** Why a gap has no benchmark. */
  readonly note?: string;
}

/** Where the derived factor table comes from. */
export interface SectorFactorProvenance {
  readonly dataset: string;
  readonly publisher: string;
  readonly version: string;
  readonly file: string;
  readonly sha256: string;
  readonly licence: string;
  readonly column: string;
  readonly unit: string;
  readonly currency: string;
  readonly priceYear: number;
  readonly naicsIndustries: number;
  readonly concordance: string;
  readonly method: string;
  readonly generator: string;
  readonly generatedOn: string;
}

/**
 * A carbon-intensity benchmark for a sector: the typical scope 1+2 tCO2e per 1,000,000 units of
 * revenue in `currency` (of `year`). `scope12PerMillionRevenue: null` says "no benchmark for this
 * sector" (companies there score no intensity points unless a more specific entry exists).
 */
export interface SectorBenchmark {
  /** SIC 2007 key: section letter (`'C'`) or 2–5 digits (`'25'`, `'252'`, `'2521'`, `'25210'`). */
  readonly sic: string;
  readonly scope12PerMillionRevenue: number | null;
  readonly currency: CurrencyCode;
  /** Year of the revenue currency (used to pick FX rates and shown in results). */
  readonly year: number;
  /** Citation shown with every score that uses the benchmark. */
  readonly source: string;
  readonly title?: string;
  /** How the value was obtained, for the audit trail. */
  readonly derivation?: string;
}

/** Provenance of our default benchmark table. */
export const SECTOR_BENCHMARK_PROVENANCE: SectorFactorProvenance = SECTOR_FACTORS_PROVENANCE;

function defaultBenchmark(row: SectorFactorRow): SectorBenchmark {
  const title = row.title ?? sicTitle(row.sic);
  const base = {
    sic: row.sic,
    currency: 'USD' as const,
    year: SECTOR_FACTORS_PROVENANCE.priceYear,
    ...(title === undefined ? {} : { title }),
  };
  if (row.median === null) {
    return {
      ...base,
      scope12PerMillionRevenue: null,
      source: `gs-2026.1: no benchmark for SIC ${row.sic}`,
      derivation: row.note ?? 'no source data',
    };
  }
  // kg CO2e per USD × 1000 = t CO2e per USD million; × the operational share = scope 1+2 only.
  const value = Number((row.median * 1000 * OPERATIONAL_SHARE_OF_SUPPLY_CHAIN).toPrecision(6));
  return {
    ...base,
    scope12PerMillionRevenue: value,
    source: `US EPA Supply Chain GHG Emission Factors v1.3.0 (USEEIO, public domain), SIC ${row.sic}: median of ${row.naicsIndustries} NAICS-6 industries; scope 1+2 share 1/8 (gs-2026.1)`,
    derivation: `${row.median} kg CO2e per 2022 USD (cradle to gate, without margins; quartiles ${row.p25}–${row.p75}) × 1000 × ${OPERATIONAL_SHARE_OF_SUPPLY_CHAIN} = ${value} t CO2e per USD million`,
  };
}

/** Our benchmarks by SIC section, division and (for explicit gaps) group. */
export const DEFAULT_SECTOR_BENCHMARKS: readonly SectorBenchmark[] = SECTOR_FACTORS.map(defaultBenchmark);

const DEFAULT_BY_SIC: ReadonlyMap<string, SectorBenchmark> = new Map(
  DEFAULT_SECTOR_BENCHMARKS.map((b) => [b.sic, b]),
);

/** A benchmark found for a company's SIC code. */
export interface SectorBenchmarkMatch {
  readonly benchmark: SectorBenchmark;
  /** The key that matched (`'25'` for a company in `'25210'` with a division benchmark). */
  readonly matchedKey: string;
  readonly level: 'section' | 'division' | 'group' | 'class' | 'subclass';
  readonly fromCaller: boolean;
}

const LEVELS = ['section', 'section', 'division', 'group', 'class', 'subclass'] as const;

function findCaller(list: readonly SectorBenchmark[] | undefined, key: string): SectorBenchmark | undefined {
  if (list === undefined) return undefined;
  for (const b of list) if (b.sic === key) return b;
  return undefined;
}

/**
 * The most specific benchmark for a SIC code: the code itself, then its class, group, division and
 * section. At each level a caller's entry replaces ours; `useDefaults: false` uses only the
 * caller's. Our explicit gaps (value `null`) block our broader entries but not the caller's.
 * Returns `null` when nothing matches.
 *
 * @example findSectorBenchmark(parseSicCode('25210'))?.matchedKey // '25'
 */
export function findSectorBenchmark(
  sic: SicCode,
  callerBenchmarks?: readonly SectorBenchmark[],
  useDefaults = true,
): SectorBenchmarkMatch | null {
  // One of our explicit gaps (no data, e.g. electricity) stops our less specific entries from
  // standing in, but not the caller's: a caller's data beats our absence of data.
  let gap: SectorBenchmarkMatch | null = null;
  for (let len = sic.code.length; len >= 1; len--) {
    const key = len === 1 ? sic.section : sic.code.slice(0, len);
    const level = LEVELS[len]!;
    const caller = findCaller(callerBenchmarks, key);
    if (caller !== undefined) return { benchmark: caller, matchedKey: key, level, fromCaller: true };
    if (!useDefaults || gap !== null) continue;
    const ours = DEFAULT_BY_SIC.get(key);
    if (ours === undefined) continue;
    const match = { benchmark: ours, matchedKey: key, level, fromCaller: false };
    if (ours.scope12PerMillionRevenue !== null) return match;
    gap = match;
  }
  return gap;
}

function isSicKey(key: string): boolean {
  if (key.length === 1) return key >= 'A' && key <= 'U';
  if (key.length < 2 || key.length > 5) return false;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return sectionOfDivision(Number(key.slice(0, 2))) !== undefined;
}

/**
 * Validates a caller's benchmark table. Throws `GreenfinError` naming the field, e.g.
 * `options.benchmarks[1].scope12PerMillionRevenue`.
 *
 * @example assertSectorBenchmarks([{ sic: '25', scope12PerMillionRevenue: 40, currency: 'GBP', year: 2024, source: 'bank' }], 'benchmarks')
 */
export function assertSectorBenchmarks(
  list: unknown,
  path: string,
): asserts list is readonly SectorBenchmark[] {
  invariant(Array.isArray(list), ErrorCode.InvalidType, path, 'must be an array of sector benchmarks');
  const seen = new Set<string>();
  list.forEach((item: unknown, i) => {
    const p = `${path}[${i}]`;
    invariant(
      typeof item === 'object' && item !== null,
      ErrorCode.InvalidType,
      p,
      'must be a sector benchmark',
    );
    const b = item as Record<string, unknown>;
    const sic = b['sic'];
    invariant(
      typeof sic === 'string' && isSicKey(sic),
      ErrorCode.InvalidOption,
      `${p}.sic`,
      `must be a SIC 2007 section letter (A–U) or a 2–5 digit code, got ${JSON.stringify(sic)}`,
    );
    invariant(!seen.has(sic), ErrorCode.InvalidOption, `${p}.sic`, `duplicate benchmark for SIC ${sic}`);
    seen.add(sic);
    const value = b['scope12PerMillionRevenue'];
    if (value !== null) assertInRange(value, `${p}.scope12PerMillionRevenue`, { min: 0, minExclusive: true });
    assertCurrency(b['currency'], `${p}.currency`);
    assertInteger(b['year'], `${p}.year`, 1900);
    invariant(
      typeof b['source'] === 'string' && b['source'].length > 0,
      ErrorCode.Required,
      `${p}.source`,
      'must cite where the benchmark comes from',
    );
  });
}
