/**
 * `eu-ets`: EU Emissions Trading System data from the EU Transaction Log (EUTL), in the two
 * shapes EUETS.INFO publishes: installations (`id,name,addressmain,…`) and compliance
 * (`installation_id,year,free,emission`). The header says which one a file is.
 */
import { numberText } from './copy-text.js';
import { bindFixedColumns } from './fixed-columns.js';
import type { FieldReader } from './fields.js';
import { cellAt, integerIn, numberIn, quote } from './fields.js';
import type { BoundColumns } from './header.js';
import type { DatasetSpec, DatasetVariant, LineCompiler, TargetTable } from './types.js';

/** An installation registered in the EU ETS. */
export interface EuEtsInstallationRow {
  readonly kind: 'installation';
  /** Registry country + number, e.g. `DE_1234`, `GB_200735`. */
  readonly installationId: string;
  /** `null` for the many installations the EUTL lists without a name. */
  readonly name: string | null;
  readonly address: string | null;
  readonly postalCode: string | null;
  readonly city: string | null;
  /** ISO 3166 alpha-2 of the installation's country (`XI` is Northern Ireland). */
  readonly countryCode: string;
  readonly latitude: number | null;
  readonly longitude: number | null;
}

/** One installation-year of allowances and verified emissions. */
export interface EuEtsVerifiedEmissionsRow {
  readonly kind: 'verified-emissions';
  readonly installationId: string;
  readonly year: number;
  /** Allowances allocated free of charge. */
  readonly freeAllocation: number | null;
  /** Verified emissions, t CO2e; `null` when none were reported. */
  readonly verifiedEmissions: number | null;
}

export type EuEtsRow = EuEtsInstallationRow | EuEtsVerifiedEmissionsRow;

export const EU_ETS_INSTALLATION_COLUMNS = {
  required: ['id', 'name', 'country_id'],
  optional: ['addressmain', 'postalcode', 'city', 'latitudegoogle', 'longitudegoogle'],
} as const;
export const EU_ETS_COMPLIANCE_COLUMNS = ['installation_id', 'year', 'free', 'emission'] as const;

/** EU ETS years: phase 1 started in 2005. */
export const EU_ETS_YEARS = { min: 2005, max: 2100 } as const;

const INSTALLATION_ID = /^[A-Z]{2}_[A-Za-z0-9-]{1,28}$/;
const COUNTRY = /^[A-Z]{2}$/;

function installationId(f: FieldReader, column: string): string | null {
  const id = f.text(column, { required: true });
  if (id !== null && !INSTALLATION_ID.test(id)) {
    f.fail(column, `must be an EUTL installation id like "DE_1234", got ${quote(id)}`);
    return null;
  }
  return id;
}

/** EUTL writes "-" for an unknown address part. */
function addressPart(f: FieldReader, column: string): string | null {
  const value = f.text(column, { maxLength: 500 });
  return value === '-' ? null : value;
}

const installationsTarget: TargetTable<EuEtsInstallationRow> = {
  table: 'eu_ets_installations',
  columns: [
    { name: 'installation_id', type: 'text', nullable: false },
    { name: 'name', type: 'text', nullable: true },
    { name: 'address', type: 'text', nullable: true },
    { name: 'postal_code', type: 'text', nullable: true },
    { name: 'city', type: 'text', nullable: true },
    { name: 'country_code', type: 'text', nullable: false },
    { name: 'latitude', type: 'double precision', nullable: true },
    { name: 'longitude', type: 'double precision', nullable: true },
  ],
  conflictKey: ['installation_id'],
  values: (r) => [
    r.installationId,
    r.name,
    r.address,
    r.postalCode,
    r.city,
    r.countryCode,
    r.latitude,
    r.longitude,
  ],
};

const complianceTarget: TargetTable<EuEtsVerifiedEmissionsRow> = {
  table: 'eu_ets_verified_emissions',
  columns: [
    { name: 'installation_id', type: 'text', nullable: false },
    { name: 'year', type: 'smallint', nullable: false },
    { name: 'free_allocation', type: 'bigint', nullable: true },
    { name: 'verified_emissions_tco2e', type: 'double precision', nullable: true },
  ],
  conflictKey: ['installation_id', 'year'],
  values: (r) => [r.installationId, r.year, r.freeAllocation, r.verifiedEmissions],
};

/** `eu-ets-installations`: one line per installation. */
export const euEtsInstallationsVariant: DatasetVariant<EuEtsInstallationRow> = {
  name: 'eu-ets-installations',
  description: 'EUTL installations (id, name, address, country, coordinates)',
  requiredColumns: EU_ETS_INSTALLATION_COLUMNS.required,
  target: installationsTarget,
  bindHeader(header) {
    return bindFixedColumns(
      'eu-ets',
      header,
      EU_ETS_INSTALLATION_COLUMNS.required,
      EU_ETS_INSTALLATION_COLUMNS.optional,
      (f) => {
        const id = installationId(f, 'id');
        const country = f.text('country_id', { required: true })?.toUpperCase() ?? null;
        if (country !== null && !COUNTRY.test(country)) {
          f.fail('country_id', `must be a 2-letter country code, got ${quote(f.cell('country_id'))}`);
        }
        const latitude = f.number('latitudegoogle', { min: -90, max: 90 });
        const longitude = f.number('longitudegoogle', { min: -180, max: 180 });
        const name = f.text('name', { maxLength: 500 });
        const address = addressPart(f, 'addressmain');
        const postalCode = addressPart(f, 'postalcode');
        const city = addressPart(f, 'city');
        return f.result<EuEtsInstallationRow>(() => ({
          kind: 'installation',
          installationId: id!,
          name,
          address,
          postalCode,
          city,
          countryCode: country!,
          latitude,
          longitude,
        }));
      },
    );
  },
};

/**
 * The compliance variant's fast path: a line whose four cells are as the row parser accepts them
 * goes straight to its key (`emissions/<id>/<year>`) and COPY text; any other line returns false
 * and the row parser words its reason.
 */
function compileCompliance(columns: BoundColumns): LineCompiler {
  const at = (column: string): number => columns.indexes.get(column)!;
  const [id, year, free, emission] = EU_ETS_COMPLIANCE_COLUMNS.map(at) as [number, number, number, number];
  return (values, out) => {
    const installation = cellAt(values, id);
    if (!INSTALLATION_ID.test(installation)) return false;
    const yearCell = cellAt(values, year);
    const y = integerIn(yearCell, EU_ETS_YEARS.min, EU_ETS_YEARS.max);
    if (y === undefined) return false;
    // Four digits from 1000 up are how String writes the year.
    const yearText = yearCell.length === 4 && y >= 1000 ? yearCell : String(y);
    const freeText = countText(cellAt(values, free));
    if (freeText === undefined) return false;
    const emissionText = tonnesText(cellAt(values, emission));
    if (emissionText === undefined) return false;
    // The id matches INSTALLATION_ID, so it needs no COPY escape.
    out.key = ['emissions', installation, yearText].join('/');
    out.copy = [installation, yearText, freeText, emissionText].join('\t');
    return true;
  };
}

/**
 * A whole number ≥ 0 written as `String` writes it (no sign, no leading zero, under 2^53), and a
 * decimal ≥ 0 as {@link numberText} writes it (also: at most four decimals, the last not 0, and at
 * most 15 significant digits — so that no other decimal of as many digits names the same double,
 * and `numberText` finds this one): such a cell is its own COPY text, unparsed.
 */
const CANONICAL_COUNT = /^(?:0|[1-9]\d{0,14})$/;
const CANONICAL_TONNES = /^(?:0|[1-9]\d{0,10})(?:\.\d{0,3}[1-9])?$/;

/** COPY text of a free-allocation cell the row parser accepts (`\N` when empty); undefined otherwise. */
function countText(cell: string): string | undefined {
  if (cell === '') return '\\N';
  if (CANONICAL_COUNT.test(cell)) return cell;
  const n = integerIn(cell, 0, undefined);
  return n === undefined ? undefined : String(n);
}

/** COPY text of a verified-emissions cell the row parser accepts (`\N` when empty); undefined otherwise. */
function tonnesText(cell: string): string | undefined {
  if (cell === '') return '\\N';
  if (CANONICAL_TONNES.test(cell)) return cell;
  const n = numberIn(cell, 0, undefined);
  return n === undefined ? undefined : numberText(n);
}

/** `eu-ets-compliance`: one line per installation and year. */
export const euEtsComplianceVariant: DatasetVariant<EuEtsVerifiedEmissionsRow> = {
  name: 'eu-ets-compliance',
  description: 'EUTL compliance (installation_id, year, free allocation, verified emissions)',
  requiredColumns: EU_ETS_COMPLIANCE_COLUMNS,
  target: complianceTarget,
  bindHeader(header) {
    return bindFixedColumns(
      'eu-ets',
      header,
      EU_ETS_COMPLIANCE_COLUMNS,
      [],
      (f) => {
        const id = installationId(f, 'installation_id');
        const year = f.integer('year', { required: true, ...EU_ETS_YEARS });
        const free = f.integer('free', { min: 0, describe: 'must be a whole number of allowances ≥ 0' });
        const emission = f.number('emission', { min: 0, describe: 'must be tonnes CO2e ≥ 0' });
        return f.result<EuEtsVerifiedEmissionsRow>(() => ({
          kind: 'verified-emissions',
          installationId: id!,
          year: year!,
          freeAllocation: free,
          verifiedEmissions: emission,
        }));
      },
      compileCompliance,
    );
  },
};

/**
 * The `eu-ets` dataset. Natural keys: `installation/<id>` and `emissions/<id>/<year>`.
 */
export const euEtsDataset: DatasetSpec<EuEtsRow> = {
  name: 'eu-ets',
  description: 'EU ETS installations or their yearly verified emissions (EUTL), told apart by header.',
  requiredColumns: EU_ETS_COMPLIANCE_COLUMNS,
  variants: [euEtsComplianceVariant, euEtsInstallationsVariant] as readonly DatasetVariant<EuEtsRow>[],
  naturalKey: (row) =>
    row.kind === 'installation'
      ? ['installation', row.installationId].join('/')
      : ['emissions', row.installationId, row.year].join('/'),
};
