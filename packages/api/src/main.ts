/**
 * Runs the API: configuration from the environment; with no DATABASE_URL an embedded PostgreSQL in
 * `.data/pg` at the repository root (migrated and seeded with the demo tenant); Ctrl-C stops
 * everything cleanly.
 */
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import {
  createJobMetrics,
  createWebhookDispatcher,
  startHousekeeping,
  TemporalEngine,
} from '@greenfin/workflows';
import pg from 'pg';
import { Registry } from 'prom-client';
import { createApp, type GreenfinApp } from './app.js';
import { RedisGenerationalCache, cacheRedisPrefix } from './cache/generational-cache.js';
import { loadConfig } from './config.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded.js';
import { connectOrm, migrate } from './db/orm.js';
import { DEMO, seedDemo } from './db/seed.js';
import { RedisRateLimitStore } from './http/rate-limit.js';
import { createLogger } from './logger.js';
import { WebhooksService } from './modules/webhooks/webhooks.service.js';
import { createJobEngine } from './modules/operations/job-engine.js';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

const config = loadConfig(process.env);
const logger = createLogger(config.logLevel);

let embedded: EmbeddedDatabase | undefined;
const embeddedDataDir = config.pgDataDir ?? join(repositoryRoot, '.data', 'pg');
if (!config.databaseUrl) {
  const dataDir = embeddedDataDir;
  embedded = await startEmbeddedPostgres({ dataDir, port: config.pgPort, logger });
  logger.info({ dataDir, port: config.pgPort }, 'embedded PostgreSQL started');
}
const databaseUrl = config.databaseUrl ?? embedded?.url ?? '';
const orm = await connectOrm(databaseUrl, logger, config.databasePoolSize);
const applied = await migrate(orm);
logger.info({ applied }, applied.length ? 'migrations applied' : 'schema up to date');

const pool = new pg.Pool({
  connectionString: databaseUrl,
  max: Math.max(4, Math.ceil(config.databasePoolSize / 4)),
});
const webhookLog = {
  info: (message: string, attributes?: Record<string, unknown>) => logger.debug(attributes ?? {}, message),
  warn: (message: string, attributes?: Record<string, unknown>) => logger.warn(attributes ?? {}, message),
  error: (message: string, attributes?: Record<string, unknown>) => logger.error(attributes ?? {}, message),
};
// One Prometheus registry for /metrics: the job metrics are fed by the engine and the dispatcher.
const prometheus = new Registry();
const jobMetrics = createJobMetrics(prometheus);
// Webhooks before the engine: its `notify` activity enqueues deliveries through them. Deliveries
// go through BullMQ when Redis is configured, else through an in-process loop over PostgreSQL.
const webhooks = new WebhooksService({
  pool,
  allowPrivateUrls: config.webhooks.allowPrivateUrls,
  dispatcher: createWebhookDispatcher({
    pool,
    redisUrl: config.redisUrl ?? null,
    redisPrefix: `${config.redisKeyPrefix}bull`,
    allowPrivateUrls: config.webhooks.allowPrivateUrls,
    logger: webhookLog,
    metrics: jobMetrics,
  }),
});
// The app is created after the engine; enrichment reaches its score cache through this holder.
const late: { app?: GreenfinApp } = {};
const jobs = await createJobEngine({
  config,
  pool,
  logger,
  metrics: jobMetrics,
  activities: {
    // Enrichment changes what a score is computed from: drop the cached score.
    onCompanyChanged: (org, id) => late.app?.services.greenScores.invalidate(org, id) ?? Promise.resolve(),
    notify: (event) => webhooks.notifier.notify(event),
    publish: (event) => webhooks.notifier.publish(event),
    // Recategorisation (and the transactions import) drop the cached cash-flow analytics.
    onTransactionsChanged: (org, id) => late.app?.services.cashFlow.invalidate(org, id) ?? Promise.resolve(),
  },
});
logger.info({ engine: jobs.engine.name }, 'job engine ready');

const redis = config.redisUrl ? new Redis(config.redisUrl, { lazyConnect: false }) : undefined;
const app = (late.app = createApp({
  config,
  orm,
  logger,
  pool,
  jobs: jobs.engine,
  webhooks,
  prometheus,
  ...(redis
    ? {
        rateLimitStore: new RedisRateLimitStore(redis, `${config.redisKeyPrefix}rl:`),
        cache: new RedisGenerationalCache(
          redis,
          cacheRedisPrefix(config.redisKeyPrefix),
          config.greenScoreCacheTtlSeconds * 1000,
        ),
      }
    : {}),
}));
await webhooks.dispatcher.start();
// Retention purges, orphan cleanup, and closing Temporal operations whose workflow was terminated.
const engine = jobs.engine;
const housekeeping = startHousekeeping({
  pool,
  store: app.services.operations,
  intervalMs: config.housekeepingIntervalMs,
  ...(engine instanceof TemporalEngine && { reconcileStale: () => engine.reconcileStale(5 * 60_000) }),
  onPass: (result, error) => {
    if (error) logger.warn({ err: error }, 'housekeeping pass failed; retried at the next interval');
    else if (result && !result.skipped) logger.info({ housekeeping: result }, 'housekeeping pass');
  },
});
const seeded =
  (config.seedDemo ?? !config.databaseUrl) ? await seedDemo(orm.em.fork(), app.services) : undefined;

const server = app.listen(config.port, config.host);
await once(server, 'listening');
const address = server.address();
const port = typeof address === 'object' && address ? address.port : config.port;
const base = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;

const lines = [
  '',
  `  Greenfin API     ${base}`,
  `  API reference    ${base}/docs`,
  `  OpenAPI          ${base}/openapi.json`,
  `  Cache/limits     ${redis ? 'Redis' : 'in-process'}`,
  `  Jobs             ${config.temporal ? `Temporal at ${config.temporal.address} (run \`npm run worker\`)` : 'in-process engine'}`,
  `  Webhooks         ${redis ? 'BullMQ (Redis)' : 'in-process (PostgreSQL)'}`,
  `  Database         ${embedded ? `embedded PostgreSQL (${embeddedDataDir})` : 'DATABASE_URL'}`,
];
if (seeded) {
  const auth = `-H "Authorization: Bearer ${DEMO.apiKey}"`;
  const body = JSON.stringify({
    companyId: seeded.companyId,
    principal: { amount: '500000.00', currency: 'GBP' },
    termMonths: 60,
  });
  lines.push(
    '',
    '  Demo tenant (seeded):',
    `    admin login    ${DEMO.email} / ${DEMO.password}`,
    `    API key        ${DEMO.apiKey}   (analyst)`,
    `    EcoTech        ${base}/v1/companies/${seeded.companyId}`,
    '',
    '  Try:',
    `    curl ${auth} ${base}/v1/companies/${seeded.companyId}/green-score`,
    `    curl ${auth} ${base}/v1/loan-simulations`,
    `    curl ${auth} -H "Accept: text/csv" ${base}/v1/loan-simulations/${seeded.simulationId}/schedule`,
    `    curl ${auth} ${base}/v1/loan-simulations/${seeded.simulationId}/report`,
    `    curl ${auth} -H "Content-Type: application/json" -d '${body}' ${base}/v1/loan-simulations`,
  );
}
lines.push('', '  Ctrl-C to stop.', '');
console.log(lines.join('\n'));

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  server.close();
  server.closeAllConnections();
  await housekeeping.stop();
  await app.services.alerts.idle();
  await app.services.loanSimulations.close();
  await jobs.close();
  await webhooks.dispatcher.close();
  await pool.end();
  await orm.close();
  redis?.disconnect();
  await embedded?.stop();
  logger.info('stopped');
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
