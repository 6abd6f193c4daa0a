import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookStore } from '@greenfin/workflows';
import { allRoutes } from '../src/app.js';
import { hasRole, ROLES, type Role } from '../src/http/context.js';
import { call, type Method } from './support/client.js';
import { createCompany, createTenant, PASSWORD, type Tenant } from './support/fixtures.js';
import { startTestApi, type TestApi } from './support/harness.js';

let api: TestApi;
let a: Tenant;
let b: Tenant;
/** Tenant A's resources, which tenant B must never see. */
const aIds = {
  company: '',
  user: '',
  apiKey: '',
  simulation: '',
  operation: '',
  webhook: '',
  rule: '',
  transaction: '',
  alert: '',
  year: 2024,
};
const oneTransaction = {
  accountRef: 'GB00ABANK0001',
  bookingDate: '2025-01-31',
  amount: { amount: '-12.50', currency: 'GBP' },
  description: 'CARD PAYMENT',
};

beforeAll(async () => {
  api = await startTestApi();
  a = await createTenant(api, 'Abank');
  b = await createTenant(api, 'Bbank');
  aIds.company = await createCompany(api, a.tokens.analyst);
  await call(api, 'post', `/v1/companies/${aIds.company}/metrics`, {
    token: a.tokens.analyst,
    body: { year: 2024, energyMwh: 500 },
  });
  const user = await call(api, 'post', '/v1/users', {
    token: a.tokens.admin,
    body: {
      email: `victim-${randomBytes(3).toString('hex')}@abank.example`,
      password: PASSWORD,
      role: 'viewer',
    },
  });
  aIds.user = user.body.id;
  const key = await call(api, 'post', '/v1/api-keys', {
    token: a.tokens.admin,
    body: { name: 'A key', role: 'viewer' },
  });
  aIds.apiKey = key.body.id;
  const simulation = await call(api, 'post', '/v1/loan-simulations', {
    token: a.tokens.analyst,
    body: simulationBody(aIds.company),
  });
  expect(simulation.status).toBe(201);
  aIds.simulation = simulation.body.id;
  // No registry is configured here: the job fails, and its operation is still A's alone.
  const job = await call(api, 'post', '/v1/enrichment-jobs', {
    token: a.tokens.analyst,
    body: { companyIds: [aIds.company] },
  });
  expect(job.status).toBe(202);
  aIds.operation = job.body.id;
  // Straight into the store: this API refuses private URLs and has no DNS for public ones.
  const endpoint = await new WebhookStore(api.app.services.pool).createEndpoint({
    organizationId: a.organizationId,
    url: 'https://hooks.abank.example/greenfin',
    events: ['report.ready'],
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  });
  aIds.webhook = endpoint.id;
  const rule = await call(api, 'post', '/v1/category-rules', {
    token: a.tokens.analyst,
    body: { field: 'description', match: 'keyword', pattern: 'card payment', category: 'card' },
  });
  aIds.rule = rule.body.id;
  await call(api, 'post', `/v1/companies/${aIds.company}/transactions`, {
    token: a.tokens.analyst,
    body: { transactions: [oneTransaction] },
  });
  const listed = await call(api, 'get', `/v1/companies/${aIds.company}/transactions`, {
    token: a.tokens.viewer,
  });
  aIds.transaction = listed.body.items[0].id;
  const alert = await api.pool.query(
    `insert into "alerts" ("organization_id", "company_id", "rule", "severity", "fingerprint", "message")
     values ($1, $2, 'negative-net-cash-flow', 'warning', $3, 'test') returning "id"`,
    [a.organizationId, aIds.company, `negative-net-cash-flow:${aIds.company}`],
  );
  aIds.alert = alert.rows[0].id;
  // A's score is now cached: B must still get a 404 for it (cache keys are per tenant).
  const score = await call(api, 'get', `/v1/companies/${aIds.company}/green-score`, {
    token: a.tokens.viewer,
  });
  expect(score.headers['x-cache']).toBe('hit');
});
afterAll(() => api.close());

function simulationBody(companyId: string) {
  return { companyId, principal: { amount: '100000.00', currency: 'GBP' }, termMonths: 24 };
}

/** A request each route accepts (valid body), aimed at the given ids. */
function sample(route: (typeof allRoutes)[number], ids: typeof aIds) {
  const id = route.path.startsWith('/v1/users')
    ? ids.user
    : route.path.startsWith('/v1/api-keys')
      ? ids.apiKey
      : route.path.startsWith('/v1/loan-simulations')
        ? ids.simulation
        : route.path.startsWith('/v1/operations')
          ? ids.operation
          : route.path.startsWith('/v1/webhook-endpoints')
            ? ids.webhook
            : route.path.startsWith('/v1/category-rules')
              ? ids.rule
              : route.path.startsWith('/v1/alerts')
                ? ids.alert
                : ids.company;
  const path = route.path
    .replace('{id}', id)
    .replace('{year}', String(ids.year))
    .replace('{deliveryId}', randomUUID())
    .replace('{txId}', ids.transaction);
  const unique = randomBytes(4).toString('hex');
  const bodies: Record<string, unknown> = {
    createUser: { email: `u-${unique}@example.com`, password: PASSWORD, role: 'viewer' },
    createApiKey: { name: `key ${unique}`, role: 'viewer' },
    createCompany: { jurisdiction: 'gb', companyNumber: unique.toUpperCase(), name: `Co ${unique}` },
    updateCompany: { name: `Renamed ${unique}` },
    createMetric: { year: 2030 },
    putMetric: { energyMwh: 1 },
    createLoanSimulation: simulationBody(ids.company),
    createWebhookEndpoint: { url: 'https://127.0.0.1/refused', events: ['report.ready'] },
    ingestTransactions: { transactions: [oneTransaction] },
    updateTransaction: { category: 'manual' },
    createCategoryRule: { field: 'description', match: 'keyword', pattern: 'rent', category: 'rent' },
    updateCategoryRule: { priority: 1 },
    startAlertEvaluation: {},
  };
  return { path, body: bodies[route.operationId] };
}

describe('tenancy: another tenant’s ids are 404 on every route that takes one', () => {
  const routesWithIds = allRoutes.filter((r) => r.path.includes('{id}'));

  it('covers every route with an id', () => {
    expect(routesWithIds.map((r) => r.operationId).sort()).toEqual(
      [
        'createMetric',
        'deleteCompany',
        'deleteMetric',
        'deleteUser',
        'getCompany',
        'getGreenScore',
        'getMetric',
        'getLoanSimulation',
        'getLoanSimulationSchedule',
        'getLoanSimulationReport',
        'deleteLoanSimulation',
        'getOperation',
        'cancelOperation',
        'getImportRejects',
        'getWebhookEndpoint',
        'deleteWebhookEndpoint',
        'listWebhookDeliveries',
        'replayWebhookDelivery',
        'listMetrics',
        'putMetric',
        'revokeApiKey',
        'updateCompany',
        'ingestTransactions',
        'listTransactions',
        'updateTransaction',
        'getCashFlow',
        'getCategoryRule',
        'updateCategoryRule',
        'deleteCategoryRule',
        'recategoriseTransactions',
        'acknowledgeAlert',
      ].sort(),
    );
  });

  for (const route of routesWithIds) {
    it(`${route.method.toUpperCase()} ${route.path} (${route.operationId}) as tenant B's admin → 404`, async () => {
      const { path, body } = sample(route, aIds);
      const res = await call(api, route.method as Method, path, { token: b.tokens.admin, body });
      expect(res.status).toBe(404);
      expect(res.body.type).toBe('/problems/not-found');
    });
  }

  it('a loan simulation for another tenant’s company is a 422 on #/companyId, and creates nothing', async () => {
    const res = await call(api, 'post', '/v1/loan-simulations', {
      token: b.tokens.admin,
      body: simulationBody(aIds.company),
    });
    expect(res.status).toBe(422);
    expect(res.body.type).toBe('/problems/unknown-company');
    expect(res.body.errors).toEqual([expect.objectContaining({ in: 'body', pointer: '#/companyId' })]);
    const own = await call(api, 'get', '/v1/loan-simulations?limit=100', { token: b.tokens.viewer });
    expect(own.body.items).toEqual([]);
  });

  it('lists never show another tenant’s rows, and A’s data is untouched', async () => {
    const companies = await call(api, 'get', '/v1/companies', { token: b.tokens.viewer });
    expect(companies.body.items.map((c: { id: string }) => c.id)).not.toContain(aIds.company);
    const users = await call(api, 'get', '/v1/users?limit=100', { token: b.tokens.admin });
    expect(users.body.items.map((u: { id: string }) => u.id)).not.toContain(aIds.user);
    const keys = await call(api, 'get', '/v1/api-keys?limit=100', { token: b.tokens.admin });
    expect(keys.body.items.map((k: { id: string }) => k.id)).not.toContain(aIds.apiKey);
    for (const query of ['', `?companyId=${aIds.company}`]) {
      const sims = await call(api, 'get', `/v1/loan-simulations${query}`, { token: b.tokens.viewer });
      expect(sims.status).toBe(200);
      expect(sims.body.items).toEqual([]);
    }

    const company = await call(api, 'get', `/v1/companies/${aIds.company}`, { token: a.tokens.viewer });
    expect(company.body.version).toBe(1);
    expect(
      (await call(api, 'get', `/v1/companies/${aIds.company}/metrics/2024`, { token: a.tokens.viewer }))
        .status,
    ).toBe(200);
    expect(
      (await call(api, 'get', `/v1/companies/${aIds.company}/metrics/2030`, { token: a.tokens.viewer }))
        .status,
    ).toBe(404);
    const aUsers = await call(api, 'get', '/v1/users?limit=100', { token: a.tokens.admin });
    expect(aUsers.body.items.map((u: { id: string }) => u.id)).toContain(aIds.user);
    const aSimulation = await call(api, 'get', `/v1/loan-simulations/${aIds.simulation}`, {
      token: a.tokens.viewer,
    });
    expect(aSimulation.status).toBe(200);
    expect(aSimulation.body.companyId).toBe(aIds.company);
    const aKeys = await call(api, 'get', '/v1/api-keys?limit=100', { token: a.tokens.admin });
    expect(aKeys.body.items.find((k: { id: string }) => k.id === aIds.apiKey)?.revokedAt).toBeNull();
  });
});

describe('roles: viewer < analyst < admin on every protected route, for tokens and API keys alike', () => {
  const protectedRoutes = allRoutes.filter((r) => r.access !== 'public');
  const apiKeys = {} as Record<Role, string>;
  beforeAll(async () => {
    for (const role of ROLES) {
      const res = await call(api, 'post', '/v1/api-keys', {
        token: a.tokens.admin,
        body: { name: `${role} key`, role },
      });
      apiKeys[role] = res.body.key;
    }
  });
  // Ids that exist nowhere: allowed callers get past authorisation (404), so nothing is destroyed.
  const nowhere = {
    company: randomUUID(),
    user: randomUUID(),
    apiKey: randomUUID(),
    simulation: randomUUID(),
    operation: randomUUID(),
    webhook: randomUUID(),
    rule: randomUUID(),
    transaction: randomUUID(),
    alert: randomUUID(),
    year: 2024,
  };

  for (const route of protectedRoutes) {
    it(`${route.method.toUpperCase()} ${route.path} needs ${route.access}`, async () => {
      const anonymous = sample(route, nowhere);
      expect((await call(api, route.method as Method, anonymous.path, { body: anonymous.body })).status).toBe(
        401,
      );
      for (const role of ROLES) {
        for (const [kind, token] of [
          ['token', a.tokens[role]],
          ['api key', apiKeys[role]],
        ] as const) {
          const { path, body } = sample(route, nowhere);
          const res = await call(api, route.method as Method, path, { token, body });
          const allowed = hasRole(role, route.access as Role);
          if (allowed) expect([401, 403], `${role} ${kind}`).not.toContain(res.status);
          else expect(res.status, `${role} ${kind}`).toBe(403);
        }
      }
    });
  }
});
