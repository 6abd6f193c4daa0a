/**
 * Webhook endpoints over HTTP: admin-only, tenant-scoped, SSRF-guarded, the secret shown once;
 * and an operation event through `notify` reaching a real local receiver with a valid signature.
 * Every response is validated against the OpenAPI document (support/client.ts).
 */
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OperationStore } from '@greenfin/workflows';
import { call } from './support/client.js';
import { createCompany, createTenant, type Tenant } from './support/fixtures.js';
import { startTestApi, type TestApi } from './support/harness.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../workflows/test/support/webhook-receiver.js';

let api: TestApi;
let a: Tenant;
let b: Tenant;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  api = await startTestApi({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true' });
  a = await createTenant(api, 'Hooka');
  b = await createTenant(api, 'Hookb');
});
afterAll(async () => {
  await api?.close();
  await receiver?.close();
});

const create = (token: string, body: unknown) => call(api, 'post', '/v1/webhook-endpoints', { token, body });

describe('webhook endpoints', () => {
  it('admins create an endpoint: 201 + Location, the secret shown once and never again', async () => {
    const res = await create(a.tokens.admin, {
      url: receiver.url('/created'),
      events: ['operation.succeeded', 'report.ready', 'operation.succeeded'],
      description: 'loan origination',
    });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/v1/webhook-endpoints/${res.body.id}`);
    expect(res.body).toMatchObject({
      url: receiver.url('/created'),
      events: ['operation.succeeded', 'report.ready'],
      description: 'loan origination',
      status: 'active',
      disabledReason: null,
    });
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const got = await call(api, 'get', res.headers.location!, { token: a.tokens.admin });
    expect(got.status).toBe(200);
    expect(got.body).not.toHaveProperty('secret');
    const { secret: _secret, ...withoutSecret } = res.body;
    expect(got.body).toEqual(withoutSecret);
    const list = await call(api, 'get', '/v1/webhook-endpoints', { token: a.tokens.admin });
    expect(list.body.items.map((e: { id: string }) => e.id)).toContain(res.body.id);
    expect(JSON.stringify(list.body)).not.toContain(res.body.secret);
  });

  it('viewers and analysts get 403 on every webhook route; admins pass', async () => {
    const created = await create(a.tokens.admin, {
      url: receiver.url('/roles'),
      events: ['operation.failed'],
    });
    const id = created.body.id as string;
    const requests = [
      ['post', '/v1/webhook-endpoints', { url: receiver.url('/x'), events: ['operation.failed'] }],
      ['get', '/v1/webhook-endpoints', undefined],
      ['get', `/v1/webhook-endpoints/${id}`, undefined],
      ['get', `/v1/webhook-endpoints/${id}/deliveries`, undefined],
      ['post', `/v1/webhook-endpoints/${id}/deliveries/${randomUUID()}:replay`, undefined],
      ['delete', `/v1/webhook-endpoints/${id}`, undefined],
    ] as const;
    for (const role of ['viewer', 'analyst'] as const) {
      for (const [method, path, body] of requests) {
        const res = await call(api, method, path, { token: a.tokens[role], body });
        expect(res.status, `${role} ${method} ${path}`).toBe(403);
      }
    }
    const admin = [201, 200, 200, 200, 404, 204];
    for (const [i, [method, path, body]] of requests.entries()) {
      const res = await call(api, method, path, { token: a.tokens.admin, body });
      expect(res.status, `admin ${method} ${path}`).toBe(admin[i]);
    }
    expect((await call(api, 'get', `/v1/webhook-endpoints/${id}`, { token: a.tokens.admin })).status).toBe(
      404,
    );
  });

  it('another tenant’s endpoint is a 404 on every route, and not in its list', async () => {
    const created = await create(a.tokens.admin, { url: receiver.url('/tenancy'), events: ['report.ready'] });
    const id = created.body.id as string;
    for (const [method, path] of [
      ['get', `/v1/webhook-endpoints/${id}`],
      ['get', `/v1/webhook-endpoints/${id}/deliveries`],
      ['post', `/v1/webhook-endpoints/${id}/deliveries/${randomUUID()}:replay`],
      ['delete', `/v1/webhook-endpoints/${id}`],
    ] as const) {
      const res = await call(api, method, path, { token: b.tokens.admin });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.type).toBe('/problems/not-found');
    }
    const list = await call(api, 'get', '/v1/webhook-endpoints?limit=100', { token: b.tokens.admin });
    expect(list.body.items.map((e: { id: string }) => e.id)).not.toContain(id);
    expect((await call(api, 'get', `/v1/webhook-endpoints/${id}`, { token: a.tokens.admin })).status).toBe(
      200,
    );
  });

  it('pages with a cursor; a foreign cursor is a 400 on #/cursor', async () => {
    const tenant = await createTenant(api, 'Hookpage');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(
        (await create(tenant.tokens.admin, { url: receiver.url(`/p${i}`), events: ['report.ready'] })).body
          .id,
      );
    }
    const first = await call(api, 'get', '/v1/webhook-endpoints?limit=2', { token: tenant.tokens.admin });
    expect(first.body.items).toHaveLength(2);
    const second = await call(api, 'get', `/v1/webhook-endpoints?limit=2&cursor=${first.body.nextCursor}`, {
      token: tenant.tokens.admin,
    });
    expect(second.body.nextCursor).toBeNull();
    expect([...first.body.items, ...second.body.items].map((e: { id: string }) => e.id)).toEqual(
      ids.reverse(),
    );
    const bad = await call(api, 'get', '/v1/webhook-endpoints?cursor=bogus', { token: tenant.tokens.admin });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ in: 'query', pointer: '#/cursor' })]);
  });

  it('rejects unknown events and an empty list (400), and a non-URL (422 on #/url)', async () => {
    const unknown = await create(a.tokens.admin, { url: receiver.url('/e'), events: ['company.created'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].pointer).toBe('#/events/0');
    expect((await create(a.tokens.admin, { url: receiver.url('/e'), events: [] })).status).toBe(400);
    const notUrl = await create(a.tokens.admin, { url: 'hooks', events: ['report.ready'] });
    expect(notUrl.status).toBe(422);
    expect(notUrl.body.errors).toEqual([expect.objectContaining({ in: 'body', pointer: '#/url' })]);
  });
});

describe('SSRF guard (WEBHOOK_ALLOW_PRIVATE_URLS off, the default)', () => {
  let strict: TestApi;
  let tenant: Tenant;
  beforeAll(async () => {
    strict = await startTestApi();
    tenant = await createTenant(strict, 'Hookstrict');
  });
  afterAll(() => strict?.close());

  it.each([
    ['https://127.0.0.1/hook', /is a private or reserved address \(127\.0\.0\.1\)/],
    ['https://10.1.2.3/hook', /private or reserved address \(10\.1\.2\.3\)/],
    ['https://169.254.169.254/latest/meta-data/', /169\.254\.169\.254/],
    ['https://[::1]/hook', /::1/],
    ['https://[fd00::1]/hook', /fd00::1/],
    ['https://localhost/hook', /host localhost resolves to/],
    ['http://203.0.114.1/hook', /must use https/],
  ])('refuses %s with a 422 naming /url', async (url, reason) => {
    const res = await call(strict, 'post', '/v1/webhook-endpoints', {
      token: tenant.tokens.admin,
      body: { url, events: ['report.ready'] },
    });
    expect(res.status).toBe(422);
    expect(res.body.type).toBe('/problems/unsafe-webhook-url');
    expect(res.body.errors).toEqual([
      { in: 'body', pointer: '#/url', code: 'unsafe_url', detail: expect.stringMatching(reason) },
    ]);
    const list = await call(strict, 'get', '/v1/webhook-endpoints', { token: tenant.tokens.admin });
    expect(list.body.items).toEqual([]);
  });
});

describe('deliveries end to end: an operation event through notify', () => {
  beforeAll(() => api.app.services.webhooks.dispatcher.start());
  afterAll(() => api.app.services.webhooks.dispatcher.close());

  async function succeededReport(organizationId: string) {
    const operations = new OperationStore(api.app.services.pool);
    const { operation } = await operations.create({
      organizationId,
      kind: 'report',
      input: { loanSimulationId: randomUUID() },
      engine: 'in-process',
    });
    await operations.succeed(organizationId, operation.id, {
      result: {},
      resourceLocation: '/v1/reports/r-9',
    });
    return operation.id;
  }

  const pollDeliveries = async (
    token: string,
    endpointId: string,
    done: (items: { status: string; attempts: number }[]) => boolean,
  ) => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const res = await call(api, 'get', `/v1/webhook-endpoints/${endpointId}/deliveries`, { token });
      if (done(res.body.items) || Date.now() > deadline) return res;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('reaches the receiver with a signature that verifies with the secret shown at creation', async () => {
    const created = await create(a.tokens.admin, { url: receiver.url('/e2e'), events: ['report.ready'] });
    const operationId = await succeededReport(a.organizationId);
    await api.app.services.webhooks.notifier.notify({
      organizationId: a.organizationId,
      operationId,
      event: 'report.ready',
      resourceLocation: '/v1/reports/r-9',
    });
    const listed = await pollDeliveries(
      a.tokens.admin,
      created.body.id,
      (items) => items[0]?.status === 'succeeded',
    );
    expect(listed.body.items).toHaveLength(1);
    const delivery = listed.body.items[0];
    expect(delivery).toMatchObject({
      event: 'report.ready',
      status: 'succeeded',
      attempts: 1,
      lastStatusCode: 200,
    });

    const [request] = receiver.requestsTo('/e2e');
    if (!request) throw new Error('the receiver got nothing');
    expect(request.headers['webhook-id']).toBe(delivery.id);
    const payload = new Webhook(created.body.secret).verify(request.body, {
      'webhook-id': String(request.headers['webhook-id']),
      'webhook-timestamp': String(request.headers['webhook-timestamp']),
      'webhook-signature': String(request.headers['webhook-signature']),
    });
    expect(payload).toMatchObject({
      type: 'report.ready',
      data: { operationId, kind: 'report', status: 'succeeded', resourceLocation: '/v1/reports/r-9' },
    });
    // Tenant B's endpoints hear nothing of A's operations.
    const bEndpoint = await create(b.tokens.admin, { url: receiver.url('/e2e-b'), events: ['report.ready'] });
    const b2 = await call(api, 'get', `/v1/webhook-endpoints/${bEndpoint.body.id}/deliveries`, {
      token: b.tokens.admin,
    });
    expect(b2.body.items).toEqual([]);
    expect(receiver.requestsTo('/e2e-b')).toHaveLength(0);
  });

  it('a real job’s outcome (an enrichment that fails: no registry here) is announced as operation.failed', async () => {
    const created = await create(a.tokens.admin, {
      url: receiver.url('/e2e-job'),
      events: ['operation.failed'],
    });
    const companyId = await createCompany(api, a.tokens.analyst);
    const job = await call(api, 'post', '/v1/enrichment-jobs', {
      token: a.tokens.analyst,
      body: { companyIds: [companyId] },
    });
    expect(job.status).toBe(202);
    const listed = await pollDeliveries(
      a.tokens.admin,
      created.body.id,
      (items) => items[0]?.status === 'succeeded',
    );
    expect(listed.body.items).toHaveLength(1);
    const [request] = receiver.requestsTo('/e2e-job');
    if (!request) throw new Error('the receiver got nothing');
    const payload = new Webhook(created.body.secret).verify(request.body, {
      'webhook-id': String(request.headers['webhook-id']),
      'webhook-timestamp': String(request.headers['webhook-timestamp']),
      'webhook-signature': String(request.headers['webhook-signature']),
    });
    expect(payload).toMatchObject({
      type: 'operation.failed',
      data: {
        operationId: job.body.id,
        kind: 'enrichment',
        status: 'failed',
        operationLocation: `/v1/operations/${job.body.id}`,
        error: { type: expect.stringMatching(/^\/problems\//) },
      },
    });
  });

  it('an exhausted delivery is replayed through the API (202), a succeeded one is a 409', async () => {
    const created = await create(a.tokens.admin, {
      url: receiver.url('/e2e-down'),
      events: ['operation.succeeded'],
    });
    const endpointId = created.body.id as string;
    // The receiver is down; make the delivery exhausted without waiting for the real backoff.
    receiver.script('/e2e-down', [], 503);
    const operationId = await succeededReport(a.organizationId);
    await api.app.services.webhooks.notifier.notify({
      organizationId: a.organizationId,
      operationId,
      event: 'operation.succeeded',
    });
    const failing = await pollDeliveries(
      a.tokens.admin,
      endpointId,
      (items) => items[0]?.status === 'pending' && items[0].attempts >= 1,
    );
    const deliveryId = failing.body.items[0].id as string;
    await api.app.services.pool.query(`update webhook_deliveries set status = 'exhausted' where id = $1`, [
      deliveryId,
    ]);
    const replayPath = `/v1/webhook-endpoints/${endpointId}/deliveries/${deliveryId}:replay`;
    expect((await call(api, 'post', replayPath, { token: b.tokens.admin })).status).toBe(404);
    expect(
      (
        await call(api, 'post', `/v1/webhook-endpoints/${randomUUID()}/deliveries/${deliveryId}:replay`, {
          token: a.tokens.admin,
        })
      ).status,
    ).toBe(404);

    receiver.script('/e2e-down', [], 200);
    const replayed = await call(api, 'post', replayPath, { token: a.tokens.admin });
    expect(replayed.status).toBe(202);
    expect(replayed.body).toMatchObject({ id: deliveryId, status: 'pending', attempts: 0 });
    const done = await pollDeliveries(
      a.tokens.admin,
      endpointId,
      (items) => items[0]?.status === 'succeeded',
    );
    expect(done.body.items[0]).toMatchObject({ id: deliveryId, status: 'succeeded', lastStatusCode: 200 });
    const again = await call(api, 'post', replayPath, { token: a.tokens.admin });
    expect(again.status).toBe(409);
    expect(again.body.type).toBe('/problems/delivery-not-replayable');
    const filtered = await call(
      api,
      'get',
      `/v1/webhook-endpoints/${endpointId}/deliveries?status=exhausted`,
      {
        token: a.tokens.admin,
      },
    );
    expect(filtered.body.items).toEqual([]);
  });
});
