/**
 * A real PostgreSQL database per test file: created on the server (`DATABASE_URL`, default the
 * local trust server), migrated with this package's migrations, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { applyMigrations } from '../../src/db/apply.js';

const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function onServer(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  pool: pg.Pool;
  drop(): Promise<void>;
}

/** Creates `greenfin_wf_<random>`, optionally migrated, and a pool on it. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = `greenfin_wf_${randomBytes(6).toString('hex')}`;
  await onServer(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 8 });
  // Dropping the database (with force) ends idle connections: that is expected, not a failure.
  pool.on('error', () => undefined);
  if (options.migrate ?? true) await applyMigrations(pool);
  return {
    name,
    pool,
    async drop() {
      await pool.end();
      await onServer(`drop database if exists ${name} with (force)`);
    },
  };
}

/** Polls `read` until `done` holds (every 20 ms, at most `timeoutMs`); returns the last value. */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
