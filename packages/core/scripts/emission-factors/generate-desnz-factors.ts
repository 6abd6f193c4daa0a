/**
 * Generates `packages/core/src/emissions/desnz-factors.generated.ts`: the compact, typed table of
 * the DESNZ GHG conversion factors core needs for energy savings, each with the exact published
 * row it came from.
 *
 *   npx tsx packages/core/scripts/emission-factors/generate-desnz-factors.ts [dataDir]
 *
 * Inputs (see SOURCE.md in the data folder): the 2025 flat file (its CSV export is parsed; every
 * row used is cross-checked against the original workbook) and the 2024 full set workbook. The
 * data folder defaults to `../shared/data/uk-ghg-conversion-factors` beside the repository, or
 * `$GREENFIN_DESNZ_DATA`. Only the derived table is committed; the published files are not.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format, resolveConfig } from 'prettier';
import type {
  CalorificBasis,
  DesnzEdition,
  DesnzFactor,
  EmissionFactorYear,
  FactorKey,
  GhgScope,
} from '../../src/emissions/emission-factors.js';
import { parseCsv } from '../lib/read-csv.js';
import { readXlsx, type CellValue, type SheetRows } from '../lib/read-xlsx.js';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** Where the published files are looked for when no folder is given. */
export const DEFAULT_DESNZ_DATA_DIR =
  process.env['GREENFIN_DESNZ_DATA'] ?? resolve(REPO_ROOT, '../shared/data/uk-ghg-conversion-factors');

/** The committed output. */
export const GENERATED_FILE = resolve(REPO_ROOT, 'packages/core/src/emissions/desnz-factors.generated.ts');

const FILES = {
  csv2025: 'ghg-conversion-factors-2025-flat-file.csv',
  xlsx2025: 'ghg-conversion-factors-2025-flat-file.xlsx',
  xlsx2024: 'ghg-conversion-factors-2024-full-set-v1.1.xlsx',
} as const;

/** Which published row each table entry is. Levels use the flat file's hierarchy. */
interface RowSpec {
  readonly key: FactorKey;
  readonly basis: CalorificBasis | null;
  readonly scope: GhgScope;
  readonly level1: string;
  readonly level2: string;
  readonly level3: string;
  readonly uom: string;
  readonly note: string | null;
}

const BIOMASS_NOTE =
  'Scope 1 CH4 and N2O only: DESNZ reports the biogenic CO2 of biomass as "outside of scopes". ' +
  'Bioenergy factors are published on a net CV basis (DESNZ Bioenergy sheet guidance).';

function fuel(key: FactorKey, level2: string, level3: string, note: string | null): RowSpec[] {
  return (['gross-cv', 'net-cv'] as const).map((basis) => ({
    key,
    basis,
    scope: 'Scope 1',
    level1: 'Fuels',
    level2,
    level3,
    uom: basis === 'gross-cv' ? 'kWh (Gross CV)' : 'kWh (Net CV)',
    note,
  }));
}

const SPECS: readonly RowSpec[] = [
  {
    key: 'electricity',
    basis: null,
    scope: 'Scope 2',
    level1: 'UK electricity',
    level2: 'Electricity generated',
    level3: 'Electricity: UK',
    uom: 'kWh',
    note:
      'UK grid average (location-based), "electricity generated"; excludes transmission and distribution ' +
      'losses (electricity-td-losses) and well-to-tank emissions.',
  },
  {
    key: 'electricity-td-losses',
    basis: null,
    scope: 'Scope 3',
    level1: 'Transmission and distribution',
    level2: 'T&D- UK electricity',
    level3: 'Electricity: UK',
    uom: 'kWh',
    note:
      'Grid losses per kWh consumed. DESNZ: generation + T&D gives an "electricity consumption" factor ' +
      'for contexts where scopes need not be reported.',
  },
  ...fuel(
    'natural-gas',
    'Gaseous fuels',
    'Natural gas',
    'Mains natural gas (with its limited biogas content); DESNZ directs organisations reporting natural ' +
      'gas use to this factor rather than the 100% mineral blend.',
  ),
  ...fuel('lpg', 'Gaseous fuels', 'LPG', null),
  ...fuel(
    'diesel',
    'Liquid fuels',
    'Diesel (average biofuel blend)',
    'Forecourt diesel with the average biofuel blend; its biogenic CO2 is "outside of scopes" and not included.',
  ),
  ...fuel(
    'gas-oil',
    'Liquid fuels',
    'Gas oil',
    'Gas oil (red diesel) for boilers, generators and off-road use.',
  ),
  ...fuel('fuel-oil', 'Liquid fuels', 'Fuel oil', null),
  ...fuel('burning-oil', 'Liquid fuels', 'Burning oil', 'Burning oil (kerosene heating oil).'),
  ...fuel('coal', 'Solid fuels', 'Coal (industrial)', null),
  {
    key: 'wood-pellets',
    basis: 'net-cv',
    scope: 'Scope 1',
    level1: 'Bioenergy',
    level2: 'Biomass',
    level3: 'Wood pellets',
    uom: 'kWh',
    note: BIOMASS_NOTE,
  },
  {
    key: 'wood-chips',
    basis: 'net-cv',
    scope: 'Scope 1',
    level1: 'Bioenergy',
    level2: 'Biomass',
    level3: 'Wood chips',
    uom: 'kWh',
    note: BIOMASS_NOTE,
  },
  {
    key: 'district-heat',
    basis: null,
    scope: 'Scope 2',
    level1: 'Heat and steam',
    level2: 'Heat and steam',
    level3: 'District heat and steam',
    uom: 'kWh',
    note: 'Purchased district heat and steam; its distribution losses are a separate Scope 3 factor (not included).',
  },
];

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Excel serial date (1900 system) → ISO date. */
function excelDate(serial: number): string {
  return new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000).toISOString().slice(0, 10);
}

function labelled(rows: SheetRows, label: string): CellValue {
  for (const row of rows) {
    for (let c = 0; c < row.length - 1; c++) {
      if (typeof row[c] === 'string' && (row[c] as string).trim() === label) return row[c + 1] ?? null;
    }
  }
  throw new Error(`label '${label}' not found`);
}

function fail(message: string): never {
  throw new Error(`generate-desnz-factors: ${message}`);
}

function read2025(dataDir: string): { edition: DesnzEdition; factors: DesnzFactor[] } {
  const csvPath = join(dataDir, FILES.csv2025);
  const xlsxPath = join(dataDir, FILES.xlsx2025);
  const [header, ...records] = parseCsv(readFileSync(csvPath, 'utf8'));
  const expectedHeader =
    'ID,Scope,Level 1,Level 2,Level 3,Level 4,Column Text,UOM,GHG/Unit,GHG Conversion Factor 2025';
  if (header?.join(',') !== expectedHeader) fail(`unexpected 2025 CSV header: ${header?.join(',')}`);
  const workbook = readXlsx(xlsxPath);
  const front = workbook.get('Front page') ?? fail('2025 workbook has no Front page');
  const sheet = workbook.get('Factors by Category') ?? fail('2025 workbook has no Factors by Category sheet');
  const headerRowIndex = sheet.findIndex((row) => row[0] === 'ID' && row[1] === 'Scope');
  if (headerRowIndex < 0) fail('2025 workbook: header row not found');
  if (labelled(front, 'Year:') !== 2025) fail('2025 workbook is not the 2025 set');
  const updated = labelled(front, 'Updated:');

  const factors = SPECS.map((spec): DesnzFactor => {
    const matches = records
      .map((record, index) => ({ record, index }))
      .filter(
        ({ record: r }) =>
          r[1] === spec.scope &&
          r[2] === spec.level1 &&
          r[3] === spec.level2 &&
          r[4] === spec.level3 &&
          r[7] === spec.uom &&
          r[8] === 'kg CO2e',
      );
    if (matches.length !== 1)
      fail(`2025: expected one row for ${spec.key} ${spec.uom}, found ${matches.length}`);
    const { record, index } = matches[0]!;
    const value = Number(record[9]);
    if (!(record[9] !== '' && Number.isFinite(value) && value >= 0))
      fail(`2025: no factor value for ${spec.key}`);
    // Cross-check against the published workbook: same ID and value on the corresponding row.
    const sheetRow = sheet[headerRowIndex + 1 + index] ?? [];
    if (sheetRow[0] !== record[0] || sheetRow[9] !== value) {
      fail(`2025: CSV row ${record[0]} does not match workbook row ${headerRowIndex + 2 + index}`);
    }
    return {
      key: spec.key,
      year: 2025,
      basis: spec.basis,
      value,
      unit: 'kgCO2e/kWh',
      scope: spec.scope,
      source: {
        file: FILES.xlsx2025,
        sheet: 'Factors by Category',
        row: headerRowIndex + 2 + index,
        id: record[0] ?? null,
        scope: spec.scope,
        level1: spec.level1,
        level2: spec.level2,
        level3: spec.level3,
        level4: record[5] || null,
        uom: spec.uom,
        ghgUnit: 'kg CO2e',
      },
      note: spec.note,
    };
  });
  const edition: DesnzEdition = {
    year: 2025,
    title: 'UK Government GHG Conversion Factors for Company Reporting 2025',
    factorSet: 'Flat file',
    version: String(labelled(front, 'Version:')),
    updated: typeof updated === 'number' ? excelDate(updated) : null,
    file: FILES.xlsx2025,
    sha256: sha256(xlsxPath),
    readFrom: FILES.csv2025,
    readFromSha256: sha256(csvPath),
    publisher: 'Department for Energy Security and Net Zero (DESNZ)',
    licence: 'Open Government Licence v3.0',
  };
  return { edition, factors };
}

/** Rows of a full-set sheet's factor tables, with merged Activity/Fuel cells carried down. */
function fullSetRows(
  rows: SheetRows,
): { row: number; level2: string; level3: string; uom: string; value: CellValue }[] {
  const out: { row: number; level2: string; level3: string; uom: string; value: CellValue }[] = [];
  let columns: { unit: number; value: number } | null = null;
  let level2 = '';
  let level3 = '';
  rows.forEach((cells, r) => {
    if (cells[0] === 'Activity') {
      const unit = cells.indexOf('Unit');
      const value = cells.indexOf('kg CO2e');
      columns = unit > 0 && value > 0 ? { unit, value } : null;
      level2 = '';
      level3 = '';
      return;
    }
    if (!columns) return;
    const unit = cells[columns.unit];
    if (typeof unit !== 'string' || unit.trim() === '') {
      columns = null; // a blank row ends the table
      return;
    }
    if (typeof cells[0] === 'string' && cells[0].trim() !== '') level2 = cells[0].trim();
    if (typeof cells[1] === 'string' && cells[1].trim() !== '') level3 = cells[1].trim();
    out.push({ row: r + 1, level2, level3, uom: unit.trim(), value: cells[columns.value] ?? null });
  });
  return out;
}

function read2024(dataDir: string): { edition: DesnzEdition; factors: DesnzFactor[] } {
  const xlsxPath = join(dataDir, FILES.xlsx2024);
  const workbook = readXlsx(xlsxPath);
  const intro = workbook.get('Introduction') ?? fail('2024 workbook has no Introduction sheet');
  if (labelled(intro, 'Year:') !== 2024) fail('2024 workbook is not the 2024 set');
  const factors = SPECS.map((spec): DesnzFactor => {
    const sheet = workbook.get(spec.level1) ?? fail(`2024 workbook has no sheet '${spec.level1}'`);
    const scope = labelled(sheet, 'Scope:');
    if (scope !== spec.scope) fail(`2024 sheet '${spec.level1}' is ${String(scope)}, expected ${spec.scope}`);
    if (labelled(sheet, 'Year:') !== 2024) fail(`2024 sheet '${spec.level1}' is not for 2024`);
    const matches = fullSetRows(sheet).filter(
      (r) => r.level2 === spec.level2 && r.level3 === spec.level3 && r.uom === spec.uom,
    );
    if (matches.length !== 1)
      fail(`2024: expected one row for ${spec.key} ${spec.uom}, found ${matches.length}`);
    const match = matches[0]!;
    if (typeof match.value !== 'number' || !(match.value >= 0)) fail(`2024: no factor value for ${spec.key}`);
    return {
      key: spec.key,
      year: 2024,
      basis: spec.basis,
      value: match.value,
      unit: 'kgCO2e/kWh',
      scope: spec.scope,
      source: {
        file: FILES.xlsx2024,
        sheet: spec.level1,
        row: match.row,
        id: null,
        scope: spec.scope,
        level1: spec.level1,
        level2: spec.level2,
        level3: spec.level3,
        level4: null,
        uom: spec.uom,
        ghgUnit: 'kg CO2e',
      },
      note: spec.note,
    };
  });
  const edition: DesnzEdition = {
    year: 2024,
    title: 'UK Government GHG Conversion Factors for Company Reporting 2024',
    factorSet: String(labelled(intro, 'Factor set:')),
    version: String(labelled(intro, 'Version:')),
    updated: null,
    file: FILES.xlsx2024,
    sha256: sha256(xlsxPath),
    readFrom: FILES.xlsx2024,
    readFromSha256: sha256(xlsxPath),
    publisher: 'Department for Energy Security and Net Zero (DESNZ)',
    licence: 'Open Government Licence v3.0',
  };
  return { edition, factors };
}

const HEADER = `/**
 * GENERATED FILE — do not edit. Regenerate with
 *   npx tsx packages/core/scripts/emission-factors/generate-desnz-factors.ts
 *
 * Source: UK Government GHG Conversion Factors for Company Reporting, 2024 (full set, v1.1) and
 * 2025 (flat file, v1), Department for Energy Security and Net Zero (DESNZ), produced by Ricardo
 * Energy & Environment and Aether Ltd. © Crown copyright.
 *
 * Contains public sector information licensed under the Open Government Licence v3.0
 * (https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/).
 *
 * Only the rows listed here are reproduced, with their published values unchanged; each entry
 * names its file, sheet, row and (2025) factor ID. DESNZ notes that use of the factors is at the
 * user's own risk. This table is not endorsed by DESNZ.
 */
`;

/** Builds the generated module's source text from the published files in `dataDir`. */
export async function generateDesnzFactorsModule(dataDir: string = DEFAULT_DESNZ_DATA_DIR): Promise<string> {
  for (const file of Object.values(FILES)) {
    if (!existsSync(join(dataDir, file))) fail(`missing ${join(dataDir, file)}`);
  }
  const sets = [read2024(dataDir), read2025(dataDir)] satisfies { edition: { year: EmissionFactorYear } }[];
  const editions = sets.map((s) => s.edition);
  const factors = sets.flatMap((s) => s.factors);
  const body = `${HEADER}
import type { DesnzEdition, DesnzFactor } from './emission-factors.js';

/** The DESNZ factor sets this table was generated from. */
export const DESNZ_EDITIONS: readonly DesnzEdition[] = ${JSON.stringify(editions)};

/** Emission factors per kWh of energy, with the published row of each. */
export const DESNZ_FACTORS: readonly DesnzFactor[] = ${JSON.stringify(factors)};
`;
  const config = (await resolveConfig(GENERATED_FILE)) ?? {};
  return format(body, { ...config, filepath: GENERATED_FILE });
}

async function main(): Promise<void> {
  const dataDir = process.argv[2] ? resolve(process.argv[2]) : DEFAULT_DESNZ_DATA_DIR;
  const source = await generateDesnzFactorsModule(dataDir);
  writeFileSync(GENERATED_FILE, source);
  console.log(`wrote ${GENERATED_FILE} from ${dataDir}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
