import { ETagHeaders, MoneySchema, orNull, pageOf, text, Timestamp, Uuid } from '../../http/schemas.js';
import { z } from '../../http/zod.js';

const Year = z.coerce
  .number()
  .int()
  .min(1990)
  .max(2100)
  .openapi({ example: 2024, description: 'Reporting year.' });
const Quantity = (example: number, description: string) =>
  z.number().finite().min(0).max(1e12).nullable().openapi({ example, description });

const fields = {
  energyMwh: Quantity(500, 'Energy consumed, MWh.'),
  scope1Tco2e: Quantity(42, 'Scope 1 (direct) emissions, tCO2e.'),
  scope2Tco2e: Quantity(49.8, 'Scope 2 (purchased energy) emissions, tCO2e.'),
  scope3Tco2e: Quantity(1010, 'Scope 3 (value chain) emissions, tCO2e.'),
  revenue: orNull(MoneySchema).openapi({ description: 'Revenue of the year.' }),
  renewableShare: z
    .number()
    .min(0)
    .max(1)
    .nullable()
    .openapi({ example: 0.42, description: 'Share of energy from renewables, 0–1.' }),
  verified: z.boolean().openapi({ description: 'Emissions verified by a third party.' }),
  pcafDataQuality: z
    .number()
    .int()
    .min(1)
    .max(5)
    .nullable()
    .openapi({ example: 2, description: 'PCAF data-quality score, 1 (verified reported) to 5 (estimated).' }),
  source: text(1, 200).nullable().openapi({ example: 'annual report 2024' }),
};

/** Body of PUT …/metrics/{year}: every figure of the year (omitted ones are stored as unknown). */
export const MetricFieldsBody = z
  .object({
    energyMwh: fields.energyMwh.optional(),
    scope1Tco2e: fields.scope1Tco2e.optional(),
    scope2Tco2e: fields.scope2Tco2e.optional(),
    scope3Tco2e: fields.scope3Tco2e.optional(),
    revenue: fields.revenue.optional(),
    renewableShare: fields.renewableShare.optional(),
    verified: fields.verified.optional(),
    pcafDataQuality: fields.pcafDataQuality.optional(),
    source: fields.source.optional(),
  })
  .openapi('EnvironmentalMetricFields');

export const CreateMetricBody = MetricFieldsBody.extend({
  year: z.number().int().min(1990).max(2100),
}).openapi('CreateEnvironmentalMetricRequest');

export const MetricSchema = z
  .object({
    companyId: Uuid,
    year: z.number().int(),
    energyMwh: z.number().nullable(),
    scope1Tco2e: z.number().nullable(),
    scope2Tco2e: z.number().nullable(),
    scope3Tco2e: z.number().nullable(),
    revenue: orNull(MoneySchema),
    renewableShare: z.number().nullable(),
    verified: z.boolean(),
    pcafDataQuality: z.number().int().nullable(),
    source: z.string().nullable(),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('EnvironmentalMetric');

export const MetricPage = pageOf(MetricSchema, 'EnvironmentalMetricPage');
export const CompanyYearParams = z.object({ id: Uuid, year: Year });
export const MetricHeaders = ETagHeaders;

export type MetricJson = z.input<typeof MetricSchema>;
export type MetricFieldsInput = z.output<typeof MetricFieldsBody>;
export type CreateMetricInput = z.output<typeof CreateMetricBody>;
