/**
 * `environmental-metrics`: Greenfin's own CSV template, one line per company and reporting year,
 * with the ranges core's `greenScore` accepts (docs/imports.md shows the template).
 */
import {
  CURRENCY_EXPONENTS,
  ErrorCode,
  GreenfinError,
  fromDecimalString,
  isCurrency,
  type CurrencyCode,
  type Money,
  type PcafScore,
} from '@greenfin/core';
import { normaliseCompanyNumber, normaliseJurisdiction } from './company-number.js';
import { bindFixedColumns } from './fixed-columns.js';
import type { FieldReader } from './fields.js';
import { quote } from './fields.js';
import type { DatasetSpec, DatasetVariant, TargetTable } from './types.js';

/** One company-year of environmental figures. `null` = not reported. */
export interface EnvironmentalMetricImportRow {
  /** OpenCorporates-style code, lower case: `gb`, `us_de`. */
  readonly jurisdiction: string;
  readonly companyNumber: string;
  readonly year: number;
  readonly energyMwh: number | null;
  readonly scope1Tco2e: number | null;
  readonly scope2Tco2e: number | null;
  readonly scope3Tco2e: number | null;
  /** Revenue in integer minor units, parsed exactly from the decimal string. */
  readonly revenue: Money | null;
  /** 0–1. */
  readonly renewableShare: number | null;
  /** Scope 1+2 independently verified; an empty cell means not verified. */
  readonly verified: boolean;
  readonly pcafDataQuality: PcafScore | null;
  readonly source: string | null;
}

/** The template's columns, in template order. Every one must be in the header; cells may be empty. */
export const ENVIRONMENTAL_METRICS_COLUMNS = [
  'company_number',
  'jurisdiction',
  'year',
  'energy_mwh',
  'scope1_tco2e',
  'scope2_tco2e',
  'scope3_tco2e',
  'revenue_amount',
  'revenue_currency',
  'renewable_share',
  'verified',
  'pcaf_data_quality',
  'source',
] as const;

/** Reporting years the template accepts. */
export const METRIC_YEARS = { min: 1990, max: 2100 } as const;

function readRevenue(f: FieldReader): Money | null {
  const amount = f.cell('revenue_amount');
  const code = f.cell('revenue_currency').toUpperCase();
  let currency: CurrencyCode | null = null;
  if (code !== '') {
    if (isCurrency(code)) currency = code;
    else
      f.fail(
        'revenue_currency',
        `must be an ISO 4217 currency code such as GBP, got ${quote(f.cell('revenue_currency'))}`,
      );
  }
  if (amount === '') return null;
  if (code === '') {
    f.fail('revenue_currency', 'is required when revenue_amount is given');
    return null;
  }
  if (currency === null) return null;
  try {
    // Exact: "1234.56" GBP is 123456 pence, never a float on the way; too many decimals is an error.
    const money = fromDecimalString(amount, currency, 'revenue_amount');
    if (money.amount < 0) {
      f.fail('revenue_amount', `must be ≥ 0, got ${quote(amount)}`);
      return null;
    }
    return money;
  } catch (error) {
    if (!(error instanceof GreenfinError)) throw error;
    const why =
      error.code === ErrorCode.NotMinorUnits
        ? `${currency} has ${CURRENCY_EXPONENTS[currency]} decimal places`
        : error.code === ErrorCode.OutOfRange
          ? 'is too large'
          : 'must be a decimal amount like "1234.56" (no thousands separators or symbols)';
    f.fail('revenue_amount', `${why}, got ${quote(amount)}`);
    return null;
  }
}

const target: TargetTable<EnvironmentalMetricImportRow> = {
  table: 'environmental_metrics',
  columns: [
    { name: 'jurisdiction', type: 'text', nullable: false },
    { name: 'company_number', type: 'text', nullable: false },
    { name: 'year', type: 'smallint', nullable: false },
    { name: 'energy_mwh', type: 'double precision', nullable: true },
    { name: 'scope1_tco2e', type: 'double precision', nullable: true },
    { name: 'scope2_tco2e', type: 'double precision', nullable: true },
    { name: 'scope3_tco2e', type: 'double precision', nullable: true },
    { name: 'revenue_amount', type: 'bigint', nullable: true },
    { name: 'revenue_currency', type: 'text', nullable: true },
    { name: 'renewable_share', type: 'double precision', nullable: true },
    { name: 'verified', type: 'boolean', nullable: false },
    { name: 'pcaf_data_quality', type: 'smallint', nullable: true },
    { name: 'source', type: 'text', nullable: true },
  ],
  // The table's own key is (company_id, year): the writer resolves the company from these two.
  conflictKey: ['jurisdiction', 'company_number', 'year'],
  values: (r) => [
    r.jurisdiction,
    r.companyNumber,
    r.year,
    r.energyMwh,
    r.scope1Tco2e,
    r.scope2Tco2e,
    r.scope3Tco2e,
    r.revenue?.amount ?? null,
    r.revenue?.currency ?? null,
    r.renewableShare,
    r.verified,
    r.pcafDataQuality,
    r.source,
  ],
};

const NON_NEGATIVE = { min: 0, describe: 'must be a number ≥ 0' } as const;

const variant: DatasetVariant<EnvironmentalMetricImportRow> = {
  name: 'environmental-metrics',
  description: 'Greenfin environmental-metrics template',
  requiredColumns: ENVIRONMENTAL_METRICS_COLUMNS,
  target,
  bindHeader(header) {
    return bindFixedColumns('environmental-metrics', header, ENVIRONMENTAL_METRICS_COLUMNS, [], (f) => {
      const rawJurisdiction = f.text('jurisdiction', { required: true });
      const jurisdiction = rawJurisdiction === null ? null : normaliseJurisdiction(rawJurisdiction);
      if (rawJurisdiction !== null && jurisdiction === null) {
        f.fail(
          'jurisdiction',
          `must be a jurisdiction code such as "gb" or "us_de", got ${quote(rawJurisdiction)}`,
        );
      }
      const rawNumber = f.text('company_number', { required: true });
      const companyNumber =
        rawNumber === null || jurisdiction === null ? null : normaliseCompanyNumber(jurisdiction, rawNumber);
      if (rawNumber !== null && jurisdiction !== null && companyNumber === null) {
        f.fail('company_number', `is not a company number in "${jurisdiction}", got ${quote(rawNumber)}`);
      }
      const year = f.integer('year', { required: true, ...METRIC_YEARS });
      const energyMwh = f.number('energy_mwh', NON_NEGATIVE);
      const scope1Tco2e = f.number('scope1_tco2e', NON_NEGATIVE);
      const scope2Tco2e = f.number('scope2_tco2e', NON_NEGATIVE);
      const scope3Tco2e = f.number('scope3_tco2e', NON_NEGATIVE);
      const revenue = readRevenue(f);
      const renewableShare = f.number('renewable_share', {
        min: 0,
        max: 1,
        describe: 'must be a fraction between 0 and 1',
      });
      const verified = f.boolean('verified');
      const pcaf = f.integer('pcaf_data_quality', {
        min: 1,
        max: 5,
        describe: 'must be a PCAF data-quality score 1, 2, 3, 4 or 5',
      });
      const source = f.text('source', { maxLength: 200 });
      return f.result<EnvironmentalMetricImportRow>(() => ({
        jurisdiction: jurisdiction!,
        companyNumber: companyNumber!,
        year: year!,
        energyMwh,
        scope1Tco2e,
        scope2Tco2e,
        scope3Tco2e,
        revenue,
        renewableShare,
        verified: verified ?? false,
        pcafDataQuality: pcaf as PcafScore | null,
        source,
      }));
    });
  },
};

/** The `environmental-metrics` dataset. Natural key: `<jurisdiction>/<company number>/<year>`. */
export const environmentalMetricsDataset: DatasetSpec<EnvironmentalMetricImportRow> = {
  name: 'environmental-metrics',
  description: 'Greenfin environmental-metrics CSV template: one line per company and reporting year.',
  requiredColumns: ENVIRONMENTAL_METRICS_COLUMNS,
  variants: [variant],
  naturalKey: (row) => [row.jurisdiction, row.companyNumber, row.year].join('/'),
};
