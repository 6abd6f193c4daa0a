/**
 * Retry schedule of deliveries: exponential with full jitter — attempt n+1 waits a uniformly random
 * time in [minMs, min(maxMs, baseMs · 2^(n−1))] after attempt n failed. Both dispatchers use it.
 */

export interface BackoffOptions {
  /** Ceiling of the first retry's wait. Default 60 000 ms (1 minute). */
  baseMs?: number;
  /** Cap of any wait. Default 14 400 000 ms (4 hours). */
  maxMs?: number;
  /** Floor of any wait (no immediate hammering). Default 1 000 ms; never above the ceiling. */
  minMs?: number;
}

export const DEFAULT_BACKOFF: Required<BackoffOptions> = {
  baseMs: 60_000,
  maxMs: 4 * 3_600_000,
  minMs: 1_000,
};

/** Attempts per delivery before it is `exhausted` (the first one included). */
export const DEFAULT_MAX_ATTEMPTS = 8;

/** The ceiling of the wait after failed attempt `attempt` (1-based). */
export function retryCeilingMs(attempt: number, options: BackoffOptions = {}): number {
  const { baseMs, maxMs } = { ...DEFAULT_BACKOFF, ...options };
  const exponent = Math.max(0, Math.min(attempt - 1, 40));
  return Math.min(maxMs, baseMs * 2 ** exponent);
}

/**
 * The wait after failed attempt `attempt` (1-based), in ms.
 *
 * @param random a number in [0, 1); `Math.random()` by default.
 */
export function retryDelayMs(attempt: number, options: BackoffOptions = {}, random = Math.random()): number {
  const ceiling = retryCeilingMs(attempt, options);
  const floor = Math.min(options.minMs ?? DEFAULT_BACKOFF.minMs, ceiling);
  return Math.round(floor + random * (ceiling - floor));
}
