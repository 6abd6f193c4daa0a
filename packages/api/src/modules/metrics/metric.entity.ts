import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Organization } from '../auth/organization.entity.js';
import { Company } from '../companies/company.entity.js';

/** The unique constraint behind "409 duplicate year". */
export const METRIC_YEAR_UNIQUE = 'environmental_metrics_company_year_unique';

/**
 * One reporting year of a company's environmental figures. Emissions in tCO2e and energy in MWh
 * are measurements (floats are fine); revenue is money, in integer minor units with its currency.
 */
export const EnvironmentalMetric = defineEntity({
  name: 'EnvironmentalMetric',
  tableName: 'environmental_metrics',
  properties: (p) => ({
    id: p.uuid().primary(),
    organization: p.manyToOne(Organization).mapToPk().deleteRule('cascade'),
    company: p.manyToOne(Company).mapToPk().deleteRule('cascade'),
    year: p.smallint(),
    energyMwh: p.type('double precision').nullable(),
    scope1Tco2e: p.type('double precision').fieldName('scope1_tco2e').nullable(),
    scope2Tco2e: p.type('double precision').fieldName('scope2_tco2e').nullable(),
    scope3Tco2e: p.type('double precision').fieldName('scope3_tco2e').nullable(),
    revenueAmount: p.bigint('number').nullable(),
    revenueCurrency: p.string().length(3).nullable(),
    renewableShare: p.type('double precision').nullable(),
    verified: p.boolean().default(false),
    /** PCAF data-quality score, 1 (best) to 5. */
    pcafDataQuality: p.smallint().nullable(),
    source: p.string().length(200).nullable(),
    version: p.integer().version(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  }),
  uniques: [{ name: METRIC_YEAR_UNIQUE, properties: ['company', 'year'] }],
});
export type EnvironmentalMetric = InferEntity<typeof EnvironmentalMetric>;
