import type { GreenfinClient } from './client.js';
import { GreenfinApiError, GreenfinError, GreenfinTimeoutError } from './errors.js';
import type { paths as ApiPaths } from './generated/openapi.js';
import { deadline, parseRetryAfter, sleep } from './timing.js';

/** A long-running operation, as `GET /v1/operations/{id}` answers it. */
export type Operation =
  ApiPaths['/v1/operations/{id}']['get']['responses'][200]['content']['application/json'];
export type OperationStatus = Operation['status'];
export type SucceededOperation = Operation & { status: 'succeeded' };

/** The operation finished as `failed` or `canceled`; `problem` says why. */
export class OperationFailedError extends GreenfinError {
  override name = 'OperationFailedError';
  readonly operation: Operation;
  readonly problem: Operation['error'];

  constructor(operation: Operation) {
    const why = operation.error?.detail ?? operation.error?.title;
    super(`operation ${operation.id} (${operation.kind}) ${operation.status}${why ? `: ${why}` : ''}`);
    this.operation = operation;
    this.problem = operation.error;
  }
}

export interface WaitForOperationOptions {
  /** Give up (GreenfinTimeoutError) after this long; `Infinity` waits as long as it takes. */
  timeoutMs: number;
  /** Abort waiting (rejects with the signal's reason, an AbortError by default). */
  signal?: AbortSignal;
  /** Delay between polls when the API sends no `Retry-After`; doubles each poll. Default 1 s. */
  pollIntervalMs?: number;
  /** Cap on that backoff. Default 10 s. */
  maxPollIntervalMs?: number;
  /** Called with every state polled (progress bars). */
  onPoll?: (operation: Operation) => void;
}

/**
 * Polls an operation until it finishes. Resolves with it when it succeeded; rejects with
 * `OperationFailedError` (carrying its problem) when it failed or was canceled, with
 * `GreenfinTimeoutError` after `timeoutMs`, with the signal's reason when aborted, and with
 * `GreenfinApiError` when the API answers an error (after the client's own retries).
 * Between polls it waits the API's `Retry-After`, else a doubling interval.
 */
export async function waitForOperation(
  client: GreenfinClient,
  id: string,
  options: WaitForOperationOptions,
): Promise<SucceededOperation> {
  const { timeoutMs, pollIntervalMs = 1_000, maxPollIntervalMs = 10_000 } = options;
  const scope = deadline(
    options.signal,
    timeoutMs,
    () => new GreenfinTimeoutError(`operation ${id} did not finish within ${timeoutMs} ms`, timeoutMs),
  );
  try {
    let interval = pollIntervalMs;
    for (;;) {
      const { data, error, response } = await client.GET('/v1/operations/{id}', {
        params: { path: { id } },
        signal: scope.signal,
      });
      if (!data) throw new GreenfinApiError(response, error);
      options.onPoll?.(data);
      if (data.status === 'succeeded') return data as SucceededOperation;
      if (data.status === 'failed' || data.status === 'canceled') throw new OperationFailedError(data);
      await sleep(parseRetryAfter(response.headers.get('Retry-After')) ?? interval, scope.signal);
      interval = Math.min(maxPollIntervalMs, interval * 2);
    }
  } finally {
    scope.dispose();
  }
}

/** Asks the API to cancel an operation (202); it then finishes as `canceled` unless already done. */
export async function cancelOperation(
  client: GreenfinClient,
  id: string,
  options: { signal?: AbortSignal } = {},
): Promise<Operation> {
  const { data, error, response } = await client.POST('/v1/operations/{id}:cancel', {
    params: { path: { id } },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!data) throw new GreenfinApiError(response, error);
  return data;
}

/** The operation id in a `Location: /v1/operations/{id}` header (relative or absolute). */
export function operationIdFromLocation(location: string | null): string | undefined {
  if (!location) return undefined;
  const path = new URL(location, 'http://relative.invalid').pathname;
  const match = /\/v1\/operations\/([^/]+)$/.exec(path);
  return match ? decodeURIComponent(match[1]!) : undefined;
}
