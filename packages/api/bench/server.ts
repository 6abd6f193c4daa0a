/**
 * The benchmark's server process: `api` runs the Greenfin API on DATABASE_URL (migrated and seeded
 * with the demo tenant); `bare` runs a Koa app with one JSON route, the ceiling for this machine.
 * Prints one JSON line `{ port, companyId? }` when listening; stops on SIGTERM.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import pg from 'pg';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { connectOrm, migrate } from '../src/db/orm.js';
import { seedDemo } from '../src/db/seed.js';
import { createLogger } from '../src/logger.js';
import { createJobEngine } from '../src/modules/operations/job-engine.js';

const mode = process.argv[2];

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>) {
  const server = createServer((req, res) => void handler(req, res));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

if (mode === 'bare') {
  const app = new Koa();
  app.use((ctx) => {
    ctx.body = { status: 'ok' };
  });
  const server = await listen(app.callback());
  console.log(JSON.stringify({ port: (server.address() as AddressInfo).port }));
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
} else {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  const orm = await connectOrm(config.databaseUrl ?? '', logger, config.databasePoolSize);
  await migrate(orm);
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 4 });
  const jobs = await createJobEngine({ config, pool, logger });
  const app = createApp({ config, orm, logger, pool, jobs: jobs.engine });
  const seeded = await seedDemo(orm.em.fork(), app.services);
  const server = await listen(app.callback());
  console.log(JSON.stringify({ port: (server.address() as AddressInfo).port, companyId: seeded.companyId }));
  process.once('SIGTERM', () =>
    server.close(() => {
      void jobs
        .close()
        .then(() => Promise.all([orm.close(), pool.end()]))
        .then(() => process.exit(0));
    }),
  );
}
