/**
 * The failures a registry lookup can throw, classified by what the caller should do next.
 *
 * Each class sets a stable `name`: when an activity throws one, Temporal records the name as the
 * failure's type, which is what a retry policy's `nonRetryableErrorTypes` matches. Messages never
 * contain credentials (they name the environment variable to check instead).
 */
import type { RegistryProvider } from './record.js';

/** Base class of every registry failure. `retryable` says whether trying again later can help. */
export abstract class RegistryError extends Error {
  abstract readonly retryable: boolean;
  constructor(
    /** The registry that failed, when the failure came from one. */
    readonly provider: RegistryProvider | null,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The registry rejected our credentials (HTTP 401) or refused access (HTTP 403). Retrying cannot
 * help until an operator fixes the configuration, so the whole enrichment operation fails.
 */
export class RegistryAuthError extends RegistryError {
  override readonly name = 'RegistryAuthError';
  readonly retryable = false;
  constructor(
    provider: RegistryProvider,
    readonly status: number,
    message: string,
  ) {
    super(provider, message);
  }
}

/**
 * The registry asked us to slow down (HTTP 429). `retryAfterMs` is how long it asked us to wait
 * (from `Retry-After`, or Companies House's `X-Ratelimit-Reset`), or null when it did not say.
 */
export class RegistryRateLimitedError extends RegistryError {
  override readonly name = 'RegistryRateLimitedError';
  readonly retryable = true;
  readonly status = 429;
  constructor(
    provider: RegistryProvider,
    readonly retryAfterMs: number | null,
    message: string,
  ) {
    super(provider, message);
  }
}

/** Why a registry was unavailable: an HTTP 5xx, no answer in time, or no connection at all. */
export type UnavailableReason = 'http' | 'timeout' | 'network';

/** The registry is failing or unreachable (5xx, timeout, network error): retry with backoff. */
export class RegistryUnavailableError extends RegistryError {
  override readonly name = 'RegistryUnavailableError';
  readonly retryable = true;
  constructor(
    provider: RegistryProvider,
    readonly reason: UnavailableReason,
    /** The HTTP status for `http`, otherwise null. */
    readonly status: number | null,
    message: string,
  ) {
    super(provider, message);
  }
}

/**
 * The lookup could not be made as asked: an invalid jurisdiction or company number, a
 * jurisdiction the provider does not hold, or an unexpected 4xx. Not retried; the enrichment job
 * fails that one company with this message.
 */
export class RegistryRequestError extends RegistryError {
  override readonly name = 'RegistryRequestError';
  readonly retryable = false;
  constructor(
    provider: RegistryProvider,
    /** The input field at fault (`jurisdiction`, `companyNumber`), or null for an HTTP status. */
    readonly field: string | null,
    readonly status: number | null,
    message: string,
  ) {
    super(provider, message);
  }
}

/** The registry configuration is invalid; `field` names the option or environment variable. */
export class RegistryConfigError extends RegistryError {
  override readonly name = 'RegistryConfigError';
  readonly retryable = false;
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(null, `${field}: ${message}`);
  }
}

/**
 * Error type names a Temporal retry policy must not retry
 * (`retry: { nonRetryableErrorTypes: [...NON_RETRYABLE_REGISTRY_ERROR_TYPES] }`).
 */
export const NON_RETRYABLE_REGISTRY_ERROR_TYPES = [
  'RegistryAuthError',
  'RegistryRequestError',
  'RegistryConfigError',
] as const;

/**
 * Whether trying the same lookup again later can succeed: true for rate limits and outages,
 * false for everything else (auth, bad requests, configuration, and errors that are not ours).
 *
 * @example
 * catch (e) { if (!isRetryableRegistryError(e)) throw e; await sleep(retryDelayFor(e, attempt)); }
 */
export function isRetryableRegistryError(
  error: unknown,
): error is RegistryRateLimitedError | RegistryUnavailableError {
  return error instanceof RegistryRateLimitedError || error instanceof RegistryUnavailableError;
}
