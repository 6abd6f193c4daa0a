import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Organization } from '../auth/organization.entity.js';

export const COMPANY_STATUSES = ['active', 'dormant', 'liquidation', 'dissolved', 'unknown'] as const;
export const COMPANY_SOURCES = ['manual', 'opencorporates', 'companies-house', 'import'] as const;
/** Whether the company has an emissions-reduction target: not known yet, known to have none, or set. */
export const TARGET_STATUSES = ['unknown', 'none', 'set'] as const;
/** PCAF §5.2 company value: balance-sheet equity + debt (private companies) or EVIC (listed). */
export const BALANCE_SHEET_BASES = ['equity-plus-debt', 'evic'] as const;

/** How a company's last registry enrichment ended. */
export const ENRICHMENT_STATUSES = ['enriched', 'not-found'] as const;

/** A registered office address as the registry gave it (empty parts omitted). */
export interface RegisteredAddressRecord {
  lines: string[];
  locality?: string;
  region?: string;
  postalCode?: string;
  country?: string;
}

/** The unique constraint behind "409 duplicate jurisdiction + number". */
export const COMPANY_NUMBER_UNIQUE = 'companies_org_jurisdiction_number_unique';

/** A borrower, identified within a tenant by jurisdiction + registered number. */
export const Company = defineEntity({
  name: 'Company',
  tableName: 'companies',
  properties: (p) => ({
    id: p.uuid().primary(),
    organization: p.manyToOne(Organization).mapToPk().deleteRule('cascade'),
    /** OpenCorporates-style jurisdiction code: `gb`, `us_de`. */
    jurisdiction: p.string().length(16),
    companyNumber: p.string().length(32),
    name: p.string().length(300),
    status: p.enum([...COMPANY_STATUSES]).default('active'),
    incorporationDate: p.date().nullable(),
    /** UK SIC 2007 codes (five digits). */
    sicCodes: p.array().default([]),
    /** SIC 2007 section letter (A–U) of the first SIC code, for peer comparisons and filters. */
    sector: p.string().length(1).nullable(),
    region: p.string().length(200).nullable(),
    locality: p.string().length(200).nullable(),
    source: p.enum([...COMPANY_SOURCES]).default('manual'),
    enrichedAt: p.datetime().nullable(),
    /** How the last registry enrichment ended; null until one ran. */
    enrichmentStatus: p.enum([...ENRICHMENT_STATUSES]).nullable(),
    /** The registered office address, from the registry. */
    registeredAddress: p.json<RegisteredAddressRecord>().nullable(),
    /** The emissions target the green score rates; the `target*` columns are set when `set`. */
    targetStatus: p.enum([...TARGET_STATUSES]).default('unknown'),
    targetBaseYear: p.smallint().nullable(),
    targetYear: p.smallint().nullable(),
    /** Fraction of base-year emissions to cut, 0–1. */
    targetReduction: p.type('double precision').nullable(),
    targetScopes: p.string().length(16).nullable(),
    /** Validated by SBTi or an equivalent independent body. */
    targetValidated: p.boolean().nullable(),
    /** Balance-sheet figures for PCAF attribution, integer minor units of `balanceSheetCurrency`. */
    balanceSheetBasis: p.enum([...BALANCE_SHEET_BASES]).nullable(),
    balanceSheetCurrency: p.string().length(3).nullable(),
    equityAmount: p.bigint('number').nullable(),
    debtAmount: p.bigint('number').nullable(),
    evicAmount: p.bigint('number').nullable(),
    version: p.integer().version(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  }),
  uniques: [{ name: COMPANY_NUMBER_UNIQUE, properties: ['organization', 'jurisdiction', 'companyNumber'] }],
  indexes: [
    { name: 'companies_org_name_idx', properties: ['organization', 'name', 'id'] },
    { name: 'companies_org_created_idx', properties: ['organization', 'createdAt', 'id'] },
  ],
});
export type Company = InferEntity<typeof Company>;
