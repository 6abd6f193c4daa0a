/**
 * `npm run bench:api`: the API on a real PostgreSQL, driven by autocannon over loopback — a bare
 * Koa endpoint first (the ceiling of this machine and Node), then a cached green score and loan
 * simulations (without and with Idempotency-Keys), then the simulations again on an API with
 * SIMULATION_SYNCHRONOUS_COMMIT=off. Not a test: it prints requests/s, latency, the server
 * process's CPU time per request (steadier than req/s when other work shares the machine) and that
 * of every local `postgres` process (the database's share of the same cores).
 *
 * PostgreSQL: DATABASE_URL's server, else 127.0.0.1:5432 (user postgres, trust). A fresh database
 * is created for each API run and dropped after it. BENCH_DURATION (s, default 10),
 * BENCH_CONNECTIONS (default 50), BENCH_ONLY (a regular expression: only matching scenarios),
 * REDIS_URL (passed to the API: cache and rate limits in Redis), BENCH_PROFILE_DIR (the server
 * processes write V8 CPU profiles there), BENCH_SERVER_FLAGS (Node/V8 flags for the server
 * processes), BENCH_GC=1 (each server prints its garbage collections and
 * event-loop delay at exit), BENCH_HEAP_PROFILE_DIR (each API server writes a sampling heap profile
 * of all it allocated there).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
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
  // BENCH_PROFILE_DIR: each server process writes a V8 CPU profile there when it stops.
  const profile = process.env.BENCH_PROFILE_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
    : [];
  // BENCH_SERVER_FLAGS: Node/V8 flags for the server processes (e.g. GC settings to compare).
  const flags = (process.env.BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...flags, ...profile, '--import', 'tsx', 'bench/server.ts', mode], {
    cwd: apiRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Log lines may come first; the ready line is the one with a port.
  const ready = await new Promise<{ port: number; companyId?: string }>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return process.stderr.write(`${mode} server: ${line}\n`); // e.g. V8 --trace-gc
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
  /** CPU time of the server process per request (Linux, one process): steadier than req/s on a busy machine. */
  'server CPU µs/req': number | string;
  /** CPU time of the server's main thread (its event loop) per request; the rest is its pricing thread, GC helpers and libuv. */
  'loop CPU µs/req': number | string;
  /** CPU time of every local `postgres` process per request (the database's share of the 2 cores). */
  'db CPU µs/req': number | string;
  'non-2xx': number;
  errors: number;
}

/**
 * User + system CPU seconds of a process so far (Linux /proc), or undefined elsewhere; with
 * `mainThread`, of its main thread only (the task whose id is the process's).
 */
function cpuSeconds(pid: number | undefined, mainThread = false): number | undefined {
  try {
    const path = mainThread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`;
    const fields = readFileSync(path, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return undefined;
  }
}

/** User + system CPU seconds of every process named `postgres` (a local server), or undefined. */
function postgresCpuSeconds(): number | undefined {
  let total = 0;
  let found = false;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const fields = stat.split(') ')[1]!.split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / 100;
      found = true;
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return found ? total : undefined;
}

const perRequest = (before: number | undefined, after: number | undefined, requests: number) =>
  before !== undefined && after !== undefined && requests > 0
    ? Math.round(((after - before) * 1e6) / requests)
    : '–';

async function measure(scenario: string, options: autocannon.Options, server?: ChildProcess): Promise<Row> {
  // Warm-up (JIT, connection pool, cache) so the measured run sees the steady state.
  await autocannon({ ...options, duration: 2, connections });
  const cpuBefore = cpuSeconds(server?.pid);
  const loopBefore = cpuSeconds(server?.pid, true);
  const dbBefore = postgresCpuSeconds();
  const r = await autocannon({ ...options, duration, connections });
  const cpuAfter = cpuSeconds(server?.pid);
  const loopAfter = cpuSeconds(server?.pid, true);
  const dbAfter = postgresCpuSeconds();
  const row = {
    scenario,
    'req/s': Math.round(r.requests.average),
    'p50 ms': r.latency.p50,
    'p99 ms': r.latency.p99,
    'server CPU µs/req': perRequest(cpuBefore, cpuAfter, r.requests.total),
    'loop CPU µs/req': perRequest(loopBefore, loopAfter, r.requests.total),
    'db CPU µs/req': perRequest(dbBefore, dbAfter, r.requests.total),
    'non-2xx': r.non2xx,
    errors: r.errors + r.timeouts,
  };
  // The rest of the latency distribution, to tell a long tail from a uniformly slow run.
  const l = r.latency;
  console.log(
    `  ${scenario}: ${row['req/s']} req/s, p50 ${l.p50} ms, p90 ${l.p90} ms, p97.5 ${l.p97_5} ms, p99 ${l.p99} ms, max ${l.max} ms`,
  );
  return row;
}

const rows: Row[] = [];
const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : undefined;

async function scenario(title: string, options: autocannon.Options, server?: ChildProcess) {
  if (!only || only.test(title)) rows.push(await measure(title, options, server));
}

/** One API process on a fresh database, through `run`. */
async function withApi(
  env: Record<string, string>,
  run: (api: { base: string; companyId: string; child: ChildProcess }) => Promise<void>,
) {
  const name = `greenfin_bench_${randomBytes(4).toString('hex')}`;
  await onServer(serverUrl, [`create database ${name}`]);
  try {
    const api = await startServer('api', {
      DATABASE_URL: databaseUrl(serverUrl, name),
      LOG_LEVEL: 'warn',
      JWT_SECRET: randomBytes(32).toString('hex'),
      RATE_LIMIT_PER_MINUTE: '100000000',
      SEED_DEMO: 'true',
      ...env,
    });
    try {
      await run({ base: `http://127.0.0.1:${api.port}`, companyId: api.companyId ?? '', child: api.child });
    } finally {
      await stop(api.child);
    }
  } finally {
    await onServer(serverUrl, [`drop database if exists ${name} with (force)`]);
  }
}

const auth = { authorization: `Bearer ${DEMO.apiKey}` };
function simulations(base: string, companyId: string) {
  const post = {
    url: `${base}/v1/loan-simulations`,
    method: 'POST' as const,
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ companyId, principal: { amount: '500000.00', currency: 'GBP' }, termMonths: 60 }),
  };
  const keyed = {
    ...post,
    requests: [
      {
        setupRequest: (request: autocannon.Request) => ({
          ...request,
          headers: { ...request.headers, 'idempotency-key': randomUUID() },
        }),
      },
    ],
  };
  return { post, keyed };
}

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
await scenario('bare Koa GET / (ceiling)', { url: `http://127.0.0.1:${bare.port}/` }, bare.child);
await stop(bare.child);

await withApi({}, async ({ base, companyId, child }) => {
  await scenario('GET /healthz (API middleware, no auth)', { url: `${base}/healthz` }, child);
  await scenario(
    'GET /v1/companies/{id}/green-score (cached)',
    { url: `${base}/v1/companies/${companyId}/green-score`, headers: auth },
    child,
  );
  const { post, keyed } = simulations(base, companyId);
  await scenario('POST /v1/loan-simulations (no Idempotency-Key)', post, child);
  await scenario('POST /v1/loan-simulations (distinct Idempotency-Keys)', keyed, child);
});
// The same two with SIMULATION_SYNCHRONOUS_COMMIT=off (docs/decisions/0004).
const asyncCommit = [
  'POST /v1/loan-simulations, async commit (no Idempotency-Key)',
  'POST /v1/loan-simulations, async commit (distinct Idempotency-Keys)',
];
if (!only || asyncCommit.some((title) => only.test(title))) {
  await withApi({ SIMULATION_SYNCHRONOUS_COMMIT: 'off' }, async ({ base, companyId, child }) => {
    const { post, keyed } = simulations(base, companyId);
    await scenario(asyncCommit[0]!, post, child);
    await scenario(asyncCommit[1]!, keyed, child);
  });
}
console.log();
console.table(rows);
console.log(
  `  load average after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
