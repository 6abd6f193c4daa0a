/**
 * The import activities: plan (check the header, count the lines, record the file's layout),
 * batches (parse, validate, de-duplicate, COPY into staging with rejects, each step committed and
 * heartbeated), and finish (apply the staged rows to the target tables in one transaction and
 * store the counts).
 *
 * Idempotency: everything an import writes before finishing is keyed by operation id + physical
 * line, and a step first deletes what an earlier attempt staged from its line on; the target
 * tables are only touched by finishImport's single transaction, whose result is stored and
 * returned again on a repeat. So a run killed anywhere, then run again (same operation or a new
 * one), leaves exactly the rows an uninterrupted run leaves.
 */
import type { Pool, PoolClient } from 'pg';
import type {
  ImportActivities,
  ImportBatchResult,
  ImportPlan,
  ImportRequest,
} from '../../flows/activities.js';
import { InvalidInputError } from '../../flows/failures.js';
import { isUuid } from '../../flows/validate.js';
import type { CsvLine } from '../../imports/datasets/csv-records.js';
import { openDataset, shapeProblem, toRecord } from '../../imports/datasets/read-dataset.js';
import { datasetSpec } from '../../imports/datasets/registry.js';
import type { TransactionImportRow } from '../../imports/datasets/transactions.js';
import type { DatasetOptions, DatasetSpec, RowResult, TargetTable } from '../../imports/datasets/types.js';
import type { ImportDatasetName, ImportDatasetResult } from '../../shared.js';
import { runCheckpointed } from '../../temporal/checkpointed-activity.js';
import { applyStaged, targetOf, type ApplyOutcome } from './apply.js';
import { copyRows, copyText, csvLine } from './copy.js';
import { countLines, type ImportFileStore } from './file-store.js';
import { deleteSupersededVersions, VERSIONED_DATASETS, VersionWriter, WrittenKeys } from './versions.js';
import { openAt, type FileLayout } from './reader.js';
import { assertCompanyOfOrganization, categoriseRows, loadCategoryRules } from './transactions.js';

/** What the import activities need. */
export interface ImportActivityDeps {
  pool: Pool;
  files: ImportFileStore;
  /**
   * Called once finishImport has committed, with the companies whose stored data changed (so the
   * API can drop their cached green scores). Errors are the caller's to handle; they do not undo
   * the import.
   */
  onApplied?: (event: {
    organizationId: string;
    operationId: string;
    dataset: ImportDatasetName;
    companyIds: string[];
  }) => Promise<void>;
  /** Rows + rejects committed (and heartbeated) per step inside a batch. Default {@link DEFAULT_IMPORT_STEP_SIZE}. */
  stepSize?: number;
}

/** Rows + rejects per committed, heartbeated step of importBatch. */
export const DEFAULT_IMPORT_STEP_SIZE = 10_000;

/** Where the rejects of an operation are served. */
export const rejectsLocation = (operationId: string): string => `/v1/operations/${operationId}/rejects`;

/** The heartbeat details of importBatch: where the next step starts and what the batch did so far. */
interface BatchCheckpoint {
  nextLine: number;
  /** Offset (without the BOM) where `nextLine` starts; null when not known yet. */
  byteOffset: number | null;
  /** Rows + rejects so far in this batch (the batch-size budget). */
  items: number;
  dataLines: number;
  accepted: number;
  rejected: number;
  done: boolean;
}

function isBatchCheckpoint(value: unknown): value is BatchCheckpoint {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  return (
    typeof c.nextLine === 'number' &&
    (c.byteOffset === null || typeof c.byteOffset === 'number') &&
    ['items', 'dataLines', 'accepted', 'rejected'].every((k) => typeof c[k] === 'number') &&
    typeof c.done === 'boolean'
  );
}

interface RunRow {
  operation_id: string;
  organization_id: string;
  dataset: ImportDatasetName;
  variant: string;
  file_id: string;
  bom_bytes: number;
  header_end_byte: string;
  start_line: number;
  total_rows: number | null;
  result: ImportDatasetResult | null;
}

/** A transaction-scoped lock per operation: two attempts of one import never interleave. */
async function lockOperation(client: PoolClient, operationId: string): Promise<void> {
  await client.query(`select pg_advisory_xact_lock(hashtextextended($1, 730119002))`, [operationId]);
}

async function inTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    try {
      const result = await fn(client);
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback');
      throw error;
    }
  } finally {
    client.release();
  }
}

function datasetOptions(request: ImportRequest): DatasetOptions {
  return {
    ...(request.options?.variant !== undefined && { variant: request.options.variant }),
    ...(request.options?.year !== undefined && { year: request.options.year }),
    ...(request.options?.mapping !== undefined && { mapping: request.options.mapping }),
  };
}

function layoutOf(run: RunRow, request: ImportRequest): FileLayout {
  return {
    organizationId: run.organization_id,
    fileId: run.file_id,
    dataset: run.dataset,
    options: datasetOptions(request),
    bomBytes: run.bom_bytes,
    headerEndByte: Number(run.header_end_byte),
    startLine: run.start_line,
  };
}

function checkRequest(request: ImportRequest): void {
  if (!isUuid(request.operationId)) throw new InvalidInputError('operationId', 'must be a UUID');
  if (!isUuid(request.organizationId)) throw new InvalidInputError('organizationId', 'must be a UUID');
  if (!isUuid(request.fileId)) throw new InvalidInputError('fileId', 'must be a UUID');
}

/** The header columns a reason names (`year: must be …; revenue_amount: …` → `year;revenue_amount`). */
export function reasonFields(reason: string, header: readonly string[]): string | null {
  const fields: string[] = [];
  for (const part of reason.split('; ')) {
    const colon = part.indexOf(': ');
    if (colon <= 0) continue;
    const name = part.slice(0, colon);
    if (header.includes(name) && !fields.includes(name)) fields.push(name);
  }
  return fields.length > 0 ? fields.join(';') : null;
}

interface ParsedLine<Row> {
  record: CsvLine;
  raw: Record<string, string>;
  result: RowResult<Row>;
  keys: string[];
}

/** Records parsed between two yields to the event loop (a power of two, minus one). */
const YIELD_EVERY = 511;
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const STAGED_COLUMNS = ['operation_id', 'line', 'seq', 'key', 'data', 'raw'] as const;
const REJECT_COLUMNS = ['operation_id', 'line', 'field', 'reason', 'raw'] as const;

function rowJson<Row>(target: TargetTable<Row>, row: Row): string {
  const values = target.values(row);
  const object: Record<string, unknown> = {};
  target.columns.forEach((column, i) => {
    object[column.name] = values[i] ?? null;
  });
  return JSON.stringify(object);
}

async function loadRun(pool: Pool | PoolClient, request: ImportRequest): Promise<RunRow> {
  const { rows } = await pool.query<RunRow>(
    `select * from "import_runs" where "operation_id" = $1 and "organization_id" = $2`,
    [request.operationId, request.organizationId],
  );
  const run = rows[0];
  if (!run)
    throw new InvalidInputError(
      'operationId',
      `import ${request.operationId} was not planned (run planImport first)`,
    );
  if (run.file_id !== request.fileId || run.dataset !== request.dataset) {
    throw new InvalidInputError('fileId', `operation ${request.operationId} imports another file or dataset`);
  }
  return run;
}

/** What a step learns as its transaction begins. */
interface StepPrelude {
  /** finishImport has run: the step does nothing. */
  finished: boolean;
  /** A step after the line has committed (an earlier attempt got further than this one). */
  committedBeyond: boolean;
}

/**
 * One committed step of importBatch, in few round trips (a step's PostgreSQL messages wait while
 * the next step's lines are parsed): `begin`, the operation's lock, its state and the delete of
 * rejects from `line` on go as one simple-protocol query, and the step's `epilogue` (SQL that
 * `fn` returns) goes with the `commit`. Ids are UUIDs checked by checkRequest and the line an
 * integer, so the literals are safe; they are escaped all the same.
 */
async function inStep<T extends { epilogue: string }>(
  pool: Pool,
  operationId: string,
  line: number,
  fn: (client: PoolClient, prelude: StepPrelude) => Promise<T | null>,
): Promise<T | null> {
  if (!Number.isSafeInteger(line)) throw new Error(`line must be an integer, got ${line}`);
  const client = await pool.connect();
  try {
    const op = client.escapeLiteral(operationId);
    const results = (await client.query(
      `begin;
       select pg_advisory_xact_lock(hashtextextended(${op}, 730119002));
       select "result" is not null as "finished",
              exists (select 1 from "import_positions" where "operation_id" = ${op} and "line" > ${line}) as "beyond"
         from "import_runs" where "operation_id" = ${op};
       delete from "import_rejects" where "operation_id" = ${op} and "line" >= ${line};`,
    )) as unknown as { rows: { finished?: boolean; beyond?: boolean }[] }[];
    const state = results[2]?.rows[0];
    const result = await fn(client, {
      finished: state?.finished ?? false,
      committedBeyond: state?.beyond ?? false,
    });
    await client.query(`${result?.epilogue ?? ''} commit;`);
    return result;
  } catch (error) {
    // A failed statement aborts the whole multi-statement query; rollback ends whatever began.
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Ranks the step's rows of a dataset with `repeats` (transactions): the n-th line in the file with
 * a natural key is keyed `repeats.key(key, n)`. Earlier occurrences are the rows staged by earlier
 * lines — exactly what an uninterrupted run staged before this step — found by probing the keys
 * of occurrence 1, 2, … on the staged keys' unique index (one round per repeat depth, usually one).
 */
async function rankRepeats(
  client: PoolClient,
  operationId: string,
  parsed: ParsedLine<unknown>[],
  spec: DatasetSpec<unknown>,
): Promise<void> {
  const repeats = spec.repeats!;
  const seen = new Map<string, number>();
  // Each (natural key, occurrence) key computed once: a probe's key is usually a row's own.
  const keys = new Map<string, string>();
  const keyOf = (id: string, n: number): string => {
    const memo = `${n}|${id}`;
    let key = keys.get(memo);
    if (key === undefined) {
      key = repeats.key(id, n);
      keys.set(memo, key);
    }
    return key;
  };
  const identities = [
    ...new Set(parsed.flatMap((p) => (p.result.ok ? p.result.rows.map((r) => spec.naturalKey(r)) : []))),
  ];
  let pending = identities;
  for (let n = 1; pending.length > 0; n++) {
    const candidates = pending.map((id) => keyOf(id, n));
    const { rows } = await client.query<{ key: string }>(
      `select "key" from "import_staged_rows" where "operation_id" = $1 and "key" = any($2::text[])`,
      [operationId, candidates],
    );
    const found = new Set(rows.map((r) => r.key));
    pending = pending.filter((id, i) => {
      if (!found.has(candidates[i]!)) return false;
      seen.set(id, n);
      return true;
    });
  }
  for (const p of parsed) {
    if (!p.result.ok) continue;
    const lineKeys: string[] = [];
    const rows = p.result.rows.map((row) => {
      const id = spec.naturalKey(row);
      const n = (seen.get(id) ?? 0) + 1;
      seen.set(id, n);
      const key = keyOf(id, n);
      lineKeys.push(key);
      return repeats.rank(row, n, key);
    });
    p.result = { ok: true, rows };
    p.keys = lineKeys;
  }
}

/**
 * Builds planImport, importBatch and finishImport over PostgreSQL.
 *
 * @example const activities = { ...createOperationActivities({ store }), ...createImportActivities({ pool, files }) };
 */
export function createImportActivities(
  deps: ImportActivityDeps,
): Pick<ImportActivities, 'planImport' | 'importBatch' | 'finishImport'> {
  const { pool, files } = deps;
  const stepSize = deps.stepSize ?? DEFAULT_IMPORT_STEP_SIZE;
  const writtenKeys = new WrittenKeys();

  async function planImport(request: ImportRequest): Promise<ImportPlan> {
    checkRequest(request);
    const existing = await pool.query<RunRow>(
      `select * from "import_runs" where "operation_id" = $1 and "organization_id" = $2`,
      [request.operationId, request.organizationId],
    );
    const known = existing.rows[0];
    if (known && known.file_id === request.fileId && known.dataset === request.dataset) {
      return { totalRows: known.total_rows, startLine: known.start_line, variant: known.variant };
    }
    if (known) throw new InvalidInputError('fileId', `operation ${request.operationId} imports another file`);
    if (request.dataset === 'transactions') {
      await assertCompanyOfOrganization(pool, request.organizationId, request.options?.companyId);
    }
    const info = await files.info(request.organizationId, request.fileId);
    if (!info)
      throw new InvalidInputError(
        'fileId',
        `import file ${request.fileId} does not exist for this organization`,
      );
    const head = await files.open(request.organizationId, request.fileId, { end: 3 });
    const headBytes: Buffer[] = [];
    for await (const chunk of head) headBytes.push(chunk as Buffer);
    const bom = Buffer.concat(headBytes).equals(Buffer.from([0xef, 0xbb, 0xbf])) ? 3 : 0;

    // The header is parsed (and checked) here; the data lines are only counted, by their line
    // breaks — an estimate (blank lines and quoted line breaks count too) the flow caps with the
    // real count as batches go. Malformed CSV further down fails its batch, before anything
    // reaches the target tables.
    const opened = await openDataset(
      request.dataset,
      await files.open(request.organizationId, request.fileId),
      datasetOptions(request),
    );
    await opened.chunks.return();
    // Counted when the file was stored; files stored before that are counted now.
    const dataLines =
      info.lineCount !== null
        ? Math.max(0, info.lineCount - opened.headerEndLine)
        : countLines(
            await (
              await files.open(request.organizationId, request.fileId, { start: bom + opened.headerEndByte })
            ).toArray(),
          );
    const startLine = opened.headerEndLine + 1;
    await inTransaction(pool, async (client) => {
      await lockOperation(client, request.operationId);
      await client.query(
        `insert into "import_runs" ("operation_id", "organization_id", "dataset", "variant", "file_id", "bom_bytes",
           "header_end_byte", "start_line", "total_rows")
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict ("operation_id") do nothing`,
        [
          request.operationId,
          request.organizationId,
          request.dataset,
          opened.bound.variant.name,
          request.fileId,
          bom,
          opened.headerEndByte,
          startLine,
          dataLines,
        ],
      );
      await client.query(
        `insert into "import_positions" ("operation_id", "line", "byte_offset") values ($1, $2, $3)
         on conflict do nothing`,
        [request.operationId, startLine, opened.headerEndByte],
      );
    });
    return { totalRows: dataLines, startLine, variant: opened.bound.variant.name };
  }

  async function importBatch(
    request: ImportRequest & { fromLine: number; batchSize: number },
  ): Promise<ImportBatchResult> {
    checkRequest(request);
    if (!Number.isSafeInteger(request.fromLine) || request.fromLine < 1)
      throw new InvalidInputError('fromLine', 'must be an integer ≥ 1');
    if (!Number.isSafeInteger(request.batchSize) || request.batchSize < 1)
      throw new InvalidInputError('batchSize', 'must be an integer ≥ 1');
    const run = await loadRun(pool, request);
    if (run.result !== null) {
      return { nextLine: request.fromLine, done: true, dataLines: 0, accepted: 0, rejected: 0 };
    }
    const layout = layoutOf(run, request);
    const spec = datasetSpec(run.dataset);
    const fromLine = Math.max(request.fromLine, run.start_line);
    const keepRaw = run.dataset === 'environmental-metrics';
    // transactions: the tenant's category rules, read once per batch and applied as lines are read.
    const rules = run.dataset === 'transactions' ? await loadCategoryRules(pool, run.organization_id) : [];

    let reader: Awaited<ReturnType<typeof openAt>> | null = null;
    // Records read from the file and not parsed yet: `queue` from `queued` on.
    let queue: readonly CsvLine[] = [];
    let queued = 0;
    let exhausted = false;
    /** Whether a record is queued, reading the next chunk of the file when needed. */
    const more = async (opened: Awaited<ReturnType<typeof openAt>>): Promise<boolean> => {
      while (queued >= queue.length) {
        if (exhausted) return false;
        const next = await opened.chunks.next();
        if (next.done) {
          exhausted = true;
          return false;
        }
        queue = next.value;
        queued = 0;
      }
      return true;
    };
    interface Chunk {
      parsed: ParsedLine<unknown>[];
      items: number;
      endLine: number;
      endByte: number | null;
      /** The file ended with this chunk. */
      last: boolean;
    }
    let ahead: Promise<Chunk> | null = null;
    let versions: VersionWriter<unknown> | null = null;
    /** Reads and parses records up to `budget` rows + rejects, then peeks one to see the end. */
    const readChunk = async (
      opened: Awaited<ReturnType<typeof openAt>>,
      budget: number,
      fromLine: number,
      fromByte: number | null,
    ): Promise<Chunk> => {
      const { bound, header } = opened.opened;
      const parsed: ParsedLine<unknown>[] = [];
      let items = 0;
      let endLine = fromLine - 1;
      let endByte = fromByte;
      while (items < budget) {
        // Parsing runs in microtasks while the file's bytes are buffered: let the event loop in
        // now and then, so this step's PostgreSQL round trips (and COPY drains) are not held up.
        if ((parsed.length & YIELD_EVERY) === YIELD_EVERY) await yieldToEventLoop();
        if (queued >= queue.length && !(await more(opened))) break;
        const record = queue[queued++]!;
        const raw = toRecord(header, record.values);
        const problem = shapeProblem(header, record.values);
        const result: RowResult<unknown> =
          problem === null ? bound.parseRow(raw, record.line) : { ok: false, reason: problem };
        const keys = result.ok ? result.rows.map((row) => spec.naturalKey(row as never)) : [];
        parsed.push({ record, raw, result, keys });
        items += result.ok ? result.rows.length : 1;
        endLine = record.endLine;
        endByte = record.endByte;
      }
      if (rules.length > 0) {
        const accepted = parsed.filter((p) => p.result.ok);
        const rows = accepted.flatMap(
          (p) => (p.result as { readonly rows: readonly TransactionImportRow[] }).rows,
        );
        const categorised = categoriseRows(rows, rules);
        let at = 0;
        for (const p of accepted) {
          const n = (p.result as { readonly rows: readonly unknown[] }).rows.length;
          p.result = { ok: true, rows: categorised.slice(at, at + n) };
          at += n;
        }
      }
      // Peek: did the file end with this chunk?
      const last = !(await more(opened));
      return { parsed, items, endLine, endByte, last };
    };
    try {
      const last = await runCheckpointed<BatchCheckpoint>(
        {
          initial: {
            nextLine: fromLine,
            byteOffset: null,
            items: 0,
            dataLines: 0,
            accepted: 0,
            rejected: 0,
            done: false,
          },
          isCheckpoint: (d): d is BatchCheckpoint => isBatchCheckpoint(d) && d.nextLine >= fromLine,
        },
        async (checkpoint, signal) => {
          if (checkpoint.done) return { checkpoint, done: true };
          if (reader === null) {
            let offset = checkpoint.byteOffset;
            if (offset === null) {
              const { rows } = await pool.query<{ byte_offset: string }>(
                `select "byte_offset" from "import_positions" where "operation_id" = $1 and "line" = $2`,
                [request.operationId, checkpoint.nextLine],
              );
              offset = rows[0] ? Number(rows[0].byte_offset) : null;
            }
            reader = await openAt(files, layout, checkpoint.nextLine, offset, signal);
          }
          const opened = reader;
          const { bound, header } = opened.opened;
          const target = bound.variant.target;
          const keyColumns = target.conflictKey.join(', ');
          versions ??= VERSIONED_DATASETS.has(run.dataset)
            ? new VersionWriter(target as TargetTable<unknown>, run.organization_id, request.operationId)
            : null;

          // This step's lines: read ahead while the previous step's transaction ran, or now.
          const budget = Math.min(stepSize, request.batchSize - checkpoint.items);
          const chunk = await (ahead ??
            readChunk(opened, budget, checkpoint.nextLine, checkpoint.byteOffset));
          ahead = null;
          const { parsed, items, endLine, endByte, last: fileEnded } = chunk;
          const after = checkpoint.items + items;
          if (!fileEnded && after < request.batchSize) {
            // Parse the next step's lines while PostgreSQL writes this one's (CPU and I/O overlap).
            ahead = readChunk(opened, Math.min(stepSize, request.batchSize - after), endLine + 1, endByte);
            ahead.catch(() => undefined); // awaited (and its error thrown) by the next step
          }
          const nextLine = endLine + 1;

          const outcome = await inStep(
            pool,
            request.operationId,
            checkpoint.nextLine,
            async (client, prelude) => {
              if (prelude.finished) return null;
              // Whatever an earlier attempt wrote from here on is redone by this one.
              if (versions === null) {
                await client.query(
                  `delete from "import_staged_rows" where "operation_id" = $1 and "line" >= $2`,
                  [request.operationId, checkpoint.nextLine],
                );
              } else if (prelude.committedBeyond) {
                await versions.deleteFrom(client, checkpoint.nextLine);
              }
              // Datasets whose repeats are ranked (transactions) key each line by its occurrence.
              if (spec.repeats) {
                await rankRepeats(client, request.operationId, parsed, spec as DatasetSpec<unknown>);
              }
              // First line wins across the whole file: keys written by earlier lines count too —
              // known in memory when this process wrote them, else looked up.
              const known =
                versions === null
                  ? null
                  : writtenKeys.before(request.operationId, checkpoint.nextLine, run.start_line);
              const firstLineOfKey = known ?? new Map<string, number>();
              // (Ranked keys are new by construction: no earlier line can hold them.)
              const allKeys = spec.repeats ? [] : parsed.flatMap((p) => p.keys);
              if (versions !== null && known === null) {
                const rows = parsed.flatMap((p) => (p.result.ok ? p.result.rows : []));
                for (const [key, line] of await versions.earlierLines(client, rows, (row) =>
                  spec.naturalKey(row as never),
                ))
                  firstLineOfKey.set(key, line);
              } else if (allKeys.length > 0) {
                const { rows } = await client.query<{ key: string; line: number }>(
                  `select "key", "line" from "import_staged_rows" where "operation_id" = $1 and "key" = any($2::text[])`,
                  [request.operationId, allKeys],
                );
                for (const row of rows) firstLineOfKey.set(row.key, row.line);
              }
              const staged: string[] = [];
              const rejects: string[] = [];
              let accepted = 0;
              const op = copyText(request.operationId);
              const reject = (p: ParsedLine<unknown>, reason: string) => {
                rejects.push(
                  `${op}\t${p.record.line}\t${copyText(reasonFields(reason, header) ?? (reason.startsWith('duplicate:') ? target.conflictKey.join(';') : null))}\t${copyText(reason)}\t${copyText(csvLine(p.record.values))}\n`,
                );
              };
              for (const p of parsed) {
                if (!p.result.ok) {
                  reject(p, p.result.reason);
                  continue;
                }
                const dup = p.keys.find((k) => firstLineOfKey.has(k));
                if (dup !== undefined) {
                  reject(
                    p,
                    `duplicate: line ${firstLineOfKey.get(dup)} already has ${dup} (${keyColumns}); the first line wins`,
                  );
                  continue;
                }
                for (const key of p.keys) firstLineOfKey.set(key, p.record.line);
                if (versions !== null) {
                  for (const row of p.result.rows) staged.push(versions.encode(p.record.line, row));
                  accepted++;
                  continue;
                }
                const raw = keepRaw ? copyText(csvLine(p.record.values)) : '\\N';
                p.result.rows.forEach((row, seq) => {
                  staged.push(
                    `${op}\t${p.record.line}\t${seq}\t${copyText(p.keys[seq]!)}\t${copyText(rowJson(target as TargetTable<unknown>, row))}\t${raw}\n`,
                  );
                });
                accepted++;
              }
              if (versions !== null) await versions.write(client, staged);
              else await copyRows(client, 'import_staged_rows', STAGED_COLUMNS, staged);
              await copyRows(client, 'import_rejects', REJECT_COLUMNS, rejects);
              return {
                accepted,
                rejected: rejects.length,
                // Sent with the commit (one round trip).
                epilogue:
                  endByte === null
                    ? ''
                    : `insert into "import_positions" ("operation_id", "line", "byte_offset")
                     values (${client.escapeLiteral(request.operationId)}, ${nextLine}, ${endByte})
                     on conflict ("operation_id", "line") do update set "byte_offset" = excluded."byte_offset";`,
              };
            },
          ).catch((error: unknown) => {
            writtenKeys.forget(request.operationId);
            throw error;
          });
          if (outcome === null) writtenKeys.forget(request.operationId);
          else writtenKeys.committed(request.operationId, nextLine);
          if (outcome === null) return { checkpoint: { ...checkpoint, done: true }, done: true };
          const next: BatchCheckpoint = {
            nextLine,
            byteOffset: endByte,
            items: checkpoint.items + items,
            dataLines: checkpoint.dataLines + parsed.length,
            accepted: checkpoint.accepted + outcome.accepted,
            rejected: checkpoint.rejected + outcome.rejected,
            done: fileEnded,
          };
          return { checkpoint: next, done: fileEnded || next.items >= request.batchSize };
        },
      );
      return {
        nextLine: last.nextLine,
        done: last.done,
        dataLines: last.dataLines,
        accepted: last.accepted,
        rejected: last.rejected,
      };
    } finally {
      const open = reader as Awaited<ReturnType<typeof openAt>> | null;
      await (ahead as Promise<Chunk> | null)?.catch(() => undefined);
      await open?.chunks.return();
    }
  }

  async function finishImport(request: ImportRequest): Promise<ImportDatasetResult> {
    checkRequest(request);
    const outcome = await inTransaction(pool, async (client) => {
      await lockOperation(client, request.operationId);
      const run = await loadRun(client, request);
      if (run.result !== null) return { result: run.result, companyIds: [] as string[], superseded: [] };
      let applied: ApplyOutcome;
      let accepted: number;
      let superseded: string[] = [];
      if (VERSIONED_DATASETS.has(run.dataset)) {
        // The rows are in place already: count them and switch the tenant's pointer.
        const writer = new VersionWriter(
          targetOf(run.dataset, run.variant),
          run.organization_id,
          run.operation_id,
        );
        accepted = await writer.acceptedLines(client);
        // A file with no accepted line (every line rejected) replaces nothing.
        if (accepted > 0) superseded = await writer.activate(client);
        applied = { changedCompanyIds: [] };
      } else {
        applied = await applyStaged(client, {
          operationId: run.operation_id,
          organizationId: run.organization_id,
          dataset: run.dataset,
          variant: run.variant,
          ...(request.options?.companyId !== undefined && { companyId: request.options.companyId }),
        });
        const counts = await client.query<{ accepted: string }>(
          `select count(distinct "line") as "accepted" from "import_staged_rows" s where s."operation_id" = $1
             and not exists (select 1 from "import_rejects" r where r."operation_id" = $1 and r."line" = s."line")`,
          [run.operation_id],
        );
        accepted = Number(counts.rows[0]!.accepted);
      }
      const counts = await client.query<{ rejected: string }>(
        `select count(*) as "rejected" from "import_rejects" where "operation_id" = $1`,
        [run.operation_id],
      );
      const rejected = Number(counts.rows[0]!.rejected);
      const result: ImportDatasetResult = {
        dataset: run.dataset,
        variant: run.variant,
        rows: { total: accepted + rejected, accepted, rejected },
        rejectsLocation: rejected > 0 ? rejectsLocation(run.operation_id) : null,
        ...(applied.transactions && { transactions: applied.transactions }),
      };
      await client.query(
        `update "import_runs" set "result" = $2, "finished_at" = now() where "operation_id" = $1`,
        [run.operation_id, JSON.stringify(result)],
      );
      if (!VERSIONED_DATASETS.has(run.dataset)) {
        await client.query(`delete from "import_staged_rows" where "operation_id" = $1`, [run.operation_id]);
      }
      await client.query(`delete from "import_positions" where "operation_id" = $1`, [run.operation_id]);
      return { result, companyIds: applied.changedCompanyIds, superseded };
    });
    if (outcome.superseded.length > 0) {
      // After the switch, outside its transaction: readers already see the new version. Should
      // this fail, housekeeping (purgeStaleVersions) deletes the old rows later.
      await deleteSupersededVersions(
        pool,
        targetOf(request.dataset, outcome.result.variant),
        outcome.superseded,
      ).catch(() => 0);
    }
    if (deps.onApplied && outcome.companyIds.length > 0) {
      await deps.onApplied({
        organizationId: request.organizationId,
        operationId: request.operationId,
        dataset: request.dataset,
        companyIds: outcome.companyIds,
      });
    }
    return outcome.result;
  }

  return { planImport, importBatch, finishImport };
}
