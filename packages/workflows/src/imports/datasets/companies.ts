/**
 * `companies`: the Companies House advanced-search CSV export (one line per company) → our
 * company fields. Contains public sector information licensed under the Open Government
 * Licence v3.0 when the file is a Companies House export.
 */
import { GreenfinError, parseSicCode, type SicSection } from '@greenfin/core';
import { normaliseCompanyNumber } from './company-number.js';
import { bindFixedColumns } from './fixed-columns.js';
import type { FieldReader } from './fields.js';
import { quote } from './fields.js';
import type { DatasetSpec, DatasetVariant, TargetTable } from './types.js';

/** Our company statuses (the API's `COMPANY_STATUSES`). */
export type CompanyStatus = 'active' | 'dormant' | 'liquidation' | 'dissolved' | 'unknown';

/** A company as the export describes it. */
export interface CompanyImportRow {
  readonly jurisdiction: 'gb';
  /** 8 characters, leading zeros kept: `01234567`, `SC123456`, `OE033509`. */
  readonly companyNumber: string;
  readonly name: string;
  readonly status: CompanyStatus;
  /** The register's own status text, e.g. `Registered` (kept because the mapping loses detail). */
  readonly registryStatus: string;
  readonly companyType: string | null;
  /** ISO date; overseas entities have none and use their registration date instead. */
  readonly incorporationDate: string | null;
  /** ISO date of dissolution (or removal, for overseas entities). */
  readonly dissolutionDate: string | null;
  /** 5-digit SIC 2007 codes, in file order, without repeats. */
  readonly sicCodes: readonly string[];
  /** Section of the first SIC code (`99999`, "dormant company", has none). */
  readonly sector: SicSection | null;
  /** The registered office address as one line of text. */
  readonly registeredAddress: string | null;
  /** The UK postcode found at the end of the address, normalised (`B1 1AA`). */
  readonly postalCode: string | null;
}

export const COMPANY_COLUMNS = {
  required: [
    'company_number',
    'company_name',
    'company_status',
    'incorporation_date',
    'nature_of_business',
    'registered_office_address',
  ],
  optional: ['company_type', 'company_subtype', 'dissolution_date', 'registered_date', 'removed_date'],
} as const;

/**
 * Companies House statuses (export wording or API enum, compared without case and punctuation)
 * → ours. Registered/open are how overseas entities and UK establishments say "active"; removed and
 * closed how they say "dissolved"; every insolvency procedure counts as liquidation.
 */
export const COMPANY_STATUS_MAP: Readonly<Record<string, CompanyStatus>> = {
  active: 'active',
  'active-proposal-to-strike-off': 'active',
  registered: 'active',
  open: 'active',
  dormant: 'dormant',
  liquidation: 'liquidation',
  'in-liquidation': 'liquidation',
  receivership: 'liquidation',
  'receivership-action': 'liquidation',
  administration: 'liquidation',
  'in-administration': 'liquidation',
  'voluntary-arrangement': 'liquidation',
  'insolvency-proceedings': 'liquidation',
  dissolved: 'dissolved',
  removed: 'dissolved',
  closed: 'dissolved',
  'converted-closed': 'dissolved',
};

const DORMANT_SIC = '99999';
const UK_POSTCODE = /\b([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})\b/gi;

function statusKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z]+/g, '-')
    .replace(/^-|-$/g, '');
}

function lastUkPostcode(address: string): string | null {
  let found: string | null = null;
  for (const m of address.matchAll(UK_POSTCODE)) found = `${m[1]!.toUpperCase()} ${m[2]!.toUpperCase()}`;
  return found;
}

function readSicCodes(fields: FieldReader): readonly string[] {
  const text = fields.cell('nature_of_business');
  const codes: string[] = [];
  for (const token of text.split(/[\s,;]+/)) {
    if (token === '' || codes.includes(token)) continue;
    if (!/^\d{5}$/.test(token)) {
      fields.fail('nature_of_business', `${quote(token)} is not a 5-digit SIC 2007 code`);
      continue;
    }
    try {
      codes.push(parseSicCode(token, 'nature_of_business').code);
    } catch (error) {
      if (!(error instanceof GreenfinError)) throw error;
      fields.fail('nature_of_business', `${quote(token)} is not on the Companies House SIC 2007 list`);
    }
  }
  return codes;
}

const target: TargetTable<CompanyImportRow> = {
  table: 'companies',
  columns: [
    { name: 'jurisdiction', type: 'text', nullable: false },
    { name: 'company_number', type: 'text', nullable: false },
    { name: 'name', type: 'text', nullable: false },
    { name: 'status', type: 'text', nullable: false },
    { name: 'incorporation_date', type: 'date', nullable: true },
    { name: 'sic_codes', type: 'text[]', nullable: false },
    { name: 'sector', type: 'text', nullable: true },
    { name: 'registry_status', type: 'text', nullable: false },
    { name: 'company_type', type: 'text', nullable: true },
    { name: 'dissolution_date', type: 'date', nullable: true },
    { name: 'registered_address', type: 'text', nullable: true },
    { name: 'postal_code', type: 'text', nullable: true },
  ],
  conflictKey: ['jurisdiction', 'company_number'],
  values: (r) => [
    r.jurisdiction,
    r.companyNumber,
    r.name,
    r.status,
    r.incorporationDate,
    r.sicCodes,
    r.sector,
    r.registryStatus,
    r.companyType,
    r.dissolutionDate,
    r.registeredAddress,
    r.postalCode,
  ],
};

const DATE_RANGE = { ukFormat: true, minYear: 1800, maxYear: 2100 } as const;

const variant: DatasetVariant<CompanyImportRow> = {
  name: 'companies',
  description: 'Companies House advanced-search export',
  requiredColumns: COMPANY_COLUMNS.required,
  target,
  bindHeader(header) {
    return bindFixedColumns('companies', header, COMPANY_COLUMNS.required, COMPANY_COLUMNS.optional, (f) => {
      const rawNumber = f.text('company_number', { required: true });
      const companyNumber = rawNumber === null ? null : normaliseCompanyNumber('gb', rawNumber);
      if (rawNumber !== null && companyNumber === null) {
        f.fail(
          'company_number',
          `must be a Companies House number like "01234567" or "SC123456", got ${quote(rawNumber)}`,
        );
      }
      const name = f.text('company_name', { required: true, maxLength: 300 });
      const registryStatus = f.text('company_status', { required: true });
      const status = registryStatus === null ? undefined : COMPANY_STATUS_MAP[statusKey(registryStatus)];
      if (registryStatus !== null && status === undefined) {
        f.fail(
          'company_status',
          `is not a Companies House status we know (Active, Dissolved, Liquidation, …), got ${quote(registryStatus)}`,
        );
      }
      const incorporated = f.date('incorporation_date', DATE_RANGE);
      const registered = f.date('registered_date', DATE_RANGE);
      const dissolved = f.date('dissolution_date', DATE_RANGE);
      const removed = f.date('removed_date', DATE_RANGE);
      const sicCodes = readSicCodes(f);
      const address = f.text('registered_office_address');
      const firstActivity = sicCodes.find((c) => c !== DORMANT_SIC);
      return f.result<CompanyImportRow>(() => ({
        jurisdiction: 'gb',
        companyNumber: companyNumber!,
        name: name!,
        status: status!,
        registryStatus: registryStatus!,
        companyType: f.text('company_type'),
        incorporationDate: incorporated ?? registered,
        dissolutionDate: dissolved ?? removed,
        sicCodes,
        sector: firstActivity === undefined ? null : parseSicCode(firstActivity).section,
        registeredAddress: address === null ? null : address.replace(/\s+/g, ' '),
        postalCode: address === null ? null : lastUkPostcode(address),
      }));
    });
  },
};

/** The `companies` dataset. Natural key: `gb/<company number>`. */
export const companiesDataset: DatasetSpec<CompanyImportRow> = {
  name: 'companies',
  description: 'Companies House advanced-search CSV export: one line per company.',
  requiredColumns: COMPANY_COLUMNS.required,
  variants: [variant],
  naturalKey: (row) => [row.jurisdiction, row.companyNumber].join('/'),
};
