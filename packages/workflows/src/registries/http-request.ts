/**
 * One GET to a registry and the classification of its outcome, shared by every provider:
 * 2xx → JSON body; 404 → not found; 401/403 → auth; 429 → rate limited; 5xx, timeouts and
 * network failures → unavailable; other 4xx → bad request. No retries here (see retry-delay.ts).
 */
import {
  RegistryAuthError,
  RegistryRateLimitedError,
  RegistryRequestError,
  RegistryUnavailableError,
} from './errors.js';
import { parseRateLimitReset, parseRetryAfter } from './retry-after.js';
import type { RegistryProvider } from './record.js';

export const DEFAULT_REGISTRY_TIMEOUT_MS = 10_000;

export interface RegistryHttpRequest {
  provider: RegistryProvider;
  /** Human name of the registry for messages ("Companies House"). */
  label: string;
  /** The full URL to call, credentials included where the provider needs them in the query. */
  url: URL;
  headers: Record<string, string>;
  /** The credential in use, scrubbed from any text that reaches an error message. */
  secret: string | undefined;
  /** What an operator should check when the registry rejects us (an environment variable). */
  credentialHint: string;
  timeoutMs: number;
  signal: AbortSignal | undefined;
  fetch: typeof fetch;
}

export type RegistryHttpOutcome =
  { kind: 'json'; body: unknown } | { kind: 'not-found' } | { kind: 'malformed'; reason: string };

/**
 * The URL with every credential removed: userinfo, the OpenCorporates `api_token` parameter, and
 * any parameter whose value is the secret. Safe for `fetchedFrom`, logs and messages.
 */
export function publicUrl(url: URL, secret?: string): string {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  copy.searchParams.delete('api_token');
  for (const [name, value] of [...copy.searchParams]) {
    if (secret && value === secret) copy.searchParams.delete(name);
  }
  return copy.href;
}

/** Replaces every occurrence of the secret (and its URL-encoded form) in `text`. */
export function scrubSecret(text: string, secret: string | undefined): string {
  if (!secret) return text;
  return text.split(secret).join('***').split(encodeURIComponent(secret)).join('***');
}

/** Performs the request and classifies the outcome; throws the `Registry*Error` that fits. */
export async function getRegistryJson(request: RegistryHttpRequest): Promise<RegistryHttpOutcome> {
  const { provider, label, secret } = request;
  const where = publicUrl(request.url, secret);
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;

  let response: Response;
  let text: string;
  try {
    response = await request.fetch(request.url, {
      method: 'GET',
      headers: { accept: 'application/json', ...request.headers },
      signal,
    });
    // Read inside the same try: a server that sends headers and then stalls the body must hit
    // the same timeout as one that never answers.
    text = await response.text();
  } catch (error) {
    // The caller's cancellation is not an outage: rethrow its reason so it is not retried.
    if (request.signal?.aborted) throw request.signal.reason;
    if (timeout.aborted) {
      throw new RegistryUnavailableError(
        provider,
        'timeout',
        null,
        `${label} did not answer within ${request.timeoutMs} ms (GET ${where})`,
      );
    }
    throw new RegistryUnavailableError(
      provider,
      'network',
      null,
      scrubSecret(`${label} could not be reached (GET ${where}): ${describeNetworkError(error)}`, secret),
    );
  }

  const status = response.status;
  if (status >= 200 && status < 300) {
    try {
      return { kind: 'json', body: JSON.parse(text) as unknown };
    } catch {
      const type = response.headers.get('content-type') ?? 'no content type';
      return {
        kind: 'malformed',
        reason: `${label} answered ${status} with a body that is not JSON (${type})`,
      };
    }
  }
  if (status === 404) return { kind: 'not-found' };
  if (status === 401 || status === 403) {
    const what = status === 401 ? 'rejected our credentials' : 'refused access';
    throw new RegistryAuthError(
      provider,
      status,
      `${label} ${what} (HTTP ${status}): check ${request.credentialHint}`,
    );
  }
  if (status === 429) {
    const now = Date.now();
    const retryAfterMs =
      parseRetryAfter(response.headers.get('retry-after'), now) ??
      parseRateLimitReset(response.headers.get('x-ratelimit-reset'), now);
    const when = retryAfterMs === null ? 'no retry time given' : `retry after ${retryAfterMs} ms`;
    throw new RegistryRateLimitedError(
      provider,
      retryAfterMs,
      `${label} rate limit reached (HTTP 429, ${when})`,
    );
  }
  if (status >= 500) {
    throw new RegistryUnavailableError(
      provider,
      'http',
      status,
      `${label} is unavailable (HTTP ${status} for GET ${where})`,
    );
  }
  throw new RegistryRequestError(
    provider,
    null,
    status,
    `${label} refused the request (HTTP ${status} for GET ${where})`,
  );
}

/** A short description of a fetch failure: undici hides the useful part in `cause`. */
function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' ? `${code} ${cause.message}` : cause.message;
  }
  return error.message;
}
