/**
 * The lender journey end to end, as a bank integrating with Greenfin sees it.
 *
 * Real pieces: the API process as the image runs it (packages/api/src/main.ts, in-process
 * job engine, configured only by environment variables) on a throwaway PostgreSQL database and
 * the real Redis (cache, rate limits, BullMQ webhook queue) under a unique key prefix; Chromium
 * rendering the PDF; a fake Companies House (a local HTTP server answering EcoTech's profile in
 * the real API's shape, see support/ecotech-registry.ts) and a local webhook receiver. The test
 * talks to the API only through @greenfin/sdk (imported from source).
 *
 * Where the expected figures come from:
 * - the green score and the loan: @greenfin/core called directly in this test with the same
 *   inputs (the library the API uses, so this checks what the API feeds it, stores and serves),
 *   and the published EcoTech figures in docs/reports.md ("score 85.0, band A, £500,000 over 60 months at 6.50 %
 *   (APR 6.92 %), £7,051.41 interest saved"), which packages/core/examples/ecotech.ts prints;
 * - the instalment: also the spreadsheet annuity formula (formulajs PMT), independent of core;
 * - the company details: the registry record the fake registry serves;
 * - the metrics: test/e2e/fixtures/ecotech-environmental-metrics.csv, checked below to hold
 *   exactly the EcoTech example's three years (packages/core/src/examples/ecotech-data.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PMT } from '@formulajs/formulajs';
import { parse } from 'csv-parse/sync';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  ecotechExample as eco,
  fromDecimalString,
  greenScore,
  priceLoan,
  toDecimalString,
} from '../../packages/core/src/index.js';
import {
  createGreenfinClient,
  downloadReport,
  importFile,
  simulateLoan,
  verifyWebhook,
  waitForOperation,
  WebhookVerificationError,
  type GreenfinClient,
} from '../../packages/sdk/src/index.js';
import {
  sendJson,
  startFakeRegistryServer,
  type FakeRegistryServer,
} from '../../packages/workflows/src/registries/__tests__/fake-registry-server.js';
import {
  startWebhookReceiver,
  type WebhookReceiver,
} from '../../packages/workflows/test/support/webhook-receiver.js';
import { redisUrl, startApiProcess, type ApiProcess } from './support/api-process.js';
import { ECOTECH_NUMBER, ecotechCompanyProfile, ecotechRegistry } from './support/ecotech-registry.js';

const METRICS_CSV = new URL('./fixtures/ecotech-environmental-metrics.csv', import.meta.url);
const REGISTRY_KEY = 'e2e-companies-house-key';
const HOOK_PATH = '/hooks/greenfin';
/** Operations poll at the API's Retry-After (≥ 1 s); nothing in this journey should take long. */
const WAIT = { timeoutMs: 30_000, pollIntervalMs: 200 };

let registry: FakeRegistryServer;
let receiver: WebhookReceiver;
let api: ApiProcess;
let work: string;

beforeAll(async () => {
  // The same lookup the renderer makes (packages/workflows/src/reports/renderer.ts).
  const chromium = process.env.CHROMIUM_PATH || process.env.PUPPETEER_EXECUTABLE_PATH || '/usr/bin/chromium';
  if (!existsSync(chromium)) throw new Error(`the e2e test renders a PDF: no Chromium at ${chromium}`);
  execFileSync('pdftotext', ['-v'], { stdio: 'ignore' }); // throws ENOENT without poppler-utils
  work = mkdtempSync(join(tmpdir(), 'greenfin-e2e-'));
  registry = await startFakeRegistryServer();
  registry.handle((request, response) =>
    request.method === 'GET' && request.url === `/company/${ECOTECH_NUMBER}`
      ? sendJson(response, 200, ecotechCompanyProfile)
      : sendJson(response, 404, { errors: [{ error: 'company-profile-not-found', type: 'ch:service' }] }),
  );
  receiver = await startWebhookReceiver();
  api = await startApiProcess({
    COMPANIES_HOUSE_API_KEY: REGISTRY_KEY,
    COMPANIES_HOUSE_API_URL: registry.baseUrl,
    // The receiver listens on 127.0.0.1, which production refuses (SSRF guard).
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  });
}, 60_000);

afterAll(async () => {
  const prefix = api?.redisKeyPrefix;
  const ended = await api?.stop();
  await receiver?.close();
  await registry?.close();
  if (work) rmSync(work, { recursive: true, force: true });
  if (ended) {
    // SIGTERM ran main.ts's graceful shutdown to its `process.exit(0)` …
    expect(ended).toEqual({ code: 0, signal: null });
    // … and nothing on the journey was logged as an error (pino level 50 error, 60 fatal).
    const errors = api
      .output()
      .split('\n')
      .filter((line) => /"level":\s*(50|60)\b/.test(line));
    expect(errors).toEqual([]);
  }
  // The cleanup itself is checked: nothing of this run may be left in the shared Redis.
  if (prefix) expect(await keysLeft(prefix)).toEqual([]);
}, 30_000);

async function keysLeft(prefix: string): Promise<string[]> {
  const redis = new Redis(redisUrl);
  try {
    return await redis.keys(`${prefix}*`);
  } finally {
    redis.disconnect();
  }
}

/** The metrics CSV as the bank's spreadsheet exported it. */
function metricsCsv(): string {
  return readFileSync(METRICS_CSV, 'utf8');
}

async function until<T>(read: () => T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

it('a bank signs up, enriches and scores EcoTech, prices its £500,000 loan, downloads the CSV and PDF, and gets a signed report.ready webhook', async () => {
  const baseUrl = api.baseUrl;

  // 1. Sign up; the admin creates the API key the bank's back end works with.
  const anonymous = createGreenfinClient({ baseUrl });
  const signup = await anonymous.POST('/v1/auth/signup', {
    body: {
      organizationName: 'Midlands Green Bank',
      email: 'integration@midlands-green.example',
      password: 'correct-horse-battery-staple',
    },
  });
  expect(signup.error).toBeUndefined();
  expect(signup.data!.user.role).toBe('admin');
  const admin = createGreenfinClient({ baseUrl, accessToken: signup.data!.accessToken });
  const key = await admin.POST('/v1/api-keys', { body: { name: 'loan origination', role: 'analyst' } });
  expect(key.response.status).toBe(201);
  const bank: GreenfinClient = createGreenfinClient({ baseUrl, apiKey: key.data!.key });

  // 2. A webhook endpoint for report.ready only; its secret is shown this once.
  const endpoint = await admin.POST('/v1/webhook-endpoints', {
    body: { url: receiver.url(HOOK_PATH), events: ['report.ready'], description: 'reports' },
  });
  expect(endpoint.response.status).toBe(201);
  const secret = endpoint.data!.secret;
  expect(secret).toMatch(/^whsec_/);

  // 3. Register EcoTech by its company number (the name as typed; the registry will correct it),
  //    with the emissions target and balance sheet from its loan application.
  const gbp = (m: { amount: number; currency: 'GBP' }) => ({
    amount: toDecimalString(m),
    currency: m.currency,
  });
  const created = await bank.POST('/v1/companies', {
    body: {
      jurisdiction: 'gb',
      companyNumber: ECOTECH_NUMBER,
      name: 'Ecotech (as typed by the relationship manager)',
      emissionsTarget: { status: 'set', ...eco.target },
      balanceSheet: {
        basis: 'equity-plus-debt',
        equity: gbp(eco.balanceSheet.equity),
        debt: gbp(eco.balanceSheet.debt),
      },
    },
  });
  expect(created.response.status).toBe(201);
  const companyId = created.data!.id;
  expect(created.data!.sicCodes).toEqual([]);

  /** The served score, without the fields core does not compute (company id, time of computing). */
  const servedScore = async () => {
    const { data, response } = await bank.GET('/v1/companies/{id}/green-score', {
      params: { path: { id: companyId } },
    });
    expect(response.status).toBe(200);
    const { companyId: scoredId, computedAt, ...score } = data!;
    expect(scoredId).toBe(companyId);
    expect(Date.parse(computedAt)).not.toBeNaN();
    return { score, cache: response.headers.get('X-Cache') };
  };
  const coreScore = (sicCodes: readonly string[], metrics: typeof eco.metrics | []) =>
    JSON.parse(JSON.stringify(greenScore({ sicCodes, metrics, target: eco.target }))) as unknown;

  // Scored before anything is known: no sector, no metrics (band E). The score is now cached (in
  // Redis), so every later read checks that enrichment and the import invalidated it.
  const unknown = await servedScore();
  expect(unknown.score).toEqual(coreScore([], []));
  expect(unknown.score.band).toBe('E');
  expect((await servedScore()).cache).toBe('hit');

  // 4. Enrichment from the registry.
  const enrichment = await bank.POST('/v1/enrichment-jobs', { body: { companyIds: [companyId] } });
  expect(enrichment.response.status).toBe(202);
  const enriched = await waitForOperation(bank, enrichment.data!.id, WAIT);
  expect(enriched).toMatchObject({
    kind: 'enrichment',
    engine: 'in-process',
    result: { counts: { total: 1, updated: 1, notFound: 0, failed: 0 } },
  });
  // The worker called Companies House with the configured key as HTTP basic auth (its scheme).
  const lookups = registry.requests.filter((r) => r.url === `/company/${ECOTECH_NUMBER}`);
  expect(lookups).toHaveLength(1);
  expect(lookups[0]!.headers.authorization).toBe(
    `Basic ${Buffer.from(`${REGISTRY_KEY}:`).toString('base64')}`,
  );
  const company = (await bank.GET('/v1/companies/{id}', { params: { path: { id: companyId } } })).data!;
  const address = ecotechRegistry.address;
  expect(company).toMatchObject({
    name: ecotechRegistry.name,
    incorporationDate: ecotechRegistry.incorporationDate,
    sicCodes: [...ecotechRegistry.sicCodes],
    sector: 'C', // SIC 2007 division 25 (fabricated metal products) is section C, manufacturing
    source: 'companies-house',
    enrichmentStatus: 'enriched',
    locality: address.locality,
    registeredAddress: {
      lines: [address.address_line_1, address.address_line_2],
      locality: address.locality,
      region: address.region,
      postalCode: address.postal_code,
      country: address.country,
    },
  });

  // The registry's SIC code now places it in its sector; still no metrics.
  const sectorOnly = await servedScore();
  expect(sectorOnly.cache).toBe('miss');
  expect(sectorOnly.score).toEqual(coreScore(ecotechRegistry.sicCodes, []));
  expect(sectorOnly.score.inputs).toMatchObject({ sicCode: '25210', section: 'C' });

  // 5. Three years of metrics from the CSV, uploaded as multipart/form-data by the SDK's importFile.
  const csv = metricsCsv();
  const fileRows = parse(csv, { columns: true }) as Record<string, string>[];
  // The fixture is the EcoTech example, year for year (so core's figures below apply to it).
  expect(
    fileRows.map((r) => ({
      year: Number(r.year),
      energyMwh: Number(r.energy_mwh),
      scope1Tco2e: Number(r.scope1_tco2e),
      scope2Tco2e: Number(r.scope2_tco2e),
      scope3Tco2e: Number(r.scope3_tco2e),
      revenue: fromDecimalString(r.revenue_amount!, 'GBP'),
      renewableShare: Number(r.renewable_share),
      verified: r.verified === 'true',
      pcafDataQuality: Number(r.pcaf_data_quality),
    })),
  ).toEqual(eco.metrics);
  const upload = await importFile(bank, 'environmental-metrics', csv, {
    fileName: 'ecotech-environmental-metrics.csv',
  });
  expect(upload).toMatchObject({ kind: 'import', status: expect.stringMatching(/^(queued|running)$/) });
  const imported = await waitForOperation(bank, upload.id, WAIT);
  expect(imported).toMatchObject({
    kind: 'import',
    result: { dataset: 'environmental-metrics', rows: { total: 3, accepted: 3, rejected: 0 } },
  });

  // 6. The green score: exactly what core computes from the same inputs, and the published figure.
  const expectedScore = greenScore({
    sicCodes: ecotechRegistry.sicCodes,
    metrics: eco.metrics,
    target: eco.target,
  });
  const { score: scored, cache } = await servedScore();
  expect(cache).toBe('miss');
  expect(scored).toEqual(coreScore(ecotechRegistry.sicCodes, eco.metrics));
  expect(scored.components.map((c) => [c.id, c.points])).toEqual(
    expectedScore.components.map((c) => [c.id, c.points]),
  );
  // docs/reports.md: "score 85.0, band A".
  expect(scored.score).toBe(85);
  expect(scored.band).toBe('A');

  // 7. The £500,000 five-year loan of the example, with its £2,500 arrangement fee.
  const simulation = await simulateLoan(bank, {
    companyId,
    principal: gbp(eco.loan.principal),
    termMonths: eco.loan.termMonths,
    startDate: eco.loan.startDate,
    baseRate: eco.loan.baseRate,
    creditSpread: eco.loan.creditSpread,
    fees: { upfront: gbp(eco.loan.arrangementFee) },
  });
  const priced = priceLoan({
    principal: eco.loan.principal.amount,
    currency: eco.loan.principal.currency,
    termMonths: eco.loan.termMonths,
    startDate: eco.loan.startDate,
    baseRate: eco.loan.baseRate,
    creditSpread: eco.loan.creditSpread,
    greenScore: expectedScore,
    fees: { upfront: eco.loan.arrangementFee.amount },
  });
  expect(simulation.greenDiscount.band).toBe('A');
  expect(simulation.greenDiscount.applied).toBe(priced.greenDiscount.applied);
  expect(simulation.greenDiscount.applied).toBeGreaterThan(0);
  expect(simulation.rateBeforeDiscount).toBe(priced.rateBeforeDiscount);
  expect(simulation.finalRate).toBe(priced.finalRate);
  expect(simulation.finalRate).toBeCloseTo(
    simulation.rateBeforeDiscount - simulation.greenDiscount.applied,
    12,
  );
  expect(simulation.apr).toBe(priced.apr);
  expect(simulation.regularPayment).toEqual({
    amount: toDecimalString({ amount: priced.regularPayment, currency: 'GBP' }),
    currency: 'GBP',
  });
  // Independently of core: the annuity instalment at the final rate, by the spreadsheet formula
  // (formulajs PMT, Excel-compatible), rounded to the penny.
  const pmt = PMT(simulation.finalRate / 12, eco.loan.termMonths, -eco.loan.principal.amount / 100);
  if (typeof pmt !== 'number') throw pmt;
  expect(fromDecimalString(simulation.regularPayment.amount, 'GBP').amount).toBe(Math.round(pmt * 100));
  expect(fromDecimalString(simulation.interestSaved.amount, 'GBP').amount).toBe(priced.interestSaved);
  // docs/reports.md: "at 6.50 % (APR 6.92 %), £7,051.41 interest saved".
  expect(simulation.finalRate).toBeCloseTo(0.065, 12);
  expect((simulation.apr * 100).toFixed(2)).toBe('6.92');
  expect(simulation.interestSaved).toEqual({ amount: '7051.41', currency: 'GBP' });

  const { data: schedule } = await bank.GET('/v1/loan-simulations/{id}/schedule', {
    params: { path: { id: simulation.id } },
  });
  // JSON unless asked for CSV (the response type is the union of both).
  if (typeof schedule !== 'object') throw new Error(`expected the JSON schedule, got ${typeof schedule}`);
  expect(schedule.installments).toHaveLength(60);
  const pence = (m: { amount: string }) => fromDecimalString(m.amount, 'GBP').amount;
  expect(schedule.installments.reduce((sum, r) => sum + pence(r.principal), 0)).toBe(50_000_000);
  expect(schedule.installments.at(-1)!.balance.amount).toBe('0.00');
  expect(schedule.installments.map((r) => pence(r.payment))).toEqual(
    priced.schedule.installments.map((r) => r.payment),
  );

  // 8. The schedule as CSV: the same 60 rows; principal sums to the principal, the last balance is 0.
  const scheduleCsv = await downloadReport(bank, simulation.id, 'csv');
  const rows = parse(scheduleCsv, { columns: true }) as Record<string, string>[];
  expect(rows).toHaveLength(60);
  expect(rows.reduce((sum, r) => sum + fromDecimalString(r.principal!, 'GBP').amount, 0)).toBe(50_000_000);
  expect(rows.reduce((sum, r) => sum + fromDecimalString(r.interest!, 'GBP').amount, 0)).toBe(
    priced.totalInterest,
  );
  expect(rows.at(-1)!.balance).toBe('0.00');
  expect(rows.map((r) => r.payment)).toEqual(schedule.installments.map((r) => r.payment.amount));

  // 9. The PDF report (202 → operation → PDF, rendered by Chromium): a PDF naming the company and rate.
  const pdf = await downloadReport(bank, simulation.id, 'pdf', { timeoutMs: 60_000, pollIntervalMs: 200 });
  expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
  const pdfPath = join(work, 'report.pdf');
  writeFileSync(pdfPath, pdf);
  const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
  expect(text).toContain(ecotechRegistry.name);
  expect(text).toContain(`${(priced.finalRate * 100).toFixed(2)}%`);

  // 10. The report.ready webhook: verified with the endpoint's secret, refused once tampered with.
  const delivery = await until(() => receiver.requestsTo(HOOK_PATH)[0], 'the report.ready webhook');
  const event = verifyWebhook<{ type: string; data: Record<string, unknown> }>(
    delivery.body,
    delivery.headers,
    secret,
  );
  expect(event.type).toBe('report.ready');
  expect(event.data).toMatchObject({ kind: 'report', status: 'succeeded' });
  // The link in the event serves the stored PDF at once (no second rendering, no 202).
  expect(event.data.resourceLocation).toBe(`/v1/loan-simulations/${simulation.id}/report`);
  const stored = await bank.GET('/v1/loan-simulations/{id}/report', {
    params: { path: { id: simulation.id } },
    headers: { Accept: 'application/pdf' },
    parseAs: 'arrayBuffer',
  });
  expect(stored.response.status).toBe(200);
  expect(stored.response.headers.get('Content-Type')).toMatch(/^application\/pdf/);
  expect(Buffer.from(stored.data as ArrayBuffer).equals(Buffer.from(pdf))).toBe(true);
  const reportOperation = await bank.GET('/v1/operations/{id}', {
    params: { path: { id: String(event.data.operationId) } },
  });
  expect(reportOperation.data).toMatchObject({ kind: 'report', status: 'succeeded' });
  const tampered = delivery.body.replace('"succeeded"', '"failed"');
  expect(tampered).not.toBe(delivery.body);
  expect(() => verifyWebhook(tampered, delivery.headers, secret)).toThrow(WebhookVerificationError);
  // Subscribed to report.ready only: the enrichment and import jobs' events were not sent here.
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(receiver.requestsTo(HOOK_PATH).map((r) => JSON.parse(r.body).type)).toEqual(['report.ready']);

  // The process ran on the shared Redis, every key under its own prefix: the green-score cache,
  // the rate-limit counters and BullMQ's webhook queue.
  const keys = await api.redisKeys();
  for (const part of ['cache:', 'rl:', 'bull:']) {
    expect(
      keys.some((k) => k.startsWith(`${api.redisKeyPrefix}${part}`)),
      part,
    ).toBe(true);
  }
}, 90_000);
