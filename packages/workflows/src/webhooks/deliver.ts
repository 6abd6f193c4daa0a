/**
 * One delivery attempt, the same under both dispatchers: re-check the URL (DNS rebinding), sign
 * the body, POST it with a timeout to the addresses just checked, and record what happened.
 *
 * - 2xx → `succeeded`.
 * - 410 Gone → the delivery `failed` and its endpoint is disabled; no more attempts.
 * - anything else (other status, timeout, network error, a URL now refused) → retried with
 *   backoff; after the last attempt → `exhausted`, kept for replay.
 */
import http from 'node:http';
import https from 'node:https';
import type { LookupAddress } from 'node:dns';
import type { ActivityMetrics, WebhookDeliveryOutcome } from '../observability/metrics.js';
import { DEFAULT_MAX_ATTEMPTS, retryDelayMs, type BackoffOptions } from './backoff.js';
import { WebhookUrlError } from './errors.js';
import { serializePayload } from './events.js';
import { signWebhook } from './signing.js';
import type { ClaimedDelivery, DeliveryRef, WebhookStore } from './store.js';
import { parseWebhookUrl, pinnedLookup, resolveWebhookHost, type UrlGuardOptions } from './url-guard.js';

/** How deliveries are attempted (both dispatchers take these). */
export interface DeliveryOptions extends UrlGuardOptions {
  /** Attempts before a delivery is `exhausted`, the first included. Default 8. */
  maxAttempts?: number;
  backoff?: BackoffOptions;
  /** Per-attempt timeout (connect to last byte of the response head). Default 10 000 ms. */
  timeoutMs?: number;
  /** `User-Agent` header. */
  userAgent?: string;
  /** A number in [0, 1) for the jitter; `Math.random` by default. */
  random?: () => number;
  /** Counts attempts by outcome (`greenfin_webhook_deliveries_total`). */
  metrics?: Pick<ActivityMetrics, 'webhookDelivery'>;
}

export interface WebhookLogger {
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
  error(message: string, attributes?: Record<string, unknown>): void;
}

export const silentWebhookLogger: WebhookLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_USER_AGENT = 'Greenfin-Webhooks/1';
/** Response bytes read (to quote in `last_error`); the rest is discarded. */
const MAX_RESPONSE_BYTES = 2048;

/** What one attempt came to. */
export type AttemptOutcome =
  | { kind: 'succeeded'; statusCode: number }
  | { kind: 'retry'; statusCode: number | null; error: string; delayMs: number }
  | { kind: 'exhausted'; statusCode: number | null; error: string }
  | { kind: 'gone'; statusCode: 410 }
  | { kind: 'failed'; statusCode: number | null; error: string }
  /** The attempt's claim was lost (replayed meanwhile): nothing recorded. */
  | { kind: 'stale' };

/** The HTTP response, as far as an attempt cares. */
export interface PostResult {
  statusCode: number;
  body: string;
}

/**
 * POSTs `body` to `url`, connecting only to `addresses`; never follows redirects.
 *
 * @throws on timeout or network failure (the message says which).
 */
export function postWebhook(
  url: URL,
  addresses: readonly LookupAddress[],
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<PostResult> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<PostResult>((resolve, reject) => {
    const request = transport.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinnedLookup(addresses),
        signal: AbortSignal.timeout(timeoutMs),
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < MAX_RESPONSE_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () =>
          resolve({
            statusCode: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_RESPONSE_BYTES),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', (error: Error & { code?: string }) => {
      if (error.name === 'AbortError' || error.name === 'TimeoutError') {
        reject(new Error(`no response within ${timeoutMs} ms`));
      } else {
        reject(new Error(error.code ? `${error.code}: ${error.message}` : error.message));
      }
    });
    request.end(body);
  });
}

/**
 * Attempts a claimed delivery and records the outcome in the store.
 *
 * @param final true when this is the last attempt BullMQ will make, even if the row counts fewer.
 */
export async function attemptDelivery(
  store: WebhookStore,
  claimed: ClaimedDelivery,
  options: DeliveryOptions = {},
  final = false,
): Promise<AttemptOutcome> {
  const outcome = await attempt(store, claimed, options, final);
  const counted = METRIC_OUTCOME[outcome.kind];
  if (counted && options.metrics) {
    try {
      options.metrics.webhookDelivery(counted);
    } catch {
      // metrics never fail a delivery
    }
  }
  return outcome;
}

/**
 * An attempt's outcome as counted: `failed` is a 410 Gone (the delivery failed and its endpoint
 * was disabled), `disabled` an attempt skipped because its endpoint was already disabled; a stale
 * attempt (claim lost to a replay) is not counted.
 */
const METRIC_OUTCOME: Record<AttemptOutcome['kind'], WebhookDeliveryOutcome | null> = {
  succeeded: 'succeeded',
  retry: 'retry',
  exhausted: 'exhausted',
  gone: 'failed',
  failed: 'disabled',
  stale: null,
};

async function attempt(
  store: WebhookStore,
  claimed: ClaimedDelivery,
  options: DeliveryOptions,
  final: boolean,
): Promise<AttemptOutcome> {
  const { delivery, endpoint } = claimed;
  const ref: DeliveryRef = { id: delivery.id, generation: delivery.generation };
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;

  if (endpoint.status !== 'active') {
    const error = 'the endpoint is disabled';
    return (await store.recordFailed(ref, null, error))
      ? { kind: 'failed', statusCode: null, error }
      : { kind: 'stale' };
  }

  let statusCode: number | null = null;
  let error: string;
  try {
    const url = parseWebhookUrl(endpoint.url, options);
    const addresses = await resolveWebhookHost(url, options);
    const body = serializePayload(delivery.payload);
    const headers = {
      'content-type': 'application/json',
      'user-agent': options.userAgent ?? DEFAULT_USER_AGENT,
      ...signWebhook(endpoint.secret, delivery.id, new Date(), body),
    };
    const response = await postWebhook(
      url,
      addresses,
      headers,
      body,
      options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    );
    statusCode = response.statusCode;
    if (statusCode >= 200 && statusCode < 300) {
      return (await store.recordSuccess(ref, statusCode))
        ? { kind: 'succeeded', statusCode }
        : { kind: 'stale' };
    }
    if (statusCode === 410) {
      const reason = 'the receiver answered 410 Gone';
      return (await store.recordGone(ref, endpoint.id, 410, reason))
        ? { kind: 'gone', statusCode: 410 }
        : { kind: 'stale' };
    }
    const snippet = response.body.trim().replace(/\s+/g, ' ').slice(0, 200);
    error = `the receiver answered ${statusCode}${snippet ? `: ${snippet}` : ''}`;
  } catch (caught) {
    error =
      caught instanceof WebhookUrlError
        ? `refused: ${caught.message}`
        : caught instanceof Error
          ? caught.message
          : String(caught);
  }

  if (final || delivery.attempts >= maxAttempts) {
    return (await store.recordExhausted(ref, statusCode, error))
      ? { kind: 'exhausted', statusCode, error }
      : { kind: 'stale' };
  }
  const delayMs = retryDelayMs(delivery.attempts, options.backoff, (options.random ?? Math.random)());
  return (await store.recordRetry(ref, statusCode, error, delayMs))
    ? { kind: 'retry', statusCode, error, delayMs }
    : { kind: 'stale' };
}
