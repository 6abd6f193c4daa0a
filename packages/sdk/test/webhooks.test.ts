/** verifyWebhook against payloads signed with standardwebhooks' own Webhook.sign. */
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { verifyWebhook, WebhookVerificationError } from '../src/index.js';

const secret = `whsec_${btoa('greenfin-webhook-secret-0123456789')}`;
const otherSecret = `whsec_${btoa('someone-else-entirely-9876543210')}`;
const payload = JSON.stringify({
  type: 'operation.succeeded',
  timestamp: '2026-12-01T21:00:00.000Z',
  data: { id: 'op-1', kind: 'report', status: 'succeeded' },
});

function signed(body: string, at = new Date(), key = secret) {
  const id = 'msg_2Kx0Y7';
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(key).sign(id, at, body),
  };
}

const rejection = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected verifyWebhook to throw');
};

describe('verifyWebhook', () => {
  it('returns the parsed payload of a correctly signed webhook', () => {
    expect(verifyWebhook(payload, signed(payload), secret)).toEqual(JSON.parse(payload));
  });

  it('takes Fetch Headers, Node-style mixed-case records and raw bytes', () => {
    const headers = signed(payload);
    expect(verifyWebhook(new TextEncoder().encode(payload), new Headers(headers), secret)).toEqual(
      JSON.parse(payload),
    );
    const nodeStyle = {
      'Webhook-Id': headers['webhook-id'],
      'Webhook-Timestamp': headers['webhook-timestamp'],
      'Webhook-Signature': [`v1,${btoa('not-this-one')}`, headers['webhook-signature']],
      host: 'lender.example',
      'x-absent': undefined,
    };
    expect(verifyWebhook(Buffer.from(payload), nodeStyle, secret)).toEqual(JSON.parse(payload));
  });

  it('rejects a tampered payload', () => {
    const tampered = payload.replace('succeeded"}', 'failed"}');
    expect(tampered).not.toBe(payload);
    const error = rejection(() => verifyWebhook(tampered, signed(payload), secret));
    expect(error).toBeInstanceOf(WebhookVerificationError);
    expect((error as Error).message).toMatch(/No matching signature/);
  });

  it('rejects a webhook signed with another secret', () => {
    const error = rejection(() => verifyWebhook(payload, signed(payload, new Date(), otherSecret), secret));
    expect(error).toBeInstanceOf(WebhookVerificationError);
  });

  it('rejects a stale timestamp (more than 5 minutes old), even correctly signed', () => {
    const stale = new Date(Date.now() - 10 * 60_000);
    const error = rejection(() => verifyWebhook(payload, signed(payload, stale), secret));
    expect(error).toBeInstanceOf(WebhookVerificationError);
    expect((error as Error).message).toMatch(/too old/);
    // Four minutes is within tolerance.
    expect(verifyWebhook(payload, signed(payload, new Date(Date.now() - 4 * 60_000)), secret)).toBeTruthy();
  });

  it('rejects missing signature headers', () => {
    const { 'webhook-signature': _dropped, ...unsigned } = signed(payload);
    expect(rejection(() => verifyWebhook(payload, unsigned, secret))).toBeInstanceOf(
      WebhookVerificationError,
    );
  });
});
