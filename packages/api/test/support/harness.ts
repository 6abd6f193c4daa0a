import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { Writable } from 'node:stream';
import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import supertest from 'supertest';
import { applyMigrations } from '@greenfin/workflows';
import { type AppDeps, createApp, type GreenfinApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { databaseUrl, onServer } from '../../src/db/admin.js';
import { connectOrm, migrate } from '../../src/db/orm.js';
import { createLogger } from '../../src/logger.js';
import { type OpenApiValidator, openApiValidator } from './openapi-validator.js';

/** The PostgreSQL server tests use: `DATABASE_URL`, else the local trust-auth server. */
export const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const TEST_ENV = {
  JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
  // argon2id stays argon2id, just cheap: tests hash many passwords on 2 cores.
  ARGON2_MEMORY_KIB: '1024',
  ARGON2_TIME_COST: '1',
  CORS_ORIGINS: 'https://lender.example',
  BODY_LIMIT_BYTES: '16384',
  LOG_LEVEL: 'info',
  RATE_LIMIT_PER_MINUTE: '1000000',
  AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
};

export interface TestApi {
  app: GreenfinApp;
  config: Config;
  orm: MikroORM;
  http: supertest.Agent;
  server: Server;
  logs: string[];
  validator: OpenApiValidator;
  close: () => Promise<void>;
}

/**
 * A real API on a fresh database of its own (created here, dropped by `close`), with every
 * migration applied. Log lines are captured in `logs`.
 */
export async function startTestApi(
  env: Record<string, string> = {},
  deps: Pick<AppDeps, 'cache' | 'clock'> = {},
): Promise<TestApi> {
  const name = `greenfin_test_${randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, [`create database ${name}`]);
  const orm = await connectOrm(databaseUrl(serverUrl, name));
  await migrate(orm);
  const pool = new pg.Pool({ connectionString: databaseUrl(serverUrl, name), max: 4 }); // PROVISIONAL
  await applyMigrations(pool);
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const config = loadConfig({ ...TEST_ENV, ...env });
  const app = createApp({ config, orm, logger: createLogger(config.logLevel, sink), pool, ...deps });
  const handle = app.callback();
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const validator = openApiValidator(app.openapi());
  return {
    app,
    config,
    orm,
    server,
    http: supertest.agent(server),
    logs,
    validator,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
      });
      await orm.close(true);
      await pool.end();
      await onServer(serverUrl, [`drop database if exists ${name} with (force)`]);
    },
  };
}
