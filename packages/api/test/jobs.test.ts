/**
 * Long-running jobs through the API, on the in-process engine and real PostgreSQL: operations
 * (list, poll with Retry-After, cancel, tenancy, roles), company enrichment against a local fake
 * Companies House built from the real API samples, and the PDF report (202 → operation → PDF,
 * rendered by a real Chromium).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRegistryClient } from '@greenfin/workflows';
import { ecotechExample, toDecimalString } from '@greenfin/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  registryFixture,
  sendJson,
  startFakeRegistryServer,
  type FakeRegistryServer,
} from '../../workflows/src/registries/__tests__/fake-registry-server.js';
import { call, getPdf, type ApiResponse } from './support/client.js';
import { createCompany, createTenant, type Tenant } from './support/fixtures.js';
import { startTestApi, type TestApi } from './support/harness.js';

let api: TestApi;
let registry: FakeRegistryServer;
let bank: Tenant;
let other: Tenant;
/** Bank's company 08957400 (CANDOUR GROUP LIMITED in the real sample), enriched by the first test. */
let candourId: string;

beforeAll(async () => {
  registry = await startFakeRegistryServer();
  api = await startTestApi(
    {},
    {
      activities: {
        registry: createRegistryClient({
          provider: 'companies-house',
          apiKey: 'test-key',
          baseUrl: registry.baseUrl,
        }),
      },
    },
  );
  bank = await createTenant(api, 'Bank');
  other = await createTenant(api, 'Other');
});
afterAll(async () => {
  await api.close();
  await registry.close();
});

/** Polls the operation until it is final (following Retry-After, but faster: tests). */
async function waitFor(location: string, token: string, timeoutMs = 60_000): Promise<ApiResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call(api, 'get', location, { token });
    expect(res.status).toBe(200);
    if (res.body.done) {
      expect(res.headers['retry-after']).toBeUndefined();
      return res;
    }
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    if (Date.now() > deadline) throw new Error(`operation ${location} did not finish: ${res.text}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const CANDOUR_2024 = registryFixture('companies-house/company-08957400-2024.json') as Record<string, unknown>;

describe('POST /v1/enrichment-jobs', () => {
  it('updates a company from its Companies House record: 202 → operation → succeeded', async () => {
    registry.handle((request, response) => {
      if (request.url === '/company/08957400') return sendJson(response, 200, CANDOUR_2024);
      return sendJson(response, 404, {
        errors: [{ error: 'company-profile-not-found', type: 'ch:service' }],
      });
    });
    const id = await createCompany(api, bank.tokens.analyst, {
      companyNumber: '08957400',
      name: 'Candour (as typed by an analyst)',
      sicCodes: [],
    });
    candourId = id;
    const started = await call(api, 'post', '/v1/enrichment-jobs', {
      token: bank.tokens.analyst,
      body: { companyIds: [id] },
    });
    expect(started.status).toBe(202);
    expect(started.headers.location).toBe(`/v1/operations/${started.body.id}`);
    expect(Number(started.headers['retry-after'])).toBeGreaterThanOrEqual(0);
    expect(started.body).toMatchObject({ kind: 'enrichment', engine: 'in-process' });

    const done = await waitFor(started.headers.location!, bank.tokens.viewer);
    expect(done.body).toMatchObject({
      status: 'succeeded',
      progress: { completed: 1, total: 1 },
      result: { counts: { total: 1, updated: 1, notFound: 0, failed: 0 }, notFound: [], failed: [] },
      error: null,
    });
    // The request carried the key as HTTP basic auth, as Companies House requires.
    const sent = registry.requests.find((r) => r.url === '/company/08957400');
    expect(sent?.headers.authorization).toBe(`Basic ${Buffer.from('test-key:').toString('base64')}`);

    const company = await call(api, 'get', `/v1/companies/${id}`, { token: bank.tokens.viewer });
    // Values from the real Companies House sample (company 08957400, 2024 profile).
    expect(company.body).toMatchObject({
      name: 'CANDOUR GROUP LIMITED',
      status: 'active',
      incorporationDate: '2014-03-25',
      sicCodes: ['68100'],
      sector: 'L', // SIC 2007 division 68 (real estate) is section L
      source: 'companies-house',
      enrichmentStatus: 'enriched',
      locality: 'Maidstone',
      registeredAddress: {
        lines: ['Victoria Court', '17-21 Ashford Road'],
        locality: 'Maidstone',
        region: 'Kent',
        postalCode: 'ME14 5DA',
        country: 'England',
      },
    });
    expect(Date.parse(company.body.enrichedAt)).toBeGreaterThan(Date.now() - 120_000);
  });

  it('marks a company the registry does not know as not-found, and the rest continue', async () => {
    registry.handle((request, response) =>
      request.url === '/company/08957400'
        ? sendJson(response, 200, CANDOUR_2024)
        : sendJson(response, 404, { errors: [{ error: 'company-profile-not-found', type: 'ch:service' }] }),
    );
    const unknown = await createCompany(api, bank.tokens.analyst, { companyNumber: '99999999' });
    const ids = [unknown, candourId];
    const started = await call(api, 'post', '/v1/enrichment-jobs', {
      token: bank.tokens.analyst,
      body: { companyIds: ids },
    });
    const done = await waitFor(started.headers.location!, bank.tokens.analyst);
    expect(done.body.status).toBe('succeeded');
    expect(done.body.result.notFound).toEqual([unknown]);
    expect(done.body.result.counts).toEqual({ total: 2, updated: 1, notFound: 1, failed: 0 });
    const company = await call(api, 'get', `/v1/companies/${unknown}`, { token: bank.tokens.viewer });
    expect(company.body.enrichmentStatus).toBe('not-found');
    expect(company.body.enrichedAt).toBeNull();
  });

  it('fails the whole job, without retrying, when the registry rejects the credentials (401)', async () => {
    registry.handle((_request, response) => sendJson(response, 401, { error: 'Invalid Authorization' }));
    const before = registry.requests.length;
    const a = await createCompany(api, bank.tokens.analyst);
    const b = await createCompany(api, bank.tokens.analyst);
    const started = await call(api, 'post', '/v1/enrichment-jobs', {
      token: bank.tokens.analyst,
      body: { companyIds: [a, b] },
    });
    const done = await waitFor(started.headers.location!, bank.tokens.analyst);
    expect(done.body.status).toBe('failed');
    expect(done.body.error).toMatchObject({ status: expect.any(Number), errorType: 'RegistryAuthError' });
    expect(done.body.error.detail).toMatch(/credential|key|auth/i);
    expect(registry.requests.length - before).toBe(1); // one lookup, no retries, no second company
  });

  it('records a malformed registry answer as that company’s failure, with the reason', async () => {
    registry.handle((_request, response) => sendJson(response, 200, { company_number: 12 }));
    const id = await createCompany(api, bank.tokens.analyst);
    const started = await call(api, 'post', '/v1/enrichment-jobs', {
      token: bank.tokens.analyst,
      body: { companyIds: [id] },
    });
    const done = await waitFor(started.headers.location!, bank.tokens.analyst);
    expect(done.body.status).toBe('succeeded');
    expect(done.body.result.counts.failed).toBe(1);
    expect(done.body.result.failed[0]).toMatchObject({
      companyId: id,
      reason: expect.stringMatching(/unusable/),
    });
  });

  it('with all: true enriches every company of the organisation, and no other tenant’s', async () => {
    registry.handle((_request, response) =>
      sendJson(response, 404, { errors: [{ error: 'company-profile-not-found', type: 'ch:service' }] }),
    );
    await createCompany(api, other.tokens.analyst);
    const started = await call(api, 'post', '/v1/enrichment-jobs', {
      token: other.tokens.analyst,
      body: { all: true },
    });
    const done = await waitFor(started.headers.location!, other.tokens.analyst);
    expect(done.body.status).toBe('succeeded');
    expect(done.body.result.counts.total).toBe(1); // `other` has one company; `bank` has several
  });

  it('rejects bad bodies with problems naming the field, and other tenants’ companies with 422', async () => {
    const both = await call(api, 'post', '/v1/enrichment-jobs', {
      token: bank.tokens.analyst,
      body: { companyIds: [crypto.randomUUID()], all: true },
    });
    expect(both.status).toBe(400);
    expect(both.body.errors[0].pointer).toBe('#/all');
    const none = await call(api, 'post', '/v1/enrichment-jobs', { token: bank.tokens.analyst, body: {} });
    expect(none.status).toBe(400);
    expect(none.body.errors[0].pointer).toBe('#/companyIds');
    const notUuid = await call(api, 'post', '/v1/enrichment-jobs', {
      token: bank.tokens.analyst,
      body: { companyIds: ['nope'] },
    });
    expect(notUuid.status).toBe(400);
    expect(notUuid.body.errors[0].pointer).toBe('#/companyIds/0');
    const theirs = await createCompany(api, other.tokens.analyst);
    const foreign = await call(api, 'post', '/v1/enrichment-jobs', {
      token: bank.tokens.analyst,
      body: { companyIds: [theirs] },
    });
    expect(foreign.status).toBe(422);
    expect(foreign.body.errors).toEqual([
      expect.objectContaining({ pointer: '#/companyIds/0', code: 'not_found' }),
    ]);
  });

  it('the same Idempotency-Key never starts a second job; with another body it is a 422', async () => {
    registry.handle((_request, response) => sendJson(response, 404, {}));
    const id = await createCompany(api, bank.tokens.analyst);
    const key = `enrich-${crypto.randomUUID()}`;
    const send = (body: unknown) =>
      call(api, 'post', '/v1/enrichment-jobs', {
        token: bank.tokens.analyst,
        body,
        headers: { 'Idempotency-Key': key },
      });
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => send({ companyIds: [id] })));
    const ids = new Set(answers.map((a) => a.body.id));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
    expect(ids.size).toBe(1);
    const listed = await call(api, 'get', '/v1/operations?kind=enrichment&limit=100', {
      token: bank.tokens.viewer,
    });
    expect(listed.body.items.filter((o: { id: string }) => ids.has(o.id))).toHaveLength(1);
    const different = await send({ all: true });
    expect(different.status).toBe(422);
    expect(different.body.type).toBe('/problems/idempotency-key-reused');
  });

  it('needs the analyst role', async () => {
    const id = await createCompany(api, bank.tokens.analyst);
    const viewer = await call(api, 'post', '/v1/enrichment-jobs', {
      token: bank.tokens.viewer,
      body: { companyIds: [id] },
    });
    expect(viewer.status).toBe(403);
    const anonymous = await call(api, 'post', '/v1/enrichment-jobs', { body: { companyIds: [id] } });
    expect(anonymous.status).toBe(401);
  });
});

describe('operations', () => {
  it('lists the tenant’s operations newest first, filtered by kind and status, with cursors', async () => {
    registry.handle((_request, response) => sendJson(response, 404, {}));
    const id = await createCompany(api, other.tokens.analyst);
    const started: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await call(api, 'post', '/v1/enrichment-jobs', {
        token: other.tokens.analyst,
        body: { companyIds: [id] },
      });
      started.push(res.body.id);
      await waitFor(res.headers.location!, other.tokens.analyst);
    }
    const first = await call(api, 'get', '/v1/operations?limit=2&kind=enrichment&status=succeeded', {
      token: other.tokens.viewer,
    });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.items[0].id).toBe(started[2]);
    expect(first.body.items[1].id).toBe(started[1]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await call(
      api,
      'get',
      `/v1/operations?limit=2&kind=enrichment&status=succeeded&cursor=${encodeURIComponent(first.body.nextCursor)}`,
      {
        token: other.tokens.viewer,
      },
    );
    expect(second.body.items.map((o: { id: string }) => o.id)).toContain(started[0]);
    const none = await call(api, 'get', '/v1/operations?kind=report', { token: other.tokens.viewer });
    expect(none.body.items).toEqual([]);
    const bad = await call(api, 'get', '/v1/operations?status=done', { token: other.tokens.viewer });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].pointer).toBe('#/status');
  });

  it('another tenant’s operation is a 404, for reading and for canceling', async () => {
    registry.handle((_request, response) => sendJson(response, 404, {}));
    const id = await createCompany(api, bank.tokens.analyst);
    const res = await call(api, 'post', '/v1/enrichment-jobs', {
      token: bank.tokens.analyst,
      body: { companyIds: [id] },
    });
    const path = `/v1/operations/${res.body.id}`;
    expect((await call(api, 'get', path, { token: other.tokens.admin })).status).toBe(404);
    expect((await call(api, 'post', `${path}:cancel`, { token: other.tokens.admin })).status).toBe(404);
    expect(
      (await call(api, 'get', `/v1/operations/${crypto.randomUUID()}`, { token: bank.tokens.admin })).status,
    ).toBe(404);
    expect((await call(api, 'get', '/v1/operations/not-a-uuid', { token: bank.tokens.admin })).status).toBe(
      400,
    );
    const listed = await call(api, 'get', '/v1/operations?limit=100', { token: other.tokens.admin });
    expect(listed.body.items.map((o: { id: string }) => o.id)).not.toContain(res.body.id);
  });

  it('cancel: 202, and a job that has not finished ends canceled; viewers may not cancel', async () => {
    // A registry that never answers keeps the job running until it is canceled.
    const hanging: Array<() => void> = [];
    registry.handle((_request, response) => {
      hanging.push(() => sendJson(response, 404, {}));
    });
    const id = await createCompany(api, bank.tokens.analyst);
    const res = await call(api, 'post', '/v1/enrichment-jobs', {
      token: bank.tokens.analyst,
      body: { companyIds: [id] },
    });
    const path = `/v1/operations/${res.body.id}`;
    for (let i = 0; i < 200 && hanging.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(hanging.length).toBeGreaterThan(0);
    expect((await call(api, 'post', `${path}:cancel`, { token: bank.tokens.viewer })).status).toBe(403);
    const canceled = await call(api, 'post', `${path}:cancel`, { token: bank.tokens.analyst });
    expect(canceled.status).toBe(202);
    expect(canceled.headers.location).toBe(path);
    const done = await waitFor(path, bank.tokens.analyst);
    expect(done.body.status).toBe('canceled');
    for (const release of hanging) release();
    // Canceling a finished operation changes nothing.
    const again = await call(api, 'post', `${path}:cancel`, { token: bank.tokens.analyst });
    expect(again.status).toBe(202);
    expect(again.body.status).toBe('canceled');
  });
});

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const pdftotext = ['/usr/bin/pdftotext', '/usr/local/bin/pdftotext'].find((p) => existsSync(p));

describe.skipIf(!existsSync(chromium))('GET /v1/loan-simulations/{id}/report as PDF', () => {
  const { metrics, loan, project } = ecotechExample;
  const gbp = (m: { amount: number; currency: 'GBP' }) => ({
    amount: toDecimalString(m),
    currency: m.currency,
  });

  it('202 + operation the first time, then the PDF (ETag = SHA-256); the company and figures are in it', async () => {
    const companyId = await createCompany(api, bank.tokens.analyst, {
      name: 'EcoTech Manufacturing Ltd',
      sicCodes: [...ecotechExample.company.sicCodes],
    });
    for (const m of metrics) {
      const res = await call(api, 'post', `/v1/companies/${companyId}/metrics`, {
        token: bank.tokens.analyst,
        body: { ...m, revenue: gbp(m.revenue) },
      });
      expect(res.status).toBe(201);
    }
    const simulation = await call(api, 'post', '/v1/loan-simulations', {
      token: bank.tokens.analyst,
      body: {
        companyId,
        principal: gbp(loan.principal),
        termMonths: loan.termMonths,
        startDate: loan.startDate,
        baseRate: loan.baseRate,
        creditSpread: loan.creditSpread,
        project: {
          energySaved: project.energySaved.map((l) => ({ ...l })),
          lifetimeYears: project.lifetimeYears,
        },
      },
    });
    expect(simulation.status).toBe(201);
    const path = `/v1/loan-simulations/${simulation.body.id}/report`;
    const pdfHeaders = { Accept: 'application/pdf' };

    const first = await call(api, 'get', path, { token: bank.tokens.viewer, headers: pdfHeaders });
    expect(first.status).toBe(202);
    expect(first.body.kind).toBe('report');
    // A second request while it renders joins the same operation.
    const second = await call(api, 'get', path, { token: bank.tokens.viewer, headers: pdfHeaders });
    expect(second.status).toBe(202);
    expect(second.body.id).toBe(first.body.id);

    const done = await waitFor(first.headers.location!, bank.tokens.viewer, 120_000);
    expect(done.body.status, JSON.stringify(done.body.error)).toBe('succeeded');
    expect(done.body.resourceLocation).toBe(path);
    expect(done.body.result).toMatchObject({
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      sizeBytes: expect.any(Number),
    });

    const pdf = await getPdf(api, path, bank.tokens.viewer);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const bytes = pdf.body as Buffer;
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(bytes.length).toBe(done.body.result.sizeBytes);
    const { createHash } = await import('node:crypto');
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(sha).toBe(done.body.result.sha256);
    expect(pdf.headers.etag).toBe(`"${sha}"`);

    // Unchanged → 304 for a client holding the ETag.
    const cached = await api.http
      .get(path)
      .set('Authorization', `Bearer ${bank.tokens.viewer}`)
      .set('Accept', 'application/pdf')
      .set('If-None-Match', `"${sha}"`);
    expect(cached.status).toBe(304);

    if (pdftotext) {
      const text = execFileSync(pdftotext, ['-layout', '-', '-'], { input: bytes }).toString('utf8');
      expect(text).toContain('EcoTech Manufacturing Ltd');
      expect(text).toContain(simulation.body.greenScore.methodologyVersion);
      // The final rate the API quoted, as the report prints it (percent, two decimals).
      expect(text).toContain(`${(simulation.body.finalRate * 100).toFixed(2)}%`);
    }

    // Another tenant cannot read or start it.
    const foreign = await call(api, 'get', path, { token: other.tokens.admin, headers: pdfHeaders });
    expect(foreign.status).toBe(404);
  });

  it('JSON stays the default; an unknown Accept is a 406', async () => {
    const list = await call(api, 'get', '/v1/loan-simulations?limit=1', { token: bank.tokens.viewer });
    const id = list.body.items[0]?.id as string;
    const json = await call(api, 'get', `/v1/loan-simulations/${id}/report`, { token: bank.tokens.viewer });
    expect(json.status).toBe(200);
    expect(json.headers['content-type']).toMatch(/application\/json/);
    const xml = await call(api, 'get', `/v1/loan-simulations/${id}/report`, {
      token: bank.tokens.viewer,
      headers: { Accept: 'application/xml' },
    });
    expect(xml.status).toBe(406);
  });
});
