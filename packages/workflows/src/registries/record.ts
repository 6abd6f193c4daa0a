/**
 * What a company registry adapter returns: one official record, mapped from the provider's own
 * shape to ours, so the enrichment activity never needs to know which registry answered.
 */

/** The registries we can enrich from. */
export const REGISTRY_PROVIDERS = ['companies-house', 'opencorporates'] as const;
export type RegistryProvider = (typeof REGISTRY_PROVIDERS)[number];

/**
 * Our company status vocabulary (the same values as the API's `Company.status`). `liquidation`
 * covers every formal insolvency or rescue procedure (liquidation, administration, receivership,
 * voluntary arrangement…): for a lender they all mean "the company is not trading normally".
 */
export const OFFICIAL_COMPANY_STATUSES = [
  'active',
  'dormant',
  'liquidation',
  'dissolved',
  'unknown',
] as const;
export type OfficialCompanyStatus = (typeof OFFICIAL_COMPANY_STATUSES)[number];

/** A registered office address; empty parts are omitted, never empty strings. */
export interface RegisteredAddress {
  /** Street lines, most specific first (premises, street, area). */
  lines: string[];
  locality?: string;
  region?: string;
  postalCode?: string;
  country?: string;
}

/** A company's official record as held by a registry, mapped to our vocabulary. */
export interface OfficialCompanyRecord {
  /** OpenCorporates-style jurisdiction code (`gb`, `us_de`), lower case. */
  jurisdiction: string;
  /** The registry's own number for the company, as the registry returned it. */
  companyNumber: string;
  name: string;
  status: OfficialCompanyStatus;
  /** ISO `YYYY-MM-DD`, or null when the registry does not say. */
  incorporationDate: string | null;
  /** UK SIC 2007 codes (five digits), in the registry's order, without duplicates. */
  sicCodes: string[];
  registeredAddress: RegisteredAddress | null;
  source: RegistryProvider;
  /** The URL the record was read from, with every credential removed. */
  fetchedFrom: string;
  /** The registry's JSON body, unchanged (never contains our credentials). */
  raw?: unknown;
}

/**
 * The outcome of one lookup that the registry answered. Failures that say nothing about the
 * company (bad credentials, rate limits, outages) are thrown as `Registry*Error`s instead.
 */
export type RegistryResult =
  | { kind: 'found'; record: OfficialCompanyRecord }
  | { kind: 'not-found' }
  /** The registry answered 200 with a body we cannot trust; `reason` names the offending fields. */
  | { kind: 'malformed'; reason: string };

export interface FetchCompanyOptions {
  /** Cancels the request (activity cancellation, engine shutdown); the abort reason is rethrown. */
  signal?: AbortSignal;
}

/** Fetches official company records from one registry. Makes exactly one HTTP request per call. */
export interface RegistryClient {
  readonly provider: RegistryProvider;
  /**
   * Looks a company up by jurisdiction and registry number.
   * @throws RegistryAuthError, RegistryRateLimitedError, RegistryUnavailableError, RegistryRequestError
   */
  fetchCompany(
    jurisdiction: string,
    companyNumber: string,
    opts?: FetchCompanyOptions,
  ): Promise<RegistryResult>;
}
