/**
 * The benchmark's server process: `api` runs the Greenfin API on DATABASE_URL (migrated and seeded
 * with the demo tenant); `bare` runs a Koa app with one JSON route, the ceiling for this machine.
 * Prints one JSON line `{ port, companyId? }` when listening; stops on SIGTERM. API_WORKERS > 1
 * runs that many API processes (node:cluster) on one port; REDIS_URL puts the cache and rate
 * limits in Redis, as several processes need.
 */
import cluster from 'node:cluster';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { createApp } from '../src/app.js';
import { RedisGenerationalCache } from '../src/cache/generational-cache.js';
import { RedisRateLimitStore } from '../src/http/rate-limit.js';
import { loadConfig } from '../src/config.js';
import { connectOrm, migrate } from '../src/db/orm.js';
import { seedDemo } from '../src/db/seed.js';
import { createLogger } from '../src/logger.js';

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
} else if (cluster.isWorker) {
  // One of API_WORKERS processes: the primary migrated and seeded; all share its port.
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  const orm = await connectOrm(config.databaseUrl ?? '', logger, config.databasePoolSize);
  const app = createApp({ config, orm, logger, ...(await redisStores(config)) });
  const server = await listen(app.callback());
  process.once('SIGTERM', () => server.close(() => void orm.close().then(() => process.exit(0))));
} else {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  const orm = await connectOrm(config.databaseUrl ?? '', logger, config.databasePoolSize);
  await migrate(orm);
  const app = createApp({ config, orm, logger, ...(await redisStores(config)) });
  const seeded = await seedDemo(orm.em.fork(), app.services);
  const workers = Number(process.env.API_WORKERS ?? 1);
  if (workers > 1) {
    await orm.close();
    const forked = Array.from({ length: workers }, () => cluster.fork({ SEED_DEMO: 'false' }));
    const ports = await Promise.all(
      forked.map((worker) => once(worker, 'listening').then(([address]) => (address as AddressInfo).port)),
    );
    console.log(JSON.stringify({ port: ports[0], companyId: seeded.companyId }));
    process.once('SIGTERM', () => {
      for (const worker of forked) worker.process.kill('SIGTERM');
      void Promise.all(forked.map((worker) => once(worker, 'exit'))).then(() => process.exit(0));
    });
  } else {
    const server = await listen(app.callback());
    console.log(
      JSON.stringify({ port: (server.address() as AddressInfo).port, companyId: seeded.companyId }),
    );
    process.once('SIGTERM', () =>
      server.close(() => {
        void orm.close().then(() => process.exit(0));
      }),
    );
  }
}

/** With REDIS_URL, the cache and rate limits live in Redis (what several processes need). */
async function redisStores(config: ReturnType<typeof loadConfig>) {
  if (!config.redisUrl) return {};
  const { Redis } = await import('ioredis');
  const redis = new Redis(config.redisUrl);
  return {
    rateLimitStore: new RedisRateLimitStore(redis, `${config.redisKeyPrefix}rl:`),
    cache: new RedisGenerationalCache(
      redis,
      `${config.redisKeyPrefix}cache:`,
      config.greenScoreCacheTtlSeconds * 1000,
    ),
  };
}
