/**
 * The benchmark's server process: `api` runs the Greenfin API on DATABASE_URL (migrated and seeded
 * with the demo tenant); `bare` runs a Koa app with one JSON route, the ceiling for this machine.
 * Prints one JSON line `{ port, companyId? }` when listening; stops on SIGTERM.
 */
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import Koa from 'koa';
import pg from 'pg';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { connectOrm, migrate } from '../src/db/orm.js';
import { seedDemo } from '../src/db/seed.js';
import { createLogger } from '../src/logger.js';
import { createJobEngine } from '../src/modules/operations/job-engine.js';

const mode = process.argv[2];

// BENCH_HEAP_PROFILE_DIR: a sampling heap profile of everything allocated (collected or not) is
// written there at exit — where the allocations that keep the young-generation GC busy come from;
// with BENCH_HEAP_SURVIVORS=1, only the allocations that outlived a young collection.
const heapProfileDir = process.env.BENCH_HEAP_PROFILE_DIR;
const heapProfile = heapProfileDir ? new Session() : null;
if (heapProfile) {
  heapProfile.connect();
  heapProfile.post('HeapProfiler.startSampling', {
    samplingInterval: 16_384,
    includeObjectsCollectedByMajorGC: true,
    // BENCH_HEAP_SURVIVORS=1: only what outlived a young collection — what makes scavenges slow.
    includeObjectsCollectedByMinorGC: !process.env.BENCH_HEAP_SURVIVORS,
  } as never);
}
/** Writes the heap profile (when sampling), then calls `done`. */
function writeHeapProfile(done: () => void): void {
  if (!heapProfile) return done();
  heapProfile.post('HeapProfiler.stopSampling', (error, result) => {
    if (!error) {
      writeFileSync(`${heapProfileDir}/${mode}-${process.pid}.heapprofile`, JSON.stringify(result.profile));
    }
    done();
  });
}

// BENCH_GC=1: the process's garbage collections (count and pause time by kind) and event-loop
// delay on stderr at exit.
if (process.env.BENCH_GC) {
  const totals = new Map<string, { count: number; ms: number }>();
  const kinds: Record<number, string> = {
    [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
    [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact',
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental marking',
    [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
  };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = kinds[(entry as unknown as { detail: { kind: number } }).detail.kind] ?? 'other';
      const total = totals.get(kind) ?? { count: 0, ms: 0 };
      total.count += 1;
      total.ms += entry.duration;
      totals.set(kind, total);
    }
  }).observe({ entryTypes: ['gc'] });
  // And how long the event loop was held up (GC pauses included), sampled every 10 ms.
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  process.once('exit', () => {
    const text = [...totals].map(([k, t]) => `${k} ${t.count}× ${Math.round(t.ms)} ms`).join(', ');
    process.stderr.write(`  ${mode} server GC: ${text}\n`);
    const ms = (ns: number) => (ns / 1e6).toFixed(1);
    process.stderr.write(
      `  ${mode} server event-loop delay: p50 ${ms(delay.percentile(50))} ms, p99 ${ms(delay.percentile(99))} ms, max ${ms(delay.max)} ms\n`,
    );
  });
}

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
        .then(() => writeHeapProfile(() => process.exit(0)));
    }),
  );
}
