/**
 * How long to wait before retrying a failed registry lookup. The clients never retry by
 * themselves: retries belong to Temporal's retry policies and to the in-process engine's retry
 * loop, which uses this function so both engines back off the same way.
 */
import { RegistryRateLimitedError, isRetryableRegistryError } from './errors.js';

export interface RetryDelayOptions {
  /** Ceiling of the first retry's delay; each further attempt doubles it (default 1 000 ms). */
  baseDelayMs?: number;
  /** Upper bound of the exponential backoff (default 60 000 ms); a longer `Retry-After` still wins. */
  maxDelayMs?: number;
  /** Uniform random source in [0, 1) for jitter (default `Math.random`); injectable for tests. */
  random?: () => number;
}

export const DEFAULT_RETRY_BASE_DELAY_MS = 1_000;
export const DEFAULT_RETRY_MAX_DELAY_MS = 60_000;

/**
 * The delay in milliseconds before retrying after `error` ended attempt number `attempt`
 * (1 for the first failure), or null when the error must not be retried.
 *
 * Exponential backoff with "equal jitter": the ceiling `min(max, base × 2^(attempt−1))` is halved
 * and a random share of the other half is added, so delays grow with the attempt, never collapse
 * to zero, and retries of many companies spread out instead of arriving together. A rate-limited
 * error's `retryAfterMs` is a floor: we never come back earlier than the registry asked.
 *
 * @example
 * const delay = retryDelayFor(error, attempt);
 * if (delay === null || attempt >= maxAttempts) throw error;
 * await sleep(delay);
 */
export function retryDelayFor(
  error: unknown,
  attempt: number,
  options: RetryDelayOptions = {},
): number | null {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(`attempt: must be an integer ≥ 1, got ${String(attempt)}`);
  }
  const base = options.baseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS;
  const max = options.maxDelayMs ?? DEFAULT_RETRY_MAX_DELAY_MS;
  if (!(Number.isFinite(base) && base >= 0)) throw new RangeError(`baseDelayMs: must be ≥ 0, got ${base}`);
  if (!(Number.isFinite(max) && max >= base)) {
    throw new RangeError(`maxDelayMs: must be ≥ baseDelayMs (${base}), got ${max}`);
  }
  if (!isRetryableRegistryError(error)) return null;

  const random = options.random ?? Math.random;
  // 2 ** attempt overflows to Infinity for huge attempts; Math.min keeps the ceiling finite.
  const ceiling = Math.min(max, base * 2 ** (attempt - 1));
  const backoff = ceiling / 2 + random() * (ceiling / 2);
  const floor = error instanceof RegistryRateLimitedError ? (error.retryAfterMs ?? 0) : 0;
  return Math.round(Math.max(floor, backoff));
}
