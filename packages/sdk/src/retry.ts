import { parseRetryAfter, sleep } from './timing.js';

export interface RetryOptions {
  /** Retries after the first attempt (0 disables retrying). Default 2. */
  limit?: number;
  /** First backoff delay when the answer has no `Retry-After`; doubles per retry. Default 250 ms. */
  baseDelayMs?: number;
  /** Cap on the exponential backoff. Default 8 s. */
  maxDelayMs?: number;
  /** A `Retry-After` longer than this is not waited for: the response is returned. Default 60 s. */
  maxRetryAfterMs?: number;
}

export type RetryPolicy = Required<RetryOptions>;

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  limit: 2,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
};

export function retryPolicy(retries: number | RetryOptions | undefined): RetryPolicy {
  if (typeof retries === 'number') return { ...DEFAULT_RETRY_POLICY, limit: retries };
  return { ...DEFAULT_RETRY_POLICY, ...retries };
}

/** Statuses that mean "try again later": rate limited, temporarily unavailable. */
const RETRY_STATUSES = new Set([429, 503]);
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

/**
 * Whether re-sending cannot do a thing twice: an idempotent method, or a POST carrying an
 * `Idempotency-Key` (the API replays the first response for the same key and body).
 */
export function isRetryable(request: Request): boolean {
  return (
    IDEMPOTENT_METHODS.has(request.method) ||
    (request.method === 'POST' && request.headers.has('Idempotency-Key'))
  );
}

/** Exponential backoff with equal jitter: between half and all of min(cap, base·2^retry). */
export function backoffDelay(policy: RetryPolicy, retry: number, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return ceiling / 2 + random() * (ceiling / 2);
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

/**
 * Wraps a fetch so that retryable requests are sent again on 429, 503 and network errors, waiting
 * `Retry-After` when the server gives one and a capped exponential backoff otherwise. It wraps
 * the transport rather than sitting in the middleware chain because it must re-send exactly what
 * went on the wire, after every middleware ran (same headers, same `X-Request-Id`), and a Request
 * body can be read only once: each attempt sends a clone. The request's signal cancels waiting.
 */
export function retryingFetch(
  fetch: (request: Request) => Promise<Response>,
  policy: RetryPolicy,
): (request: Request) => Promise<Response> {
  return async (request) => {
    if (policy.limit <= 0 || !isRetryable(request)) return fetch(request);
    for (let retry = 0; ; retry++) {
      const last = retry >= policy.limit;
      let response: Response;
      try {
        response = await fetch(last ? request : request.clone());
      } catch (error) {
        if (last || request.signal.aborted || isAbort(error)) throw error;
        await sleep(backoffDelay(policy, retry), request.signal);
        continue;
      }
      if (last || !RETRY_STATUSES.has(response.status)) return response;
      const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
      if (retryAfter !== undefined && retryAfter > policy.maxRetryAfterMs) return response;
      // Free the connection; a body that already failed needs no cancelling.
      await response.body?.cancel().catch(() => undefined);
      await sleep(retryAfter ?? backoffDelay(policy, retry), request.signal);
    }
  };
}
