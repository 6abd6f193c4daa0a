import type { GreenfinClient } from './client.js';
import { GreenfinApiError } from './errors.js';
import type { components } from './generated/openapi.js';
import type { Operation } from './operations.js';
import { randomId } from './timing.js';

/** The multipart fields of `POST /v1/imports` other than the file. */
export type ImportUpload = components['schemas']['ImportUpload'];
/** A dataset `POST /v1/imports` accepts (`companies`, `eu-ets`, …). */
export type ImportDataset = ImportUpload['dataset'];

export interface ImportFileOptions {
  /** The file name the API records (default `<dataset>.csv`). */
  fileName?: string;
  /** More form fields the dataset takes (e.g. a company id or a column mapping), sent as text. */
  fields?: Readonly<Record<string, string>>;
  /**
   * Makes the upload safe to repeat: the same key never starts a second import. A fresh UUID when
   * absent, so the client's retries never import twice.
   */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/**
 * Uploads a CSV file as `multipart/form-data` to `POST /v1/imports` and resolves with the started
 * `import` operation (wait for it with {@link waitForOperation}; its `result.rows` counts accepted
 * and rejected lines). Rejects with `GreenfinApiError` on an error response (413 when the file is
 * larger than the API's `IMPORT_MAX_BYTES`, 422 naming the field). Works in Node 20+ and browsers
 * (`FormData` and `Blob` are globals in both).
 *
 * @example
 * const op = await importFile(client, 'environmental-metrics', csvText, { fileName: 'metrics.csv' });
 * const done = await waitForOperation(client, op.id);
 */
export async function importFile(
  client: GreenfinClient,
  dataset: ImportDataset,
  file: Blob | Uint8Array | string,
  options: ImportFileOptions = {},
): Promise<Operation> {
  const blob =
    file instanceof Blob
      ? file
      : new Blob([typeof file === 'string' ? file : new Uint8Array(file)], { type: 'text/csv' });
  const { data, error, response } = await client.POST('/v1/imports', {
    params: { header: { 'Idempotency-Key': options.idempotencyKey ?? randomId() } },
    body: { dataset, file: '' } as ImportUpload,
    bodySerializer: () => {
      const form = new FormData();
      form.set('dataset', dataset);
      for (const [name, value] of Object.entries(options.fields ?? {})) form.set(name, value);
      form.set('file', blob, options.fileName ?? `${dataset}.csv`); // the file last, after its fields
      return form;
    },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!data) throw new GreenfinApiError(response, error);
  return data;
}
