/**
 * The SDK against a real API (startTestApi: a fresh PostgreSQL database, every migration, the
 * real Koa app on a local port): sign up, create an API key, then work as that key.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ecotechCompany } from '../../api/test/support/fixtures.js';
import { startTestApi, type TestApi } from '../../api/test/support/harness.js';
import { artifactPaths } from '../scripts/artifacts.js';
import {
  createGreenfinClient,
  downloadReport,
  GreenfinApiError,
  type GreenfinClient,
  importFile,
  simulateLoan,
  waitForOperation,
} from '../src/index.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let api: TestApi;
let baseUrl: string;
/** What the key's client put on the wire, and what came back. */
const exchanges: {
  method: string;
  url: string;
  headers: Headers;
  status: number;
  responseId: string | null;
}[] = [];
let greenfin: GreenfinClient;
let companyId: string;

const loanFor = (id: string) => ({
  companyId: id,
  principal: { amount: '500000.00', currency: 'GBP' as const },
  termMonths: 60,
  startDate: '2026-01-15',
  baseRate: 0.0375,
  creditSpread: 0.025,
});

beforeAll(async () => {
  api = await startTestApi();
  baseUrl = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
  const anonymous = createGreenfinClient({ baseUrl });
  const signup = await anonymous.POST('/v1/auth/signup', {
    body: {
      organizationName: `SDK Bank ${randomUUID().slice(0, 8)}`,
      email: `admin-${randomUUID().slice(0, 8)}@sdk.example`,
      password: 'correct-horse-battery-staple',
    },
  });
  expect(signup.response.status).toBe(201);
  const admin = createGreenfinClient({ baseUrl, accessToken: () => signup.data!.accessToken });
  const key = await admin.POST('/v1/api-keys', { body: { name: 'sdk test', role: 'analyst' } });
  expect(key.response.status).toBe(201);
  expect(key.data!.key).toMatch(/^gfk_/);
  greenfin = createGreenfinClient({
    baseUrl,
    apiKey: key.data!.key,
    fetch: async (request) => {
      const headers = new Headers(request.headers);
      const response = await fetch(request);
      exchanges.push({
        method: request.method,
        url: request.url,
        headers,
        status: response.status,
        responseId: response.headers.get('X-Request-Id'),
      });
      return response;
    },
  });
}, 60_000);
afterAll(() => api?.close());

describe('@greenfin/sdk against the real API', () => {
  it('lists companies, creates one, and lists it', async () => {
    const before = await greenfin.GET('/v1/companies');
    expect(before.error).toBeUndefined();
    expect(before.data!.items).toEqual([]);

    const created = await greenfin.POST('/v1/companies', { body: { ...ecotechCompany } });
    expect(created.response.status).toBe(201);
    companyId = created.data!.id;
    expect(created.data!.name).toBe(ecotechCompany.name);

    const after = await greenfin.GET('/v1/companies', { params: { query: { limit: 10 } } });
    expect(after.data!.items.map((c) => c.id)).toEqual([companyId]);
  });

  it('sends the key as a bearer token and a UUID X-Request-Id, which the API echoes', () => {
    expect(exchanges.length).toBeGreaterThanOrEqual(3);
    const ids = new Set<string>();
    for (const exchange of exchanges) {
      expect(exchange.headers.get('Authorization')).toMatch(/^Bearer gfk_/);
      const id = exchange.headers.get('X-Request-Id')!;
      expect(id).toMatch(UUID);
      expect(exchange.responseId).toBe(id);
      ids.add(id);
    }
    expect(ids.size).toBe(exchanges.length);
  });

  it('simulates a loan, and the same idempotency key gives the same simulation', async () => {
    const simulation = await simulateLoan(greenfin, loanFor(companyId));
    expect(simulation.companyId).toBe(companyId);
    expect(simulation.principal).toEqual({ amount: '500000.00', currency: 'GBP' });
    expect(simulation.rateBeforeDiscount).toBeCloseTo(0.0625, 10);
    expect(simulation.finalRate).toBeLessThanOrEqual(simulation.rateBeforeDiscount);
    expect(Number(simulation.regularPayment.amount)).toBeGreaterThan(9_000);

    const key = randomUUID();
    const first = await simulateLoan(greenfin, loanFor(companyId), { idempotencyKey: key });
    const replay = await simulateLoan(greenfin, loanFor(companyId), { idempotencyKey: key });
    expect(replay.id).toBe(first.id);
    expect(first.id).not.toBe(simulation.id);
    const sent = exchanges.filter((e) => e.method === 'POST' && e.url.endsWith('/v1/loan-simulations'));
    expect(sent.map((e) => e.headers.get('Idempotency-Key'))).toEqual([
      expect.stringMatching(UUID),
      key,
      key,
    ]);
  });

  it('answers a 404 as { error } with the problem, without throwing', async () => {
    const result = await greenfin.GET('/v1/companies/{id}', { params: { path: { id: randomUUID() } } });
    expect(result.data).toBeUndefined();
    expect(result.response.status).toBe(404);
    expect(result.error).toMatchObject({ status: 404, title: expect.any(String) });
    expect(result.error!.requestId).toBe(result.response.headers.get('X-Request-Id'));
  });

  it('answers a 422 as { error } without throwing; simulateLoan rejects with GreenfinApiError', async () => {
    const stranger = randomUUID();
    const result = await greenfin.POST('/v1/loan-simulations', { body: loanFor(stranger) });
    expect(result.data).toBeUndefined();
    expect(result.response.status).toBe(422);
    expect(result.error).toMatchObject({ status: 422 });
    expect(JSON.stringify(result.error)).toContain('#/companyId');

    const rejected = await simulateLoan(greenfin, loanFor(stranger)).catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(GreenfinApiError);
    expect((rejected as GreenfinApiError).status).toBe(422);
    expect((rejected as GreenfinApiError).problem?.status).toBe(422);
    expect((rejected as GreenfinApiError).requestId).toMatch(UUID);
  });

  it('downloads the report as JSON and the schedule as CSV', async () => {
    const simulation = await simulateLoan(greenfin, loanFor(companyId));
    const report = await downloadReport(greenfin, simulation.id, 'json');
    expect(report.simulationId).toBe(simulation.id);
    expect(report.company.name).toBe(ecotechCompany.name);

    const csv = await downloadReport(greenfin, simulation.id, 'csv');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('number,date,days,payment,interest,principal,balance,currency');
    expect(lines).toHaveLength(61);
  });

  it.skipIf(!existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'))(
    'downloads the PDF through 202 → operation → 200, and waitForOperation sees the render succeed',
    async () => {
      const simulation = await simulateLoan(greenfin, loanFor(companyId));
      const pdf = await downloadReport(greenfin, simulation.id, 'pdf', {
        pollIntervalMs: 50,
        timeoutMs: 120_000,
      });
      expect(new TextDecoder().decode(pdf.subarray(0, 5))).toBe('%PDF-');
      expect(pdf.byteLength).toBeGreaterThan(10_000);
      const { data } = await greenfin.GET('/v1/operations', { params: { query: { kind: 'report' } } });
      const render = data?.items.find(
        (o) => (o.input as { loanSimulationId?: string }).loanSimulationId === simulation.id,
      );
      expect(render?.status).toBe('succeeded');
      const finished = await waitForOperation(greenfin, render!.id, { timeoutMs: 5_000 });
      expect(finished.resourceLocation).toBe(`/v1/loan-simulations/${simulation.id}/report`);
    },
    180_000,
  );

  it('imports a CSV with importFile (multipart), counts rejects, and never imports twice for one key', async () => {
    // Two lines of the Greenfin environmental-metrics template (docs/imports.md): one for the
    // company created above, one whose year is not a number.
    const company = (await greenfin.GET('/v1/companies/{id}', { params: { path: { id: companyId } } })).data!;
    const csv = [
      'company_number,jurisdiction,year,energy_mwh,scope1_tco2e,scope2_tco2e,scope3_tco2e,revenue_amount,revenue_currency,renewable_share,verified,pcaf_data_quality,source',
      `${company.companyNumber},${company.jurisdiction},2024,590,49.4,58.6,1090,4450000.00,GBP,0.31,true,1,SDK test`,
      `${company.companyNumber},${company.jurisdiction},twenty,590,49.4,58.6,1090,4450000.00,GBP,0.31,true,1,SDK test`,
      '',
    ].join('\n');
    const key = randomUUID();
    const started = await importFile(greenfin, 'environmental-metrics', new TextEncoder().encode(csv), {
      fileName: 'metrics.csv',
      idempotencyKey: key,
    });
    expect(started).toMatchObject({ kind: 'import', id: expect.stringMatching(UUID) });
    const done = await waitForOperation(greenfin, started.id, { timeoutMs: 60_000 });
    expect(done.result).toMatchObject({ rows: { total: 2, accepted: 1, rejected: 1 } });
    const again = await importFile(greenfin, 'environmental-metrics', csv, {
      fileName: 'metrics.csv',
      idempotencyKey: key,
    });
    expect(again.id).toBe(started.id);
    const bad = await importFile(greenfin, 'no-such-dataset' as never, csv).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(GreenfinApiError);
    expect((bad as GreenfinApiError).problem?.status).toBe(422);
  }, 90_000);

  it('is typed by the very document the API serves', async () => {
    const served = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as unknown;
    expect(served).toEqual(JSON.parse(readFileSync(artifactPaths.document, 'utf8')));
  });
});
