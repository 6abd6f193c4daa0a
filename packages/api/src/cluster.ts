/**
 * `API_WORKERS` > 1: the primary process (which has migrated and seeded) forks that many API
 * processes (node:cluster), which share its listening port; it restarts none of them and stops
 * them all on SIGINT/SIGTERM. Opt-in: on 2 cores shared with PostgreSQL a second process is not
 * always faster (see the README's Performance section).
 */
import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { Logger } from 'pino';
import type { Config } from './config.js';

/** Whether this process should fork the API processes rather than serve. */
export function isClusterPrimary(config: Config): boolean {
  return config.apiWorkers > 1 && cluster.isPrimary;
}

/**
 * Forks the API processes with `env` added (the database URL they must use, no seeding) and waits
 * for them until a signal, then stops them, runs `close` and exits. Never resolves. (`loadConfig`
 * has checked that REDIS_URL is set: the processes share the cache and rate limits through it.)
 */
export async function superviseWorkers(
  config: Config,
  env: Record<string, string>,
  logger: Logger,
  close: () => Promise<unknown>,
): Promise<never> {
  // One access-token secret for all of them (a token signed by one is verified by another).
  const jwtSecret = config.jwtSecret ?? randomBytes(32).toString('hex');
  const workers = Array.from({ length: config.apiWorkers }, () =>
    cluster.fork({ ...env, SEED_DEMO: 'false', JWT_SECRET: jwtSecret }),
  );
  let stopping = false;
  for (const worker of workers) {
    worker.once('exit', (code) => {
      if (!stopping) logger.error({ pid: worker.process.pid, code }, 'API worker exited');
    });
  }
  await Promise.all(workers.map((worker) => once(worker, 'listening')));
  logger.info({ workers: workers.length }, 'API workers listening');
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    for (const worker of workers) worker.process.kill('SIGTERM');
    await Promise.all(workers.map((worker) => (worker.isDead() ? undefined : once(worker, 'exit'))));
    await close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  return new Promise<never>(() => {});
}
