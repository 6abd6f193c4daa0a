/**
 * Running the import activities the way the flow does, for tests: each call in its own mock
 * activity Context, plan → batches until done → finish.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import type { ImportActivities, ImportRequest } from '../../src/flows/activities.js';
import type { OperationStore } from '../../src/operations/store.js';
import type { ImportDatasetName, ImportDatasetResult } from '../../src/shared.js';

/** The three activities an import runs (a test may pass a failing wrapper). */
export type ImportActs = Pick<ImportActivities, 'planImport' | 'importBatch' | 'finishImport'>;

/** Each activity call in its own mock Context, as a worker would run it. */
export const inContext = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
  new MockActivityEnvironment().run(fn, ...args);

/** What the flow does: plan, batches of `batchSize` until done, finish. */
export async function runImport(
  acts: ImportActs,
  request: ImportRequest,
  batchSize: number,
): Promise<ImportDatasetResult> {
  const plan = await inContext(acts.planImport, request);
  let line = plan.startLine;
  for (;;) {
    const batch = await inContext(acts.importBatch, { ...request, fromLine: line, batchSize });
    line = batch.nextLine;
    if (batch.done) break;
  }
  return inContext(acts.finishImport, request);
}

/** A queued in-process import operation of a stored file, and the request its activities take. */
export async function newImportOperation(
  store: OperationStore,
  organizationId: string,
  dataset: ImportDatasetName,
  fileId: string,
  options?: ImportRequest['options'],
  /** Whether the operation's stored input carries `options` (the API stores them for transactions). */
  storeOptions = false,
): Promise<ImportRequest> {
  const { operation } = await store.create({
    organizationId,
    kind: 'import',
    input: { dataset, fileId, ...(storeOptions && options && { options }) },
    engine: 'in-process',
  });
  return { operationId: operation.id, organizationId, dataset, fileId, ...(options && { options }) };
}
