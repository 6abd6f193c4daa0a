import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './support/client.js';
import { createCompany, createTenant, type Tenant } from './support/fixtures.js';
import { startTestApi, type TestApi } from './support/harness.js';

let api: TestApi;
let tenant: Tenant;
beforeAll(async () => {
  api = await startTestApi({ SIMULATION_SYNCHRONOUS_COMMIT: 'off' });
  tenant = await createTenant(api);
});
afterAll(() => api.close());

describe('SIMULATION_SYNCHRONOUS_COMMIT=off', () => {
  it('stores and serves simulations as usual, and leaves no pooled connection asynchronous', async () => {
    const companyId = await createCompany(api, tenant.tokens.analyst);
    const body = { companyId, principal: { amount: '250000.00', currency: 'GBP' }, termMonths: 36 };
    const created = await Promise.all(
      Array.from({ length: 10 }, () =>
        call(api, 'post', '/v1/loan-simulations', { token: tenant.tokens.analyst, body }),
      ),
    );
    expect(created.map((r) => r.status)).toEqual(Array(10).fill(201));
    const read = await call(api, 'get', `/v1/loan-simulations/${created[0]?.body.id}`, {
      token: tenant.tokens.viewer,
    });
    expect(read.body).toEqual(created[0]?.body);
    // The setting was the INSERT's own transaction's: every connection of the pool is back to on.
    const settings = await Promise.all(
      Array.from({ length: 10 }, () =>
        api.orm.em.getConnection().execute<{ synchronous_commit: string }[]>('show synchronous_commit'),
      ),
    );
    expect(settings.flat().map((row) => row.synchronous_commit)).toEqual(Array(10).fill('on'));
  });
});
