import { Webhook } from 'standardwebhooks';
import { WebhookVerificationError } from './errors.js';

/** Request headers as a Fetch `Headers`, or a plain record (Node's `IncomingHttpHeaders`, Express). */
export type WebhookHeaders = Headers | Record<string, string | readonly string[] | undefined>;

/**
 * Verifies a Greenfin webhook per Standard Webhooks (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature`: HMAC-SHA256 over `id.timestamp.body`, timestamps within 5 minutes) and
 * returns its parsed JSON payload. Give the raw body exactly as received (a string or bytes; not
 * re-serialised JSON) and the endpoint's `whsec_…` secret. Throws `WebhookVerificationError` when
 * it does not verify. Pure JavaScript: runs in browsers, workers, edge runtimes and Node.
 */
export function verifyWebhook<T = unknown>(
  payload: string | Uint8Array,
  headers: WebhookHeaders,
  secret: string,
): T {
  const body = typeof payload === 'string' ? payload : new TextDecoder().decode(payload);
  const webhook = new Webhook(secret);
  try {
    return webhook.verify(body, headerRecord(headers)) as T;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new WebhookVerificationError(`webhook did not verify: ${reason}`, { cause: error });
  }
}

function headerRecord(headers: WebhookHeaders): Record<string, string> {
  const record: Record<string, string> = {};
  if (typeof (headers as Headers).forEach === 'function' && typeof (headers as Headers).get === 'function') {
    (headers as Headers).forEach((value, name) => (record[name.toLowerCase()] = value));
    return record;
  }
  for (const [name, value] of Object.entries(
    headers as Record<string, string | readonly string[] | undefined>,
  )) {
    if (value === undefined) continue;
    // Repeated signature headers carry several signatures; Standard Webhooks separates them by spaces.
    record[name.toLowerCase()] = typeof value === 'string' ? value : value.join(' ');
  }
  return record;
}
