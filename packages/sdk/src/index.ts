/**
 * @greenfin/sdk — a typed client for the Greenfin API, for Node 20+ and browsers.
 */
export {
  authMiddleware,
  createGreenfinClient,
  requestIdMiddleware,
  type AccessToken,
  type GreenfinClient,
  type GreenfinClientOptions,
} from './client.js';
export {
  GreenfinApiError,
  GreenfinError,
  GreenfinTimeoutError,
  WebhookVerificationError,
  type Problem,
} from './errors.js';
export type { components, operations, paths } from './generated/openapi.js';
export { importFile, type ImportDataset, type ImportFileOptions, type ImportUpload } from './imports.js';
export {
  downloadReport,
  simulateLoan,
  type CreateLoanSimulationRequest,
  type DownloadReportOptions,
  type LoanSimulation,
  type LoanSimulationReport,
  type ReportFormat,
  type SimulateLoanOptions,
} from './loans.js';
export {
  cancelOperation,
  OperationFailedError,
  waitForOperation,
  type Operation,
  type OperationStatus,
  type SucceededOperation,
  type WaitForOperationOptions,
} from './operations.js';
export type { ApiPaths } from './paths.js';
export { DEFAULT_RETRY_POLICY, type RetryOptions } from './retry.js';
export { verifyWebhook, type WebhookHeaders } from './webhooks.js';

import type { components } from './generated/openapi.js';
/** A named schema of the API, e.g. `Schema<'Company'>`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];
