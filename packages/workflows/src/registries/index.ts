/**
 * Company-registry adapters used by the enrichment job: one {@link RegistryClient} interface,
 * Companies House and OpenCorporates behind it, classified errors and a shared retry delay.
 * See docs/registries.md.
 */
export {
  OFFICIAL_COMPANY_STATUSES,
  REGISTRY_PROVIDERS,
  type FetchCompanyOptions,
  type OfficialCompanyRecord,
  type OfficialCompanyStatus,
  type RegisteredAddress,
  type RegistryClient,
  type RegistryProvider,
  type RegistryResult,
} from './record.js';
export {
  NON_RETRYABLE_REGISTRY_ERROR_TYPES,
  RegistryAuthError,
  RegistryConfigError,
  RegistryError,
  RegistryRateLimitedError,
  RegistryRequestError,
  RegistryUnavailableError,
  isRetryableRegistryError,
  type UnavailableReason,
} from './errors.js';
export {
  DEFAULT_RETRY_BASE_DELAY_MS,
  DEFAULT_RETRY_MAX_DELAY_MS,
  retryDelayFor,
  type RetryDelayOptions,
} from './retry-delay.js';
export { parseRetryAfter } from './retry-after.js';
export { DEFAULT_REGISTRY_TIMEOUT_MS } from './http-request.js';
export {
  COMPANIES_HOUSE_DEFAULT_URL,
  COMPANIES_HOUSE_STATUS_MAP,
  createCompaniesHouseClient,
  mapCompaniesHouseStatus,
  type CompaniesHouseClientOptions,
} from './companies-house.js';
export {
  OPENCORPORATES_DEFAULT_URL,
  createOpenCorporatesClient,
  mapOpenCorporatesStatus,
  type OpenCorporatesClientOptions,
} from './opencorporates.js';
export { normaliseUkCompanyNumber } from './company-number.js';
export {
  createRegistryClient,
  type RegistryClientConfig,
  type RegistryTransportConfig,
} from './create-client.js';
export { REGISTRY_ENV_VARS, registryConfigFromEnv } from './config-from-env.js';
