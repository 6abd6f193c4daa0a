/**
 * Import throughput (issue 4 §7): `npx tsx packages/workflows/bench/import.bench.ts`
 *
 * A synthetic EU ETS compliance file in the EUTL fixture's shape (`installation_id,year,free,emission`,
 * CRLF, default 100 000 lines) goes through the real import activities — planImport, importBatch
 * until done, finishImport, each under a MockActivityEnvironment as a worker runs them — and,
 * in the same run and database, through a raw `COPY … FROM STDIN (FORMAT csv)` of the same
 * bytes into a table shaped like the target. Target: the import ≥ 50 % of raw COPY's rows/s. The
 * import runs cold once (the first in this process, while the JIT compiles the parser), then
 * `--runs` rounds (default 3) of a raw COPY and a warm import (as a worker that has imported
 * before), one after the other; the target is judged on the median warm import against the median
 * raw COPY, which a slow spell of a shared machine moves less than one sample of each.
 *
 * Options: `--rows N` (default 100000), `--runs N`, `--batch N` rows per importBatch and `--step N`
 * rows per committed step (defaults: the flow's and the activities' defaults, 100,000 and 10,000).
 * Needs PostgreSQL (`DATABASE_URL`, default the local trust server); creates and drops its own
 * database.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import pg from 'pg';
import { createImportActivities, DEFAULT_IMPORT_STEP_SIZE } from '../src/activities/imports/activities.js';
import { DEFAULT_IMPORT_BATCH_SIZE } from '../src/flows/import-dataset.js';
import { PgImportFileStore } from '../src/activities/imports/file-store.js';
import { applyMigrations } from '../src/db/apply.js';
import { OperationStore } from '../src/operations/store.js';
import { rawCopyMs, timedImport } from './support.js';

const TARGET_RATIO = 0.5;
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Math.max(1, Number(process.argv[i + 1])) : fallback;
};
const rows = arg('rows', 100_000);
const runs = Math.max(1, arg('runs', 3));
const batchSize = arg('batch', DEFAULT_IMPORT_BATCH_SIZE);
const stepSize = arg('step', DEFAULT_IMPORT_STEP_SIZE);

/** EUTL compliance lines: 8 years (2013–2020) per installation, as in the fixture. */
function syntheticCompliance(n: number): Buffer {
  const countries = ['AT', 'BE', 'DE', 'ES', 'FR', 'GB', 'IT', 'NL', 'PL', 'SE'];
  const lines = ['installation_id,year,free,emission'];
  for (let i = 0; i < n; i++) {
    const installation = Math.floor(i / 8);
    const year = 2013 + (i % 8);
    const id = `${countries[installation % countries.length]}_${100000 + installation}`;
    const free = (installation * 7919 + year) % 250_000;
    const emission = i % 17 === 0 ? '' : String(((installation * 104729 + year * 31) % 5_000_000) / 10);
    lines.push(`${id},${year},${free},${emission}`);
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}

const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = `greenfin_bench_${randomBytes(5).toString('hex')}`;
const admin = new pg.Client({ connectionString: serverUrl });
try {
  await admin.connect();
} catch (error) {
  console.log(`import bench skipped: no PostgreSQL at ${serverUrl} (${(error as Error).message})`);
  process.exit(0);
}
await admin.query(`create database ${dbName}`);
const url = new URL(serverUrl);
url.pathname = `/${dbName}`;
const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
pool.on('error', () => undefined); // the final drop terminates idle connections

const rate = (n: number, ms: number) => `${Math.round((n / ms) * 1000).toLocaleString('en-GB')} rows/s`;
const pad = (s: string) => s.padStart(18);
/** The middle element of `xs` by `by` (the lower middle of an even count). */
const median = <T>(xs: readonly T[], by: (x: T) => number): T =>
  [...xs].sort((a, b) => by(a) - by(b))[(xs.length - 1) >> 1]!;

try {
  await applyMigrations(pool);
  const content = syntheticCompliance(rows);
  const files = new PgImportFileStore(pool);
  const store = new OperationStore(pool);
  const activities = createImportActivities({ pool, files, stepSize });

  // Raw COPY of the same bytes into a table like the target — the versions table the import
  // writes — with the same columns, key and defaults; a fresh table each time.
  let copies = 0;
  const rawCopy = async (): Promise<number> => {
    const table = `bench_raw_copy_${++copies}`;
    await pool.query(`create table "${table}" (like "eu_ets_verified_emissions_versions" including all)`);
    await pool.query(
      `alter table "${table}" alter column "organization_id" set default '${randomUUID()}',
         alter column "operation_id" set default '${randomUUID()}'`,
    );
    return rawCopyMs(
      pool,
      `copy "${table}" ("installation_id", "year", "free_allocation", "verified_emissions_tco2e")
       from stdin with (format csv, header true)`,
      content,
    );
  };

  // The import, from the stored upload to the target table: first in this fresh process (the
  // JIT compiles the parser as it goes), then again as a worker that has imported before would
  // run it (a new tenant, a new operation, the same file).
  const importOnce = async () => {
    const org = randomUUID();
    const tSave = performance.now();
    const { fileId } = await files.save(org, { dataset: 'eu-ets', fileName: 'compliance.csv', content });
    const saveMs = performance.now() - tSave;
    const { operation } = await store.create({
      organizationId: org,
      kind: 'import',
      input: { dataset: 'eu-ets', fileId },
      engine: 'in-process',
    });
    const request = { operationId: operation.id, organizationId: org, dataset: 'eu-ets' as const, fileId };
    const cpuBefore = process.cpuUsage();
    const timed = await timedImport(activities, request, batchSize);
    const cpu = process.cpuUsage(cpuBefore);
    const stored = await pool.query<{ n: number }>(
      `select count(*)::int as n from "eu_ets_verified_emissions" where "organization_id" = $1`,
      [org],
    );
    if (timed.result.rows.accepted !== rows || stored.rows[0]!.n !== rows) {
      throw new Error(
        `expected ${rows} rows, got ${JSON.stringify(timed.result.rows)} and ${stored.rows[0]!.n} stored`,
      );
    }
    return { ...timed, saveMs, cpu };
  };
  // One cold import, then `runs` rounds of a raw COPY and a warm import, one after the other, so
  // that a slow spell of the machine falls on both sides; the ratio is of the medians.
  const cold = await importOnce();
  const copyRuns: number[] = [];
  const warmRuns: Awaited<ReturnType<typeof importOnce>>[] = [];
  for (let i = 0; i < runs; i++) {
    copyRuns.push(await rawCopy());
    warmRuns.push(await importOnce());
  }
  const copyMs = median(copyRuns, (ms) => ms);
  const warm = median(warmRuns, (run) => run.ms);

  console.log(
    `import bench: ${rows.toLocaleString('en-GB')} EU ETS compliance lines (${(content.length / 2 ** 20).toFixed(1)} MiB), ` +
      `batch ${batchSize}, step ${stepSize}, ${runs} rounds; ${availableParallelism()} cores, load ${loadavg()[0]!.toFixed(2)}`,
  );
  console.log(
    `  raw COPY, median  ${pad(`${copyMs.toFixed(0)} ms`)}  ${rate(rows, copyMs)}  (rounds: ${copyRuns.map((ms) => ms.toFixed(0)).join(', ')} ms)`,
  );
  for (const [label, run] of [
    ['import, cold', cold],
    ['import, warm', warm],
  ] as const) {
    const cpuMs = (run.cpu.user + run.cpu.system) / 1000;
    const rounds =
      run === warm ? `; rounds: ${warmRuns.map((r) => r.ms.toFixed(0)).join(', ')} ms, the median shown` : '';
    console.log(
      `  ${label.padEnd(16)}${pad(`${run.ms.toFixed(0)} ms`)}  ${rate(rows, run.ms)}  ${((copyMs / run.ms) * 100).toFixed(1)} % of raw COPY  ` +
        `(plan ${run.planMs.toFixed(0)} ms, ${run.batches} batches ${run.batchMs.toFixed(0)} ms, finish ${run.finishMs.toFixed(0)} ms; upload stored in ${run.saveMs.toFixed(0)} ms, not counted${rounds})`,
    );
    // This process's CPU time (parse, validate, encode, GC; PostgreSQL's is its own): with the
    // database on the other core, the import cannot beat its JavaScript.
    console.log(
      `    CPU here        ${pad(`${cpuMs.toFixed(0)} ms`)}  ${((cpuMs * 1000) / rows).toFixed(2)} µs a line (user ${(run.cpu.user / 1000).toFixed(0)} ms, system ${(run.cpu.system / 1000).toFixed(0)} ms)`,
    );
  }
  const ratio = copyMs / warm.ms;
  console.log(
    `  ratio, warm       ${pad(`${(ratio * 100).toFixed(1)} %`)}  median raw COPY / median warm import (target ≥ ${TARGET_RATIO * 100} %) ${ratio >= TARGET_RATIO ? 'OK' : 'BELOW TARGET'}`,
  );
} finally {
  await pool.end();
  await admin.query(`drop database if exists ${dbName} with (force)`);
  await admin.end();
}
