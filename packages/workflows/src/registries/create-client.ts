/**
 * Choosing and building the registry client from configuration.
 */
import { createCompaniesHouseClient } from './companies-house.js';
import { RegistryConfigError } from './errors.js';
import { createOpenCorporatesClient } from './opencorporates.js';
import type { RegistryClient } from './record.js';

/** Options every provider takes. */
export interface RegistryTransportConfig {
  /** Overrides the provider's public API URL (a proxy, or a fake server in tests). */
  baseUrl?: string;
  /** Per-request timeout in milliseconds, covering connection, headers and body (default 10 000). */
  timeoutMs?: number;
  /** The fetch implementation (default: the global `fetch`). */
  fetch?: typeof fetch;
}

export type RegistryClientConfig =
  | ({ provider: 'companies-house'; apiKey: string } & RegistryTransportConfig)
  | ({ provider: 'opencorporates'; apiToken?: string } & RegistryTransportConfig);

/**
 * Creates the {@link RegistryClient} for the configured provider. Validates the configuration
 * up front and throws a {@link RegistryConfigError} naming the bad option.
 *
 * @example
 * const config = registryConfigFromEnv(process.env);
 * const registry = config ? createRegistryClient(config) : null;
 */
export function createRegistryClient(config: RegistryClientConfig): RegistryClient {
  const transport = { baseUrl: config.baseUrl, timeoutMs: config.timeoutMs, fetch: config.fetch };
  switch (config.provider) {
    case 'companies-house':
      return createCompaniesHouseClient({ ...transport, apiKey: config.apiKey });
    case 'opencorporates':
      return createOpenCorporatesClient({ ...transport, apiToken: config.apiToken });
    default: {
      // Reached only from untyped callers (JSON configuration).
      const provider: unknown = (config as { provider?: unknown }).provider;
      throw new RegistryConfigError(
        'provider',
        `must be "companies-house" or "opencorporates", got ${JSON.stringify(provider)}`,
      );
    }
  }
}
