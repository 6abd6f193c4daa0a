import { TARGET_SCOPES, type TargetScopes } from '@greenfin/core';
import {
  ETagHeaders,
  IsoDateSchema,
  MoneySchema,
  orNull,
  pageOf,
  PageQuery,
  text,
  Timestamp,
  Uuid,
} from '../../http/schemas.js';
import { z } from '../../http/zod.js';
import { COMPANY_SOURCES, COMPANY_STATUSES, ENRICHMENT_STATUSES } from './company.entity.js';
import { SIC_SECTIONS } from './sic-sections.js';

const IsoDate = IsoDateSchema.openapi({ example: '2014-03-02' });

const Jurisdiction = z
  .string()
  .max(16)
  .transform((j) => j.toLowerCase())
  .pipe(
    z
      .string()
      .regex(/^[a-z]{2}(_[a-z0-9]{1,5})?$/, 'an OpenCorporates jurisdiction code such as gb or us_de'),
  )
  .openapi({ example: 'gb', description: 'OpenCorporates jurisdiction code (`gb`, `us_de`).' });

const CompanyNumber = z
  .string()
  .max(32)
  .transform((n) => n.trim().toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9][A-Z0-9-]{0,31}$/, 'letters, digits and dashes'))
  .openapi({ example: '09876543', description: 'The registered number in its jurisdiction.' });

const SicCode = z
  .string()
  .regex(/^\d{5}$/, 'a five-digit UK SIC 2007 code')
  .openapi({ example: '25210' });

const TargetYear = (description: string, example: number) =>
  z.number().int().min(1900).max(2200).openapi({ description, example });

/**
 * The company's emissions-reduction target, which the green score rates (15 points): `unknown`
 * until someone finds out, `none` when the company has none (scores 0 but counts as known), or
 * `set` with the target itself.
 */
export const EmissionsTargetSchema = z
  .discriminatedUnion('status', [
    z.object({ status: z.literal('unknown') }).openapi({ title: 'Target not known' }),
    z.object({ status: z.literal('none') }).openapi({ title: 'No target' }),
    z
      .object({
        status: z.literal('set'),
        baseYear: TargetYear('Base year of the target.', 2022),
        targetYear: TargetYear('Year the reduction is due (after the base year).', 2030),
        reduction: z
          .number()
          .min(0)
          .max(1)
          .openapi({ description: 'Fraction of base-year emissions to cut, 0–1.', example: 0.42 }),
        scopes: z.enum(TARGET_SCOPES as [TargetScopes, ...TargetScopes[]]).openapi({ example: 'scope1+2' }),
        validated: z.boolean().openapi({
          description: 'Validated by the Science Based Targets initiative or an equivalent body.',
        }),
      })
      .openapi({ title: 'Target set' }),
  ])
  .superRefine((t, ctx) => {
    if (t.status === 'set' && t.targetYear <= t.baseYear) {
      ctx.addIssue({
        code: 'custom',
        path: ['targetYear'],
        message: `must be after the base year ${t.baseYear}`,
      });
    }
  })
  .openapi('EmissionsTarget', {
    description:
      'The company’s emissions-reduction target: `unknown`, `none`, or `set` with base year, target year, reduction, scopes and whether it is validated.',
  });

/**
 * PCAF Part A §5.2 company value, the denominator of a loan's attribution factor: total equity +
 * debt from the balance sheet for a private company, or EVIC for a listed one.
 */
export const BalanceSheetSchema = z
  .discriminatedUnion('basis', [
    z
      .object({
        basis: z.literal('equity-plus-debt'),
        equity: MoneySchema,
        debt: MoneySchema,
      })
      .openapi({
        title: 'Private company: equity + debt',
        description:
          'Total equity (negative equity counts as 0, PCAF §5.2) and total debt (book value, ≥ 0).',
      }),
    z
      .object({
        basis: z.literal('evic'),
        evic: MoneySchema,
      })
      .openapi({
        title: 'Listed company: EVIC',
        description: 'Enterprise value including cash at the fiscal year-end, > 0.',
      }),
  ])
  .openapi('BalanceSheet', {
    description: 'Balance-sheet figures for PCAF financed emissions; `null` when not known.',
  });

const Status = z.enum(COMPANY_STATUSES);
const Source = z.enum(COMPANY_SOURCES);

const editable = {
  name: text(1, 300).openapi({ example: 'EcoTech Manufacturing Ltd' }),
  status: Status,
  incorporationDate: IsoDate.nullable(),
  sicCodes: z.array(SicCode).max(10),
  region: text(1, 200).nullable().openapi({ example: 'West Midlands' }),
  locality: text(1, 200).nullable().openapi({ example: 'Birmingham' }),
  source: Source,
  emissionsTarget: EmissionsTargetSchema,
  balanceSheet: orNull(BalanceSheetSchema),
};

export const CreateCompanyBody = z
  .object({
    jurisdiction: Jurisdiction,
    companyNumber: CompanyNumber,
    name: editable.name,
    status: editable.status.optional(),
    incorporationDate: editable.incorporationDate.optional(),
    sicCodes: editable.sicCodes.optional(),
    region: editable.region.optional(),
    locality: editable.locality.optional(),
    source: editable.source.optional(),
    emissionsTarget: editable.emissionsTarget.optional(),
    balanceSheet: editable.balanceSheet.optional(),
  })
  .openapi('CreateCompanyRequest');

export const UpdateCompanyBody = z
  .object({
    jurisdiction: Jurisdiction.optional(),
    companyNumber: CompanyNumber.optional(),
    name: editable.name.optional(),
    status: editable.status.optional(),
    incorporationDate: editable.incorporationDate.optional(),
    sicCodes: editable.sicCodes.optional(),
    region: editable.region.optional(),
    locality: editable.locality.optional(),
    source: editable.source.optional(),
    emissionsTarget: editable.emissionsTarget.optional(),
    balanceSheet: editable.balanceSheet.optional(),
  })
  .openapi('UpdateCompanyRequest', { description: 'Fields to change; `null` clears a nullable field.' });

export const CompanySchema = z
  .object({
    id: Uuid,
    jurisdiction: z.string(),
    companyNumber: z.string(),
    name: z.string(),
    status: Status,
    incorporationDate: z.string().nullable(),
    sicCodes: z.array(z.string()),
    sector: z
      .string()
      .nullable()
      .openapi({ description: 'SIC 2007 section letter (A–U) of the first SIC code.' }),
    region: z.string().nullable(),
    locality: z.string().nullable(),
    source: Source,
    enrichedAt: Timestamp.nullable(),
    enrichmentStatus: z.union([z.enum(ENRICHMENT_STATUSES), z.null()]).openapi({
      description:
        'How the last registry enrichment ended: `enriched`, or `not-found` when the registry does not know the number; null until one ran.',
    }),
    registeredAddress: orNull(
      z
        .object({
          lines: z.array(z.string()),
          locality: z.string().optional(),
          region: z.string().optional(),
          postalCode: z.string().optional(),
          country: z.string().optional(),
        })
        .openapi('RegisteredAddress', { description: 'Registered office address, from the registry.' }),
    ),
    emissionsTarget: EmissionsTargetSchema,
    balanceSheet: orNull(BalanceSheetSchema),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('Company');

export const CompanyPage = pageOf(CompanySchema, 'CompanyPage');

export const COMPANY_SORTS = ['createdAt', '-createdAt', 'name', '-name'] as const;

export const CompanyListQuery = PageQuery.extend({
  companyNumber: CompanyNumber.optional(),
  jurisdiction: Jurisdiction.optional(),
  q: text(1, 200).optional().openapi({ description: 'Case-insensitive substring of the name.' }),
  sector: z
    .enum(SIC_SECTIONS as [string, ...string[]])
    .optional()
    .openapi({ description: 'SIC 2007 section letter.' }),
  status: Status.optional(),
  sort: z.enum(COMPANY_SORTS).default('createdAt').openapi({ description: 'Sort key; `-` for descending.' }),
});

export const CompanyHeaders = ETagHeaders;

export type CompanyJson = z.input<typeof CompanySchema>;
export type CreateCompanyInput = z.output<typeof CreateCompanyBody>;
export type UpdateCompanyInput = z.output<typeof UpdateCompanyBody>;
export type EmissionsTargetJson = z.output<typeof EmissionsTargetSchema>;
export type BalanceSheetJson = z.output<typeof BalanceSheetSchema>;
export type CompanyListInput = z.output<typeof CompanyListQuery>;
