/**
 * `importDataset`: plan (validate the header, count the lines), import batch after batch from a
 * checkpoint (each batch idempotent and heartbeating), then finish (swap the new version in and
 * count). The checkpoint is the next physical line, so a continued run — or a retried batch —
 * picks up exactly where the last one stopped.
 */
import type { ImportCheckpoint, ImportDatasetInput, ImportDatasetResult, OperationRef } from '../shared.js';
import type { ImportActivities, ImportRequest } from './activities.js';
import { reportProgress, runAsOperation } from './operation-lifecycle.js';
import type { FlowPorts, FlowStep } from './ports.js';
import { validateJobInput } from './validate.js';

/**
 * Rows + rejects per batch (one activity; it commits and heartbeats every step inside it, see
 * `DEFAULT_IMPORT_STEP_SIZE`). Progress is reported per batch. Small batches cost time at both
 * ends: a batch reopens the file and reads its first step before PostgreSQL has anything to
 * write, and its last step's write overlaps no reading. 1,000 was 2.2× slower end to end than
 * 20,000 (ADR 10); 100,000 (about a second of work) leaves those gaps at three in 300,000 lines.
 */
export const DEFAULT_IMPORT_BATCH_SIZE = 100_000;
/** Batches per workflow run before continue-as-new (≈ 5M rows at the default batch size). */
export const DEFAULT_MAX_BATCHES_PER_RUN = 50;

/** A batch activity returned without moving forward: looping again would never end. */
class ImportStalledError extends Error {
  override readonly name = 'ImportStalled';
}

/**
 * The import orchestration.
 *
 * @example await importDatasetFlow({ operationId, organizationId, dataset: 'eu-ets', fileId }, ports);
 */
export async function importDatasetFlow(
  input: ImportDatasetInput,
  ports: FlowPorts<ImportActivities>,
): Promise<FlowStep<ImportDatasetInput, ImportDatasetResult>> {
  return runAsOperation(input, ports, async () => {
    validateJobInput('import', input);
    const ref: OperationRef = { operationId: input.operationId, organizationId: input.organizationId };
    const activities = ports.activities;
    const request: ImportRequest = {
      ...ref,
      dataset: input.dataset,
      fileId: input.fileId,
      ...(input.fileName !== undefined && { fileName: input.fileName }),
      ...(input.options !== undefined && { options: input.options }),
    };
    const batchSize = input.batchSize ?? DEFAULT_IMPORT_BATCH_SIZE;
    const maxBatches = input.maxBatchesPerRun ?? DEFAULT_MAX_BATCHES_PER_RUN;

    let checkpoint: ImportCheckpoint;
    if (input.checkpoint) {
      checkpoint = input.checkpoint;
    } else {
      const plan = await activities.planImport(request);
      checkpoint = { nextLine: plan.startLine, completedRows: 0, totalRows: plan.totalRows };
      await reportProgress(ports, ref, -1, 0, plan.totalRows);
    }

    for (let batches = 0; ; batches++) {
      if (batches >= maxBatches || (batches > 0 && ports.continueAsNewSuggested?.() === true))
        return { done: false, continueWith: { ...input, checkpoint } };
      const batch = await activities.importBatch({ ...request, fromLine: checkpoint.nextLine, batchSize });
      if (!batch.done && batch.nextLine <= checkpoint.nextLine) {
        throw new ImportStalledError(
          `importBatch made no progress at line ${checkpoint.nextLine} (it returned nextLine ${batch.nextLine})`,
        );
      }
      const completedRows = checkpoint.completedRows + batch.dataLines;
      // The plan's count is an estimate (quoted fields may span lines): never show more done than total.
      const totalRows = checkpoint.totalRows === null ? null : Math.max(checkpoint.totalRows, completedRows);
      const previous = checkpoint.completedRows;
      checkpoint = { nextLine: batch.nextLine, completedRows, totalRows };
      await reportProgress(ports, ref, previous, completedRows, batch.done ? completedRows : totalRows);
      if (batch.done) break;
    }

    return { done: true, result: await activities.finishImport(request) };
  });
}
