/**
 * Bulk imports through the real API: POST /v1/imports (multipart) → in-process job → poll
 * GET /v1/operations/{id} → target rows; limits (413), form validation (422), the rejects CSV,
 * re-imports, Idempotency-Key, roles and tenant isolation.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiResponse, call, type ImportUpload, postImport, settleOperation } from './support/client.js';
import { createTenant, type Tenant } from './support/fixtures.js';
import { startTestApi, type TestApi } from './support/harness.js';

const fixtures = fileURLToPath(new URL('../../workflows/test/fixtures/imports/', import.meta.url));
const fixture = (name: string): Buffer => readFileSync(`${fixtures}${name}`);

const MAX_BYTES = 64 * 1024;
let api: TestApi;
let tenant: Tenant;
let other: Tenant;
beforeAll(async () => {
  api = await startTestApi({ IMPORT_MAX_BYTES: String(MAX_BYTES) });
  tenant = await createTenant(api, 'Importbank');
  other = await createTenant(api, 'Otherbank');
});
afterAll(() => api.close());

const upload = (options: ImportUpload) => postImport(api, options);
const settle = (token: string, location: string) => settleOperation(api, token, location);

async function importFile(t: Tenant, dataset: string, file: string, fields?: Record<string, string>) {
  const accepted = await upload({
    token: t.tokens.analyst,
    dataset,
    file: { content: fixture(file), name: file },
    ...(fields && { fields }),
  });
  expect(accepted.status).toBe(202);
  expect(accepted.headers.location).toBe(`/v1/operations/${accepted.body.id}`);
  const done = await settle(t.tokens.viewer, accepted.headers.location!);
  expect(done.body.status, JSON.stringify(done.body.error)).toBe('succeeded');
  return done.body as { id: string; result: { rows: { total: number; accepted: number; rejected: number } } };
}

const count = async (table: string, organizationId: string): Promise<number> => {
  const rows = await api.orm.em
    .getConnection()
    .execute<{ n: number }[]>(`select count(*)::int as n from "${table}" where "organization_id" = ?`, [
      organizationId,
    ]);
  return rows[0]!.n;
};

async function rejectsCsv(token: string, id: string): Promise<ApiResponse> {
  return call(api, 'get', `/v1/operations/${id}/rejects`, { token, headers: { Accept: 'text/csv' } });
}

describe('POST /v1/imports, each dataset end to end', () => {
  it('companies: the Companies House sample becomes companies with source import', async () => {
    const op = await importFile(tenant, 'companies', 'companies-house-export-sample.csv');
    expect(op.result.rows).toEqual({ total: 127, accepted: 127, rejected: 0 });
    expect(await count('companies', tenant.organizationId)).toBe(127);
    const list = await call(api, 'get', '/v1/companies?limit=1', { token: tenant.tokens.viewer });
    expect(list.status).toBe(200);
  });

  it('environmental-metrics: rows for known companies, an unknown company rejected', async () => {
    for (const companyNumber of ['12345678', 'SC123456', '01234567']) {
      const res = await call(api, 'post', '/v1/companies', {
        token: tenant.tokens.analyst,
        body: { jurisdiction: 'gb', companyNumber, name: `Company ${companyNumber}`, sicCodes: ['25210'] },
      });
      expect(res.status).toBe(201);
    }
    const op = await importFile(tenant, 'environmental-metrics', 'environmental-metrics-template.csv');
    expect(op.result.rows).toEqual({ total: 6, accepted: 5, rejected: 1 });
    expect(await count('environmental_metrics', tenant.organizationId)).toBe(5);
    const csv = await rejectsCsv(tenant.tokens.viewer, op.id);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trimEnd().split('\n');
    expect(lines[0]).toBe('line,field,reason,raw');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      /^7,company_number,"company_number: no company 5501234 in jurisdiction ""us_de""/,
    );
  });

  it('eu-ets: installations and compliance files, told apart by their header', async () => {
    const installations = await importFile(tenant, 'eu-ets', 'eutl-installations-sample.csv');
    expect(installations.result.rows.total).toBe(100);
    expect(await count('eu_ets_installations', tenant.organizationId)).toBe(
      installations.result.rows.accepted,
    );
    const compliance = await importFile(tenant, 'eu-ets', 'eutl-compliance-sample.csv');
    expect(compliance.result.rows.total).toBe(200);
    expect(await count('eu_ets_verified_emissions', tenant.organizationId)).toBe(
      compliance.result.rows.accepted,
    );
  });

  it('emission-factors: the DESNZ sample, and a file needing the year field', async () => {
    const op = await importFile(tenant, 'emission-factors', 'desnz-ghg-factors-2025-sample.csv');
    expect(op.result.rows.total).toBe(110);
    expect(await count('emission_factors', tenant.organizationId)).toBe(op.result.rows.accepted);
    const withYear = await importFile(tenant, 'emission-factors', 'emission-factors-no-year.csv', {
      year: '2024',
    });
    expect(withYear.result.rows.rejected).toBe(1);
  });

  it('fx-rates: one row per day and currency; the same file twice changes nothing', async () => {
    const first = await importFile(tenant, 'fx-rates', 'ecb-eurofxref-hist-sample.csv');
    expect(first.result.rows).toEqual({ total: 60, accepted: 60, rejected: 0 });
    const rows = await count('fx_rates', tenant.organizationId);
    expect(rows).toBeGreaterThan(60 * 20);
    const again = await importFile(tenant, 'fx-rates', 'ecb-eurofxref-hist-sample.csv');
    expect(again.result.rows).toEqual(first.result.rows);
    expect(await count('fx_rates', tenant.organizationId)).toBe(rows);
    // No rejects: the CSV is the header alone.
    const csv = await rejectsCsv(tenant.tokens.viewer, first.id);
    expect(csv.text).toBe('line,field,reason,raw\n');
  });

  it('companies: the same file twice adds no duplicate and bumps no version', async () => {
    const before = await api.orm.em
      .getConnection()
      .execute<{ n: number; v: number }[]>(
        `select count(*)::int as n, sum("version")::int as v from "companies" where "organization_id" = ?`,
        [tenant.organizationId],
      );
    await importFile(tenant, 'companies', 'companies-house-export-sample.csv');
    const after = await api.orm.em
      .getConnection()
      .execute<{ n: number; v: number }[]>(
        `select count(*)::int as n, sum("version")::int as v from "companies" where "organization_id" = ?`,
        [tenant.organizationId],
      );
    expect(after).toEqual(before);
  });
});

describe('POST /v1/imports, refusals', () => {
  it('413 above IMPORT_MAX_BYTES, and nothing is started', async () => {
    const big = Buffer.concat([fixture('eutl-compliance-sample.csv'), Buffer.alloc(MAX_BYTES, 0x20)]);
    const res = await upload({
      token: tenant.tokens.analyst,
      dataset: 'eu-ets',
      file: { content: big, name: 'big.csv' },
    });
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('422 naming the field for an unknown dataset, a missing file or a missing dataset', async () => {
    const unknown = await upload({
      token: tenant.tokens.analyst,
      dataset: 'weather',
      file: { content: fixture('ecb-fx-bad-rows.csv'), name: 'x.csv' },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['#/dataset']);
    const noFile = await upload({ token: tenant.tokens.analyst, dataset: 'fx-rates' });
    expect(noFile.status).toBe(422);
    expect(noFile.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['#/file']);
    const nothing = await upload({
      token: tenant.tokens.analyst,
      file: { content: fixture('ecb-fx-bad-rows.csv'), name: 'x.csv' },
    });
    expect(nothing.status).toBe(422);
    expect(nothing.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['#/dataset']);
  });

  it('415 for a JSON body; 403 for a viewer', async () => {
    const json = await call(api, 'post', '/v1/imports', {
      token: tenant.tokens.analyst,
      body: { dataset: 'fx-rates' },
    });
    expect(json.status).toBe(415);
    const viewer = await upload({
      token: tenant.tokens.viewer,
      dataset: 'fx-rates',
      file: { content: fixture('ecb-fx-bad-rows.csv'), name: 'x.csv' },
    });
    expect(viewer.status).toBe(403);
  });

  it('a bad header fails the operation with a problem, writing nothing', async () => {
    const accepted = await upload({
      token: tenant.tokens.analyst,
      dataset: 'eu-ets',
      file: { content: fixture('eu-ets-unknown-header.csv'), name: 'bad.csv' },
    });
    expect(accepted.status).toBe(202);
    const done = await settle(tenant.tokens.viewer, accepted.headers.location!);
    expect(done.body.status).toBe('failed');
    expect(done.body.error.detail).toMatch(/matches no variant/);
  });
});

describe('Idempotency-Key, rejects and tenants', () => {
  it('the same key replays the first 202 and never starts a second job', async () => {
    const send = () =>
      upload({
        token: tenant.tokens.analyst,
        dataset: 'fx-rates',
        file: { content: fixture('ecb-fx-bad-rows.csv'), name: 'fx.csv' },
        idempotencyKey: 'fx-upload-1',
      });
    const first = await send();
    const second = await send();
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body.id).toBe(first.body.id);
    const list = await call(api, 'get', '/v1/operations?kind=import&limit=100', {
      token: tenant.tokens.viewer,
    });
    expect(list.body.items.filter((o: { id: string }) => o.id === first.body.id)).toHaveLength(1);
    const done = await settle(tenant.tokens.viewer, first.headers.location!);
    expect(done.body.result.rows.rejected).toBeGreaterThan(0);
  });

  it('after the replay record is gone, the key still answers its operation; another file under it is a 422', async () => {
    const send = (file: string) =>
      upload({
        token: tenant.tokens.analyst,
        dataset: 'fx-rates',
        file: { content: fixture(file), name: file },
        idempotencyKey: 'fx-upload-2',
      });
    const first = await send('ecb-fx-bad-rows.csv');
    expect(first.status).toBe(202);
    await api.orm.em.getConnection().execute(`delete from "idempotency_records"`);
    const files = async () =>
      (
        await api.orm.em
          .getConnection()
          .execute<{ n: number }[]>(
            `select count(*)::int as n from "import_files" where "organization_id" = ?`,
            [tenant.organizationId],
          )
      )[0]!.n;
    const before = await files();
    const again = await send('ecb-fx-bad-rows.csv');
    expect(again.status).toBe(202);
    expect(again.body.id).toBe(first.body.id);
    expect(await files()).toBe(before); // not stored twice
    await api.orm.em.getConnection().execute(`delete from "idempotency_records"`);
    const other = await send('ecb-eurofxref-hist-sample.csv');
    expect(other.status).toBe(422);
    expect(other.body.type).toBe('/problems/idempotency-key-reused');
    await settle(tenant.tokens.viewer, first.headers.location!);
  });

  it('rejects CSV: line, field, reason, raw; 404 for another tenant’s operation', async () => {
    const op = await importFile(tenant, 'fx-rates', 'ecb-fx-bad-rows.csv');
    const csv = await rejectsCsv(tenant.tokens.viewer, op.id);
    expect(csv.status).toBe(200);
    const [header, ...lines] = csv.text.trimEnd().split('\n');
    expect(header).toBe('line,field,reason,raw');
    expect(lines).toHaveLength(op.result.rows.rejected);
    expect(lines.every((l) => /^\d+,/.test(l))).toBe(true);

    const foreign = await rejectsCsv(other.tokens.admin, op.id);
    expect(foreign.status).toBe(404);
    const missing = await rejectsCsv(tenant.tokens.viewer, '00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    // Another tenant's operation is not visible either.
    const get = await call(api, 'get', `/v1/operations/${op.id}`, { token: other.tokens.admin });
    expect(get.status).toBe(404);
  });

  it('documents the upload as multipart/form-data with the dataset enum and a binary file', async () => {
    const doc = api.app.openapi() as { paths: Record<string, Record<string, any>> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    const body = doc.paths['/v1/imports']!.post.requestBody.content['multipart/form-data'].schema;
    const schema = body.$ref
      ? (api.app.openapi() as any).components.schemas[body.$ref.split('/').at(-1)] // eslint-disable-line @typescript-eslint/no-explicit-any
      : body;
    expect(schema.properties.dataset.enum).toEqual([
      'companies',
      'environmental-metrics',
      'eu-ets',
      'emission-factors',
      'fx-rates',
      'transactions',
    ]);
    expect(schema.properties.file).toMatchObject({ type: 'string', format: 'binary' });
    expect(schema.properties.companyId).toMatchObject({ type: 'string', format: 'uuid' });
    expect(schema.properties.mapping).toMatchObject({ type: 'string' });
    expect(schema.required).toEqual(expect.arrayContaining(['dataset', 'file']));
    expect(doc.paths['/v1/operations/{id}/rejects']!.get.responses['200'].content['text/csv']).toBeDefined();
  });
});
