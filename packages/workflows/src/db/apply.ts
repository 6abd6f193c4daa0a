/**
 * A minimal migrator for {@link WORKFLOW_MIGRATIONS}, for tests and tools (the API runs the same
 * statements through its own migrator). Each migration runs in its own transaction, recorded in a
 * tracking table; an advisory lock keeps two processes from applying at once.
 */
import type { Pool, PoolClient } from 'pg';
import { WORKFLOW_MIGRATIONS, type SqlMigration } from './migrations.js';

/** Tracking table of {@link applyMigrations}. */
export const MIGRATIONS_TABLE = 'greenfin_workflow_migrations';

/** Arbitrary constant key of the advisory lock held while migrating. */
const LOCK_KEY = 730_119_001;

export interface MigrateOptions {
  /** Defaults to {@link WORKFLOW_MIGRATIONS}. */
  migrations?: readonly SqlMigration[];
}

async function withLock<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [LOCK_KEY]);
    try {
      await client.query(
        `create table if not exists "${MIGRATIONS_TABLE}" ("name" text primary key, "applied_at" timestamptz not null default now())`,
      );
      return await fn(client);
    } finally {
      await client.query('select pg_advisory_unlock($1)', [LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

async function appliedNames(client: PoolClient): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `select "name" from "${MIGRATIONS_TABLE}" order by "applied_at", "name"`,
  );
  return rows.map((r) => r.name);
}

/**
 * Applies every migration not yet recorded, in order.
 *
 * @returns the names applied by this call (empty when the schema was up to date).
 * @example await applyMigrations(pool);
 */
export async function applyMigrations(pool: Pool, options: MigrateOptions = {}): Promise<string[]> {
  const migrations = options.migrations ?? WORKFLOW_MIGRATIONS;
  return withLock(pool, async (client) => {
    const done = new Set(await appliedNames(client));
    const applied: string[] = [];
    for (const migration of migrations) {
      if (done.has(migration.name)) continue;
      await runRecorded(
        client,
        migration.up,
        `insert into "${MIGRATIONS_TABLE}" ("name") values ($1)`,
        migration.name,
      );
      applied.push(migration.name);
    }
    return applied;
  });
}

/**
 * Reverts the last `steps` applied migrations (default 1), newest first.
 *
 * @returns the names reverted.
 */
export async function revertMigrations(
  pool: Pool,
  options: MigrateOptions & { steps?: number } = {},
): Promise<string[]> {
  const migrations = options.migrations ?? WORKFLOW_MIGRATIONS;
  const steps = options.steps ?? 1;
  return withLock(pool, async (client) => {
    const done = await appliedNames(client);
    const reverted: string[] = [];
    for (const name of done.slice(-steps).reverse()) {
      const migration = migrations.find((m) => m.name === name);
      if (!migration)
        throw new Error(`migration ${name} is recorded in ${MIGRATIONS_TABLE} but unknown to this code`);
      await runRecorded(client, migration.down, `delete from "${MIGRATIONS_TABLE}" where "name" = $1`, name);
      reverted.push(name);
    }
    return reverted;
  });
}

async function runRecorded(
  client: PoolClient,
  statements: readonly string[],
  record: string,
  name: string,
): Promise<void> {
  await client.query('begin');
  try {
    for (const sql of statements) await client.query(sql);
    await client.query(record, [name]);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}
