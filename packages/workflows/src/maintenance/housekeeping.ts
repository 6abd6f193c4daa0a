/**
 * Periodic housekeeping of the job tables: operations past their retention (7 days after they
 * finished, cascading to import runs, positions and rejects), staged import rows whose run is gone,
 * versions of reference data that are neither current nor still being imported,
 * uploaded files no operation refers to any more, and — with Temporal — operations whose workflow
 * was closed from outside (terminated in the Temporal UI) while nobody polled them.
 *
 * The API process runs it on a timer (`HOUSEKEEPING_INTERVAL_MS`); several API processes may: a
 * PostgreSQL advisory lock lets one pass run at a time, and every step is an idempotent delete.
 */
import type { Pool } from 'pg';
import { purgeImportStaging } from '../activities/imports/purge.js';
import { purgeStaleVersions } from '../activities/imports/versions.js';
import type { OperationStore } from '../operations/store.js';

/** `pg_try_advisory_lock` key of the housekeeping pass ("gf-house" as a number). */
export const HOUSEKEEPING_LOCK_KEY = 0x67662d686f757365n;

/** How old an unreferenced upload must be before it is deleted (its operation may be starting). */
export const ORPHAN_FILE_AGE = '1 day';

/** What one pass did; `skipped` when another process held the lock. */
export interface HousekeepingResult {
  skipped: boolean;
  operationsPurged: number;
  stagedRowsPurged: number;
  /** Rows of superseded (or abandoned) reference-data versions. */
  versionRowsPurged: number;
  importFilesPurged: number;
  operationsReconciled: number;
}

export interface HousekeepingDeps {
  pool: Pool;
  store: OperationStore;
  /** The Temporal engine's sweep (`TemporalEngine.reconcileStale`); absent on the in-process engine. */
  reconcileStale?: () => Promise<number>;
  now?: () => Date;
}

/**
 * One housekeeping pass.
 *
 * @example const result = await runHousekeeping({ pool, store }); // { operationsPurged: 3, … }
 */
export async function runHousekeeping(deps: HousekeepingDeps): Promise<HousekeepingResult> {
  const lock = await deps.pool.connect();
  try {
    const { rows } = await lock.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as "locked"', [
      HOUSEKEEPING_LOCK_KEY.toString(),
    ]);
    if (!rows[0]?.locked) {
      return {
        skipped: true,
        operationsPurged: 0,
        stagedRowsPurged: 0,
        versionRowsPurged: 0,
        importFilesPurged: 0,
        operationsReconciled: 0,
      };
    }
    try {
      const operationsReconciled = (await deps.reconcileStale?.()) ?? 0;
      const operationsPurged = await deps.store.purgeExpired(deps.now?.() ?? new Date());
      const stagedRowsPurged = await purgeImportStaging(deps.pool);
      const versionRowsPurged = await purgeStaleVersions(deps.pool);
      const files = await deps.pool.query(
        `delete from "import_files" f
         where f."created_at" < now() - $1::interval
           and not exists (select 1 from "operations" o where o."kind" = 'import' and o."input"->>'fileId' = f."id"::text)`,
        [ORPHAN_FILE_AGE],
      );
      return {
        skipped: false,
        operationsPurged,
        stagedRowsPurged,
        versionRowsPurged,
        importFilesPurged: files.rowCount ?? 0,
        operationsReconciled,
      };
    } finally {
      await lock.query('select pg_advisory_unlock($1)', [HOUSEKEEPING_LOCK_KEY.toString()]);
    }
  } finally {
    lock.release();
  }
}

/** A running housekeeping timer. */
export interface Housekeeper {
  /** Stops the timer and waits for a pass in flight. */
  stop(): Promise<void>;
}

/**
 * Runs {@link runHousekeeping} now and every `intervalMs` (0 → never: returns a no-op), reporting
 * each pass (or its error — a failed pass is retried at the next tick) to `onPass`.
 */
export function startHousekeeping(
  deps: HousekeepingDeps & {
    intervalMs: number;
    onPass?: (result: HousekeepingResult | null, error?: unknown) => void;
  },
): Housekeeper {
  if (deps.intervalMs <= 0) return { stop: async () => undefined };
  let inFlight: Promise<void> | null = null;
  const pass = () => {
    if (inFlight) return;
    inFlight = runHousekeeping(deps)
      .then(
        (result) => deps.onPass?.(result),
        (error: unknown) => deps.onPass?.(null, error),
      )
      .finally(() => {
        inFlight = null;
      });
  };
  pass();
  const timer = setInterval(pass, deps.intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await inFlight;
    },
  };
}
