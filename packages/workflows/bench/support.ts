/**
 * What the import benchmarks share: a raw `COPY` of the same rows as the ceiling, and the import
 * activities run as the flow runs them (each call in its own mock activity Context), timed by phase.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { MockActivityEnvironment } from '@temporalio/testing';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ImportActivities, ImportRequest } from '../src/flows/activities.js';
import type { ImportDatasetResult } from '../src/shared.js';

/** Milliseconds one `copySql` (`copy … from stdin …`) of `content` takes on one connection. */
export async function rawCopyMs(pool: pg.Pool, copySql: string, content: Buffer | string): Promise<number> {
  const client = await pool.connect();
  const start = performance.now();
  try {
    await pipeline(Readable.from([content]), client.query(copyFrom(copySql)));
  } finally {
    client.release();
  }
  return performance.now() - start;
}

/** One import's result and where its time went. */
export interface TimedImport {
  result: ImportDatasetResult;
  ms: number;
  planMs: number;
  batchMs: number;
  finishMs: number;
  batches: number;
}

const run = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
  new MockActivityEnvironment().run(fn, ...args);

/** planImport, importBatch until done, finishImport — timed. */
export async function timedImport(
  activities: Pick<ImportActivities, 'planImport' | 'importBatch' | 'finishImport'>,
  request: ImportRequest,
  batchSize: number,
): Promise<TimedImport> {
  const t0 = performance.now();
  const plan = await run(activities.planImport, request);
  const tPlanned = performance.now();
  let line = plan.startLine;
  let batches = 0;
  for (;;) {
    const batch = await run(activities.importBatch, { ...request, fromLine: line, batchSize });
    batches++;
    line = batch.nextLine;
    if (batch.done) break;
  }
  const tBatched = performance.now();
  const result = await run(activities.finishImport, request);
  const t1 = performance.now();
  return {
    result,
    ms: t1 - t0,
    planMs: tPlanned - t0,
    batchMs: tBatched - tPlanned,
    finishMs: t1 - tBatched,
    batches,
  };
}
