import type { GreenfinClient } from './client.js';
import { GreenfinApiError, GreenfinError, GreenfinTimeoutError } from './errors.js';
import type { components } from './generated/openapi.js';
import { operationIdFromLocation, waitForOperation } from './operations.js';
import { deadline, randomId } from './timing.js';

export type CreateLoanSimulationRequest = components['schemas']['CreateLoanSimulationRequest'];
export type LoanSimulation = components['schemas']['LoanSimulation'];
export type LoanSimulationReport = components['schemas']['LoanSimulationReport'];

export interface SimulateLoanOptions {
  /**
   * Makes the creation safe to repeat: the API answers the same key and body with the first
   * simulation. A fresh UUID when absent, so the client's retries never price a loan twice.
   */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/**
 * Prices a loan for a company (`POST /v1/loan-simulations`) and resolves with the created
 * simulation; rejects with `GreenfinApiError` (its `problem` says why) on an error response.
 */
export async function simulateLoan(
  client: GreenfinClient,
  body: CreateLoanSimulationRequest,
  options: SimulateLoanOptions = {},
): Promise<LoanSimulation> {
  const { data, error, response } = await client.POST('/v1/loan-simulations', {
    params: { header: { 'Idempotency-Key': options.idempotencyKey ?? randomId() } },
    body,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!data) throw new GreenfinApiError(response, error);
  return data;
}

export type ReportFormat = 'pdf' | 'csv' | 'json';

export interface DownloadReportOptions {
  signal?: AbortSignal;
  /** For the whole download, including waiting for a PDF to render. Default 5 minutes. */
  timeoutMs?: number;
  /** Polling of a PDF's rendering operation when the API sends no `Retry-After`. Default 1 s. */
  pollIntervalMs?: number;
}

/** How many times a PDF may answer "202, being rendered" before the download gives up. */
const MAX_RENDER_ROUNDS = 3;

/**
 * A simulation's decision report: `json` → the report object (`GET …/report`); `csv` → the
 * repayment schedule as CSV text (`GET …/schedule`, `Accept: text/csv`); `pdf` → the PDF bytes
 * (`GET …/report`, `Accept: application/pdf`; when the API answers 202 with an operation's
 * `Location`, waits for that operation and asks again). Rejects with `GreenfinApiError` on an
 * error response (a 406 while the API cannot render PDFs), `OperationFailedError` when rendering
 * failed, `GreenfinTimeoutError` after `timeoutMs`.
 */
export function downloadReport(
  client: GreenfinClient,
  simulationId: string,
  format: 'pdf',
  options?: DownloadReportOptions,
): Promise<Uint8Array>;
export function downloadReport(
  client: GreenfinClient,
  simulationId: string,
  format: 'csv',
  options?: DownloadReportOptions,
): Promise<string>;
export function downloadReport(
  client: GreenfinClient,
  simulationId: string,
  format: 'json',
  options?: DownloadReportOptions,
): Promise<LoanSimulationReport>;
export async function downloadReport(
  client: GreenfinClient,
  simulationId: string,
  format: ReportFormat,
  options: DownloadReportOptions = {},
): Promise<Uint8Array | string | LoanSimulationReport> {
  const timeoutMs = options.timeoutMs ?? 300_000;
  const scope = deadline(
    options.signal,
    timeoutMs,
    () => new GreenfinTimeoutError(`the ${format} report did not arrive within ${timeoutMs} ms`, timeoutMs),
  );
  const params = { path: { id: simulationId } };
  const signal = scope.signal;
  try {
    if (format === 'json') {
      const { data, error, response } = await client.GET('/v1/loan-simulations/{id}/report', {
        params,
        signal,
      });
      // JSON is answered at once (a 202 only ever comes for a PDF).
      if (!data || response.status !== 200) throw new GreenfinApiError(response, error);
      return data as LoanSimulationReport;
    }
    if (format === 'csv') {
      const { data, error, response } = await client.GET('/v1/loan-simulations/{id}/schedule', {
        params,
        headers: { Accept: 'text/csv' },
        parseAs: 'text',
        signal,
      });
      if (data === undefined) throw new GreenfinApiError(response, error);
      return data;
    }
    for (let round = 0; round < MAX_RENDER_ROUNDS; round++) {
      const { data, error, response } = await client.GET('/v1/loan-simulations/{id}/report', {
        params,
        headers: { Accept: 'application/pdf' },
        parseAs: 'arrayBuffer',
        signal,
      });
      if (!response.ok) throw new GreenfinApiError(response, error);
      if (response.status !== 202) return new Uint8Array(data ?? new ArrayBuffer(0));
      const operationId = operationIdFromLocation(response.headers.get('Location'));
      if (!operationId) throw new GreenfinError('the API answered 202 without an operation Location');
      await waitForOperation(client, operationId, {
        signal,
        timeoutMs: Infinity,
        ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
      });
    }
    throw new GreenfinError(`the PDF report was still being rendered after ${MAX_RENDER_ROUNDS} rounds`);
  } finally {
    scope.dispose();
  }
}
