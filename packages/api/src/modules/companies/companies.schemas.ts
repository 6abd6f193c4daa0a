import { ETagHeaders, PageQuery, pageOf, text, Timestamp, Uuid } from '../../http/schemas.js';
import { z } from '../../http/zod.js';
import { COMPANY_SOURCES, COMPANY_STATUSES } from './company.entity.js';
import { SIC_SECTIONS } from './sic-sections.js';

function isCalendarDate(date: string): boolean {
  const time = Date.parse(`${date}T00:00:00Z`);
  return Number.isFinite(time) && new Date(time).toISOString().slice(0, 10) === date;
}

const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'an ISO date YYYY-MM-DD')
  .refine(isCalendarDate, 'not a calendar date')
  .openapi({ format: 'date', example: '2014-03-02' });

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
export type CompanyListInput = z.output<typeof CompanyListQuery>;
