/**
 * `npm run bench:api`: the API on a real PostgreSQL, driven by autocannon over loopback — a bare
 * Koa endpoint first (the ceiling of this machine and Node), then a cached green score and loan
 * simulations (without and with Idempotency-Keys). Not a test: it prints requests/s and latency.
 *
 * PostgreSQL: DATABASE_URL's server, else 127.0.0.1:5432 (user postgres, trust). A fresh database
 * is created for the run and dropped after it. BENCH_DURATION (s, default 10), BENCH_CONNECTIONS
 * (default 50).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { databaseUrl, onServer } from '../src/db/admin.js';
import { DEMO } from '../src/db/seed.js';

const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const duration = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const apiRoot = fileURLToPath(new URL('..', import.meta.url));

/** Starts `bench/server.ts` in its own process and waits for its `{ port, … }` line. */
async function startServer(mode: 'api' | 'bare', env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/server.ts', mode], {
    cwd: apiRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Log lines may come first; the ready line is the one with a port.
  const ready = await new Promise<{ port: number; companyId?: string }>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const parsed = JSON.parse(line) as { port?: number; companyId?: string };
      if (parsed.port) resolve({ ...parsed, port: parsed.port });
    });
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
  return { child, ...ready };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

interface Row {
  scenario: string;
  'req/s': number;
  'p50 ms': number;
  'p99 ms': number;
  'non-2xx': number;
  errors: number;
}

async function measure(scenario: string, options: autocannon.Options): Promise<Row> {
  // Warm-up (JIT, connection pool, cache) so the measured run sees the steady state.
  await autocannon({ ...options, duration: 2, connections });
  const r = await autocannon({ ...options, duration, connections });
  const row = {
    scenario,
    'req/s': Math.round(r.requests.average),
    'p50 ms': r.latency.p50,
    'p99 ms': r.latency.p99,
    'non-2xx': r.non2xx,
    errors: r.errors + r.timeouts,
  };
  console.log(`  ${scenario}: ${row['req/s']} req/s, p50 ${row['p50 ms']} ms, p99 ${row['p99 ms']} ms`);
  return row;
}

const name = `greenfin_bench_${randomBytes(4).toString('hex')}`;
await onServer(serverUrl, [`create database ${name}`]);
const rows: Row[] = [];
try {
  console.log(
    `Greenfin API benchmark — ${cpus().length} CPU(s) ${cpus()[0]?.model ?? ''}, Node ${process.version}, ${connections} connections, ${duration} s per scenario`,
  );
  // Other work on the machine skews every figure; say how busy it was.
  console.log(
    `  load average before: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const bare = await startServer('bare');
  rows.push(await measure('bare Koa GET / (ceiling)', { url: `http://127.0.0.1:${bare.port}/` }));
  await stop(bare.child);

  const api = await startServer('api', {
    DATABASE_URL: databaseUrl(serverUrl, name),
    LOG_LEVEL: 'warn',
    JWT_SECRET: randomBytes(32).toString('hex'),
    RATE_LIMIT_PER_MINUTE: '100000000',
    SEED_DEMO: 'true',
  });
  const base = `http://127.0.0.1:${api.port}`;
  const auth = { authorization: `Bearer ${DEMO.apiKey}` };
  const simulation = JSON.stringify({
    companyId: api.companyId,
    principal: { amount: '500000.00', currency: 'GBP' },
    termMonths: 60,
  });
  try {
    rows.push(await measure('GET /healthz (API middleware, no auth)', { url: `${base}/healthz` }));
    rows.push(
      await measure('GET /v1/companies/{id}/green-score (cached)', {
        url: `${base}/v1/companies/${api.companyId}/green-score`,
        headers: auth,
      }),
    );
    const post = {
      url: `${base}/v1/loan-simulations`,
      method: 'POST' as const,
      headers: { ...auth, 'content-type': 'application/json' },
      body: simulation,
    };
    rows.push(await measure('POST /v1/loan-simulations (no Idempotency-Key)', post));
    rows.push(
      await measure('POST /v1/loan-simulations (distinct Idempotency-Keys)', {
        ...post,
        requests: [
          {
            setupRequest: (request) => ({
              ...request,
              headers: { ...request.headers, 'idempotency-key': randomUUID() },
            }),
          },
        ],
      }),
    );
  } finally {
    await stop(api.child);
  }
} finally {
  await onServer(serverUrl, [`drop database if exists ${name} with (force)`]);
}
console.log();
console.table(rows);
console.log(
  `  load average after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
