/**
 * The import activities against real PostgreSQL, run under Temporal's MockActivityEnvironment:
 * the uploaded-file store, each dataset's fixtures end to end, equivalence with `readDataset`
 * (same accepted lines, same rejects, for any batch size), idempotent re-imports, resume from
 * heartbeat details, and a job killed mid-file then run again ending with the same rows.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createImportActivities,
  ImportFileNotFoundError,
  PgImportFileStore,
  purgeImportStaging,
  streamRejectsCsv,
} from '../src/activities/imports/index.js';
import type { ImportActivities, ImportBatchResult, ImportRequest } from '../src/flows/activities.js';
import { purgeStaleVersions } from '../src/activities/imports/versions.js';
import { readDataset } from '../src/imports/datasets/read-dataset.js';
import { OperationStore } from '../src/operations/store.js';
import type { ImportDatasetName } from '../src/shared.js';
import { createApiTables, createOrganization } from './support/api-tables.js';
import { inContext, newImportOperation, runImport as runImportActs } from './support/import-runs.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';

const fixtures = fileURLToPath(new URL('./fixtures/imports/', import.meta.url));
const fixture = (name: string): Buffer => readFileSync(`${fixtures}${name}`);

let db: TestDatabase;
let store: OperationStore;
let files: PgImportFileStore;
type Acts = Pick<ImportActivities, 'planImport' | 'importBatch' | 'finishImport'>;
let activities: Acts;
const applied: { companyIds: string[]; dataset: string }[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  await createApiTables(db.pool);
  store = new OperationStore(db.pool);
  files = new PgImportFileStore(db.pool, 1024); // small slices: every file spans several reads
  activities = createImportActivities({
    pool: db.pool,
    files,
    stepSize: 3,
    onApplied: async (event) => {
      applied.push({ companyIds: event.companyIds, dataset: event.dataset });
    },
  });
});
afterAll(async () => {
  await db?.drop();
});

async function newOrg(): Promise<string> {
  const org = randomUUID();
  await createOrganization(db.pool, org);
  return org;
}

async function newImport(
  org: string,
  dataset: ImportDatasetName,
  content: Buffer,
  options?: ImportRequest['options'],
): Promise<ImportRequest> {
  const { fileId } = await files.save(org, { dataset, fileName: 'upload.csv', content });
  return newOperation(org, dataset, fileId, options);
}

function newOperation(
  org: string,
  dataset: ImportDatasetName,
  fileId: string,
  options?: ImportRequest['options'],
): Promise<ImportRequest> {
  return newImportOperation(store, org, dataset, fileId, options);
}

/** What the flow does: plan, batches until done, finish. `acts` may be a failing wrapper. */
const runImport = (request: ImportRequest, batchSize = 5, acts: Acts = activities) =>
  runImportActs(acts, request, batchSize);

/** A table's rows for a tenant, without ids, timestamps or the operation that wrote them. */
async function contents(table: string, org: string): Promise<unknown[]> {
  const { rows } = await db.pool.query(`select * from "${table}" where "organization_id" = $1`, [org]);
  return rows
    .map((row: Record<string, unknown>) => {
      const rest: Record<string, unknown> = { ...row };
      for (const k of ['id', 'organization_id', 'created_at', 'updated_at', 'operation_id']) delete rest[k];
      if ('company_id' in rest) rest.company_id = companyNumbers.get(rest.company_id as string);
      return rest;
    })
    .map((r) => JSON.stringify(r))
    .sort();
}
const companyNumbers = new Map<string, string>();
async function rememberCompanies(): Promise<void> {
  const { rows } = await db.pool.query<{ id: string; company_number: string }>(
    `select "id", "company_number" from "companies"`,
  );
  for (const r of rows) companyNumbers.set(r.id, r.company_number);
}

async function rejects(
  operationId: string,
): Promise<{ line: number; field: string | null; reason: string; raw: string | null }[]> {
  const { rows } = await db.pool.query(
    `select "line", "field", "reason", "raw" from "import_rejects" where "operation_id" = $1 order by "line"`,
    [operationId],
  );
  return rows;
}

async function expected(dataset: ImportDatasetName, content: Buffer, options: ImportRequest['options'] = {}) {
  const accepted = new Set<number>();
  const rejected: { line: number; reason: string }[] = [];
  let rows = 0;
  for await (const batch of readDataset(dataset, Readable.from([content]), { ...options, batchSize: 1000 })) {
    batch.rowLines.forEach((l) => accepted.add(l));
    rows += batch.rows.length;
    rejected.push(...batch.rejects.map((r) => ({ line: r.line, reason: r.reason })));
  }
  return { accepted: accepted.size, rows, rejected };
}

/** The import counted and rejected exactly the lines readDataset does (`want`, from {@link expected}). */
async function expectOutcome(
  result: { rows: { total: number; accepted: number; rejected: number } },
  request: ImportRequest,
  want: Awaited<ReturnType<typeof expected>>,
): Promise<void> {
  expect(result.rows).toEqual({
    total: want.accepted + want.rejected.length,
    accepted: want.accepted,
    rejected: want.rejected.length,
  });
  expect((await rejects(request.operationId)).map((r) => ({ line: r.line, reason: r.reason }))).toEqual(
    want.rejected,
  );
}

const text = async (stream: Readable): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

describe('PgImportFileStore', () => {
  it('stores a Buffer or a stream with its sha256 and streams it back in slices, tenant-scoped', async () => {
    const org = randomUUID();
    const content = fixture('eutl-installations-sample.csv');
    const saved = await files.save(org, { dataset: 'eu-ets', fileName: 'i.csv', content });
    expect(saved.sizeBytes).toBe(content.length);
    expect(saved.sha256).toMatch(/^[0-9a-f]{64}$/);
    const streamed = await files.save(org, {
      dataset: 'eu-ets',
      fileName: 'i.csv',
      content: Readable.from([content.subarray(0, 100), content.subarray(100)]),
    });
    expect(streamed.sha256).toBe(saved.sha256);

    const chunks: Buffer[] = [];
    for await (const chunk of await files.open(org, saved.fileId)) chunks.push(chunk as Buffer);
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.every((c) => c.length <= 1024)).toBe(true);
    expect(Buffer.concat(chunks).equals(content)).toBe(true);
    const part = Buffer.concat(
      await (await files.open(org, saved.fileId, { start: 10, end: 200 })).toArray(),
    );
    expect(part.equals(content.subarray(10, 200))).toBe(true);

    await expect(files.open(randomUUID(), saved.fileId)).rejects.toBeInstanceOf(ImportFileNotFoundError);
    expect(await files.info(randomUUID(), saved.fileId)).toBeNull();
  });

  it('gives back every byte as stored, also bytes that are not UTF-8 and characters cut by a slice', async () => {
    const org = randomUUID();
    // Random bytes, then three-byte characters whose encodings straddle the 1,024-byte slices.
    const content = Buffer.concat([randomBytes(5000), Buffer.from('中'.repeat(2000))]);
    const saved = await files.save(org, { dataset: 'transactions', fileName: 'b.csv', content });
    const back = Buffer.concat(await (await files.open(org, saved.fileId)).toArray());
    expect(back.equals(content)).toBe(true);
    const part = Buffer.concat(
      await (await files.open(org, saved.fileId, { start: 5001, end: 9001 })).toArray(),
    );
    expect(part.equals(content.subarray(5001, 9001))).toBe(true);
  });
});

describe('each dataset, end to end', () => {
  const cases: {
    dataset: ImportDatasetName;
    file: string;
    table: string;
    options?: ImportRequest['options'];
  }[] = [
    { dataset: 'companies', file: 'companies-house-export-sample.csv', table: 'companies' },
    { dataset: 'companies', file: 'companies-bom-crlf.csv', table: 'companies' },
    { dataset: 'eu-ets', file: 'eutl-installations-sample.csv', table: 'eu_ets_installations' },
    { dataset: 'eu-ets', file: 'eutl-compliance-sample.csv', table: 'eu_ets_verified_emissions' },
    { dataset: 'emission-factors', file: 'desnz-ghg-factors-2025-sample.csv', table: 'emission_factors' },
    {
      dataset: 'emission-factors',
      file: 'emission-factors-no-year.csv',
      table: 'emission_factors',
      options: { year: 2024 },
    },
    { dataset: 'fx-rates', file: 'ecb-eurofxref-hist-sample.csv', table: 'fx_rates' },
    { dataset: 'fx-rates', file: 'ecb-fx-bad-rows.csv', table: 'fx_rates' },
  ];
  for (const c of cases) {
    it(`${c.dataset}: ${c.file} — the same lines accepted and rejected as readDataset, rows in ${c.table}`, async () => {
      const org = await newOrg();
      const content = fixture(c.file);
      const want = await expected(c.dataset, content, c.options);
      // Small files one line per batch; larger ones several lines per batch and per step.
      for (const batchSize of content.length < 2000 ? [1, 4, 1000] : [13, 1000]) {
        const request = await newImport(org, c.dataset, content, c.options);
        const result = await runImport(request, batchSize);
        await expectOutcome(result, request, want);
        expect(result.rejectsLocation).toBe(
          want.rejected.length > 0 ? `/v1/operations/${request.operationId}/rejects` : null,
        );
        const { rows } = await db.pool.query(
          `select count(*)::int as n from "${c.table}" where "organization_id" = $1`,
          [org],
        );
        expect(rows[0].n).toBe(want.rows);
      }
    });
  }

  it('companies: upserts with source import, bumps version only on a real change', async () => {
    const org = await newOrg();
    const content = fixture('companies-house-export-sample.csv');
    await runImport(await newImport(org, 'companies', content));
    const { rows } = await db.pool.query(
      `select * from "companies" where "organization_id" = $1 and "company_number" = 'OE033509'`,
      [org],
    );
    expect(rows[0]).toMatchObject({
      jurisdiction: 'gb',
      name: 'CONSTRUTION CONSULTANCY EXPERTS LTD',
      status: 'active',
      source: 'import',
      version: 1,
    });
    const before = await contents('companies', org);
    await runImport(await newImport(org, 'companies', content));
    expect(await contents('companies', org)).toEqual(before); // versions included: nothing changed

    const renamed = Buffer.from(
      content.toString('utf8').replace('ARCHES PROPCO LIMITED', 'ARCHES PROPCO 2 LIMITED'),
    );
    applied.length = 0;
    await runImport(await newImport(org, 'companies', renamed));
    const changed = await db.pool.query(
      `select "name", "version" from "companies" where "organization_id" = $1 and "company_number" = 'OE033510'`,
      [org],
    );
    expect(changed.rows[0]).toEqual({ name: 'ARCHES PROPCO 2 LIMITED', version: 2 });
    expect(applied).toEqual([{ dataset: 'companies', companyIds: [expect.any(String)] }]);
  });

  it('environmental-metrics: upserts per company and year; an unknown company is a reject naming it', async () => {
    const org = await newOrg();
    for (const number of ['12345678', 'SC123456', '01234567']) {
      await db.pool.query(
        `insert into "companies" ("id", "organization_id", "jurisdiction", "company_number", "name", "created_at", "updated_at")
         values ($1, $2, 'gb', $3, $3, now(), now())`,
        [randomUUID(), org, number],
      );
    }
    const content = fixture('environmental-metrics-template.csv');
    const request = await newImport(org, 'environmental-metrics', content);
    const result = await runImport(request, 2);
    expect(result.rows).toEqual({ total: 6, accepted: 5, rejected: 1 });
    const [reject] = await rejects(request.operationId);
    expect(reject).toMatchObject({ line: 7, field: 'company_number' });
    expect(reject!.reason).toContain('no company 5501234 in jurisdiction "us_de"');
    expect(reject!.raw).toBe(
      '5501234,us_de,2024,2100,450.25,390,12000,45000000.5,USD,0.12,false,3,10-K 2024',
    );
    const { rows } = await db.pool.query(
      `select c."company_number", m."year", m."revenue_amount", m."revenue_currency", m."verified", m."source"
       from "environmental_metrics" m join "companies" c on c."id" = m."company_id"
       where m."organization_id" = $1 order by 1, 2`,
      [org],
    );
    expect(rows).toHaveLength(5);
    expect(rows[0]).toEqual({
      company_number: '01234567',
      year: 2024,
      revenue_amount: '98000000',
      revenue_currency: 'GBP',
      verified: false,
      source: 'estimate from sector averages',
    });
    await rememberCompanies();
    const before = await contents('environmental_metrics', org);
    const again = await runImport(await newImport(org, 'environmental-metrics', content));
    expect(again.rows).toEqual(result.rows);
    expect(await contents('environmental_metrics', org)).toEqual(before);
  });
});

describe('re-imports of reference datasets', () => {
  it('replace the tenant’s previous version atomically, leaving other tenants alone', async () => {
    const org = await newOrg();
    const other = await newOrg();
    const full = fixture('ecb-eurofxref-hist-sample.csv');
    await runImport(await newImport(org, 'fx-rates', full));
    await runImport(await newImport(other, 'fx-rates', full));
    const otherBefore = await contents('fx_rates', other);
    // Keep the header and the first 3 days, and change one rate.
    const lines = full.toString('utf8').split('\n');
    const smaller =
      [lines[0], ...lines.slice(1, 4)].join('\n').replace('2025-05-09,1.1252,', '2025-05-09,1.2345,') + '\n';
    const result = await runImport(await newImport(org, 'fx-rates', Buffer.from(smaller)));
    const want = await expected('fx-rates', Buffer.from(smaller));
    expect(result.rows.accepted).toBe(3);
    const { rows } = await db.pool.query(
      `select count(*)::int as n from "fx_rates" where "organization_id" = $1`,
      [org],
    );
    expect(rows[0].n).toBe(want.rows);
    const usd = await db.pool.query(
      `select count(*)::int as n from "fx_rates" where "organization_id" = $1 and "rate_per_eur" = 1.2345`,
      [org],
    );
    expect(usd.rows[0].n).toBe(1);
    expect(await contents('fx_rates', other)).toEqual(otherBefore);
  });

  it('emission factors replace only the factor set of the file’s year', async () => {
    const org = await newOrg();
    await runImport(await newImport(org, 'emission-factors', fixture('desnz-ghg-factors-2025-sample.csv')));
    await runImport(
      await newImport(org, 'emission-factors', fixture('emission-factors-no-year.csv'), { year: 2024 }),
    );
    const { rows } = await db.pool.query(
      `select "year", count(*)::int as n from "emission_factors" where "organization_id" = $1 group by 1 order by 1`,
      [org],
    );
    expect(rows.map((r) => r.year)).toEqual([2024, 2025]);
  });
});

describe('idempotency and resumption', () => {
  it('finishImport repeated returns the stored counts; importBatch after it does nothing', async () => {
    const org = await newOrg();
    const request = await newImport(org, 'fx-rates', fixture('ecb-fx-bad-rows.csv'));
    const first = await runImport(request, 2);
    const before = await contents('fx_rates', org);
    expect(await inContext(activities.finishImport, request)).toEqual(first);
    expect(await inContext(activities.importBatch, { ...request, fromLine: 2, batchSize: 5 })).toMatchObject({
      done: true,
      dataLines: 0,
    });
    expect(await inContext(activities.planImport, request)).toMatchObject({ startLine: 2 });
    expect(await contents('fx_rates', org)).toEqual(before);
    expect(first.rows.rejected).toBeGreaterThan(0);
  });

  it('batches run by fresh workers find the keys earlier batches wrote in PostgreSQL: the first line wins', async () => {
    // Each importBatch in a new activities instance, as when every batch lands on another worker:
    // nothing is known in memory, so duplicates across batches are looked up in the versions table.
    const freshWorkers: Acts = {
      planImport: activities.planImport,
      finishImport: activities.finishImport,
      importBatch: (req) => createImportActivities({ pool: db.pool, files, stepSize: 3 }).importBatch(req),
    };
    const files_: { dataset: ImportDatasetName; table: string; csv: string }[] = [
      {
        dataset: 'eu-ets',
        table: 'eu_ets_verified_emissions',
        csv: [
          'installation_id,year,free,emission',
          'DE_1,2013,10,1.5',
          'DE_1,2014,11,2.5',
          'FR_7,2013,3,',
          'DE_2,2013,1,1',
          'DE_1,2013,99,9', // line 6: repeats line 2 from the first batch
          'FR_7,2014,4,4',
          'FR_7,2013,5,5', // line 8: repeats line 4
          'DE_1,2014,12,3', // line 9: repeats line 3
        ].join('\n'),
      },
      {
        dataset: 'fx-rates',
        table: 'fx_rates',
        csv: [
          'Date,USD,GBP,',
          '2024-01-03,1.0919,0.86285,',
          '2024-01-02,1.0956,0.86518,',
          '2024-01-04,1.0953,0.86305,',
          '2024-01-03,1.1,0.9,', // line 5: both rates repeat line 2's date
          '2024-01-05,1.0921,0.86023,',
          '2024-01-02,N/A,0.8,', // line 7: GBP repeats line 3
        ].join('\n'),
      },
      {
        // A staged dataset: earlier lines are looked up in the staging table.
        dataset: 'companies',
        table: 'companies',
        csv: [
          'company_name,company_number,company_status,incorporation_date,nature_of_business,registered_office_address',
          'ALPHA LTD,00000001,Active,2001-01-01,62012,1 A Street',
          'BETA LTD,00000002,Active,2002-02-02,62012,2 B Street',
          'GAMMA LTD,00000003,Active,2003-03-03,62012,3 C Street',
          'ALPHA AGAIN LTD,00000001,Active,2001-01-01,62012,1 A Street', // line 5: repeats line 2
          'DELTA LTD,00000004,Active,2004-04-04,62012,4 D Street',
          'BETA AGAIN LTD,00000002,Active,2002-02-02,62012,2 B Street', // line 7: repeats line 3
        ].join('\n'),
      },
    ];
    for (const f of files_) {
      const content = Buffer.from(`${f.csv}\n`);
      const want = await expected(f.dataset, content);
      expect(want.rejected.length).toBeGreaterThanOrEqual(2);
      const org = await newOrg();
      const request = await newImport(org, f.dataset, content);
      const result = await runImport(request, 2, freshWorkers);
      await expectOutcome(result, request, want);
      // The same rows as one run in one process.
      const single = await newOrg();
      await runImport(await newImport(single, f.dataset, content), 100);
      expect(await contents(f.table, org)).toEqual(await contents(f.table, single));
    }
  });

  it('a canceled batch resumes from its last heartbeat and stages exactly what one run would', async () => {
    const org = await newOrg();
    const content = fixture('eutl-compliance-sample.csv');
    const reference = await runImport(await newImport(org, 'eu-ets', content), 1000);
    const referenceRows = await contents('eu_ets_verified_emissions', org);

    const org2 = await newOrg();
    const request = await newImport(org2, 'eu-ets', content);
    const plan = await inContext(activities.planImport, request);
    const heartbeats: unknown[] = [];
    const env = new MockActivityEnvironment();
    env.on('heartbeat', (d: unknown) => {
      heartbeats.push(d);
      if (heartbeats.length === 4) env.cancel();
    });
    await expect(
      env.run(activities.importBatch, { ...request, fromLine: plan.startLine, batchSize: 1000 }),
    ).rejects.toBeInstanceOf(CancelledFailure);
    const last = heartbeats.at(-1) as { nextLine: number; dataLines: number };
    // 4 steps committed: the first of 1 line (a tenth of a step, rounded up), then 3 of 3.
    expect(last.dataLines).toBeGreaterThanOrEqual(10);
    const written = await db.pool.query(
      `select count(*)::int as n, max("line") as last from "eu_ets_verified_emissions_versions" where "operation_id" = $1`,
      [request.operationId],
    );
    expect(written.rows[0].n).toBeGreaterThan(0);
    expect(written.rows[0].last).toBeLessThan(last.nextLine);

    const retry = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: last });
    const resumed: ImportBatchResult = await retry.run(activities.importBatch, {
      ...request,
      fromLine: plan.startLine,
      batchSize: 1000,
    });
    expect(resumed.done).toBe(true);
    expect(resumed.dataLines).toBe(200); // counted across both attempts
    const result = await inContext(activities.finishImport, request);
    expect(result.rows).toEqual(reference.rows);
    expect(await contents('eu_ets_verified_emissions', org2)).toEqual(referenceRows);
  });

  it('a job killed after N batches, run again (same operation or a new one), ends with the same rows', async () => {
    const datasets: { dataset: ImportDatasetName; file: string; tables: string[] }[] = [
      { dataset: 'companies', file: 'companies-house-export-sample.csv', tables: ['companies'] },
      { dataset: 'fx-rates', file: 'ecb-fx-bad-rows.csv', tables: ['fx_rates'] },
      { dataset: 'eu-ets', file: 'eutl-installations-sample.csv', tables: ['eu_ets_installations'] },
    ];
    class Killed extends Error {}
    const killAfter = (n: number): Acts => {
      let batches = 0;
      return {
        planImport: activities.planImport,
        finishImport: activities.finishImport,
        importBatch: async (req) => {
          if (batches++ >= n) throw new Killed(`killed after ${n} batches`);
          return activities.importBatch(req);
        },
      };
    };
    for (const d of datasets) {
      const content = fixture(d.file);
      const uninterrupted = await newOrg();
      const resultA = await runImport(await newImport(uninterrupted, d.dataset, content), 2);
      const want = await Promise.all(d.tables.map((t) => contents(t, uninterrupted)));

      for (const rerun of ['same operation', 'new operation'] as const) {
        for (const n of [0, 1, 3]) {
          const org = await newOrg();
          const request = await newImport(org, d.dataset, content);
          await expect(runImport(request, 2, killAfter(n))).rejects.toBeInstanceOf(Killed);
          // Nothing reaches the target tables before finishImport.
          for (const t of d.tables) expect(await contents(t, org)).toEqual([]);
          const again =
            rerun === 'same operation' ? request : await newOperation(org, d.dataset, request.fileId);
          const resultB = await runImport(again, 2);
          expect(resultB.rows).toEqual(resultA.rows);
          expect(await Promise.all(d.tables.map((t) => contents(t, org)))).toEqual(want);
        }
      }
    }
  }, 120_000);
});

describe('streamRejectsCsv', () => {
  it('gives line, field, reason and raw per rejected line; a header alone when none; null for another tenant', async () => {
    const org = await newOrg();
    const content = fixture('environmental-metrics-bad-rows.csv');
    const request = await newImport(org, 'environmental-metrics', content);
    await runImport(request, 3);
    const csv = await text((await streamRejectsCsv(db.pool, org, request.operationId))!);
    const [header, ...lines] = csv.trimEnd().split('\n');
    expect(header).toBe('line,field,reason,raw');
    expect(lines[0]).toMatch(/^2,company_number,"company_number: no company 12345678 in jurisdiction ""gb""/);
    expect(lines[1]).toMatch(/^3,year,"year: must be an integer/);
    expect(csv).toContain('"04567890,gb,2024,1,2,3,,,,,,,""Sustainability report\n2024, p. 3"","\n');
    // raw is the line as read, fields beyond the header included.
    expect(csv).toContain(',"04567890,gb,2023,1,2,3,,,,,,5,,,too,many"\n');
    expect(csv).toContain(
      '\n9,jurisdiction;company_number;year,"duplicate: line 2 already has gb/12345678/2024',
    );
    const want = await expected('environmental-metrics', content);
    const stored = await rejects(request.operationId);
    // Every line the parser rejects, plus the accepted lines whose company does not exist here.
    expect(stored.length).toBe(want.rejected.length + want.accepted);
    expect(stored.find((r) => r.line === 4)?.field).toBe(
      'energy_mwh;renewable_share;verified;pcaf_data_quality',
    );

    const clean = await newImport(org, 'fx-rates', fixture('ecb-eurofxref-hist-sample.csv'));
    await runImport(clean, 1000);
    expect(await text((await streamRejectsCsv(db.pool, org, clean.operationId))!)).toBe(
      'line,field,reason,raw\n',
    );

    expect(await streamRejectsCsv(db.pool, randomUUID(), request.operationId)).toBeNull();
    expect(await streamRejectsCsv(db.pool, org, randomUUID())).toBeNull();
    expect(await streamRejectsCsv(db.pool, org, 'not-a-uuid')).toBeNull();
  });

  it('neutralises cells a spreadsheet would evaluate (OWASP CSV injection): a leading = + - @ gets a quote', async () => {
    const org = await newOrg();
    const content = Buffer.from(
      [
        'Date,USD,GBP',
        '=SUM(A1:A9)*10,1.1,0.8', // formula in the date column
        '-2+3,1.1,0.8', // a leading minus is a formula too
        '2025-05-09,1.1252,0.8477',
        '',
      ].join('\n'),
    );
    const request = await newImport(org, 'fx-rates', content);
    await runImport(request, 10);
    const csv = await text((await streamRejectsCsv(db.pool, org, request.operationId))!);
    const lines = csv.trimEnd().split('\n').slice(1);
    expect(lines).toHaveLength(2);
    // `raw` is the 4th cell; it must not start with the formula character once parsed back.
    expect(lines[0]).toMatch(/^2,[^,]*,.*,"'=SUM\(A1:A9\)\*10,1\.1,0\.8"$/);
    expect(lines[1]).toMatch(/^3,[^,]*,.*,"'-2\+3,1\.1,0\.8"$/);
    // The stored rejects keep the text exactly as read.
    expect((await rejects(request.operationId)).map((r) => r.raw?.slice(0, 4))).toEqual(['=SUM', '-2+3']);
  });
});

describe('purgeImportStaging', () => {
  it('removes the staged rows of an unfinished import once its operation is purged', async () => {
    const org = await newOrg();
    const request = await newImport(org, 'companies', fixture('companies-house-export-sample.csv'));
    const plan = await inContext(activities.planImport, request);
    await inContext(activities.importBatch, { ...request, fromLine: plan.startLine, batchSize: 5 });
    const count = async () =>
      (
        await db.pool.query(`select count(*)::int as n from "import_staged_rows" where "operation_id" = $1`, [
          request.operationId,
        ])
      ).rows[0].n as number;
    expect(await count()).toBeGreaterThan(0);
    expect(await purgeImportStaging(db.pool)).toBe(0); // still resumable: kept
    await db.pool.query(`delete from "operations" where "id" = $1`, [request.operationId]);
    expect(await purgeImportStaging(db.pool)).toBeGreaterThan(0);
    expect(await count()).toBe(0);
  });
});

describe('versioned reference data', () => {
  const versionRows = async (table: string, operationId: string): Promise<number> =>
    (
      await db.pool.query(`select count(*)::int as n from "${table}_versions" where "operation_id" = $1`, [
        operationId,
      ])
    ).rows[0].n as number;

  it('a re-import switches the tenant to the new version and deletes the old one', async () => {
    const org = await newOrg();
    const content = fixture('eutl-compliance-sample.csv');
    const first = await newImport(org, 'eu-ets', content);
    await runImport(first, 1000);
    const before = await contents('eu_ets_verified_emissions', org);
    expect(await versionRows('eu_ets_verified_emissions', first.operationId)).toBe(before.length);

    const second = await newImport(org, 'eu-ets', content);
    await runImport(second, 7);
    expect(await contents('eu_ets_verified_emissions', org)).toEqual(before);
    const { rows } = await db.pool.query(
      `select distinct "operation_id" from "eu_ets_verified_emissions" where "organization_id" = $1`,
      [org],
    );
    expect(rows).toEqual([{ operation_id: second.operationId }]);
    expect(await versionRows('eu_ets_verified_emissions', first.operationId)).toBe(0);
    expect(await versionRows('eu_ets_verified_emissions', second.operationId)).toBe(before.length);
  });

  it('an emission-factor version stays current for the years a later file does not cover', async () => {
    const org = await newOrg();
    const y2025 = await newImport(org, 'emission-factors', fixture('desnz-ghg-factors-2025-sample.csv'));
    await runImport(y2025);
    const y2024 = await newImport(org, 'emission-factors', fixture('emission-factors-no-year.csv'), {
      year: 2024,
    });
    await runImport(y2024);
    const again2025 = await newImport(org, 'emission-factors', fixture('desnz-ghg-factors-2025-sample.csv'));
    await runImport(again2025);
    const { rows } = await db.pool.query(
      `select "year", "operation_id", count(*)::int as n from "emission_factors" where "organization_id" = $1
       group by 1, 2 order by 1`,
      [org],
    );
    expect(rows.map((r) => [r.year, r.operation_id])).toEqual([
      [2024, y2024.operationId],
      [2025, again2025.operationId],
    ]);
    expect(await versionRows('emission_factors', y2025.operationId)).toBe(0);
    expect(await versionRows('emission_factors', y2024.operationId)).toBe(rows[0].n);
  });

  it('keeps the rows of an unfinished import until its operation is purged', async () => {
    const org = await newOrg();
    const request = await newImport(org, 'fx-rates', fixture('ecb-eurofxref-hist-sample.csv'));
    const plan = await inContext(activities.planImport, request);
    await inContext(activities.importBatch, { ...request, fromLine: plan.startLine, batchSize: 5 });
    expect(await versionRows('fx_rates', request.operationId)).toBeGreaterThan(0);
    expect(await contents('fx_rates', org)).toEqual([]); // not current before finishImport
    expect(await purgeStaleVersions(db.pool)).toBe(0); // still resumable: kept
    await db.pool.query(`delete from "operations" where "id" = $1`, [request.operationId]);
    expect(await purgeStaleVersions(db.pool)).toBeGreaterThan(0);
    expect(await versionRows('fx_rates', request.operationId)).toBe(0);
  });
});
