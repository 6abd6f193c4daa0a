/**
 * EcoTech's Companies House record, for the fake registry the journey's enrichment calls.
 *
 * EcoTech Manufacturing Ltd is fictional (packages/core/src/examples/ecotech-data.ts), so no real
 * response exists. The record is the real `GET /company/08957400` response captured in
 * packages/workflows/test/fixtures/registries/companies-house/company-08957400-2024.json (see
 * that folder's README for its source and OGL licence) with only the identifying fields replaced
 * by EcoTech's: the shape, the field names and every other value are Companies House's own.
 */
import { readFileSync } from 'node:fs';

const sample = JSON.parse(
  readFileSync(
    new URL(
      '../../../packages/workflows/test/fixtures/registries/companies-house/company-08957400-2024.json',
      import.meta.url,
    ),
    'utf8',
  ),
) as Record<string, unknown>;

export const ECOTECH_NUMBER = '09876543';

/** What the registry says about EcoTech; the assertions read the expected values from here. */
export const ecotechRegistry = {
  name: 'ECOTECH MANUFACTURING LTD',
  incorporationDate: '2014-03-02',
  /** SIC 2007 25210: Manufacture of central heating radiators and boilers (section C). */
  sicCodes: ['25210'],
  address: {
    address_line_1: 'Unit 7 Tyseley Industrial Estate',
    address_line_2: 'Seeleys Road',
    locality: 'Birmingham',
    region: 'West Midlands',
    postal_code: 'B11 2LQ',
    country: 'England',
  },
} as const;

/** The `GET /company/09876543` body. */
export const ecotechCompanyProfile: Record<string, unknown> = {
  ...sample,
  company_number: ECOTECH_NUMBER,
  company_name: ecotechRegistry.name,
  date_of_creation: ecotechRegistry.incorporationDate,
  sic_codes: [...ecotechRegistry.sicCodes],
  registered_office_address: { ...ecotechRegistry.address },
  previous_company_names: [],
  links: {
    self: `/company/${ECOTECH_NUMBER}`,
    filing_history: `/company/${ECOTECH_NUMBER}/filing-history`,
    officers: `/company/${ECOTECH_NUMBER}/officers`,
  },
};
