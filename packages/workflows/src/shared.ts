/**
 * The contract between the API, the Temporal worker, the in-process engine and tests: task queues,
 * workflow names, each workflow's one serializable input and its result, query names, and the
 * named retry/timeout profiles activities run under.
 *
 * This module is bundled into the Temporal workflow sandbox (via `temporal/workflows.ts`): it holds
 * plain data and types only — no Node built-ins, no I/O, no imports with side effects.
 */

// ---------------------------------------------------------------------------------------------
// Task queues and names
// ---------------------------------------------------------------------------------------------

/** Temporal task queues. */
export const TASK_QUEUES = {
  /** Workflows and every activity except third-party registry calls. */
  jobs: 'greenfin-jobs',
  /**
   * Registry lookups only (Companies House, OpenCorporates), so the server can rate-limit them
   * across every worker with `maxTaskQueueActivitiesPerSecond` without slowing anything else.
   */
  registries: 'greenfin-registries',
} as const;
export type TaskQueueName = (typeof TASK_QUEUES)[keyof typeof TASK_QUEUES];

/** The kinds of long-running operation the API can start. */
export const JOB_KINDS = ['enrichment', 'import', 'report', 'recategorisation', 'alert-evaluation'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** Workflow type names, as registered by the worker and started by the client. */
export const WORKFLOW_NAMES = {
  enrichment: 'enrichCompanies',
  import: 'importDataset',
  report: 'renderReport',
  recategorisation: 'recategoriseTransactions',
  'alert-evaluation': 'evaluateAlerts',
} as const satisfies Record<JobKind, string>;

/**
 * The workflow a Temporal Schedule starts every `ALERT_EVALUATION_INTERVAL_MS`: it starts one
 * `alert-evaluation` job per tenant with something to evaluate (it has no operation of its own).
 */
export const ALERT_SWEEP_WORKFLOW = 'sweepAlertEvaluations';
/** The id of that Temporal Schedule (created or updated by the worker at start-up). */
export const ALERT_SWEEP_SCHEDULE_ID = 'greenfin-alert-evaluation';
export type WorkflowName = (typeof WORKFLOW_NAMES)[JobKind] | typeof ALERT_SWEEP_WORKFLOW;

/**
 * Query names. `progress` answers {@link OperationProgress} while a worker holds the workflow; the
 * REST poll never uses it (it reads the operation row, which needs no live worker).
 *
 * There are no signals: cancellation uses Temporal's own workflow cancellation.
 */
export const QUERY_NAMES = { progress: 'progress' } as const;

// ---------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------

/** Lifecycle of an operation (AIP-151). `succeeded`, `failed` and `canceled` are final. */
export const OPERATION_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'canceled'] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];

/** The statuses an operation never leaves. */
export const FINAL_OPERATION_STATUSES = [
  'succeeded',
  'failed',
  'canceled',
] as const satisfies readonly OperationStatus[];

/** Which engine runs an operation. */
export const ENGINE_NAMES = ['temporal', 'in-process'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/** How far an operation has got; `total` is null until it is known. */
export interface OperationProgress {
  completed: number;
  total: number | null;
}

/**
 * An RFC 9457 problem document, as stored in an operation's `error`. `type` is a relative URI
 * (`/problems/<slug>`) clients switch on; `errorType` names the underlying failure for operators.
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The operation the problem belongs to (`/v1/operations/<id>`). */
  instance?: string;
  /** The failure's own type name (`RegistryAuthError`, `InvalidInput`, …). */
  errorType?: string;
}

/** Every workflow input carries the operation it reports to and the tenant it acts for. */
export interface OperationRef {
  operationId: string;
  organizationId: string;
}

/** Webhook-worthy events a flow announces through the `notify` activity. */
export const OPERATION_EVENTS = ['operation.succeeded', 'operation.failed', 'report.ready'] as const;
export type OperationEventName = (typeof OPERATION_EVENTS)[number];

// ---------------------------------------------------------------------------------------------
// enrichCompanies
// ---------------------------------------------------------------------------------------------

/** Most company ids one enrichment job accepts explicitly (larger sets: use `all`). */
export const MAX_ENRICHMENT_COMPANY_IDS = 10_000;

/**
 * Enrich companies from their official registry record. Exactly one of `companyIds` (non-empty)
 * or `all: true` (every company of the organization).
 */
export interface EnrichCompaniesInput extends OperationRef {
  companyIds?: string[];
  all?: boolean;
  /** Companies per workflow run before continue-as-new (keeps Temporal history small). Default 500. */
  maxCompaniesPerRun?: number;
  /** Where a continued run resumes; set by the flow, never by callers. */
  checkpoint?: EnrichCheckpoint;
}

/** What one company's enrichment came to. `failed` carries a reason a person can act on. */
export type CompanyEnrichmentOutcome =
  | { companyId: string; status: 'updated' }
  | { companyId: string; status: 'not-found' }
  | { companyId: string; status: 'failed'; reason: string };

/** Result of `enrichCompanies`: counts, and every company that was not updated, with why. */
export interface EnrichCompaniesResult {
  counts: { total: number; updated: number; notFound: number; failed: number };
  notFound: string[];
  failed: { companyId: string; reason: string }[];
}

/** Progress carried across continue-as-new. */
export interface EnrichCheckpoint {
  /** Companies already processed (for `companyIds`: the index of the next one). */
  completed: number;
  total: number;
  /** For `all`: the last company id processed (pages are ordered by id). */
  afterCompanyId: string | null;
  result: EnrichCompaniesResult;
}

// ---------------------------------------------------------------------------------------------
// importDataset
// ---------------------------------------------------------------------------------------------

/** Datasets `POST /v1/imports` accepts (the same list as `imports/datasets`). */
export const IMPORT_DATASETS = [
  'companies',
  'environmental-metrics',
  'eu-ets',
  'emission-factors',
  'fx-rates',
  'transactions',
] as const;
export type ImportDatasetName = (typeof IMPORT_DATASETS)[number];

/** Import a stored file into one dataset. */
export interface ImportDatasetInput extends OperationRef {
  dataset: ImportDatasetName;
  /** The stored upload to read (the API stores the file before starting the job). */
  fileId: string;
  /** The uploaded file's name, for messages and the Temporal UI. */
  fileName?: string;
  /**
   * Dataset options: force a variant, the emission-factor year; for `transactions` the company
   * the file belongs to (required) and the column mapping (a preset name or a mapping object,
   * docs/imports.md; default `greenfin`).
   */
  options?: {
    variant?: string;
    year?: number;
    companyId?: string;
    mapping?: string | Record<string, unknown>;
  };
  /** Rows + rejects per batch activity. Default 1000. */
  batchSize?: number;
  /** Batches per workflow run before continue-as-new. Default 200. */
  maxBatchesPerRun?: number;
  /** Where a continued run resumes; set by the flow, never by callers. */
  checkpoint?: ImportCheckpoint;
}

/** Resume point of an import: the next physical line and how many data lines were done. */
export interface ImportCheckpoint {
  nextLine: number;
  completedRows: number;
  totalRows: number | null;
}

/** Result of `importDataset` (`result.rows` is what the API promises). */
export interface ImportDatasetResult {
  dataset: ImportDatasetName;
  /** The file shape the header matched (`eu-ets-installations`, …). */
  variant: string;
  rows: { total: number; accepted: number; rejected: number };
  /** Where the rejected rows can be downloaded, when there are any. */
  rejectsLocation: string | null;
  /**
   * transactions only: of the accepted lines, how many were new (`inserted`) and how many the
   * company already had (`duplicates`: same de-duplication hash, from an earlier import or the
   * JSON ingest); bank accounts created by this import.
   */
  transactions?: { companyId: string; inserted: number; duplicates: number; accountsCreated: number };
}

// ---------------------------------------------------------------------------------------------
// renderReport
// ---------------------------------------------------------------------------------------------

/** Render a loan simulation's PDF report and store it. */
export interface RenderReportInput extends OperationRef {
  loanSimulationId: string;
}

/** Result of `renderReport`: where the stored PDF is served from. */
export interface RenderReportResult {
  reportId: string;
  resourceLocation: string;
  sha256: string;
  sizeBytes: number;
}

// ---------------------------------------------------------------------------------------------
// recategoriseTransactions, evaluateAlerts
// ---------------------------------------------------------------------------------------------

/** Re-apply the tenant's categorisation rules to its non-manual transactions (of one company, or all). */
export interface RecategoriseInput extends OperationRef {
  companyId?: string | null;
  /** Transactions per batch activity. Default 2000. */
  batchSize?: number;
  /** Where a continued run resumes; set by the flow, never by callers. */
  checkpoint?: RecategoriseCheckpoint;
}

/** Progress carried across continue-as-new. */
export interface RecategoriseCheckpoint {
  afterId: string | null;
  examined: number;
  changed: number;
  total: number;
  companyIds: string[];
}

/** Result of `recategoriseTransactions`. */
export interface RecategoriseResult {
  examined: number;
  changed: number;
  companyIds: string[];
}

/** Evaluate the cash-flow alert rules for a tenant's companies (or one). */
export interface AlertEvaluationInput extends OperationRef {
  companyId?: string | null;
}

/** Result of `evaluateAlerts`. */
export interface AlertEvaluationResult {
  companies: number;
  conditions: number;
  raised: number;
  raisedIds: string[];
}

/** Input of the scheduled sweep: the slot names the interval, so a slot starts each tenant's job once. */
export interface AlertSweepInput {
  slot?: string;
}

// ---------------------------------------------------------------------------------------------
// Per-kind maps
// ---------------------------------------------------------------------------------------------

/** Each job kind's workflow input. */
export interface JobInputs {
  enrichment: EnrichCompaniesInput;
  import: ImportDatasetInput;
  report: RenderReportInput;
  recategorisation: RecategoriseInput;
  'alert-evaluation': AlertEvaluationInput;
}

/** Each job kind's workflow result. */
export interface JobResults {
  enrichment: EnrichCompaniesResult;
  import: ImportDatasetResult;
  report: RenderReportResult;
  recategorisation: RecategoriseResult;
  'alert-evaluation': AlertEvaluationResult;
}

/** What a caller supplies to start a job: the input without the fields the engine fills in. */
export type JobParams<K extends JobKind> = Omit<
  JobInputs[K],
  'operationId' | 'organizationId' | 'checkpoint'
>;

// ---------------------------------------------------------------------------------------------
// Retry and timeout profiles
// ---------------------------------------------------------------------------------------------

/**
 * Named activity option profiles. Durations are milliseconds (Temporal reads a number as ms; the
 * in-process engine applies the same numbers). Error types are the `name` of the error an activity
 * throws (or an `ApplicationFailure`'s `type`).
 */
export const ACTIVITY_PROFILES = {
  /** Short writes to our own database (operation rows, webhook enqueueing, listing ids). */
  bookkeeping: {
    startToCloseTimeout: 30_000,
    retry: {
      initialInterval: 1_000,
      backoffCoefficient: 2,
      maximumInterval: 30_000,
      maximumAttempts: 8,
      nonRetryableErrorTypes: ['InvalidInput', 'OperationNotFoundError', 'OperationClosedError'],
    },
  },
  /**
   * One company registry lookup. Outages and 429s retry with backoff (an activity may shorten or
   * lengthen the wait with `ApplicationFailure.nextRetryDelay` from `Retry-After`); bad credentials
   * and bad requests never retry.
   */
  registryCall: {
    startToCloseTimeout: 30_000,
    scheduleToCloseTimeout: 600_000,
    retry: {
      initialInterval: 2_000,
      backoffCoefficient: 2,
      maximumInterval: 60_000,
      maximumAttempts: 6,
      nonRetryableErrorTypes: [
        'RegistryAuthError',
        'RegistryRequestError',
        'RegistryConfigError',
        'InvalidInput',
      ],
    },
  },
  /**
   * One import batch (or its plan/finish step): may run for minutes, heartbeats its checkpoint
   * so a retried attempt resumes where the last one stopped.
   */
  batch: {
    startToCloseTimeout: 900_000,
    heartbeatTimeout: 60_000,
    retry: {
      initialInterval: 1_000,
      backoffCoefficient: 2,
      maximumInterval: 60_000,
      maximumAttempts: 5,
      nonRetryableErrorTypes: ['InvalidInput', 'DatasetError', 'DatasetHeaderError', 'DatasetCsvError'],
    },
  },
  /** Rendering one PDF in the shared browser. Bad data or no Chromium never retry. */
  render: {
    startToCloseTimeout: 120_000,
    retry: {
      initialInterval: 2_000,
      backoffCoefficient: 2,
      maximumInterval: 30_000,
      maximumAttempts: 3,
      nonRetryableErrorTypes: ['InvalidInput', 'ReportDataError', 'ChromiumNotFoundError'],
    },
  },
} as const;
export type ActivityProfileName = keyof typeof ACTIVITY_PROFILES;

/** The shape every profile has (for code that reads any of them). */
export interface ActivityProfile {
  readonly startToCloseTimeout: number;
  readonly scheduleToCloseTimeout?: number;
  readonly heartbeatTimeout?: number;
  readonly retry: {
    readonly initialInterval: number;
    readonly backoffCoefficient: number;
    readonly maximumInterval: number;
    readonly maximumAttempts: number;
    readonly nonRetryableErrorTypes: readonly string[];
  };
}

/**
 * Which profile and task queue each activity runs under; both engines read this table, so a
 * retry behaves the same under Temporal and in-process.
 */
export const ACTIVITY_ROUTES = {
  updateOperation: { profile: 'bookkeeping', taskQueue: TASK_QUEUES.jobs },
  notify: { profile: 'bookkeeping', taskQueue: TASK_QUEUES.jobs },
  listCompanyIds: { profile: 'bookkeeping', taskQueue: TASK_QUEUES.jobs },
  enrichCompany: { profile: 'registryCall', taskQueue: TASK_QUEUES.registries },
  planImport: { profile: 'batch', taskQueue: TASK_QUEUES.jobs },
  importBatch: { profile: 'batch', taskQueue: TASK_QUEUES.jobs },
  finishImport: { profile: 'batch', taskQueue: TASK_QUEUES.jobs },
  renderReport: { profile: 'render', taskQueue: TASK_QUEUES.jobs },
  storeReport: { profile: 'bookkeeping', taskQueue: TASK_QUEUES.jobs },
  planRecategorisation: { profile: 'bookkeeping', taskQueue: TASK_QUEUES.jobs },
  recategoriseBatch: { profile: 'batch', taskQueue: TASK_QUEUES.jobs },
  evaluateAlerts: { profile: 'batch', taskQueue: TASK_QUEUES.jobs },
  startAlertEvaluations: { profile: 'bookkeeping', taskQueue: TASK_QUEUES.jobs },
} as const satisfies Record<string, { profile: ActivityProfileName; taskQueue: TaskQueueName }>;
export type ActivityName = keyof typeof ACTIVITY_ROUTES;

/** Operations are kept at least this long after they finish (the API promises it). */
export const OPERATION_RETENTION_DAYS = 7;
