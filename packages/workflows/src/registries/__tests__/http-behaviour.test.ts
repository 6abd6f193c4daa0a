/**
 * How both registry clients classify what the registry does over HTTP — the same rules for each
 * provider, against a real local server.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCompaniesHouseClient } from '../companies-house.js';
import {
  RegistryAuthError,
  RegistryRateLimitedError,
  RegistryRequestError,
  RegistryUnavailableError,
  isRetryableRegistryError,
} from '../errors.js';
import { createOpenCorporatesClient } from '../opencorporates.js';
import type { RegistryClient } from '../record.js';
import { sendJson, startFakeRegistryServer, type FakeRegistryServer } from './fake-registry-server.js';

const SECRET = 'S3cr3t-registry-credential-b41f';
const TIMEOUT_MS = 300;

interface ProviderCase {
  name: string;
  make(baseUrl: string, timeoutMs?: number): RegistryClient;
  hint: string;
}

const providers: ProviderCase[] = [
  {
    name: 'Companies House',
    make: (baseUrl, timeoutMs = TIMEOUT_MS) =>
      createCompaniesHouseClient({ apiKey: SECRET, baseUrl, timeoutMs }),
    hint: 'COMPANIES_HOUSE_API_KEY',
  },
  {
    name: 'OpenCorporates',
    make: (baseUrl, timeoutMs = TIMEOUT_MS) =>
      createOpenCorporatesClient({ apiToken: SECRET, baseUrl, timeoutMs }),
    hint: 'OPENCORPORATES_API_TOKEN',
  },
];

/** The error's message, stack and every own property, serialised: where a secret could leak. */
function everythingVisible(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return [error.message, error.stack ?? '', JSON.stringify(error), String(error.cause ?? '')].join('\n');
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the lookup to throw');
}

/** A port on 127.0.0.1 with nothing listening on it. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe.each(providers)('$name client over HTTP', ({ name, make, hint }) => {
  let server: FakeRegistryServer;
  let client: RegistryClient;

  beforeAll(async () => {
    server = await startFakeRegistryServer();
    client = make(server.baseUrl);
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
  });

  it('returns not-found for 404', async () => {
    server.handle((_request, response) =>
      sendJson(response, 404, { errors: [{ error: 'company-profile-not-found' }] }),
    );
    expect(await client.fetchCompany('gb', '00000001')).toEqual({ kind: 'not-found' });
  });

  it.each([401, 403])(
    'throws a non-retryable RegistryAuthError for %i, naming what to check',
    async (status) => {
      // The fake echoes the credential in its body: nothing from the body may reach the error.
      server.handle((_request, response) => sendJson(response, status, { error: `Invalid token ${SECRET}` }));
      const error = await failure(client.fetchCompany('gb', '08957400'));
      expect(error).toBeInstanceOf(RegistryAuthError);
      expect(error).toMatchObject({ name: 'RegistryAuthError', status, retryable: false });
      expect(isRetryableRegistryError(error)).toBe(false);
      expect((error as Error).message).toContain(`${name} `);
      expect((error as Error).message).toContain(`HTTP ${status}`);
      expect((error as Error).message).toContain(hint);
      expect(everythingVisible(error)).not.toContain(SECRET);
    },
  );

  it('throws RegistryRateLimitedError for 429 with Retry-After in seconds', async () => {
    server.handle((_request, response) => sendJson(response, 429, {}, { 'retry-after': '120' }));
    const error = await failure(client.fetchCompany('gb', '08957400'));
    expect(error).toBeInstanceOf(RegistryRateLimitedError);
    expect(error).toMatchObject({ name: 'RegistryRateLimitedError', retryAfterMs: 120_000, retryable: true });
    expect(isRetryableRegistryError(error)).toBe(true);
  });

  it('throws RegistryRateLimitedError for 429 with Retry-After as an HTTP date', async () => {
    const inTwoMinutes = new Date(Date.now() + 120_000).toUTCString();
    server.handle((_request, response) => sendJson(response, 429, {}, { 'retry-after': inTwoMinutes }));
    const error = await failure(client.fetchCompany('gb', '08957400'));
    expect(error).toBeInstanceOf(RegistryRateLimitedError);
    // HTTP dates have one-second resolution, so the wait is within the last second or so of 2 min.
    const { retryAfterMs } = error as RegistryRateLimitedError;
    expect(retryAfterMs).toBeGreaterThan(100_000);
    expect(retryAfterMs).toBeLessThanOrEqual(120_000);
  });

  it('throws RegistryRateLimitedError with a null wait when 429 gives no hint', async () => {
    server.handle((_request, response) => sendJson(response, 429, {}));
    const error = await failure(client.fetchCompany('gb', '08957400'));
    expect(error).toBeInstanceOf(RegistryRateLimitedError);
    expect((error as RegistryRateLimitedError).retryAfterMs).toBeNull();
  });

  it('falls back to X-Ratelimit-Reset (Unix seconds) when Retry-After is absent', async () => {
    const resetAt = Math.floor(Date.now() / 1000) + 300;
    server.handle((_request, response) =>
      sendJson(response, 429, {}, { 'x-ratelimit-reset': String(resetAt) }),
    );
    const error = await failure(client.fetchCompany('gb', '08957400'));
    const { retryAfterMs } = error as RegistryRateLimitedError;
    expect(retryAfterMs).toBeGreaterThan(250_000);
    expect(retryAfterMs).toBeLessThanOrEqual(300_000);
  });

  it.each([500, 502, 503])('throws a retryable RegistryUnavailableError for %i', async (status) => {
    server.handle((_request, response) => sendJson(response, status, { error: `upstream ${SECRET}` }));
    const error = await failure(client.fetchCompany('gb', '08957400'));
    expect(error).toBeInstanceOf(RegistryUnavailableError);
    expect(error).toMatchObject({
      name: 'RegistryUnavailableError',
      reason: 'http',
      status,
      retryable: true,
    });
    expect((error as Error).message).toContain(`HTTP ${status}`);
    expect(everythingVisible(error)).not.toContain(SECRET);
  });

  it('throws a non-retryable RegistryRequestError for another 4xx', async () => {
    server.handle((_request, response) => sendJson(response, 400, { error: 'bad request' }));
    const error = await failure(client.fetchCompany('gb', '08957400'));
    expect(error).toBeInstanceOf(RegistryRequestError);
    expect(error).toMatchObject({ status: 400, field: null, retryable: false });
    expect(everythingVisible(error)).not.toContain(SECRET);
  });

  it('throws RegistryUnavailableError(timeout) when the server never answers', async () => {
    server.handle(() => {
      /* never answers */
    });
    const error = await failure(client.fetchCompany('gb', '08957400'));
    expect(error).toBeInstanceOf(RegistryUnavailableError);
    expect(error).toMatchObject({ reason: 'timeout', status: null, retryable: true });
    expect((error as Error).message).toContain(`did not answer within ${TIMEOUT_MS} ms`);
    expect(everythingVisible(error)).not.toContain(SECRET);
  });

  it('applies the timeout to a body that stalls after the headers', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"company_name": "CANDOUR');
    });
    const error = await failure(client.fetchCompany('gb', '08957400'));
    expect(error).toMatchObject({ name: 'RegistryUnavailableError', reason: 'timeout' });
  });

  it('throws RegistryUnavailableError(network) when nothing listens', async () => {
    const unreachable = make(`http://127.0.0.1:${await closedPort()}`);
    const error = await failure(unreachable.fetchCompany('gb', '08957400'));
    expect(error).toBeInstanceOf(RegistryUnavailableError);
    expect(error).toMatchObject({ reason: 'network', status: null, retryable: true });
    expect((error as Error).message).toContain('ECONNREFUSED');
    expect(everythingVisible(error)).not.toContain(SECRET);
  });

  it("rethrows the caller's abort reason instead of reporting an outage", async () => {
    server.handle(() => {
      /* never answers */
    });
    const slowClient = make(server.baseUrl, 10_000);
    const controller = new AbortController();
    const cancelled = new Error('operation cancelled');
    const pending = failure(slowClient.fetchCompany('gb', '08957400', { signal: controller.signal }));
    // Abort once the request has reached the server, so the abort interrupts a real request.
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort(cancelled);
    expect(await pending).toBe(cancelled);
  });

  it('never puts the credential in a found record', async () => {
    server.handle((_request, response) =>
      sendJson(
        response,
        200,
        name === 'Companies House'
          ? { company_number: '08957400', company_name: 'CANDOUR GROUP LIMITED' }
          : {
              results: {
                company: {
                  name: 'CANDOUR GROUP LIMITED',
                  company_number: '08957400',
                  jurisdiction_code: 'gb',
                },
              },
            },
      ),
    );
    const result = await client.fetchCompany('gb', '08957400');
    expect(result.kind).toBe('found');
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });
});
