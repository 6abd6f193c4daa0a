import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { Writable } from 'node:stream';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createJobMetrics, type Engine } from '@greenfin/workflows';
import pg from 'pg';
import { Registry } from 'prom-client';
import supertest from 'supertest';
import { type AppDeps, createApp, type GreenfinApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { databaseUrl, onServer } from '../../src/db/admin.js';
import { checkProjections } from '../../src/http/projection.js';
import { connectOrm, migrate } from '../../src/db/orm.js';
import { createLogger } from '../../src/logger.js';
import { createJobEngine, type JobEngineOptions } from '../../src/modules/operations/job-engine.js';
import { WebhooksService } from '../../src/modules/webhooks/webhooks.service.js';
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
  /** A `pg` pool on the test database (the job engine's tables). */
  pool: pg.Pool;
  /** The in-process job engine the app starts jobs on. */
  jobs: Engine;
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
  deps: Pick<AppDeps, 'cache' | 'clock'> & { activities?: JobEngineOptions['activities'] } = {},
): Promise<TestApi> {
  const name = `greenfin_test_${randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, [`create database ${name}`]);
  const url = databaseUrl(serverUrl, name);
  const orm = await connectOrm(url);
  await migrate(orm);
  const pool = new pg.Pool({ connectionString: url, max: 5 });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const config = loadConfig({ ...TEST_ENV, ...env });
  const logger = createLogger(config.logLevel, sink);
  const { activities, ...appDeps } = deps;
  // The app is created after the engine; enrichment reaches its score cache through this holder.
  const late: { app?: GreenfinApp } = {};
  // Webhooks before the engine (its notify activity enqueues through them). The in-process
  // dispatcher is not started here: a test that wants deliveries attempted starts it.
  const prometheus = new Registry();
  const metrics = createJobMetrics(prometheus);
  const webhooks = new WebhooksService({
    pool,
    allowPrivateUrls: config.webhooks.allowPrivateUrls,
    metrics,
  });
  // No registry unless a test gives one; enrichment invalidates cached scores through the app.
  const jobs = await createJobEngine({
    config,
    pool,
    logger,
    metrics,
    activities: {
      env: {},
      registry: null,
      onCompanyChanged: (org, id) => late.app?.services.greenScores.invalidate(org, id) ?? Promise.resolve(),
      notify: (event) => webhooks.notifier.notify(event),
      publish: (event) => webhooks.notifier.publish(event),
      // Recategorisation (and the transactions import) drop the cached cash-flow analytics.
      onTransactionsChanged: (org, id) =>
        late.app?.services.cashFlow.invalidate(org, id) ?? Promise.resolve(),
      ...activities,
    },
  });
  // Every reply's projection (src/http/projection.ts) is compared with zod's parse of it.
  checkProjections(true);
  const app = (late.app = createApp({
    config,
    orm,
    logger,
    pool,
    jobs: jobs.engine,
    webhooks,
    prometheus,
    ...appDeps,
  }));
  const handle = app.callback();
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const validator = openApiValidator(app.openapi());
  return {
    app,
    config,
    orm,
    pool,
    jobs: jobs.engine,
    server,
    http: supertest.agent(server),
    logs,
    validator,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
      });
      await app.services.alerts.idle();
      await jobs.close();
      await webhooks.dispatcher.close();
      await pool.end();
      await orm.close(true);
      await onServer(serverUrl, [`drop database if exists ${name} with (force)`]);
    },
  };
}
