/**
 * OpenCorporates API v0.4 adapter: `GET /companies/{jurisdiction_code}/{company_number}`, with the
 * API token in the `api_token` query parameter.
 *
 * Response shape, per the OpenCorporates API reference (https://api.opencorporates.com/documentation/API-Reference,
 * version 0.4.8: "the response to /companies/nl/17087985 is { api_version, results: { company: {
 * name, company_number, jurisdiction_code, incorporation_date, dissolution_date, company_type,
 * registry_url, branch_status, inactive, current_status, … opencorporates_url, … } } }") and public
 * client models of the same endpoint, e.g. CluedIn-io/CluedIn.Enricher.OpenCorporates
 * (src/Model/Company.cs, IndustryCodeItem.cs — `industry_codes: [{ industry_code: { code,
 * description, code_scheme_id, code_scheme_name, uid } }]`, Address.cs — `registered_address:
 * { street_address, locality, region, postal_code, country }`). `current_status` is the source
 * registry's own wording, so statuses are mapped by pattern, not by a closed list.
 */
import { z } from 'zod';
import { checkedBaseUrl, checkedTimeout } from './client-options.js';
import { DORMANT_SIC_CODE } from './companies-house.js';
import { normaliseCompanyNumber, normaliseJurisdiction } from './company-number.js';
import { RegistryRequestError } from './errors.js';
import { getRegistryJson, publicUrl } from './http-request.js';
import { isoDateSchema, optionalTextSchema, parseRegistryBody } from './parse-body.js';
import type {
  FetchCompanyOptions,
  OfficialCompanyRecord,
  OfficialCompanyStatus,
  RegisteredAddress,
  RegistryClient,
} from './record.js';

export const OPENCORPORATES_DEFAULT_URL = 'https://api.opencorporates.com/v0.4';
const LABEL = 'OpenCorporates';

/** The OpenCorporates code scheme of UK SIC 2007 industry codes, the only scheme we read. */
export const UK_SIC_2007_SCHEME = 'uk_sic_2007';

/**
 * Ordered rules from a registry's status wording to ours; the first match wins. Dissolution is
 * tested first ("Dissolved following liquidation" is dissolved), insolvency before activity
 * ("Active - in administration" is not trading normally). "Active - Proposal to Strike off"
 * stays active: the company exists until it is struck off.
 */
export const OPENCORPORATES_STATUS_RULES: readonly { pattern: RegExp; status: OfficialCompanyStatus }[] = [
  {
    pattern:
      /dissolved|struck[\s-]*off|removed|closed|cancel+ed|revoked|terminated|converted|merged|ceased|deregistered/,
    status: 'dissolved',
  },
  {
    pattern:
      /liquidat|winding[\s-]*up|wound[\s-]*up|receiver|administration|insolv|voluntary arrangement|bankrupt/,
    status: 'liquidation',
  },
  { pattern: /dormant/, status: 'dormant' },
  {
    pattern: /^(active|live|open|registered|current|good standing|in good standing|in existence|existing)\b/,
    status: 'active',
  },
];

/**
 * Maps OpenCorporates' `current_status` to ours by {@link OPENCORPORATES_STATUS_RULES}. With no
 * recognisable status, a `dissolution_date` means dissolved and `inactive: false` means active;
 * otherwise the status is `unknown` (never guessed as active). As for Companies House, an active
 * company with UK SIC 99999 ("Dormant Company") is `dormant`.
 */
export function mapOpenCorporatesStatus(
  currentStatus: string | undefined,
  evidence: {
    inactive?: boolean | null | undefined;
    dissolutionDate?: string | null | undefined;
    sicCodes?: readonly string[];
  } = {},
): OfficialCompanyStatus {
  const status = statusFromEvidence(currentStatus, evidence);
  return status === 'active' && evidence.sicCodes?.includes(DORMANT_SIC_CODE) ? 'dormant' : status;
}

function statusFromEvidence(
  currentStatus: string | undefined,
  evidence: { inactive?: boolean | null | undefined; dissolutionDate?: string | null | undefined },
): OfficialCompanyStatus {
  const text = currentStatus?.trim().toLowerCase().replace(/\s+/g, ' ');
  if (text) {
    const rule = OPENCORPORATES_STATUS_RULES.find((candidate) => candidate.pattern.test(text));
    if (rule) return rule.status;
  }
  if (evidence.dissolutionDate) return 'dissolved';
  if (evidence.inactive === false) return 'active';
  return 'unknown';
}

const registeredAddressSchema = z.object({
  street_address: optionalTextSchema,
  locality: optionalTextSchema,
  region: optionalTextSchema,
  postal_code: optionalTextSchema,
  country: optionalTextSchema,
});

const industryCodeSchema = z.object({
  industry_code: z.object({
    code: z.string().trim().min(1),
    code_scheme_id: optionalTextSchema,
    description: optionalTextSchema,
  }),
});

/** The part of an OpenCorporates v0.4 company response we read. */
export const openCorporatesCompanyResponseSchema = z.object({
  api_version: z.string().nullish(),
  results: z.object({
    company: z.object({
      name: z.string().trim().min(1),
      company_number: z.string().trim().min(1),
      jurisdiction_code: z.string().trim().min(1),
      incorporation_date: isoDateSchema.nullish(),
      dissolution_date: isoDateSchema.nullish(),
      current_status: optionalTextSchema,
      inactive: z.boolean().nullish(),
      registered_address: registeredAddressSchema.nullish(),
      registered_address_in_full: optionalTextSchema,
      industry_codes: z.array(industryCodeSchema).nullish(),
    }),
  }),
});
export type OpenCorporatesCompany = z.output<
  typeof openCorporatesCompanyResponseSchema
>['results']['company'];

function splitLines(text: string, separator: RegExp): string[] {
  return text
    .split(separator)
    .map((line) => line.trim())
    .filter(Boolean);
}

/**
 * The structured `registered_address` when present (its `street_address` is newline-separated);
 * otherwise the lines of `registered_address_in_full`, which OpenCorporates gives for registries
 * that publish the address as one string.
 */
function toRegisteredAddress(company: OpenCorporatesCompany): RegisteredAddress | null {
  const address = company.registered_address;
  if (address) {
    const result: RegisteredAddress = {
      lines: address.street_address ? splitLines(address.street_address, /\n/) : [],
    };
    if (address.locality) result.locality = address.locality;
    if (address.region) result.region = address.region;
    if (address.postal_code) result.postalCode = address.postal_code;
    if (address.country) result.country = address.country;
    if (result.lines.length > 0 || Object.keys(result).length > 1) return result;
  }
  if (company.registered_address_in_full) {
    return { lines: splitLines(company.registered_address_in_full, /\n|,/) };
  }
  return null;
}

/** UK SIC 2007 codes among the company's industry codes, in order, without duplicates. */
function ukSicCodes(company: OpenCorporatesCompany): string[] {
  const codes = (company.industry_codes ?? [])
    .map((item) => item.industry_code)
    .filter((code) => code.code_scheme_id === UK_SIC_2007_SCHEME)
    .map((code) => code.code);
  return [...new Set(codes)];
}

/** Maps a validated OpenCorporates company to our record. */
export function openCorporatesRecord(
  company: OpenCorporatesCompany,
  fetchedFrom: string,
  raw: unknown,
): OfficialCompanyRecord {
  const sicCodes = ukSicCodes(company);
  return {
    jurisdiction: company.jurisdiction_code.toLowerCase(),
    companyNumber: company.company_number,
    name: company.name,
    status: mapOpenCorporatesStatus(company.current_status, {
      inactive: company.inactive,
      dissolutionDate: company.dissolution_date,
      sicCodes,
    }),
    incorporationDate: company.incorporation_date ?? null,
    sicCodes,
    registeredAddress: toRegisteredAddress(company),
    source: 'opencorporates',
    fetchedFrom,
    raw,
  };
}

export interface OpenCorporatesClientOptions {
  /**
   * The API token, sent as `api_token`. api.opencorporates.com requires one; it is optional here
   * only for mirrors or proxies that authenticate by other means.
   */
  apiToken?: string;
  baseUrl?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * Creates a client for the OpenCorporates API v0.4 (any jurisdiction OpenCorporates covers).
 *
 * @example
 * const oc = createOpenCorporatesClient({ apiToken: process.env.OPENCORPORATES_API_TOKEN });
 * const result = await oc.fetchCompany('gb', '08957400');
 */
export function createOpenCorporatesClient(options: OpenCorporatesClientOptions = {}): RegistryClient {
  const apiToken = options.apiToken?.trim() || undefined;
  const baseUrl = checkedBaseUrl(options.baseUrl ?? OPENCORPORATES_DEFAULT_URL, 'baseUrl');
  const timeoutMs = checkedTimeout(options.timeoutMs);
  const doFetch = options.fetch ?? fetch;

  return {
    provider: 'opencorporates',
    async fetchCompany(jurisdiction: string, companyNumber: string, opts: FetchCompanyOptions = {}) {
      const code = normaliseJurisdiction(jurisdiction);
      if (code === null) {
        throw new RegistryRequestError(
          'opencorporates',
          'jurisdiction',
          null,
          `jurisdiction: "${jurisdiction}" is not an OpenCorporates jurisdiction code (e.g. gb, us_de)`,
        );
      }
      const number = normaliseCompanyNumber(code, companyNumber);
      if (number === null) {
        throw new RegistryRequestError(
          'opencorporates',
          'companyNumber',
          null,
          `companyNumber: "${companyNumber}" is not a valid company number for jurisdiction "${code}"`,
        );
      }
      const url = new URL(`${baseUrl}/companies/${encodeURIComponent(code)}/${encodeURIComponent(number)}`);
      if (apiToken) url.searchParams.set('api_token', apiToken);
      const outcome = await getRegistryJson({
        provider: 'opencorporates',
        label: LABEL,
        url,
        headers: {},
        secret: apiToken,
        credentialHint: apiToken
          ? 'OPENCORPORATES_API_TOKEN (and the plan and usage limits of its account)'
          : 'OPENCORPORATES_API_TOKEN (none is configured)',
        timeoutMs,
        signal: opts.signal,
        fetch: doFetch,
      });
      if (outcome.kind !== 'json') return outcome;
      const parsed = parseRegistryBody(openCorporatesCompanyResponseSchema, outcome.body, LABEL);
      if (!parsed.ok) return { kind: 'malformed', reason: parsed.reason };
      return {
        kind: 'found',
        record: openCorporatesRecord(parsed.data.results.company, publicUrl(url, apiToken), outcome.body),
      };
    },
  };
}
