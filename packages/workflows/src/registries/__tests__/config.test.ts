import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPANIES_HOUSE_DEFAULT_URL } from '../companies-house.js';
import { registryConfigFromEnv } from '../config-from-env.js';
import { createRegistryClient, type RegistryClientConfig } from '../create-client.js';
import { RegistryConfigError } from '../errors.js';
import { OPENCORPORATES_DEFAULT_URL } from '../opencorporates.js';
import {
  registryFixture,
  sendJson,
  startFakeRegistryServer,
  type FakeRegistryServer,
} from './fake-registry-server.js';

describe('registryConfigFromEnv', () => {
  it('returns null when no registry is configured (blank values count as unset)', () => {
    expect(registryConfigFromEnv({})).toBeNull();
    expect(registryConfigFromEnv({ COMPANIES_HOUSE_API_KEY: '  ', OPENCORPORATES_API_TOKEN: '' })).toBeNull();
  });

  it('chooses Companies House when only its key is set, with the default URL', () => {
    expect(registryConfigFromEnv({ COMPANIES_HOUSE_API_KEY: 'key' })).toEqual({
      provider: 'companies-house',
      apiKey: 'key',
      baseUrl: COMPANIES_HOUSE_DEFAULT_URL,
    });
  });

  it('chooses OpenCorporates when only its token or URL is set', () => {
    expect(registryConfigFromEnv({ OPENCORPORATES_API_TOKEN: 'token' })).toEqual({
      provider: 'opencorporates',
      apiToken: 'token',
      baseUrl: OPENCORPORATES_DEFAULT_URL,
    });
    expect(registryConfigFromEnv({ OPENCORPORATES_API_URL: 'http://oc-proxy.internal:8080/v0.4/' })).toEqual({
      provider: 'opencorporates',
      baseUrl: 'http://oc-proxy.internal:8080/v0.4',
    });
  });

  it('prefers Companies House when both are configured, unless REGISTRY_PROVIDER says otherwise', () => {
    const both = { COMPANIES_HOUSE_API_KEY: 'key', OPENCORPORATES_API_TOKEN: 'token' };
    expect(registryConfigFromEnv(both)?.provider).toBe('companies-house');
    expect(registryConfigFromEnv({ ...both, REGISTRY_PROVIDER: 'opencorporates' })).toEqual({
      provider: 'opencorporates',
      apiToken: 'token',
      baseUrl: OPENCORPORATES_DEFAULT_URL,
    });
  });

  it('reads the URL overrides and the timeout', () => {
    expect(
      registryConfigFromEnv({
        COMPANIES_HOUSE_API_KEY: 'key',
        COMPANIES_HOUSE_API_URL: 'http://127.0.0.1:4010',
        REGISTRY_TIMEOUT_MS: '2500',
      }),
    ).toEqual({
      provider: 'companies-house',
      apiKey: 'key',
      baseUrl: 'http://127.0.0.1:4010',
      timeoutMs: 2500,
    });
  });

  it.each([
    [{ REGISTRY_PROVIDER: 'dun-and-bradstreet' }, 'REGISTRY_PROVIDER'],
    [{ REGISTRY_PROVIDER: 'companies-house', OPENCORPORATES_API_TOKEN: 'token' }, 'COMPANIES_HOUSE_API_KEY'],
    [{ COMPANIES_HOUSE_API_KEY: 'key', COMPANIES_HOUSE_API_URL: 'not a url' }, 'COMPANIES_HOUSE_API_URL'],
    [
      { OPENCORPORATES_API_URL: 'https://api.opencorporates.com/v0.4?api_token=leaked' },
      'OPENCORPORATES_API_URL',
    ],
    [{ COMPANIES_HOUSE_API_KEY: 'key', REGISTRY_TIMEOUT_MS: '10s' }, 'REGISTRY_TIMEOUT_MS'],
    [{ COMPANIES_HOUSE_API_KEY: 'key', REGISTRY_TIMEOUT_MS: '0' }, 'REGISTRY_TIMEOUT_MS'],
  ])('throws a RegistryConfigError naming the variable for %j', (env, field) => {
    const error = (() => {
      try {
        registryConfigFromEnv(env);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(RegistryConfigError);
    expect(error).toMatchObject({ field, retryable: false });
    expect((error as Error).message.startsWith(`${field}: `)).toBe(true);
    expect((error as Error).message).not.toContain('leaked');
  });
});

describe('createRegistryClient', () => {
  let server: FakeRegistryServer;
  beforeAll(async () => {
    server = await startFakeRegistryServer();
  });
  afterAll(() => server.close());

  it('builds the client the configuration names, ready to use', async () => {
    server.handle((request, response) =>
      request.url.startsWith('/company/')
        ? sendJson(response, 200, registryFixture('companies-house/company-08957400-2024.json'))
        : sendJson(response, 200, registryFixture('opencorporates/company-gb-08957400.json')),
    );
    const configs: RegistryClientConfig[] = [
      { provider: 'companies-house', apiKey: 'key', baseUrl: server.baseUrl },
      { provider: 'opencorporates', apiToken: 'token', baseUrl: server.baseUrl },
    ];
    for (const config of configs) {
      const client = createRegistryClient(config);
      expect(client.provider).toBe(config.provider);
      const result = await client.fetchCompany('gb', '08957400');
      expect(result).toMatchObject({
        kind: 'found',
        record: { source: config.provider, name: 'CANDOUR GROUP LIMITED' },
      });
    }
  });

  it('builds a client straight from the environment', async () => {
    server.handle((_request, response) =>
      sendJson(response, 200, registryFixture('companies-house/company-08957400-2020.json')),
    );
    const config = registryConfigFromEnv({
      COMPANIES_HOUSE_API_KEY: 'key',
      COMPANIES_HOUSE_API_URL: server.baseUrl,
    });
    const result = await createRegistryClient(config!).fetchCompany('gb', '08957400');
    expect(result.kind).toBe('found');
  });

  it('refuses an unknown provider from untyped configuration, naming the field', () => {
    const untyped = JSON.parse('{"provider":"dnb"}') as RegistryClientConfig;
    expect(() => createRegistryClient(untyped)).toThrow(
      /^provider: must be "companies-house" or "opencorporates"/,
    );
  });
});
