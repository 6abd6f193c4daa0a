/**
 * Metrics and logs end to end on real PostgreSQL: a job that fails (enrichment with no registry
 * configured) shows in `greenfin_operations` (scrape-time SQL), in the finished counter and the
 * duration histogram (the in-process engine's hook), its `operation.failed` webhook in the
 * delivery counter; and no log line carries a password, token, API key or webhook secret, while
 * the job's lines carry its operationId and organizationId.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type ApiResponse } from './support/client.js';
import { createCompany, createTenant, PASSWORD, type Tenant } from './support/fixtures.js';
import { startTestApi, type TestApi } from './support/harness.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../workflows/test/support/webhook-receiver.js';

let api: TestApi;
let receiver: WebhookReceiver;
let tenant: Tenant;
const secrets: string[] = [];

beforeAll(async () => {
  api = await startTestApi({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true' });
  receiver = await startWebhookReceiver();
  await api.app.services.webhooks.dispatcher.start();
  tenant = await createTenant(api, 'Obsbank');
  secrets.push(PASSWORD, tenant.refreshToken, ...Object.values(tenant.tokens));
});
afterAll(async () => {
  await api?.close();
  await receiver?.close();
});

/** Parses the exposition text into `name{labels} → value`. */
function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels = (match[2] ?? '').slice(1, -1).split(',').filter(Boolean).sort().join(',');
    samples.set(`${match[1]}{${labels}}`, Number(match[3]));
  }
  return samples;
}

const sample = (samples: Map<string, number>, name: string, labels: Record<string, string> = {}) =>
  samples.get(
    `${name}{${Object.entries(labels)
      .map(([k, v]) => `${k}="${v}"`)
      .sort()
      .join(',')}}`,
  );

async function scrape(): Promise<Map<string, number>> {
  const res = await call(api, 'get', '/metrics');
  expect(res.status).toBe(200);
  return parseMetrics(res.text);
}

async function waitFor(location: string, token: string, timeoutMs = 30_000): Promise<ApiResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call(api, 'get', location, { token });
    if (res.body.done) return res;
    if (Date.now() > deadline) throw new Error(`operation ${location} did not finish: ${res.text}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('observability', () => {
  let operationId: string;

  it('creates credentials: an API key and a webhook endpoint (each shown once)', async () => {
    const key = await call(api, 'post', '/v1/api-keys', {
      token: tenant.tokens.admin,
      body: { name: 'ops key', role: 'viewer' },
    });
    expect(key.status).toBe(201);
    secrets.push(key.body.key);
    // Used once, so the key itself goes through the authentication path (and its log line).
    expect((await call(api, 'get', '/v1/companies', { token: key.body.key })).status).toBe(200);
    const endpoint = await call(api, 'post', '/v1/webhook-endpoints', {
      token: tenant.tokens.admin,
      body: { url: receiver.url('/ops'), events: ['operation.failed'] },
    });
    expect(endpoint.status).toBe(201);
    expect(endpoint.body.secret).toMatch(/^whsec_/);
    secrets.push(endpoint.body.secret, endpoint.body.secret.slice('whsec_'.length));
  });

  it('a failing job shows in greenfin_operations, the finished counter, the duration histogram and the webhook counter', async () => {
    const before = await scrape();
    const failedBefore = sample(before, 'greenfin_operations', { kind: 'enrichment', status: 'failed' }) ?? 0;
    expect(failedBefore).toBe(0); // every kind × status is exposed, 0 when empty
    expect(sample(before, 'greenfin_operations', { kind: 'report', status: 'running' })).toBe(0);

    const companyId = await createCompany(api, tenant.tokens.analyst);
    const started = await call(api, 'post', '/v1/enrichment-jobs', {
      token: tenant.tokens.analyst,
      body: { companyIds: [companyId] },
    });
    expect(started.status).toBe(202);
    operationId = started.body.id;
    const done = await waitFor(started.headers.location!, tenant.tokens.viewer);
    expect(done.body.status).toBe('failed');
    await eventually(async () => receiver.requestsTo('/ops').length === 1);

    const after = await scrape();
    expect(sample(after, 'greenfin_operations', { kind: 'enrichment', status: 'failed' })).toBe(1);
    expect(sample(after, 'greenfin_operations', { kind: 'enrichment', status: 'running' })).toBe(0);
    expect(
      sample(after, 'greenfin_operations_finished_total', { kind: 'enrichment', outcome: 'failed' }),
    ).toBe(1);
    expect(sample(after, 'greenfin_operation_duration_seconds_count', { kind: 'enrichment' })).toBe(1);
    const seconds = sample(after, 'greenfin_operation_duration_seconds_sum', { kind: 'enrichment' })!;
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThan(30);
    await eventually(
      async () => sample(await scrape(), 'greenfin_webhook_deliveries_total', { outcome: 'succeeded' }) === 1,
    );
    // The HTTP histogram keeps the route template, never the raw URL with its id.
    const text = (await call(api, 'get', '/metrics')).text;
    expect(text).toContain('route="/v1/operations/{id}"');
    expect(text).not.toContain(operationId);
    expect(text).not.toContain(tenant.organizationId);
  });

  it('no log line holds a password, token, API key or webhook secret', () => {
    expect(api.logs.length).toBeGreaterThan(5);
    expect(secrets.length).toBeGreaterThanOrEqual(6);
    for (const line of api.logs) {
      for (const secret of secrets) expect(line).not.toContain(secret);
      expect(line).not.toMatch(/whsec_[A-Za-z0-9]/);
      expect(line).not.toMatch(/gfk_[A-Za-z0-9]/);
      expect(line).not.toMatch(/Bearer [A-Za-z0-9]/);
    }
  });

  it('request lines carry requestId and organizationId; the job’s lines its operationId and organizationId', () => {
    const lines = api.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    const requests = lines.filter((l) => l.msg === 'request');
    expect(requests.every((l) => typeof l.requestId === 'string')).toBe(true);
    expect(requests.some((l) => l.organizationId === tenant.organizationId)).toBe(true);
    const jobLines = lines.filter((l) => l.component === 'jobs' && l.operationId === operationId);
    expect(jobLines.length).toBeGreaterThan(0);
    for (const line of jobLines) expect(line.organizationId).toBe(tenant.organizationId);
    expect(jobLines.map((l) => l.msg)).toContain('operation failed');
  });
});
