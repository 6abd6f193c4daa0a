/**
 * The `transactions` import dataset through the real API: POST /v1/imports with `companyId` and
 * `mapping` → in-process job → the company's transactions, inserted vs duplicates in the result;
 * 422s naming `companyId` (missing, unknown, another tenant's) and `mapping`; rejects CSV; and
 * tenant isolation.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiResponse, call, postImport, settleOperation } from './support/client.js';
import { createCompany, createTenant, type Tenant } from './support/fixtures.js';
import { startTestApi, type TestApi } from './support/harness.js';

const fixtures = fileURLToPath(new URL('../../workflows/test/fixtures/imports/', import.meta.url));
const fixture = (name: string): Buffer => readFileSync(`${fixtures}${name}`);

let api: TestApi;
let tenant: Tenant;
let other: Tenant;
let companyId: string;
let otherCompanyId: string;
beforeAll(async () => {
  api = await startTestApi();
  tenant = await createTenant(api, 'Cashbank');
  other = await createTenant(api, 'Otherbank');
  companyId = await createCompany(api, tenant.tokens.analyst);
  otherCompanyId = await createCompany(api, other.tokens.analyst);
});
afterAll(() => api.close());

function upload(
  token: string,
  file: string | { name: string; content: Buffer },
  fields: Record<string, string>,
  dataset = 'transactions',
): Promise<ApiResponse> {
  const attached = typeof file === 'string' ? { name: file, content: fixture(file) } : file;
  return postImport(api, { token, dataset, fields, file: attached });
}

const settle = (token: string, location: string) => settleOperation(api, token, location);

async function importDone(
  t: Tenant,
  file: string | { name: string; content: Buffer },
  fields: Record<string, string>,
): Promise<ApiResponse> {
  const accepted = await upload(t.tokens.analyst, file, fields);
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
  return settle(t.tokens.viewer, accepted.headers.location!);
}

const count = async (organizationId: string, company: string): Promise<number> => {
  const rows = await api.orm.em
    .getConnection()
    .execute<{ n: number }[]>(
      `select count(*)::int as n from "transactions" where "organization_id" = ? and "company_id" = ?`,
      [organizationId, company],
    );
  return rows[0]!.n;
};

const pointers = (res: ApiResponse) => res.body.errors.map((e: { pointer: string }) => e.pointer);

describe('POST /v1/imports, dataset transactions', () => {
  it('the template imports into the company; the same file again adds nothing and says so', async () => {
    const done = await importDone(tenant, 'transactions-template.csv', { companyId, mapping: 'greenfin' });
    expect(done.body.status, JSON.stringify(done.body.error)).toBe('succeeded');
    expect(done.body.result).toMatchObject({
      dataset: 'transactions',
      rows: { total: 8, accepted: 8, rejected: 0 },
      transactions: { companyId, inserted: 8, duplicates: 0, accountsCreated: 1 },
    });
    expect(await count(tenant.organizationId, companyId)).toBe(8);
    const again = await importDone(tenant, 'transactions-template.csv', { companyId });
    expect(again.body.result.transactions).toMatchObject({ inserted: 0, duplicates: 8 });
    expect(await count(tenant.organizationId, companyId)).toBe(8);
  });

  it('a UK debit/credit export with a JSON mapping; rejects downloadable as CSV', async () => {
    const company = await createCompany(api, tenant.tokens.analyst);
    const uk = await importDone(tenant, 'transactions-uk-debit-credit.csv', {
      companyId: company,
      mapping: JSON.stringify({ preset: 'uk-debit-credit', currency: 'GBP' }),
    });
    expect(uk.body.result.transactions).toMatchObject({ inserted: 5, duplicates: 0 });

    const bad = await importDone(tenant, 'transactions-bad-rows.csv', { companyId: company });
    expect(bad.body.result.rows).toEqual({ total: 9, accepted: 2, rejected: 7 });
    const csv = await call(api, 'get', `/v1/operations/${bad.body.id}/rejects`, {
      token: tenant.tokens.viewer,
      headers: { Accept: 'text/csv' },
    });
    expect(csv.status).toBe(200);
    const lines = csv.text.trimEnd().split('\n');
    expect(lines[0]).toBe('line,field,reason,raw');
    expect(lines[1]).toMatch(
      /^3,bookingDate,"bookingDate: must be a calendar date YYYY-MM-DD, got ""2025-02-30"""/,
    );
    expect(lines).toHaveLength(8);
  });

  it('a header the mapping does not fit fails the operation naming the missing columns', async () => {
    const done = await importDone(tenant, 'transactions-uk-debit-credit.csv', { companyId });
    expect(done.body.status).toBe('failed');
    expect(done.body.error.detail).toMatch(
      /missing required columns "accountRef", "bookingDate", "amount", "currency"/,
    );
  });

  it('422 naming companyId when it is missing, not a UUID, unknown, or another tenant’s', async () => {
    const missing = await upload(tenant.tokens.analyst, 'transactions-template.csv', {});
    expect(missing.status).toBe(422);
    expect(pointers(missing)).toEqual(['#/companyId']);
    expect(missing.body.errors[0].code).toBe('required');
    for (const id of ['not-a-uuid', '00000000-0000-4000-8000-000000000000', otherCompanyId]) {
      const res = await upload(tenant.tokens.analyst, 'transactions-template.csv', { companyId: id });
      expect(res.status, id).toBe(422);
      expect(pointers(res)).toEqual(['#/companyId']);
      expect(res.body.errors[0].code).toBe('not_found');
    }
    // Nothing reached the other tenant's company.
    expect(await count(other.organizationId, otherCompanyId)).toBe(0);
    expect(await count(tenant.organizationId, otherCompanyId)).toBe(0);
  });

  it('422 naming mapping for an unknown preset or an invalid mapping object, with its path', async () => {
    const preset = await upload(tenant.tokens.analyst, 'transactions-template.csv', {
      companyId,
      mapping: 'hsbc',
    });
    expect(preset.status).toBe(422);
    expect(pointers(preset)).toEqual(['#/mapping']);
    expect(preset.body.errors[0].detail).toMatch(/must be one of "greenfin", "berka", "uk-debit-credit"/);
    const object = await upload(tenant.tokens.analyst, 'transactions-template.csv', {
      companyId,
      mapping: '{"columns": {"bookingDate": "Date", "amount": "Amount"}, "dateFormat": "D/M/Y"}',
    });
    expect(object.status).toBe(422);
    expect(object.body.errors[0].detail).toMatch(/^mapping\.dateFormat: must be one of/);
    const json = await upload(tenant.tokens.analyst, 'transactions-template.csv', {
      companyId,
      mapping: '{nope',
    });
    expect(json.status).toBe(422);
    expect(json.body.errors[0].detail).toMatch(/^mapping: is not valid JSON/);
  });

  it('422 for companyId or mapping on another dataset', async () => {
    const res = await upload(tenant.tokens.analyst, 'ecb-fx-bad-rows.csv', { companyId }, 'fx-rates');
    expect(res.status).toBe(422);
    expect(pointers(res)).toEqual(['#/companyId']);
    const mapping = await upload(
      tenant.tokens.analyst,
      'ecb-fx-bad-rows.csv',
      { mapping: 'berka' },
      'fx-rates',
    );
    expect(pointers(mapping)).toEqual(['#/mapping']);
  });

  it('an Idempotency-Key replays its import; the same key for another company or mapping is a 422', async () => {
    const send = (fields: Record<string, string>) =>
      api.http
        .post('/v1/imports')
        .set('Authorization', `Bearer ${tenant.tokens.analyst}`)
        .set('Idempotency-Key', 'statement-2025-01')
        .field('dataset', 'transactions')
        .field(fields)
        .attach('file', fixture('transactions-template.csv'), 'statement.csv');
    const mapping = '{"preset": "greenfin", "currency": "GBP", "dateFormat": "YYYY-MM-DD"}';
    const first = await send({ companyId, mapping });
    expect(first.status).toBe(202);
    await settle(tenant.tokens.viewer, first.headers.location!);
    await api.orm.em.getConnection().execute(`delete from "idempotency_records"`);
    const again = await send({ companyId, mapping });
    expect(again.status).toBe(202);
    expect(again.body.id).toBe(first.body.id);
    const company = await createCompany(api, tenant.tokens.analyst);
    await api.orm.em.getConnection().execute(`delete from "idempotency_records"`);
    const otherCompany = await send({ companyId: company, mapping });
    expect(otherCompany.status).toBe(422);
    expect(otherCompany.body.type).toBe('/problems/idempotency-key-reused');
    await api.orm.em.getConnection().execute(`delete from "idempotency_records"`);
    const otherMapping = await send({ companyId, mapping: 'greenfin' });
    expect(otherMapping.status).toBe(422);
  });

  it('an import refreshes the cached cash flow and raises the alert rules, as the JSON ingest does', async () => {
    const company = await createCompany(api, tenant.tokens.analyst);
    const cashFlow = () =>
      call(api, 'get', `/v1/companies/${company}/cash-flow?granularity=month&from=2025-01-01&to=2025-04-30`, {
        token: tenant.tokens.viewer,
      });
    // No account yet: nothing to report in (and nothing cached).
    const none = await cashFlow();
    expect(none.status).toBe(422);
    expect(none.body.detail).toMatch(/no bank accounts or transactions yet/);
    // January first, then cached.
    const statement = (months: [string, string][]) => {
      const lines = ['accountRef,bookingDate,amount,currency,description'];
      for (const [month, last] of months) {
        lines.push(`ACC-1,2025-${month}-02,1000.00,GBP,INVOICE ${month}`);
        lines.push(`ACC-1,2025-${month}-${last},-1500.00,GBP,PAYROLL ${month}`);
      }
      return Buffer.from(`${lines.join('\n')}\n`);
    };
    await importDone(
      tenant,
      { name: 'january.csv', content: statement([['01', '31']]) },
      { companyId: company },
    );
    expect((await cashFlow()).headers['x-cache']).toBe('miss');
    expect((await cashFlow()).headers['x-cache']).toBe('hit');
    // Then four complete months (the last booking is on 30 April), each £500 net out: above the
    // three-month default of ALERT_NEGATIVE_MONTHS. January's lines are duplicates.
    const months: [string, string][] = [
      ['01', '31'],
      ['02', '28'],
      ['03', '31'],
      ['04', '30'],
    ];
    const done = await importDone(
      tenant,
      { name: 'losing.csv', content: statement(months) },
      { companyId: company },
    );
    expect(done.body.result.transactions).toMatchObject({ inserted: 6, duplicates: 2 });

    const after = await cashFlow();
    expect(after.headers['x-cache']).toBe('miss'); // the import dropped the cached analytics
    const nets = after.body.periods.map((p: { net: { amount: string } }) => p.net.amount);
    expect(nets).toEqual(['-500.00', '-500.00', '-500.00', '-500.00']);

    const alerts = await call(api, 'get', `/v1/alerts?companyId=${company}`, { token: tenant.tokens.viewer });
    expect(alerts.status).toBe(200);
    expect(alerts.body.items).toEqual([
      expect.objectContaining({ rule: 'negative-net-cash-flow', companyId: company, status: 'open' }),
    ]);
  });

  it('the other tenant’s import of the same file into its company is its own', async () => {
    const done = await importDone(other, 'transactions-template.csv', { companyId: otherCompanyId });
    expect(done.body.result.transactions).toMatchObject({ inserted: 8, duplicates: 0 });
    expect(await count(other.organizationId, otherCompanyId)).toBe(8);
    const foreign = await call(api, 'get', `/v1/operations/${done.body.id}`, { token: tenant.tokens.viewer });
    expect(foreign.status).toBe(404);
  });
});
