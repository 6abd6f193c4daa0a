/**
 * Webhook delivery end to end on both dispatchers — in-process (PostgreSQL timer loop) and BullMQ
 * (real Redis, a queue and key prefix of its own) — against a real PostgreSQL database and a real
 * HTTP receiver on 127.0.0.1 (so private URLs are allowed here; the guard is tested below and in
 * webhooks.url-guard.test.ts).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OperationStore } from '../src/operations/store.js';
import { retryCeilingMs, retryDelayMs } from '../src/webhooks/backoff.js';
import { createBullMqDispatcher } from '../src/webhooks/bullmq-dispatcher.js';
import { attemptDelivery } from '../src/webhooks/deliver.js';
import type { WebhookDispatcher } from '../src/webhooks/dispatcher.js';
import { WebhookEndpoints } from '../src/webhooks/endpoints.js';
import { WebhookReplayError, WebhookUrlError } from '../src/webhooks/errors.js';
import { createInProcessDispatcher } from '../src/webhooks/in-process-dispatcher.js';
import { createWebhookNotifier, type WebhookNotifier } from '../src/webhooks/notifier.js';
import { WebhookStore, type WebhookDelivery } from '../src/webhooks/store.js';
import type { DeliveryOptions } from '../src/webhooks/deliver.js';
import type { Pool } from 'pg';
import { createTestDatabase, pollUntil, type TestDatabase } from './support/database.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const RUN = randomBytes(5).toString('hex');
const PREFIX = `greenfin-test-${RUN}`;

/** Tiny backoff and 3 attempts, so retries and exhaustion take milliseconds. */
const DELIVERY: DeliveryOptions = {
  allowPrivateUrls: true,
  maxAttempts: 3,
  backoff: { baseMs: 10, maxMs: 40, minMs: 5 },
  timeoutMs: 3_000,
};

/** Stands in for a process that died right after inserting its deliveries. */
const deadDispatcher: WebhookDispatcher = {
  name: 'in-process',
  dispatch: async () => undefined,
  start: async () => undefined,
  close: async () => undefined,
};

const kinds = [
  {
    name: 'in-process',
    make: (pool: Pool) => createInProcessDispatcher({ pool, pollIntervalMs: 25, ...DELIVERY }),
  },
  {
    name: 'bullmq',
    make: (pool: Pool) =>
      createBullMqDispatcher({
        pool,
        redis: REDIS_URL,
        prefix: PREFIX,
        queueName: `deliveries-${RUN}`,
        ...DELIVERY,
      }),
  },
] as const;

afterAll(async () => {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${PREFIX}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
});

const settled = (d: WebhookDelivery | null) =>
  d !== null && ['succeeded', 'failed', 'exhausted'].includes(d.status);

describe.each(kinds)('webhook delivery ($name dispatcher)', ({ make }) => {
  let db: TestDatabase;
  let receiver: WebhookReceiver;
  let dispatcher: WebhookDispatcher;
  let notifier: WebhookNotifier;
  let endpoints: WebhookEndpoints;
  let store: WebhookStore;
  let operations: OperationStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    receiver = await startWebhookReceiver();
    dispatcher = make(db.pool);
    await dispatcher.start();
    notifier = createWebhookNotifier({ pool: db.pool, dispatcher });
    endpoints = new WebhookEndpoints(db.pool, { allowPrivateUrls: true });
    store = new WebhookStore(db.pool);
    operations = new OperationStore(db.pool);
  });
  afterAll(async () => {
    await dispatcher?.close();
    await receiver?.close();
    await db?.drop();
  });

  /** A tenant with one endpoint at its own receiver path, and a succeeded report operation. */
  async function tenant(events: string[] = ['operation.succeeded', 'operation.failed', 'report.ready']) {
    const org = randomUUID();
    const path = `/hook-${randomUUID()}`;
    const { endpoint, secret } = await endpoints.create(org, { url: receiver.url(path), events });
    const { operation } = await operations.create({
      organizationId: org,
      kind: 'report',
      input: { loanSimulationId: randomUUID() },
      engine: 'in-process',
    });
    await operations.succeed(org, operation.id, {
      result: { ok: true },
      resourceLocation: '/v1/reports/r-1',
    });
    return { org, path, endpoint, secret, operationId: operation.id };
  }

  async function onlyDelivery(org: string, endpointId: string): Promise<WebhookDelivery> {
    const page = await store.listDeliveries(org, endpointId);
    expect(page.items).toHaveLength(1);
    return page.items[0] as WebhookDelivery;
  }

  const untilSettled = (id: string) => pollUntil(() => store.findDelivery(id), settled);

  it('POSTs a Standard Webhooks signed payload that verifies with the endpoint secret', async () => {
    const t = await tenant();
    await notifier.notify({
      organizationId: t.org,
      operationId: t.operationId,
      event: 'report.ready',
      resourceLocation: '/v1/reports/r-1',
    });
    const delivery = await onlyDelivery(t.org, t.endpoint.id);
    const done = await untilSettled(delivery.id);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 1, lastStatusCode: 200, lastError: null });
    expect(done?.deliveredAt).toBeInstanceOf(Date);

    const [request] = receiver.requestsTo(t.path);
    expect(receiver.requestsTo(t.path)).toHaveLength(1);
    if (!request) throw new Error('no request');
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['webhook-id']).toBe(delivery.id);
    const headers = {
      'webhook-id': String(request.headers['webhook-id']),
      'webhook-timestamp': String(request.headers['webhook-timestamp']),
      'webhook-signature': String(request.headers['webhook-signature']),
    };
    expect(t.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const payload = new Webhook(t.secret).verify(request.body, headers);
    expect(payload).toEqual({
      type: 'report.ready',
      timestamp: delivery.payload.timestamp,
      data: {
        operationId: t.operationId,
        kind: 'report',
        status: 'succeeded',
        operationLocation: `/v1/operations/${t.operationId}`,
        resourceLocation: '/v1/reports/r-1',
      },
    });
    expect(Object.keys(JSON.parse(request.body) as object)).toEqual(['type', 'timestamp', 'data']);
    // Another secret, or a tampered body, does not verify.
    const other = (await endpoints.create(t.org, { url: receiver.url('/x'), events: ['alert.raised'] }))
      .secret;
    expect(() => new Webhook(other).verify(request.body, headers)).toThrow();
    expect(() => new Webhook(t.secret).verify(request.body.replace('report', 'rep0rt'), headers)).toThrow();
  });

  it('enqueues once per endpoint however often notify is retried, and only for subscribed active endpoints of the tenant', async () => {
    const t = await tenant();
    const second = await endpoints.create(t.org, {
      url: receiver.url(`${t.path}-2`),
      events: ['operation.succeeded'],
    });
    const unsubscribed = await endpoints.create(t.org, {
      url: receiver.url(`${t.path}-3`),
      events: ['report.ready'],
    });
    const stranger = await endpoints.create(randomUUID(), {
      url: receiver.url(`${t.path}-4`),
      events: ['operation.succeeded'],
    });
    const event = {
      organizationId: t.org,
      operationId: t.operationId,
      event: 'operation.succeeded' as const,
    };
    await Promise.all([notifier.notify(event), notifier.notify(event), notifier.notify(event)]);
    await notifier.notify(event);

    const first = await onlyDelivery(t.org, t.endpoint.id);
    const other = await onlyDelivery(t.org, second.endpoint.id);
    await untilSettled(first.id);
    await untilSettled(other.id);
    await new Promise((resolve) => setTimeout(resolve, 150)); // room for any duplicate to arrive
    expect(receiver.requestsTo(t.path)).toHaveLength(1);
    expect(receiver.requestsTo(`${t.path}-2`)).toHaveLength(1);
    expect((await store.listDeliveries(t.org, unsubscribed.endpoint.id)).items).toEqual([]);
    expect(
      (await store.listDeliveries(stranger.endpoint.organizationId, stranger.endpoint.id)).items,
    ).toEqual([]);
    expect(receiver.requestsTo(`${t.path}-3`)).toHaveLength(0);
    expect(receiver.requestsTo(`${t.path}-4`)).toHaveLength(0);
  });

  it('retries a 500 with backoff and succeeds on the next attempt, with the same webhook-id', async () => {
    const t = await tenant();
    receiver.script(t.path, [500]);
    await notifier.notify({
      organizationId: t.org,
      operationId: t.operationId,
      event: 'operation.succeeded',
    });
    const delivery = await onlyDelivery(t.org, t.endpoint.id);
    expect(await untilSettled(delivery.id)).toMatchObject({
      status: 'succeeded',
      attempts: 2,
      lastStatusCode: 200,
    });
    const requests = receiver.requestsTo(t.path);
    expect(requests).toHaveLength(2);
    expect(requests.map((r) => r.headers['webhook-id'])).toEqual([delivery.id, delivery.id]);
    for (const r of requests) {
      expect(() => new Webhook(t.secret).verify(r.body, r.headers as Record<string, string>)).not.toThrow();
    }
  });

  it('disables the endpoint on 410 Gone and fails the delivery without retrying', async () => {
    const t = await tenant();
    receiver.script(t.path, [410]);
    await notifier.notify({
      organizationId: t.org,
      operationId: t.operationId,
      event: 'operation.succeeded',
    });
    const delivery = await onlyDelivery(t.org, t.endpoint.id);
    expect(await untilSettled(delivery.id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastStatusCode: 410,
    });
    expect(await endpoints.get(t.org, t.endpoint.id)).toMatchObject({
      status: 'disabled',
      disabledReason: 'the receiver answered 410 Gone',
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(receiver.requestsTo(t.path)).toHaveLength(1);
    // A disabled endpoint gets no new deliveries, and its failed one cannot be replayed.
    await notifier.notify({ organizationId: t.org, operationId: t.operationId, event: 'report.ready' });
    expect((await store.listDeliveries(t.org, t.endpoint.id)).items).toHaveLength(1);
    await expect(notifier.replay(t.org, delivery.id)).rejects.toThrow(/endpoint is disabled/);
  });

  it('exhausts a delivery after maxAttempts failures, keeps it, and replays it on request', async () => {
    const t = await tenant();
    receiver.script(t.path, [], 503);
    await notifier.notify({ organizationId: t.org, operationId: t.operationId, event: 'operation.failed' });
    const delivery = await onlyDelivery(t.org, t.endpoint.id);
    const exhausted = await untilSettled(delivery.id);
    expect(exhausted).toMatchObject({ status: 'exhausted', attempts: 3, lastStatusCode: 503, generation: 0 });
    expect(exhausted?.lastError).toMatch(/^the receiver answered 503: status 503 from the test receiver$/);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(receiver.requestsTo(t.path)).toHaveLength(3);

    // Another tenant cannot replay it; the owner can, once the receiver is back.
    expect(await notifier.replay(randomUUID(), delivery.id)).toBeNull();
    receiver.script(t.path, [], 200);
    const replayed = await notifier.replay(t.org, delivery.id);
    expect(replayed).toMatchObject({ id: delivery.id, status: 'pending', attempts: 0, generation: 1 });
    const done = await pollUntil(
      () => store.findDelivery(delivery.id),
      (d) => d?.status === 'succeeded',
    );
    expect(done).toMatchObject({ status: 'succeeded', attempts: 1, generation: 1, lastStatusCode: 200 });
    const requests = receiver.requestsTo(t.path);
    expect(requests).toHaveLength(4);
    expect(requests[3]?.headers['webhook-id']).toBe(delivery.id);
    // A succeeded delivery is not replayed.
    await expect(notifier.replay(t.org, delivery.id)).rejects.toBeInstanceOf(WebhookReplayError);
  });

  it('loses nothing when the process dies: pending rows and expired leases are picked up at the next start', async () => {
    const t = await tenant();
    const dying = createWebhookNotifier({ pool: db.pool, dispatcher: deadDispatcher });
    await dying.notify({ organizationId: t.org, operationId: t.operationId, event: 'operation.succeeded' });
    const pending = await onlyDelivery(t.org, t.endpoint.id);
    expect(pending.status).toBe('pending');
    // A second delivery a dead process was in the middle of attempting (its lease has run out).
    const other = await dying.publish({
      organizationId: t.org,
      event: 'report.ready',
      dedupKey: t.operationId,
      data: { operationId: t.operationId },
    });
    expect(other).toHaveLength(1);
    const midAttempt = other[0]?.id as string;
    await db.pool.query(
      `update webhook_deliveries set status = 'delivering', attempts = 1, next_attempt_at = now() - interval '1 second'
       where id = $1`,
      [midAttempt],
    );

    const restarted = make(db.pool);
    await restarted.start();
    try {
      expect(await untilSettled(pending.id)).toMatchObject({ status: 'succeeded', attempts: 1 });
      expect(await untilSettled(midAttempt)).toMatchObject({ status: 'succeeded', attempts: 2 });
    } finally {
      await restarted.close();
    }
    expect(
      receiver
        .requestsTo(t.path)
        .map((r) => r.headers['webhook-id'])
        .sort(),
    ).toEqual([pending.id, midAttempt].sort());
  });
});

describe('delivery attempts and the guard at delivery time', () => {
  let db: TestDatabase;
  let receiver: WebhookReceiver;
  let store: WebhookStore;
  const org = randomUUID();

  beforeAll(async () => {
    db = await createTestDatabase();
    receiver = await startWebhookReceiver();
    store = new WebhookStore(db.pool);
  });
  afterAll(async () => {
    await receiver?.close();
    await db?.drop();
  });

  /** A new tenant with one endpoint at `url` and one pending delivery to it. */
  async function delivery(url: string) {
    const org = randomUUID();
    const endpoint = await store.createEndpoint({
      organizationId: org,
      url,
      events: ['alert.raised'],
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    });
    const [ref] = await store.insertDeliveries({
      organizationId: org,
      event: 'alert.raised',
      dedupKey: randomUUID(),
      payload: { type: 'alert.raised', timestamp: new Date().toISOString(), data: { alertId: 'a-1' } },
    });
    if (!ref) throw new Error('no delivery');
    return { org, endpoint, ref };
  }

  it('refuses at delivery time a host that now resolves to a private address (DNS rebinding), never connecting', async () => {
    // Created while the name resolved to a public address…
    const publicDns = async () => [{ address: '93.184.216.34', family: 4 }];
    const rebindDns = async () => [{ address: '127.0.0.1', family: 4 }];
    const port = new URL(receiver.origin).port;
    const endpoints = new WebhookEndpoints(db.pool, { resolveHost: publicDns });
    const { endpoint } = await endpoints.create(org, {
      url: `https://rebind.example:${port}/hook`,
      events: ['alert.raised'],
    });
    const [ref] = await store.insertDeliveries({
      organizationId: org,
      event: 'alert.raised',
      dedupKey: 'rebind',
      payload: { type: 'alert.raised', timestamp: new Date().toISOString(), data: {} },
    });
    // …and by the time of the attempt it points at loopback.
    const claimed = await store.claim(ref as { id: string; generation: number }, 60_000);
    expect(claimed?.endpoint.id).toBe(endpoint.id);
    const outcome = await attemptDelivery(store, claimed!, {
      resolveHost: rebindDns,
      backoff: { baseMs: 10 },
    });
    expect(outcome).toMatchObject({
      kind: 'retry',
      statusCode: null,
      error: 'refused: url: host rebind.example resolves to 127.0.0.1, a private or reserved address',
    });
    expect(receiver.requests).toHaveLength(0);
    // The same check refuses it at creation time.
    await expect(
      new WebhookEndpoints(db.pool, { resolveHost: rebindDns }).create(org, {
        url: `https://rebind.example:${port}/hook`,
        events: ['alert.raised'],
      }),
    ).rejects.toBeInstanceOf(WebhookUrlError);
  });

  it('gives up on a receiver that does not answer within the timeout, and exhausts on the last attempt', async () => {
    receiver.delay('/slow', 1_000);
    const { ref } = await delivery(receiver.url('/slow'));
    const first = await store.claim(ref, 60_000);
    const outcome = await attemptDelivery(store, first!, {
      allowPrivateUrls: true,
      timeoutMs: 100,
      maxAttempts: 2,
    });
    expect(outcome).toMatchObject({ kind: 'retry', error: 'no response within 100 ms' });
    const second = await store.claim(ref, 60_000);
    expect(second?.delivery.attempts).toBe(2);
    const last = await attemptDelivery(store, second!, {
      allowPrivateUrls: true,
      timeoutMs: 100,
      maxAttempts: 2,
    });
    expect(last).toMatchObject({ kind: 'exhausted', error: 'no response within 100 ms' });
    expect(await store.findDelivery(ref.id)).toMatchObject({
      status: 'exhausted',
      attempts: 2,
      nextAttemptAt: null,
    });
  });

  it('records nothing for an attempt of a generation that was replayed meanwhile', async () => {
    const { org, ref } = await delivery(receiver.url('/stale'));
    const claimed = await store.claim(ref, 60_000);
    expect(claimed).not.toBeNull();
    expect(await store.recordExhausted(ref, 503, 'x')).toBe(true);
    const replayed = await store.replay(org, ref.id);
    expect(replayed).toMatchObject({ replayed: true, delivery: { generation: 1, status: 'pending' } });
    expect(await store.recordSuccess(ref, 200)).toBe(false); // the generation-0 attempt is stale
    expect(await store.claim(ref, 60_000)).toBeNull();
    expect(await store.findDelivery(ref.id)).toMatchObject({ status: 'pending', generation: 1, attempts: 0 });
  });

  it('fails, without sending, a delivery whose endpoint was disabled after it was queued', async () => {
    const { ref, endpoint } = await delivery(receiver.url('/disabled'));
    await store.disableEndpoint(endpoint.id, 'by a test');
    const claimed = await store.claim(ref, 60_000);
    expect(await attemptDelivery(store, claimed!, { allowPrivateUrls: true })).toMatchObject({
      kind: 'failed',
    });
    expect(receiver.requestsTo('/disabled')).toHaveLength(0);
    expect(await store.findDelivery(ref.id)).toMatchObject({
      status: 'failed',
      lastError: 'the endpoint is disabled',
    });
  });

  it('pages endpoints and deliveries newest first with a cursor, per tenant', async () => {
    const tenantOrg = randomUUID();
    const endpoints = new WebhookEndpoints(db.pool, { allowPrivateUrls: true });
    const created = [];
    for (let i = 0; i < 5; i++)
      created.push(
        (await endpoints.create(tenantOrg, { url: receiver.url(`/p${i}`), events: ['alert.raised'] }))
          .endpoint.id,
      );
    const first = await endpoints.list(tenantOrg, { limit: 2 });
    const second = await endpoints.list(tenantOrg, { limit: 2, cursor: first.nextCursor });
    const third = await endpoints.list(tenantOrg, { limit: 2, cursor: second.nextCursor });
    expect([...first.items, ...second.items, ...third.items].map((e) => e.id)).toEqual(created.reverse());
    expect(third.nextCursor).toBeNull();
    expect((await endpoints.list(randomUUID())).items).toEqual([]);
    expect(await endpoints.get(randomUUID(), created[0] as string)).toBeNull();
    expect(await endpoints.delete(randomUUID(), created[0] as string)).toBe(false);
    expect(await endpoints.delete(tenantOrg, created[0] as string)).toBe(true);
    expect(await endpoints.get(tenantOrg, created[0] as string)).toBeNull();
    await expect(endpoints.list(tenantOrg, { cursor: 'bogus' })).rejects.toThrow(/cursor/);
  });

  it('rejects unknown events and overlong descriptions', async () => {
    const endpoints = new WebhookEndpoints(db.pool, { allowPrivateUrls: true });
    await expect(endpoints.create(org, { url: receiver.url('/e'), events: [] })).rejects.toThrow(
      /^events: must list/,
    );
    await expect(
      endpoints.create(org, { url: receiver.url('/e'), events: ['report.ready', 'nope'] }),
    ).rejects.toThrow(/^events\[1\]/);
    await expect(
      endpoints.create(org, {
        url: receiver.url('/e'),
        events: ['report.ready'],
        description: 'x'.repeat(501),
      }),
    ).rejects.toThrow(/^description/);
  });
});

describe('retry backoff', () => {
  it('is exponential with full jitter between the floor and a capped ceiling', () => {
    const options = { baseMs: 1_000, maxMs: 10_000, minMs: 100 };
    expect([1, 2, 3, 4, 5, 6].map((n) => retryCeilingMs(n, options))).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000, 10_000,
    ]);
    expect(retryDelayMs(3, options, 0)).toBe(100);
    expect(retryDelayMs(3, options, 0.5)).toBe(2_050);
    expect(retryDelayMs(3, options, 0.999_999)).toBe(4_000);
    for (let i = 0; i < 200; i++) {
      const delay = retryDelayMs(4, options);
      expect(delay).toBeGreaterThanOrEqual(100);
      expect(delay).toBeLessThanOrEqual(8_000);
    }
    // The default schedule: 1 minute ceiling doubling to a 4 hour cap.
    expect([1, 2, 7, 9].map((n) => retryCeilingMs(n))).toEqual([60_000, 120_000, 3_840_000, 14_400_000]);
  });
});
