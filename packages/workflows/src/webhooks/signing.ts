/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): endpoint secrets are `whsec_` +
 * base64 of random bytes; every delivery carries `webhook-id` (the delivery id, the same on every
 * retry, for receivers to de-duplicate), `webhook-timestamp` (seconds, per attempt) and
 * `webhook-signature` (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`).
 */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** Prefix of every endpoint secret. */
export const SECRET_PREFIX = 'whsec_';
/** Random bytes in a secret (the spec asks for 24 to 64). */
const SECRET_BYTES = 32;

/** A new endpoint secret: `whsec_` + base64 of 32 random bytes. */
export function generateWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;
}

/** The three Standard Webhooks headers of one attempt. */
export interface SignatureHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * Signs `body` (the exact bytes sent) as message `id` at `at`.
 *
 * @example const headers = signWebhook(endpoint.secret, delivery.id, new Date(), body);
 */
export function signWebhook(secret: string, id: string, at: Date, body: string): SignatureHeaders {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, at, body),
  };
}
