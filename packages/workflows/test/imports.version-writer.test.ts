/**
 * VersionWriter's COPY into `<table>_versions` sends a step's tenant and operation once, as
 * transaction-local settings the columns' defaults read (migration
 * `workflows_20261203_56_version_rows_from_import_settings`, read once per statement since
 * `workflows_20261203_57`), on real PostgreSQL: the rows carry them; each step on one connection
 * carries its own (the once-per-statement reading never goes stale); outside such a step a row
 * without them is refused, not given someone's ids; and the migrations revert and re-apply.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VersionWriter } from '../src/activities/imports/versions.js';
import { applyMigrations, revertMigrations } from '../src/db/apply.js';
import { WORKFLOW_MIGRATIONS } from '../src/db/migrations.js';
import { euEtsComplianceVariant, type EuEtsVerifiedEmissionsRow } from '../src/imports/datasets/eu-ets.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';

const MIGRATION = 'workflows_20261203_57_import_settings_read_once_per_statement';
const SETTINGS_MIGRATION = 'workflows_20261203_56_version_rows_from_import_settings';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const row = (installationId: string, year: number): EuEtsVerifiedEmissionsRow => ({
  kind: 'verified-emissions',
  installationId,
  year,
  freeAllocation: 12,
  verifiedEmissions: 3.5,
});

describe('VersionWriter.write', () => {
  it("writes each row under the step's tenant and operation, set once for the COPY", async () => {
    const [org, op] = [randomUUID(), randomUUID()];
    const writer = new VersionWriter(euEtsComplianceVariant.target, org, op);
    const client = await db.pool.connect();
    try {
      await client.query('begin');
      await writer.write(client, [writer.encode(2, row('DE_1', 2013)), writer.encode(3, row('DE_1', 2014))]);
      await client.query('commit');
      // The settings were the transaction's: the next one on this connection does not see them.
      const { rows: after } = await client.query<{ op: string | null }>(
        `select nullif(current_setting('greenfin.import_operation', true), '') as op`,
      );
      expect(after[0]!.op).toBeNull();
    } finally {
      client.release();
    }
    const { rows } = await db.pool.query(
      `select "organization_id", "operation_id", "line", "installation_id", "year", "free_allocation"::int as "free"
       from "eu_ets_verified_emissions_versions" where "operation_id" = $1 order by "line"`,
      [op],
    );
    expect(rows).toEqual([
      { organization_id: org, operation_id: op, line: 2, installation_id: 'DE_1', year: 2013, free: 12 },
      { organization_id: org, operation_id: op, line: 3, installation_id: 'DE_1', year: 2014, free: 12 },
    ]);
  });

  it('gives each step on one connection its own ids (the defaults are read per COPY, not cached)', async () => {
    const client = await db.pool.connect();
    const ops: string[] = [];
    try {
      for (let step = 0; step < 3; step++) {
        const op = randomUUID();
        ops.push(op);
        const writer = new VersionWriter(euEtsComplianceVariant.target, randomUUID(), op);
        await client.query('begin');
        await writer.write(client, [writer.encode(2 + step, row(`DE_${step}`, 2013))]);
        await client.query('commit');
      }
    } finally {
      client.release();
    }
    const { rows } = await db.pool.query<{ operation_id: string; installation_id: string }>(
      `select "operation_id", "installation_id" from "eu_ets_verified_emissions_versions"
       where "operation_id" = any($1::uuid[]) order by "line"`,
      [ops],
    );
    expect(rows).toEqual(ops.map((op, step) => ({ operation_id: op, installation_id: `DE_${step}` })));
  });

  it('refuses a version row that names no tenant or operation outside an import step', async () => {
    const insert = `insert into "eu_ets_verified_emissions_versions" ("line", "installation_id", "year") values (2, 'DE_9', 2015)`;
    // A fresh connection has never set them; one that has holds '' after its transaction.
    await expect(db.pool.query(insert)).rejects.toThrow(/greenfin\.import_(organization|operation)|uuid/);
    const client = await db.pool.connect();
    try {
      await client.query('begin');
      await client.query(
        `select set_config('greenfin.import_organization', $1, true), set_config('greenfin.import_operation', $2, true)`,
        [randomUUID(), randomUUID()],
      );
      await client.query('commit');
      await expect(client.query(insert)).rejects.toThrow(/uuid|greenfin\.import_/);
    } finally {
      client.release();
    }
  });

  it('migrates down (per-row settings, then no defaults) and up again', async () => {
    const defaults = async () =>
      (
        await db.pool.query<{ column_name: string; column_default: string | null }>(
          `select "column_name", "column_default" from information_schema.columns
           where "table_name" = 'fx_rates_versions' and "column_name" in ('organization_id', 'operation_id')
           order by "column_name"`,
        )
      ).rows;
    expect(await defaults()).toEqual([
      { column_name: 'operation_id', column_default: 'greenfin_import_operation()' },
      { column_name: 'organization_id', column_default: 'greenfin_import_organization()' },
    ]);
    expect(WORKFLOW_MIGRATIONS.at(-1)!.name).toBe(MIGRATION);
    expect(await revertMigrations(db.pool)).toEqual([MIGRATION]);
    expect(await defaults()).toEqual([
      { column_name: 'operation_id', column_default: expect.stringContaining('greenfin.import_operation') },
      {
        column_name: 'organization_id',
        column_default: expect.stringContaining('greenfin.import_organization'),
      },
    ]);
    expect(await revertMigrations(db.pool)).toEqual([SETTINGS_MIGRATION]);
    expect(await defaults()).toEqual([
      { column_name: 'operation_id', column_default: null },
      { column_name: 'organization_id', column_default: null },
    ]);
    expect(await applyMigrations(db.pool)).toEqual([SETTINGS_MIGRATION, MIGRATION]);
    expect((await defaults()).map((d) => d.column_default)).toEqual([
      'greenfin_import_operation()',
      'greenfin_import_organization()',
    ]);
  });
});
