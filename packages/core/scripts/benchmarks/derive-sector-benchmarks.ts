/**
 * Derives the green score's reference tables from public datasets and writes them as small typed
 * modules into `packages/core/src/green-score/`:
 *
 *  - `sector-benchmarks.generated.ts`: per SIC 2007 section and division, the distribution (median,
 *    quartiles, range) of the US EPA Supply Chain GHG Emission Factors v1.3.0 (kg CO2e per 2022 USD,
 *    "without margins") of the NAICS-6 industries mapped to it (concordance in `naics-to-sic.ts`);
 *  - `reference-fx-rates.generated.ts`: ECB euro reference rates, 2022 annual averages (the mean of
 *    the daily rates, as the ECB computes its annual averages) for every currency core knows;
 *  - `sic-codes.generated.ts`: the SIC 2007 subclass codes Companies House accepts.
 *
 *   npx tsx packages/core/scripts/benchmarks/derive-sector-benchmarks.ts [dataDir] [--generated-on YYYY-MM-DD]
 *
 * `dataDir` defaults to `../shared/data` beside the repository (or `$GREENFIN_SHARED_DATA`). Only the
 * derived tables are committed, never the published files.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { CURRENCY_EXPONENTS } from '../../src/money.js';
import { SIC_SECTIONS, sectionOfDivision } from '../../src/green-score/sic.js';
import { NAICS_TO_SIC_DIVISION, SIC_BENCHMARK_GAPS, sicDivisionOfNaics } from './naics-to-sic.js';
import { parseCsv } from '../lib/read-csv.js';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const OUT_DIR = resolve(REPO_ROOT, 'packages/core/src/green-score');

/** Where the published datasets are looked for when no folder is given. */
export const DEFAULT_DATA_DIR = process.env['GREENFIN_SHARED_DATA'] ?? resolve(REPO_ROOT, '../shared/data');

/** The year of the benchmark's dollars, and so of the FX averages. */
export const BENCHMARK_YEAR = 2022;

const SOURCES = {
  useeio: 'us-epa-useeio-supply-chain-factors/SupplyChainGHGEmissionFactors_v1.3.0_NAICS_CO2e_USD2022.csv',
  sic: 'uk-sic-2007/SIC07_CH_condensed_list_en.csv',
  ecb: 'ecb-eurofxref/eurofxref-hist.csv',
} as const;

/** The three generated modules, by file name. */
export const GENERATED_FILES = {
  benchmarks: 'sector-benchmarks.generated.ts',
  fx: 'reference-fx-rates.generated.ts',
  sic: 'sic-codes.generated.ts',
} as const;

function fail(message: string): never {
  throw new Error(`derive-sector-benchmarks: ${message}`);
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function readSource(dataDir: string, rel: string): { text: string; sha256: string } {
  const path = join(dataDir, rel);
  if (!existsSync(path)) fail(`missing ${path}`);
  return { text: readFileSync(path, 'utf8'), sha256: sha256(path) };
}

/** Quantile by linear interpolation between order statistics (Hyndman & Fan type 7, R's default). */
export function quantile(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (h - lo) * (b - a);
}

/** Rounds to 6 significant digits: more than the inputs carry, and a stable text form. */
function sig6(x: number): number {
  return Number(x.toPrecision(6));
}

/**
 * Rounds to 8 significant digits: averages of 5-digit daily rates keep enough digits that rounding
 * them again to the ECB's published precision gives the ECB's figure (no double-rounding error).
 */
function sig8(x: number): number {
  return Number(x.toPrecision(8));
}

interface FactorRow {
  readonly naics: string;
  readonly title: string;
  readonly factor: number;
  readonly useeio: string;
}

function readUseeio(text: string): FactorRow[] {
  const [header, ...rows] = parseCsv(text);
  const expected = [
    '2017 NAICS Code',
    '2017 NAICS Title',
    'GHG',
    'Unit',
    'Supply Chain Emission Factors without Margins',
    'Margins of Supply Chain Emission Factors',
    'Supply Chain Emission Factors with Margins',
    'Reference USEEIO Code',
  ];
  if (JSON.stringify(header) !== JSON.stringify(expected))
    fail(`unexpected USEEIO header ${JSON.stringify(header)}`);
  return rows.map((r, i) => {
    const [naics = '', title = '', ghg, unit, without = '', , , useeio = ''] = r;
    if (!/^\d{6}$/.test(naics)) fail(`USEEIO row ${i + 2}: bad NAICS code ${naics}`);
    if (ghg !== 'All GHGs' || unit !== 'kg CO2e/2022 USD, purchaser price') {
      fail(`USEEIO row ${i + 2}: unexpected GHG/unit ${ghg} / ${unit}`);
    }
    const factor = Number(without);
    if (!Number.isFinite(factor) || factor < 0) fail(`USEEIO row ${i + 2}: bad factor ${without}`);
    return { naics, title, factor, useeio };
  });
}

/** One row of the generated benchmark table (mirrors `SectorFactorRow` in sector-benchmarks.ts). */
interface DerivedRow {
  sic: string;
  level: 'section' | 'division' | 'group';
  title?: string;
  naicsIndustries: number;
  useeioCommodities: number;
  median: number | null;
  p25: number | null;
  p75: number | null;
  min: number | null;
  max: number | null;
  note?: string;
}

function summarise(sic: string, level: DerivedRow['level'], rows: readonly FactorRow[]): DerivedRow {
  const sorted = rows.map((r) => r.factor).sort((a, b) => a - b);
  return {
    sic,
    level,
    naicsIndustries: rows.length,
    useeioCommodities: new Set(rows.map((r) => r.useeio)).size,
    median: sig6(quantile(sorted, 0.5)),
    p25: sig6(quantile(sorted, 0.25)),
    p75: sig6(quantile(sorted, 0.75)),
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
  };
}

/** Groups the NAICS-6 factors by SIC section and division and summarises each group. */
export function deriveSectorRows(factors: readonly FactorRow[]): DerivedRow[] {
  const byDivision = new Map<string, FactorRow[]>();
  for (const f of factors) {
    const division = sicDivisionOfNaics(f.naics) ?? fail(`no SIC division for NAICS ${f.naics} ${f.title}`);
    if (sectionOfDivision(Number(division)) === undefined) fail(`concordance gives non-division ${division}`);
    const list = byDivision.get(division) ?? [];
    list.push(f);
    byDivision.set(division, list);
  }
  const out: DerivedRow[] = [];
  for (const s of SIC_SECTIONS) {
    const divisions: string[] = [];
    for (let d = s.firstDivision; d <= s.lastDivision; d++) divisions.push(String(d).padStart(2, '0'));
    const sectionRows = divisions.flatMap((d) => byDivision.get(d) ?? []);
    if (sectionRows.length === 0) continue;
    out.push(summarise(s.section, 'section', sectionRows));
    for (const d of divisions) {
      const rows = byDivision.get(d);
      if (rows) out.push(summarise(d, 'division', rows));
    }
  }
  for (const gap of SIC_BENCHMARK_GAPS) {
    out.push({
      sic: gap.sic,
      level: 'group',
      title: gap.title,
      naicsIndustries: 0,
      useeioCommodities: 0,
      median: null,
      p25: null,
      p75: null,
      min: null,
      max: null,
      note: gap.reason,
    });
  }
  return out;
}

function readSicCodes(text: string): string[] {
  const [header, ...rows] = parseCsv(text);
  if (header?.[0] !== 'SIC Code') fail(`unexpected SIC header ${JSON.stringify(header)}`);
  const codes = rows.map((r, i) => {
    const code = r[0] ?? '';
    if (!/^\d{5}$/.test(code)) fail(`SIC row ${i + 2}: bad code ${code}`);
    if (sectionOfDivision(Number(code.slice(0, 2))) === undefined) {
      fail(`SIC row ${i + 2}: ${code} is outside the official division ranges`);
    }
    return code;
  });
  const divisions = new Set(codes.map((c) => Number(c.slice(0, 2))));
  for (const s of SIC_SECTIONS) {
    for (let d = s.firstDivision; d <= s.lastDivision; d++) {
      if (!divisions.has(d))
        fail(`division ${d} (section ${s.section}) has no code on the Companies House list`);
    }
  }
  return [...new Set(codes)].sort();
}

/** The ECB reference-rate columns core knows, averaged over `year`'s business days. */
function readEcbAnnualAverages(text: string, year: number): { rates: Record<string, number>; days: number } {
  const [header, ...rows] = parseCsv(text);
  if (header?.[0] !== 'Date') fail(`unexpected ECB header ${JSON.stringify(header)}`);
  const yearRows = rows.filter((r) => r[0]?.startsWith(`${year}-`));
  if (yearRows.length < 250) fail(`only ${yearRows.length} ECB business days in ${year}`);
  const rates: Record<string, number> = {};
  header.forEach((currency, col) => {
    if (col === 0 || !Object.hasOwn(CURRENCY_EXPONENTS, currency)) return;
    const values = yearRows.map((r) => r[col]);
    if (values.some((v) => v === undefined || v === 'N/A' || v === '')) return; // not quoted all year
    const sum = values.reduce((s, v) => s + Number(v), 0);
    rates[currency] = sig8(sum / values.length);
  });
  return {
    rates: Object.fromEntries(Object.entries(rates).sort(([a], [b]) => a.localeCompare(b))),
    days: yearRows.length,
  };
}

const HEADER = (what: string) => `/**
 * GENERATED FILE — do not edit. Regenerate with
 *   npx tsx packages/core/scripts/benchmarks/derive-sector-benchmarks.ts
 *
 * ${what}
 */
`;

/** Builds the text of the three generated modules from the published files in `dataDir`. */
export async function renderGeneratedFiles(
  dataDir: string = DEFAULT_DATA_DIR,
  generatedOn: string = new Date().toISOString().slice(0, 10),
): Promise<Record<keyof typeof GENERATED_FILES, string>> {
  const useeio = readSource(dataDir, SOURCES.useeio);
  const sic = readSource(dataDir, SOURCES.sic);
  const ecb = readSource(dataDir, SOURCES.ecb);
  const factors = readUseeio(useeio.text);
  const sectorRows = deriveSectorRows(factors);
  const sicCodes = readSicCodes(sic.text);
  const fx = readEcbAnnualAverages(ecb.text, BENCHMARK_YEAR);

  const benchmarkProvenance = {
    dataset: 'Supply Chain Greenhouse Gas Emission Factors v1.3 by NAICS-6',
    publisher:
      'U.S. Environmental Protection Agency, Office of Research and Development (USEEIO model family)',
    version: '1.3.0',
    file: 'SupplyChainGHGEmissionFactors_v1.3.0_NAICS_CO2e_USD2022.csv',
    sha256: useeio.sha256,
    licence: 'Public domain (U.S. federal government work)',
    column: 'Supply Chain Emission Factors without Margins',
    unit: 'kg CO2e per 2022 USD',
    currency: 'USD',
    priceYear: BENCHMARK_YEAR,
    naicsIndustries: factors.length,
    concordance: `NAICS 2017 → ISIC Rev. 4 → NACE Rev. 2 / UK SIC 2007 division, by longest NAICS prefix (${NAICS_TO_SIC_DIVISION.length} entries, packages/core/scripts/benchmarks/naics-to-sic.ts)`,
    method:
      'Per SIC 2007 section and division: median, quartiles (type 7) and range of the factors of the NAICS-6 industries mapped to it, each industry counted once.',
    generator: 'packages/core/scripts/benchmarks/derive-sector-benchmarks.ts',
    generatedOn,
  };
  const benchmarks = `${HEADER(
    `Source: US EPA, "Supply Chain Greenhouse Gas Emission Factors v1.3 by NAICS-6" (USEEIO-derived),
 * file SupplyChainGHGEmissionFactors_v1.3.0_NAICS_CO2e_USD2022.csv — a U.S. federal government work,
 * in the public domain. Grouped by UK SIC 2007 section and division through the concordance in
 * packages/core/scripts/benchmarks/naics-to-sic.ts. Not endorsed by the EPA.`,
  )}
import type { SectorFactorProvenance, SectorFactorRow } from './sector-benchmarks.js';

/** Where the sector factor table comes from and how it was derived. */
export const SECTOR_FACTORS_PROVENANCE: SectorFactorProvenance = ${JSON.stringify(benchmarkProvenance)};

/** Supply-chain (cradle-to-gate) GHG intensity by SIC 2007 section and division, kg CO2e per 2022 USD. */
export const SECTOR_FACTORS: readonly SectorFactorRow[] = ${JSON.stringify(sectorRows)};
`;

  const fxProvenance = {
    dataset: 'Euro foreign exchange reference rates',
    publisher: 'European Central Bank',
    file: 'eurofxref-hist.csv',
    sha256: ecb.sha256,
    licence: 'ECB statistics, re-usable free of charge with the source acknowledged (Source: ECB)',
    method: `Arithmetic mean of the ${fx.days} daily reference rates of ${BENCHMARK_YEAR}, rounded to 8 significant digits`,
    generator: 'packages/core/scripts/benchmarks/derive-sector-benchmarks.ts',
    generatedOn,
  };
  const fxModule = `${HEADER(
    `Source: European Central Bank, euro foreign exchange reference rates (eurofxref-hist.csv).
 * Source: ECB. Annual averages of the daily reference rates, units of currency per 1 EUR.`,
  )}
import type { FxRates, FxRatesProvenance } from './fx.js';

/** How the default FX table was derived. */
export const ECB_FX_PROVENANCE: FxRatesProvenance = ${JSON.stringify(fxProvenance)};

/** ECB euro reference rates, ${BENCHMARK_YEAR} annual averages: units of each currency per 1 EUR. */
export const ECB_ANNUAL_AVERAGE_RATES_${BENCHMARK_YEAR}: FxRates = ${JSON.stringify({
    base: 'EUR',
    year: BENCHMARK_YEAR,
    source: `ECB euro foreign exchange reference rates, ${BENCHMARK_YEAR} annual average of daily rates`,
    rates: { EUR: 1, ...fx.rates },
  })};
`;

  const sicProvenance = {
    dataset: 'Standard industrial classification of economic activities (SIC 2007), condensed list',
    publisher: 'Companies House / Office for National Statistics',
    file: 'SIC07_CH_condensed_list_en.csv',
    sha256: sic.sha256,
    licence: 'Open Government Licence v3.0',
    codes: sicCodes.length,
    generator: 'packages/core/scripts/benchmarks/derive-sector-benchmarks.ts',
    generatedOn,
  };
  const sicModule = `${HEADER(
    `Source: Companies House, SIC 2007 condensed list (SIC07_CH_condensed_list_en.csv).
 * Contains public sector information licensed under the Open Government Licence v3.0.`,
  )}
/** Where the SIC code list comes from. */
export const SIC_CODES_PROVENANCE = ${JSON.stringify(sicProvenance)} as const;

/** The ${sicCodes.length} SIC 2007 subclass codes Companies House accepts, space-separated. */
export const SIC_2007_SUBCLASSES = ${JSON.stringify(sicCodes.join(' '))};
`;

  const out = { benchmarks, fx: fxModule, sic: sicModule };
  const formatted: Record<string, string> = {};
  for (const [key, body] of Object.entries(out)) {
    const file = join(OUT_DIR, GENERATED_FILES[key as keyof typeof GENERATED_FILES]);
    const config = (await resolveConfig(file)) ?? {};
    formatted[key] = await format(body, { ...config, filepath: file });
  }
  return formatted as Record<keyof typeof GENERATED_FILES, string>;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--generated-on');
  const generatedOn = at >= 0 ? args.splice(at, 2)[1] : undefined;
  const dataDir = args[0] ? resolve(args[0]) : DEFAULT_DATA_DIR;
  const files = await renderGeneratedFiles(dataDir, generatedOn);
  for (const key of Object.keys(GENERATED_FILES) as (keyof typeof GENERATED_FILES)[]) {
    const path = join(OUT_DIR, GENERATED_FILES[key]);
    writeFileSync(path, files[key]);
    console.log(`wrote ${path}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
