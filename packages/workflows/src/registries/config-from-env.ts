/**
 * Reading the registry configuration from environment variables (the worker's and the in-process
 * engine's only source of credentials).
 */
import { checkedBaseUrl, checkedTimeout } from './client-options.js';
import { COMPANIES_HOUSE_DEFAULT_URL } from './companies-house.js';
import type { RegistryClientConfig } from './create-client.js';
import { RegistryConfigError } from './errors.js';
import { OPENCORPORATES_DEFAULT_URL } from './opencorporates.js';
import { REGISTRY_PROVIDERS, type RegistryProvider } from './record.js';

/** The environment variables {@link registryConfigFromEnv} reads. */
export const REGISTRY_ENV_VARS = [
  'REGISTRY_PROVIDER',
  'COMPANIES_HOUSE_API_KEY',
  'COMPANIES_HOUSE_API_URL',
  'OPENCORPORATES_API_TOKEN',
  'OPENCORPORATES_API_URL',
  'REGISTRY_TIMEOUT_MS',
] as const;

type Env = Readonly<Record<string, string | undefined>>;

/** A set, non-blank variable, trimmed; blank counts as unset (compose files often leave `KEY=`). */
function read(env: Env, name: (typeof REGISTRY_ENV_VARS)[number]): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/**
 * The registry configuration from the environment, or null when no registry is configured (the
 * enrichment job then fails with a clear "not configured" problem; everything else still runs).
 *
 * - `REGISTRY_PROVIDER` (`companies-house` | `opencorporates`) chooses explicitly.
 * - Otherwise the configured one is used: Companies House when `COMPANIES_HOUSE_API_KEY` is set,
 *   OpenCorporates when `OPENCORPORATES_API_TOKEN` or `OPENCORPORATES_API_URL` is set; when both
 *   are, Companies House (the primary source for UK companies, free and OGL-licensed).
 * - `COMPANIES_HOUSE_API_URL` (default https://api.company-information.service.gov.uk),
 *   `OPENCORPORATES_API_URL` (default https://api.opencorporates.com/v0.4), `REGISTRY_TIMEOUT_MS`.
 *
 * @throws RegistryConfigError naming the variable that is invalid or missing.
 */
export function registryConfigFromEnv(env: Env = process.env): RegistryClientConfig | null {
  const explicit = read(env, 'REGISTRY_PROVIDER');
  if (explicit !== undefined && !(REGISTRY_PROVIDERS as readonly string[]).includes(explicit)) {
    throw new RegistryConfigError(
      'REGISTRY_PROVIDER',
      `must be one of ${REGISTRY_PROVIDERS.join(', ')}, got "${explicit}"`,
    );
  }
  const apiKey = read(env, 'COMPANIES_HOUSE_API_KEY');
  const apiToken = read(env, 'OPENCORPORATES_API_TOKEN');
  const ocUrl = read(env, 'OPENCORPORATES_API_URL');

  let provider: RegistryProvider;
  if (explicit !== undefined) provider = explicit as RegistryProvider;
  else if (apiKey !== undefined) provider = 'companies-house';
  else if (apiToken !== undefined || ocUrl !== undefined) provider = 'opencorporates';
  else return null;

  const timeoutText = read(env, 'REGISTRY_TIMEOUT_MS');
  let timeoutMs: number | undefined;
  if (timeoutText !== undefined) {
    if (!/^\d+$/.test(timeoutText)) {
      throw new RegistryConfigError(
        'REGISTRY_TIMEOUT_MS',
        `must be a whole number of milliseconds, got "${timeoutText}"`,
      );
    }
    timeoutMs = checkedTimeout(Number(timeoutText), 'REGISTRY_TIMEOUT_MS');
  }

  if (provider === 'companies-house') {
    if (apiKey === undefined) {
      throw new RegistryConfigError(
        'COMPANIES_HOUSE_API_KEY',
        'is required when REGISTRY_PROVIDER=companies-house',
      );
    }
    const baseUrl = checkedBaseUrl(
      read(env, 'COMPANIES_HOUSE_API_URL') ?? COMPANIES_HOUSE_DEFAULT_URL,
      'COMPANIES_HOUSE_API_URL',
    );
    return { provider, apiKey, baseUrl, ...(timeoutMs === undefined ? {} : { timeoutMs }) };
  }
  const baseUrl = checkedBaseUrl(ocUrl ?? OPENCORPORATES_DEFAULT_URL, 'OPENCORPORATES_API_URL');
  return {
    provider,
    baseUrl,
    ...(apiToken === undefined ? {} : { apiToken }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  };
}
