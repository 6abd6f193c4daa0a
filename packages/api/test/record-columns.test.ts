/**
 * Migration20261203010000 (ADR 14): a simulation's records and an idempotent reply are `json`
 * columns, lz4-compressed where the server has lz4; the migration goes down to `jsonb` and up
 * again without losing a stored value.
 */
import { randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrl, onServer } from '../src/db/admin.js';
import { connectOrm, migrate } from '../src/db/orm.js';
import { serverUrl } from './support/harness.js';

const SIMULATION_RECORDS = [
  'cash_flow',
  'co2_savings',
  'financed_emissions',
  'green_score',
  'pricing',
  'project',
  'schedule',
  'sustainability_linked',
  'warnings',
];

const MIGRATION = 'Migration20261203010000';
const name = `greenfin_test_${randomBytes(6).toString('hex')}`;
let orm: MikroORM;
const sql = <T>(text: string, params: unknown[] = []) => orm.em.getConnection().execute<T[]>(text, params);

async function columnTypes(table: string): Promise<Record<string, string>> {
  const rows = await sql<{ column_name: string; data_type: string }>(
    `select column_name, data_type from information_schema.columns
      where table_name = ? and data_type in ('json', 'jsonb') order by column_name`,
    [table],
  );
  return Object.fromEntries(rows.map((r) => [r.column_name, r.data_type]));
}

/** Whether this server was built with lz4 (the embedded binaries are not). */
async function hasLz4(): Promise<boolean> {
  try {
    await sql(`select pg_column_compression(row('x')::text)`);
    await sql(`create temporary table lz4_probe (t text compression lz4)`);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  await onServer(serverUrl, [`create database ${name}`]);
  orm = await connectOrm(databaseUrl(serverUrl, name));
  await migrate(orm);
});

afterAll(async () => {
  await orm?.close();
  await onServer(serverUrl, [`drop database if exists ${name} with (force)`]);
});

describe('record columns', () => {
  it('are json, not jsonb, for every simulation record and an idempotent reply', async () => {
    expect(await columnTypes('loan_simulations')).toEqual(
      Object.fromEntries(SIMULATION_RECORDS.map((c) => [c, 'json'])),
    );
    expect(await columnTypes('idempotency_records')).toEqual({
      response_body: 'json',
      response_headers: 'json',
    });
  });

  it('compress a large value with lz4 where the server has it, else with the default', async () => {
    const lz4 = await hasLz4();
    const [org] = await sql<{ id: string }>(
      `insert into organizations (id, name, created_at) values (gen_random_uuid(), 'Records Ltd', now()) returning id`,
    );
    // A reply well past the 2 kB at which PostgreSQL compresses a row's values.
    const body = { items: Array.from({ length: 400 }, (_, i) => ({ i, note: 'repeated text' })) };
    await sql(
      `insert into idempotency_records (id, organization_id, key, fingerprint, state, response_body, created_at, expires_at)
       values (gen_random_uuid(), ?, 'k', repeat('0', 64), 'completed', ?, now(), now() + interval '1 day')`,
      [org!.id, JSON.stringify(body)],
    );
    const [stored] = await sql<{ method: string | null; body: unknown }>(
      `select pg_column_compression(response_body) as method, response_body as body from idempotency_records`,
    );
    expect(stored!.method).toBe(lz4 ? 'lz4' : 'pglz');
    expect(stored!.body).toEqual(body);
  });

  it('go back to jsonb and forward again with their values', async () => {
    const migrator = orm.getMigrator();
    await migrator.down({ migrations: [MIGRATION] });
    expect(await columnTypes('idempotency_records')).toEqual({
      response_body: 'jsonb',
      response_headers: 'jsonb',
    });
    expect(Object.values(await columnTypes('loan_simulations'))).toEqual(
      SIMULATION_RECORDS.map(() => 'jsonb'),
    );
    await migrator.up({ migrations: [MIGRATION] });
    expect(await columnTypes('idempotency_records')).toEqual({
      response_body: 'json',
      response_headers: 'json',
    });
    const [stored] = await sql<{ items: number }>(
      `select json_array_length(response_body -> 'items') as items from idempotency_records`,
    );
    expect(stored!.items).toBe(400);
  });
});
