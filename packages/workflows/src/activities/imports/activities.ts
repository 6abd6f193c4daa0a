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
import { openDataset } from '../../imports/datasets/read-dataset.js';
import { datasetSpec } from '../../imports/datasets/registry.js';
import type { TransactionImportRow } from '../../imports/datasets/transactions.js';
import type { DatasetOptions, DatasetSpec, TargetTable } from '../../imports/datasets/types.js';
import type { ImportDatasetName, ImportDatasetResult } from '../../shared.js';
import { runCheckpointed } from '../../temporal/checkpointed-activity.js';
import { applyStaged, targetOf, type ApplyOutcome } from './apply.js';
import { copyText } from '../../imports/datasets/copy-text.js';
import { copyRows } from './copy.js';
import { countLines, type ImportFileStore } from './file-store.js';
import { deleteSupersededVersions, VERSIONED_DATASETS, VersionWriter } from './versions.js';
import { KeyLines, WrittenKeys } from './key-lines.js';
import { StepReader, type RankedLines, type StepLines } from './step-reader.js';
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

/** The COPY text of a staged row (`import_staged_rows`): `raw` is the line's CSV text when kept. */
function stagedLine<Row>(
  op: string,
  line: number,
  seq: number,
  key: string,
  target: TargetTable<Row>,
  row: Row,
  raw: string | null,
): string {
  return `${op}\t${line}\t${seq}\t${copyText(key)}\t${copyText(rowJson(target, row))}\t${raw ?? '\\N'}\n`;
}

/** A ranked step's staged rows, once {@link rankRepeats} has keyed them. */
function rankedLines<Row>(op: string, ranked: RankedLines<Row>, target: TargetTable<Row>): string[] {
  const copy: string[] = [];
  ranked.lines.forEach((line, i) => {
    const from = i === 0 ? 0 : ranked.rowEnds[i - 1]!;
    for (let r = from; r < ranked.rowEnds[i]!; r++) {
      copy.push(stagedLine(op, line, r - from, ranked.keys[r]!, target, ranked.rows[r]!, ranked.raws[i]!));
    }
  });
  return copy;
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
  ranked: RankedLines<unknown>,
  spec: DatasetSpec<unknown>,
): Promise<void> {
  const repeats = spec.repeats!;
  const { rows } = ranked;
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
  const identities = [...new Set(rows.map((r) => spec.naturalKey(r)))];
  let pending = identities;
  for (let n = 1; pending.length > 0; n++) {
    const candidates = pending.map((id) => keyOf(id, n));
    const { rows: found } = await client.query<{ key: string }>(
      `select "key" from "import_staged_rows" where "operation_id" = $1 and "key" = any($2::text[])`,
      [operationId, candidates],
    );
    const taken = new Set(found.map((r) => r.key));
    pending = pending.filter((id, i) => {
      if (!taken.has(candidates[i]!)) return false;
      seen.set(id, n);
      return true;
    });
  }
  rows.forEach((row, r) => {
    const id = spec.naturalKey(row);
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    const key = keyOf(id, n);
    ranked.keys[r] = key;
    ranked.rows[r] = repeats.rank(row, n, key);
  });
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
    let steps: StepReader<unknown> | null = null;
    let ahead: Promise<StepLines<unknown>> | null = null;
    let versions: VersionWriter<unknown> | null = null;
    const op = copyText(request.operationId);
    const keyOf = (row: unknown): string => spec.naturalKey(row as never);

    /** The batch's reader, with what it knows of earlier lines' keys. */
    const stepReader = (
      opened: Awaited<ReturnType<typeof openAt>>,
      batchStart: number,
    ): StepReader<unknown> => {
      const { bound, header } = opened.opened;
      const target = bound.variant.target as TargetTable<unknown>;
      versions = VERSIONED_DATASETS.has(run.dataset)
        ? new VersionWriter(target, run.organization_id, request.operationId)
        : null;
      const writer = versions;
      // Keys of every line before the batch, when this process wrote them all (else looked up).
      const known = spec.repeats ? null : writtenKeys.before(request.operationId, batchStart, run.start_line);
      const lookup = async (rows: unknown[]): Promise<ReadonlyMap<string, number>> => {
        if (writer !== null) return writer.earlierLines(pool, rows, keyOf, batchStart);
        const { rows: hits } = await pool.query<{ key: string; line: number }>(
          `select "key", "line" from "import_staged_rows" where "operation_id" = $1 and "line" < $2 and "key" = any($3::text[])`,
          [request.operationId, batchStart, rows.map(keyOf)],
        );
        return new Map(hits.map((h) => [h.key, h.line]));
      };
      return new StepReader<unknown>({
        records: opened.chunks,
        header,
        parseRow: bound.parseRow,
        naturalKey: keyOf,
        keyColumns: target.conflictKey,
        operation: op,
        encodeRow: spec.repeats
          ? null
          : writer !== null
            ? (line, _seq, _key, row) => writer.encode(line, row)
            : (line, seq, key, row, raw) => stagedLine(op, line, seq, key, target, row, raw),
        keepRaw,
        compiled:
          writer !== null && bound.compileLine !== null
            ? {
                line: bound.compileLine,
                push: (pieces, line, copy) => writer.pushCompiled(pieces, line, copy),
              }
            : null,
        firstLineOfKey: known ?? new KeyLines(),
        lookup: known === null ? lookup : null,
        ...(rules.length > 0 && {
          finish: (rows: unknown[]) => categoriseRows(rows as TransactionImportRow[], rules),
        }),
      });
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
            steps = stepReader(reader, checkpoint.nextLine);
          }
          const target = reader.opened.bound.variant.target as TargetTable<unknown>;

          // This step's lines: read ahead while the previous step's transaction ran, or now. Read
          // now, nothing else runs meanwhile: a tenth of a step, so PostgreSQL soon has work.
          const budget = Math.min(
            ahead ? stepSize : Math.ceil(stepSize / 10),
            request.batchSize - checkpoint.items,
          );
          const lines = await (ahead ?? steps!.read(budget, checkpoint.nextLine, checkpoint.byteOffset));
          ahead = null;
          const after = checkpoint.items + lines.items;
          if (!lines.last && after < request.batchSize) {
            // Parse the next step's lines while PostgreSQL writes this one's (CPU and I/O overlap).
            ahead = steps!.read(
              Math.min(stepSize, request.batchSize - after),
              lines.endLine + 1,
              lines.endByte,
            );
            ahead.catch(() => undefined); // awaited (and its error thrown) by the next step
          }
          const nextLine = lines.endLine + 1;

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
              let copy = lines.copy;
              if (lines.ranked !== null) {
                // Ranked datasets (transactions) key each row by its occurrence in the file.
                await rankRepeats(client, request.operationId, lines.ranked, spec as DatasetSpec<unknown>);
                copy = rankedLines(op, lines.ranked, target);
              }
              if (versions !== null) await versions.write(client, copy);
              else await copyRows(client, 'import_staged_rows', STAGED_COLUMNS, copy);
              await copyRows(client, 'import_rejects', REJECT_COLUMNS, lines.rejects);
              return {
                accepted: lines.accepted,
                rejected: lines.rejects.length,
                // Sent with the commit (one round trip).
                epilogue:
                  lines.endByte === null
                    ? ''
                    : `insert into "import_positions" ("operation_id", "line", "byte_offset")
                     values (${client.escapeLiteral(request.operationId)}, ${nextLine}, ${lines.endByte})
                     on conflict ("operation_id", "line") do update set "byte_offset" = excluded."byte_offset";`,
              };
            },
          );
          if (outcome === null) {
            writtenKeys.forget(request.operationId);
            return { checkpoint: { ...checkpoint, done: true }, done: true };
          }
          writtenKeys.committed(request.operationId, nextLine);
          const next: BatchCheckpoint = {
            nextLine,
            byteOffset: lines.endByte,
            items: after,
            dataLines: checkpoint.dataLines + lines.dataLines,
            accepted: checkpoint.accepted + outcome.accepted,
            rejected: checkpoint.rejected + outcome.rejected,
            done: lines.last,
          };
          return { checkpoint: next, done: lines.last || next.items >= request.batchSize };
        },
      );
      return {
        nextLine: last.nextLine,
        done: last.done,
        dataLines: last.dataLines,
        accepted: last.accepted,
        rejected: last.rejected,
      };
    } catch (error) {
      // Keys read ahead of a failed step may not be written: this process no longer knows them all.
      writtenKeys.forget(request.operationId);
      throw error;
    } finally {
      const open = reader as Awaited<ReturnType<typeof openAt>> | null;
      await (ahead as Promise<StepLines<unknown>> | null)?.catch(() => undefined);
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
