/**
 * Pricing threads (src/modules/loan-simulations/pricing-pool.ts): a simulation priced on a worker
 * thread is byte for byte the one priced in the request's thread; core's errors cross as the same
 * `GreenfinError`; a thread that dies fails only its own jobs and is replaced. Then the API with a
 * pricing thread: the 201 body is what a later GET of the stored row answers.
 */
import { ecotechExample, ErrorCode, GreenfinError, toDecimalString } from '@greenfin/core';
import { availableParallelism } from 'node:os';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createPricer, inlinePricer } from '../src/modules/loan-simulations/pricing-pool.js';
import type { PricingJob, SimulationDraft } from '../src/modules/loan-simulations/simulation-pricing.js';
import { call } from './support/client.js';
import { createCompany, createTenant, type Tenant } from './support/fixtures.js';
import { startTestApi, type TestApi } from './support/harness.js';

const { balanceSheet, loan, project } = ecotechExample;
/** A pricing thread that dies on the job `die` and hangs on the job `hang`. */
const faulty = new URL('./support/faulty-pricing-thread.ts', import.meta.url);

function draft(overrides: Partial<SimulationDraft> = {}): SimulationDraft {
  return {
    id: '5b0c6a52-8f3e-4a53-9a57-0f4c4f1d8a01',
    organization: '0d9f1f7e-3d0e-4c55-8e0a-7c1f5e2b9a11',
    company: '2a4c1b9e-6f1d-4e8a-9b3c-5d7e9f0a1b21',
    principalAmount: loan.principal.amount,
    currency: 'GBP',
    termMonths: loan.termMonths,
    method: 'annuity',
    frequency: 'monthly',
    dayCount: '30/360',
    startDate: loan.startDate,
    baseRate: loan.baseRate,
    creditSpread: loan.creditSpread,
    upfrontFee: loan.arrangementFee.amount,
    perPaymentFee: 0,
    defaultsApplied: ['method', 'frequency', 'dayCount'],
    greenScore: {
      score: 84,
      band: 'A',
      confidence: 0.95,
      methodologyVersion: 'greenfin-score/1.0.0',
      computedAt: '2026-03-10T12:00:00.000Z',
    },
    scoreBand: 'A',
    cashFlow: null,
    sustainabilityLinked: null,
    warnings: [],
    createdByKind: 'api-key',
    createdById: '7c2e4a1b-9d3f-4b6e-8a0c-1e2f3a4b5c61',
    idempotencyKey: null,
    version: 1,
    createdAt: new Date('2026-03-10T12:00:00Z'),
    ...overrides,
  };
}

/** EcoTech's loan (core's worked example) with its project, balance sheet and latest emissions. */
function ecotechJob(overrides: Partial<SimulationDraft> = {}): PricingJob {
  return {
    draft: draft(overrides),
    aprMethod: 'eu',
    project: {
      energySaved: project.energySaved.map((l) => ({ ...l })),
      lifetimeYears: project.lifetimeYears,
    },
    companyValue: { basis: 'equity-plus-debt', equity: balanceSheet.equity, debt: balanceSheet.debt },
    emissions: { year: 2024, scope1Tco2e: 42, scope2Tco2e: 49.8, scope3Tco2e: 1010, pcafDataQuality: null },
  };
}

/** What a pool reported lost, with causes: a thread that could not start would otherwise go unnoticed (its jobs are priced inline). */
function lossLog(): { lost: string[]; onThreadError: (error: Error) => void } {
  const lost: string[] = [];
  return { lost, onThreadError: (e) => lost.push(`${e.message} (cause: ${String(e.cause)})`) };
}

describe('a pricing thread', () => {
  const threadLosses = lossLog();
  const threaded = createPricer(1, { onThreadError: threadLosses.onThreadError });
  afterAll(async () => {
    await threaded.close();
    // Every job of these tests was priced on the thread, none inline behind a failed start.
    expect(threadLosses.lost).toEqual([]);
  });

  it('prices EcoTech exactly as the request thread does: every column and the reply, byte for byte', async () => {
    const jobs: PricingJob[] = [
      ecotechJob(),
      { ...ecotechJob(), companyValue: null, project: undefined },
      {
        ...ecotechJob(),
        companyValue: { basis: 'evic', evic: { amount: 900_000_000, currency: 'EUR' } },
      },
      { ...ecotechJob(), emissions: null },
    ];
    for (const job of jobs) {
      const [inThread, inline] = await Promise.all([threaded.price(job), inlinePricer.price(job)]);
      expect(inThread).toEqual(inline);
    }
    const priced = await threaded.price(ecotechJob());
    // The reply is the simulation's JSON: EcoTech's final rate 6.25 % − 0.75 % green discount (core's example).
    const reply = JSON.parse(priced.reply) as Record<string, unknown>;
    expect(reply).toMatchObject({ id: draft().id, finalRate: priced.finalRate, apr: priced.apr });
    expect(JSON.parse(priced.columns.warnings)).toEqual([
      expect.objectContaining({ code: 'pcaf_quality_assumed' }),
    ]);
    expect(JSON.parse(priced.columns.schedule)).toMatchObject({ format: 'columns' });
  });

  it('gives the same result as the request thread for generated terms', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          principalAmount: fc.integer({ min: 100_000, max: 500_000_000 }),
          years: fc.integer({ min: 1, max: 25 }),
          baseRate: fc.double({ min: 0, max: 0.12, noNaN: true }),
          creditSpread: fc.double({ min: 0, max: 0.08, noNaN: true }),
          method: fc.constantFrom('annuity', 'linear', 'bullet', 'interest-only'),
          frequency: fc.constantFrom('monthly', 'quarterly', 'annual'),
          score: fc.integer({ min: 0, max: 100 }),
        }),
        async ({ years, score, ...terms }) => {
          const band = score >= 80 ? 'A' : score >= 60 ? 'B' : 'C';
          const job = ecotechJob({
            ...terms,
            termMonths: years * 12,
            upfrontFee: 0,
            greenScore: { ...draft().greenScore, score, band },
            scoreBand: band,
          });
          // A result, or core's refusal: the same either way.
          const outcome = (priced: Promise<unknown>) =>
            priced.then(
              (value) => ({ value }),
              (error: unknown) => ({ error: String(error), path: (error as GreenfinError).path }),
            );
          expect(await outcome(threaded.price(job))).toEqual(await outcome(inlinePricer.price(job)));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("throws core's error again as the same GreenfinError (code, path, message)", async () => {
    const job = ecotechJob({ termMonths: 10, frequency: 'quarterly' });
    const inline = await inlinePricer.price(job).catch((e: unknown) => e);
    const inThread = await threaded.price(job).catch((e: unknown) => e);
    expect(inline).toBeInstanceOf(GreenfinError);
    expect(inThread).toBeInstanceOf(GreenfinError);
    expect(inThread).toMatchObject({
      code: ErrorCode.OutOfRange,
      path: 'termMonths',
      message: (inline as Error).message,
    });
  });

  it('that dies fails the jobs it held, and the next job gets a new thread', async () => {
    const { lost, onThreadError } = lossLog();
    const pricer = createPricer(1, { entry: faulty, onThreadError });
    try {
      expect((await pricer.price(ecotechJob())).finalRate).toBeGreaterThan(0);
      expect(lost).toEqual([]);
      const [dying, alongside] = await Promise.allSettled([
        pricer.price(ecotechJob({ id: 'die' })),
        pricer.price(ecotechJob()),
      ]);
      expect(dying).toMatchObject({
        status: 'rejected',
        reason: { message: expect.stringMatching(/exited/) },
      });
      // The job sent with it was on the same thread: it fails too, with the same error.
      expect(alongside.status).toBe('rejected');
      expect(lost).toEqual([expect.stringMatching(/exited \(code 3\)/)]);
      const again = await pricer.price(ecotechJob());
      expect(again).toEqual(await inlinePricer.price(ecotechJob()));
    } finally {
      await pricer.close();
    }
    await expect(pricer.price(ecotechJob())).rejects.toThrow(/closed/);
  });

  it('that hangs is stopped after the timeout; its job fails, the next gets a new thread', async () => {
    const lost: string[] = [];
    const pricer = createPricer(1, {
      entry: faulty,
      timeoutMs: 300,
      onThreadError: (e) => lost.push(e.message),
    });
    try {
      await pricer.price(ecotechJob());
      const started = Date.now();
      await expect(pricer.price(ecotechJob({ id: 'hang' }))).rejects.toThrow(/took over 300 ms/);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(lost).toHaveLength(1);
      expect(await pricer.price(ecotechJob())).toEqual(await inlinePricer.price(ecotechJob()));
    } finally {
      await pricer.close();
    }
  });

  it('that cannot start leaves pricing to the request thread, and says so once', async () => {
    const lost: Error[] = [];
    const pricer = createPricer(1, {
      entry: new URL('./support/unloadable-pricing-thread.ts', import.meta.url),
      onThreadError: (e) => lost.push(e),
    });
    try {
      const [first, second] = await Promise.all([pricer.price(ecotechJob()), pricer.price(ecotechJob())]);
      const expected = await inlinePricer.price(ecotechJob());
      expect(first).toEqual(expected);
      expect(second).toEqual(expected);
      expect(await pricer.price(ecotechJob())).toEqual(expected);
      expect(lost).toHaveLength(1);
      expect(lost[0]!.message).toMatch(/no pricing thread could start.*cannot load the pricing module/);
    } finally {
      await pricer.close();
    }
  });

  it('closed fails the jobs still out', async () => {
    const { lost, onThreadError } = lossLog();
    const pricer = createPricer(1, { entry: faulty, onThreadError });
    await pricer.price(ecotechJob());
    expect(lost).toEqual([]);
    const hung = expect(pricer.price(ecotechJob({ id: 'hang' }))).rejects.toThrow(/closed/);
    await pricer.close();
    await hung;
  });
});

describe('PRICING_THREADS', () => {
  it('defaults to one thread on a multi-core machine (also when compose passes it empty), and is checked', () => {
    const expected = availableParallelism() > 1 ? 1 : 0;
    expect(loadConfig({}).pricingThreads).toBe(expected);
    expect(loadConfig({ PRICING_THREADS: '' }).pricingThreads).toBe(expected);
    expect(loadConfig({ PRICING_THREADS: '0' }).pricingThreads).toBe(0);
    expect(loadConfig({ PRICING_THREADS: '3' }).pricingThreads).toBe(3);
    expect(() => loadConfig({ PRICING_THREADS: '-1' })).toThrow(/PRICING_THREADS/);
    expect(() => loadConfig({ PRICING_THREADS: 'many' })).toThrow(/PRICING_THREADS/);
  });
});

describe('the API with a pricing thread', () => {
  let api: TestApi;
  let tenant: Tenant;
  let companyId: string;
  beforeAll(async () => {
    api = await startTestApi({ PRICING_THREADS: '1' });
    tenant = await createTenant(api);
    companyId = await createCompany(api, tenant.tokens.analyst, {
      sicCodes: [...ecotechExample.company.sicCodes],
      balanceSheet: {
        basis: 'equity-plus-debt',
        equity: { amount: toDecimalString(balanceSheet.equity), currency: 'GBP' },
        debt: { amount: toDecimalString(balanceSheet.debt), currency: 'GBP' },
      },
    });
    for (const m of ecotechExample.metrics) {
      const res = await call(api, 'post', `/v1/companies/${companyId}/metrics`, {
        token: tenant.tokens.analyst,
        body: { ...m, revenue: { amount: toDecimalString(m.revenue), currency: 'GBP' } },
      });
      expect(res.status).toBe(201);
    }
  });
  afterAll(() => api.close());

  it('answers the 201 with what a GET of the stored simulation answers', async () => {
    expect(api.config.pricingThreads).toBe(1);
    const created = await call(api, 'post', '/v1/loan-simulations', {
      token: tenant.tokens.analyst,
      body: {
        companyId,
        principal: { amount: toDecimalString(loan.principal), currency: 'GBP' },
        termMonths: loan.termMonths,
        project: {
          energySaved: project.energySaved.map((l) => ({ ...l })),
          lifetimeYears: project.lifetimeYears,
        },
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.financedEmissions).not.toBeNull();
    expect(created.body.co2Savings).not.toBeNull();
    const read = await call(api, 'get', `/v1/loan-simulations/${created.body.id}`, {
      token: tenant.tokens.viewer,
    });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
    const schedule = await call(api, 'get', `/v1/loan-simulations/${created.body.id}/schedule`, {
      token: tenant.tokens.viewer,
    });
    expect(schedule.body.installments).toHaveLength(loan.termMonths);
  });

  it("answers core's error from the thread as a 422 naming the field", async () => {
    const res = await call(api, 'post', '/v1/loan-simulations', {
      token: tenant.tokens.analyst,
      body: {
        companyId,
        principal: { amount: '100000.00', currency: 'GBP' },
        termMonths: 10,
        frequency: 'quarterly',
      },
    });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(JSON.stringify(res.body)).toContain('termMonths');
  });
});
