import type { components } from './generated/openapi.js';

/** RFC 9457 problem details, as every Greenfin error response carries them. */
export type Problem = components['schemas']['Problem'];

/** Base of every error the SDK's helpers throw (the client itself returns `{ error }` instead). */
export class GreenfinError extends Error {
  override name = 'GreenfinError';
}

/**
 * A helper got an error response. `problem` is the RFC 9457 body when there was one; `requestId`
 * is the `X-Request-Id` the API answered with (quote it to support).
 */
export class GreenfinApiError extends GreenfinError {
  override name = 'GreenfinApiError';
  readonly status: number;
  readonly problem: Problem | undefined;
  readonly requestId: string | undefined;
  readonly response: Response;

  constructor(response: Response, body: unknown) {
    const problem = isProblem(body) ? body : undefined;
    super(
      `${response.status} ${problem?.title ?? response.statusText}${problem?.detail ? `: ${problem.detail}` : ''}`,
    );
    this.status = response.status;
    this.problem = problem;
    this.requestId = response.headers.get('X-Request-Id') ?? problem?.requestId ?? undefined;
    this.response = response;
  }
}

/** A helper gave up waiting: `timeoutMs` elapsed. */
export class GreenfinTimeoutError extends GreenfinError {
  override name = 'TimeoutError';
  readonly timeoutMs: number;

  constructor(message: string, timeoutMs: number) {
    super(message);
    this.timeoutMs = timeoutMs;
  }
}

/** A webhook's signature, timestamp or headers did not verify; do not trust its payload. */
export class WebhookVerificationError extends GreenfinError {
  override name = 'WebhookVerificationError';
}

export function isProblem(value: unknown): value is Problem {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Problem).title === 'string' &&
    typeof (value as Problem).status === 'number'
  );
}
