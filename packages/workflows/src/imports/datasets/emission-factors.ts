/**
 * `emission-factors`: the DESNZ "flat file" of UK Government GHG Conversion Factors for Company
 * Reporting (one line per factor). Contains public sector information licensed under the Open
 * Government Licence v3.0.
 */
import { DatasetError, DatasetErrorCode, DatasetHeaderError } from './errors.js';
import { FieldReader, quote } from './fields.js';
import { assertNoDuplicateColumns, boundColumns, matchColumns } from './header.js';
import type { DatasetSpec, DatasetVariant, TargetTable } from './types.js';

/** GHG Protocol scopes as DESNZ labels them. */
export type DesnzScope = 'Scope 1' | 'Scope 2' | 'Scope 3' | 'Outside of Scopes';
export const DESNZ_SCOPES: readonly DesnzScope[] = ['Scope 1', 'Scope 2', 'Scope 3', 'Outside of Scopes'];

/** One conversion factor of a year's set. */
export interface EmissionFactorImportRow {
  /** The factor set's year (from the header `GHG Conversion Factor 2025`, or the `year` option). */
  readonly year: number;
  /** DESNZ's factor id, stable within a set: `7_400_4000_5_1`. */
  readonly factorId: string;
  readonly scope: DesnzScope;
  readonly level1: string;
  readonly level2: string | null;
  readonly level3: string | null;
  readonly level4: string | null;
  readonly columnText: string | null;
  /** Unit of the activity the factor multiplies (`kWh`, `litres`, `tonne.km`). */
  readonly unit: string;
  /** What the factor gives: `kg CO2e` (total) or a per-gas part (`kg CO2e of CH4 per unit`). */
  readonly ghgUnit: string;
  /** kg CO2e (or the `ghgUnit`) per `unit`; `null` where DESNZ publishes no value. */
  readonly factor: number | null;
}

export const EMISSION_FACTOR_COLUMNS = [
  'ID',
  'Scope',
  'Level 1',
  'Level 2',
  'Level 3',
  'Level 4',
  'Column Text',
  'UOM',
  'GHG/Unit',
] as const;
/** How the factor column is named, with the set's year in it. */
export const FACTOR_COLUMN = 'GHG Conversion Factor <year>';
const FACTOR_HEADER = /^GHG Conversion Factor(?:\s+(\d{4}))?$/i;

/** Years a DESNZ set can be for (the series started in 2002). */
export const FACTOR_YEARS = { min: 2000, max: 2100 } as const;

const FACTOR_ID = /^\d+(?:_\d+)*$/;
const SCOPE_BY_KEY = new Map(DESNZ_SCOPES.map((s) => [s.toLowerCase().replace(/\s+/g, ' '), s]));

const target: TargetTable<EmissionFactorImportRow> = {
  table: 'emission_factors',
  columns: [
    { name: 'year', type: 'smallint', nullable: false },
    { name: 'factor_id', type: 'text', nullable: false },
    { name: 'scope', type: 'text', nullable: false },
    { name: 'level1', type: 'text', nullable: false },
    { name: 'level2', type: 'text', nullable: true },
    { name: 'level3', type: 'text', nullable: true },
    { name: 'level4', type: 'text', nullable: true },
    { name: 'column_text', type: 'text', nullable: true },
    { name: 'unit', type: 'text', nullable: false },
    { name: 'ghg_unit', type: 'text', nullable: false },
    { name: 'factor', type: 'double precision', nullable: true },
  ],
  conflictKey: ['year', 'factor_id'],
  values: (r) => [
    r.year,
    r.factorId,
    r.scope,
    r.level1,
    r.level2,
    r.level3,
    r.level4,
    r.columnText,
    r.unit,
    r.ghgUnit,
    r.factor,
  ],
};

function assertYearOption(option: number | undefined): void {
  if (
    option !== undefined &&
    (!Number.isInteger(option) || option < FACTOR_YEARS.min || option > FACTOR_YEARS.max)
  ) {
    throw new DatasetError(
      DatasetErrorCode.InvalidOption,
      `emission-factors: option year must be an integer between ${FACTOR_YEARS.min} and ${FACTOR_YEARS.max}, got ${option}`,
    );
  }
}

/** The year the header names, checked against the `year` option when both are given. */
function factorSetYear(header: readonly string[], factorColumn: string, option: number | undefined): number {
  const fromHeader = FACTOR_HEADER.exec(factorColumn)?.[1];
  const headerYear = fromHeader === undefined ? undefined : Number(fromHeader);
  if (headerYear !== undefined && option !== undefined && headerYear !== option) {
    throw new DatasetHeaderError(
      'emission-factors',
      `the header says the factors are for ${headerYear} ("${factorColumn}") but the year option is ${option}`,
    );
  }
  const year = headerYear ?? option;
  if (year === undefined) {
    throw new DatasetHeaderError(
      'emission-factors',
      `cannot tell the factor set's year: name the column "GHG Conversion Factor 2025" or pass the year option (header: ${header.join(', ')})`,
    );
  }
  if (year < FACTOR_YEARS.min || year > FACTOR_YEARS.max) {
    throw new DatasetHeaderError(
      'emission-factors',
      `factor set year ${year} is not between ${FACTOR_YEARS.min} and ${FACTOR_YEARS.max}`,
    );
  }
  return year;
}

const variant: DatasetVariant<EmissionFactorImportRow> = {
  name: 'emission-factors',
  description: 'DESNZ GHG conversion factors, flat file',
  requiredColumns: [...EMISSION_FACTOR_COLUMNS, FACTOR_COLUMN],
  target,
  bindHeader(header, options) {
    assertYearOption(options.year);
    const factorColumns = header.filter((h) => FACTOR_HEADER.test(h));
    const match = matchColumns(header, EMISSION_FACTOR_COLUMNS);
    if (!match.ok || factorColumns.length === 0) {
      return {
        ok: false,
        missing: [...(match.ok ? [] : match.missing), ...(factorColumns.length === 0 ? [FACTOR_COLUMN] : [])],
      };
    }
    if (factorColumns.length > 1) {
      throw new DatasetHeaderError(
        'emission-factors',
        `one factor column expected, found ${factorColumns.map((c) => `"${c}"`).join(', ')}`,
      );
    }
    const factorColumn = factorColumns[0]!;
    const year = factorSetYear(header, factorColumn, options.year);
    const names = new Map(match.names).set('factor', factorColumn);
    assertNoDuplicateColumns('emission-factors', header, names.values());
    const columns = boundColumns(header, names);
    return {
      ok: true,
      ignoredColumns: match.ignored.filter((c) => c !== factorColumn),
      parseRow(values) {
        const f = new FieldReader(values, columns);
        const factorId = f.text('ID', { required: true });
        if (factorId !== null && !FACTOR_ID.test(factorId)) {
          f.fail('ID', `must be a DESNZ factor id like "7_400_4000_5_1", got ${quote(factorId)}`);
        }
        const scopeText = f.text('Scope', { required: true });
        const scope =
          scopeText === null ? undefined : SCOPE_BY_KEY.get(scopeText.toLowerCase().replace(/\s+/g, ' '));
        if (scopeText !== null && scope === undefined) {
          f.fail('Scope', `must be one of ${DESNZ_SCOPES.join(', ')}, got ${quote(scopeText)}`);
        }
        const level1 = f.text('Level 1', { required: true });
        const unit = f.text('UOM', { required: true });
        const ghgUnit = f.text('GHG/Unit', { required: true });
        // DESNZ leaves the factor empty for combinations it does not publish: kept, as `null`.
        const factor = f.number('factor');
        return f.result<EmissionFactorImportRow>(() => ({
          year,
          factorId: factorId!,
          scope: scope!,
          level1: level1!,
          level2: f.text('Level 2'),
          level3: f.text('Level 3'),
          level4: f.text('Level 4'),
          columnText: f.text('Column Text'),
          unit: unit!,
          ghgUnit: ghgUnit!,
          factor,
        }));
      },
    };
  },
};

/** The `emission-factors` dataset. Natural key: `<year>/<ID>`. */
export const emissionFactorsDataset: DatasetSpec<EmissionFactorImportRow> = {
  name: 'emission-factors',
  description: 'DESNZ GHG conversion factors flat file: one line per factor.',
  requiredColumns: variant.requiredColumns,
  variants: [variant],
  naturalKey: (row) => [row.year, row.factorId].join('/'),
};
