/**
 * Companies House Public Data API adapter: `GET /company/{company_number}` (the company profile),
 * HTTP basic auth with the API key as user name and an empty password.
 *
 * The schema follows real profile responses (test/fixtures/registries/companies-house, copied
 * from captured API answers) and Companies House's published companyProfile specification
 * (api.ch.gov.uk-specifications, `company_status` and `accounts.last_accounts.type` enums).
 * Only the fields we map are validated; everything else is kept untouched in `raw`.
 */
import { z } from 'zod';
import { normaliseJurisdiction, normaliseUkCompanyNumber } from './company-number.js';
import { checkedBaseUrl, checkedTimeout } from './client-options.js';
import { RegistryConfigError, RegistryRequestError } from './errors.js';
import { getRegistryJson, publicUrl } from './http-request.js';
import { isoDateSchema, optionalTextSchema, parseRegistryBody } from './parse-body.js';
import type {
  FetchCompanyOptions,
  OfficialCompanyRecord,
  OfficialCompanyStatus,
  RegisteredAddress,
  RegistryClient,
} from './record.js';

export const COMPANIES_HOUSE_DEFAULT_URL = 'https://api.company-information.service.gov.uk';
const LABEL = 'Companies House';

/**
 * Our status for each Companies House `company_status`. Insolvency and rescue procedures all map
 * to `liquidation` (see record.ts); closed, removed and converted entities no longer exist as
 * registered, so they map to `dissolved`; overseas entities that are `open`/`registered` trade.
 */
export const COMPANIES_HOUSE_STATUS_MAP: Readonly<Record<string, OfficialCompanyStatus>> = {
  active: 'active',
  open: 'active',
  registered: 'active',
  dissolved: 'dissolved',
  'converted-closed': 'dissolved',
  closed: 'dissolved',
  removed: 'dissolved',
  liquidation: 'liquidation',
  administration: 'liquidation',
  receivership: 'liquidation',
  'voluntary-arrangement': 'liquidation',
  'insolvency-proceedings': 'liquidation',
};

/** SIC 2007 code Companies House uses for "Dormant Company". */
export const DORMANT_SIC_CODE = '99999';

/**
 * Maps a Companies House status to ours. An `active` company whose last accounts were filed as
 * `dormant`, or whose SIC codes include 99999 ("Dormant Company"), is `dormant`: Companies
 * House has no dormant status of its own. Statuses we do not know map to `unknown`, never fail.
 */
export function mapCompaniesHouseStatus(
  status: string | undefined,
  evidence: { lastAccountsType?: string | undefined; sicCodes?: readonly string[] } = {},
): OfficialCompanyStatus {
  // hasOwn: a status such as "constructor" must not resolve to Object.prototype's members.
  const mapped =
    status !== undefined && Object.hasOwn(COMPANIES_HOUSE_STATUS_MAP, status)
      ? COMPANIES_HOUSE_STATUS_MAP[status]!
      : 'unknown';
  const dormant = evidence.lastAccountsType === 'dormant' || evidence.sicCodes?.includes(DORMANT_SIC_CODE);
  return mapped === 'active' && dormant ? 'dormant' : mapped;
}

const registeredOfficeAddressSchema = z.object({
  care_of: optionalTextSchema,
  po_box: optionalTextSchema,
  premises: optionalTextSchema,
  address_line_1: optionalTextSchema,
  address_line_2: optionalTextSchema,
  locality: optionalTextSchema,
  region: optionalTextSchema,
  postal_code: optionalTextSchema,
  country: optionalTextSchema,
});

/** The part of a Companies House company profile we read. */
export const companiesHouseProfileSchema = z.object({
  company_number: z.string().trim().min(1),
  company_name: z.string().trim().min(1),
  company_status: optionalTextSchema,
  date_of_creation: isoDateSchema.nullish(),
  sic_codes: z.array(z.string().trim().min(1)).nullish(),
  registered_office_address: registeredOfficeAddressSchema.nullish(),
  accounts: z.object({ last_accounts: z.object({ type: optionalTextSchema }).nullish() }).nullish(),
});
export type CompaniesHouseProfile = z.output<typeof companiesHouseProfileSchema>;

/**
 * Street lines of a registered office. A house number in `premises` ("71") joins the first
 * street line ("71 New Dover Road") as on an envelope; a building name stays on its own line.
 */
function addressLines(address: z.output<typeof registeredOfficeAddressSchema>): string[] {
  const lines: string[] = [];
  if (address.care_of) lines.push(`c/o ${address.care_of}`);
  if (address.po_box)
    lines.push(/^p\.?o\.? box/i.test(address.po_box) ? address.po_box : `PO Box ${address.po_box}`);
  const houseNumber = address.premises && /^\d+[A-Za-z]?(-\d+[A-Za-z]?)?$/.test(address.premises);
  if (address.premises && !(houseNumber && address.address_line_1)) lines.push(address.premises);
  if (address.address_line_1) {
    lines.push(houseNumber ? `${address.premises} ${address.address_line_1}` : address.address_line_1);
  }
  if (address.address_line_2) lines.push(address.address_line_2);
  return lines;
}

function toRegisteredAddress(
  address: z.output<typeof registeredOfficeAddressSchema> | null | undefined,
): RegisteredAddress | null {
  if (!address) return null;
  const result: RegisteredAddress = { lines: addressLines(address) };
  if (address.locality) result.locality = address.locality;
  if (address.region) result.region = address.region;
  if (address.postal_code) result.postalCode = address.postal_code;
  if (address.country) result.country = address.country;
  const empty = result.lines.length === 0 && Object.keys(result).length === 1;
  return empty ? null : result;
}

/** Maps a validated Companies House profile to our record. */
export function companiesHouseRecord(
  profile: CompaniesHouseProfile,
  fetchedFrom: string,
  raw: unknown,
): OfficialCompanyRecord {
  const sicCodes = [...new Set(profile.sic_codes ?? [])];
  return {
    jurisdiction: 'gb',
    companyNumber: profile.company_number,
    name: profile.company_name,
    status: mapCompaniesHouseStatus(profile.company_status, {
      lastAccountsType: profile.accounts?.last_accounts?.type,
      sicCodes,
    }),
    incorporationDate: profile.date_of_creation ?? null,
    sicCodes,
    registeredAddress: toRegisteredAddress(profile.registered_office_address),
    source: 'companies-house',
    fetchedFrom,
    raw,
  };
}

export interface CompaniesHouseClientOptions {
  /** The Companies House API key (basic-auth user name). */
  apiKey: string;
  baseUrl?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * Creates a client for the Companies House Public Data API. Companies House only holds UK
 * companies, so the jurisdiction must be `gb`.
 *
 * @example
 * const ch = createCompaniesHouseClient({ apiKey: process.env.COMPANIES_HOUSE_API_KEY! });
 * const result = await ch.fetchCompany('gb', '08957400');
 */
export function createCompaniesHouseClient(options: CompaniesHouseClientOptions): RegistryClient {
  const apiKey = options.apiKey?.trim();
  if (!apiKey) throw new RegistryConfigError('apiKey', 'a Companies House API key is required');
  const baseUrl = checkedBaseUrl(options.baseUrl ?? COMPANIES_HOUSE_DEFAULT_URL, 'baseUrl');
  const timeoutMs = checkedTimeout(options.timeoutMs);
  const doFetch = options.fetch ?? fetch;
  const authorization = `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}`;

  return {
    provider: 'companies-house',
    async fetchCompany(jurisdiction: string, companyNumber: string, opts: FetchCompanyOptions = {}) {
      const code = normaliseJurisdiction(jurisdiction);
      if (code !== 'gb') {
        throw new RegistryRequestError(
          'companies-house',
          'jurisdiction',
          null,
          `jurisdiction: Companies House holds only UK companies (jurisdiction "gb"), got "${jurisdiction}"`,
        );
      }
      const number = normaliseUkCompanyNumber(companyNumber);
      if (number === null) {
        throw new RegistryRequestError(
          'companies-house',
          'companyNumber',
          null,
          `companyNumber: "${companyNumber}" is not a UK company number (8 letters/digits, e.g. 08957400 or SC012345)`,
        );
      }
      const url = new URL(`${baseUrl}/company/${encodeURIComponent(number)}`);
      const outcome = await getRegistryJson({
        provider: 'companies-house',
        label: LABEL,
        url,
        headers: { authorization },
        secret: apiKey,
        credentialHint: 'COMPANIES_HOUSE_API_KEY (and the IP addresses the key allows)',
        timeoutMs,
        signal: opts.signal,
        fetch: doFetch,
      });
      if (outcome.kind !== 'json') return outcome;
      const parsed = parseRegistryBody(companiesHouseProfileSchema, outcome.body, LABEL);
      if (!parsed.ok) return { kind: 'malformed', reason: parsed.reason };
      return {
        kind: 'found',
        record: companiesHouseRecord(parsed.data, publicUrl(url, apiKey), outcome.body),
      };
    },
  };
}
