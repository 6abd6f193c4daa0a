/**
 * The activities the flows call, as interfaces only. Implementations own all I/O (database,
 * registries, the browser) and are built by a `createActivities(deps)` factory; the flows see
 * them through `FlowPorts.activities` — Temporal proxies in a worker, the functions themselves
 * in-process. Every activity must be idempotent: Temporal may run one more than once.
 *
 * Keys match `ACTIVITY_ROUTES` in `shared.ts`, which gives each its retry profile and task queue.
 */
import type {
  AlertEvaluationInput,
  AlertEvaluationResult,
  CompanyEnrichmentOutcome,
  ImportDatasetInput,
  ImportDatasetResult,
  OperationEventName,
  OperationRef,
  Problem,
  RenderReportInput,
} from '../shared.js';

/** A change to an operation's row. Final states are never left (later updates are ignored). */
export type OperationUpdate = OperationRef &
  (
    | { action: 'start' }
    | { action: 'progress'; completed: number; total: number | null }
    | { action: 'succeed'; result: unknown; resourceLocation?: string | null }
    | { action: 'fail'; problem: Problem }
    | { action: 'cancel' }
  );

/** A webhook-worthy event; `notify` enqueues deliveries (it does not wait for them). */
export interface OperationEvent extends OperationRef {
  event: OperationEventName;
  resourceLocation?: string | null;
}

/** Activities every flow uses. */
export interface OperationActivities {
  /** Writes the operation row (status, progress, result, error). */
  updateOperation(update: OperationUpdate): Promise<void>;
  /** Announces an event to the organization's webhook endpoints. */
  notify(event: OperationEvent): Promise<void>;
}

/** A page of an organization's company ids, ordered by id. */
export interface CompanyIdPage {
  companyIds: string[];
  /** How many companies the organization has in all (for progress). */
  total: number;
}

/** Activities of `enrichCompanies`. */
export interface EnrichmentActivities extends OperationActivities {
  /** Company ids after `afterCompanyId` (exclusive), at most `limit`, ordered by id. */
  listCompanyIds(request: {
    organizationId: string;
    afterCompanyId: string | null;
    limit: number;
  }): Promise<CompanyIdPage>;
  /**
   * Fetches one company's official record and updates it. Returns `not-found` (registry 404 or no
   * such company in the organization) and `failed` (e.g. a malformed registry body) as outcomes;
   * throws `RegistryAuthError` (fails the whole job) and retryable outage errors.
   */
  enrichCompany(request: OperationRef & { companyId: string }): Promise<CompanyEnrichmentOutcome>;
}

/** What `planImport` found: how many data lines the file has and where to start. */
export interface ImportPlan {
  /** Data lines (records) in the file, excluding the header; null when it cannot be counted cheaply. */
  totalRows: number | null;
  /** The first physical line to read (2 for a fresh import: line 1 is the header). */
  startLine: number;
  /** The header's variant (`eu-ets-installations`, …). */
  variant: string;
}

/** What one batch did. `nextLine` is the checkpoint; `done` means the file is exhausted. */
export interface ImportBatchResult {
  nextLine: number;
  done: boolean;
  /** Data lines consumed (accepted + rejected). */
  dataLines: number;
  accepted: number;
  rejected: number;
}

/** The import request every import activity receives. */
export type ImportRequest = Omit<ImportDatasetInput, 'checkpoint' | 'maxBatchesPerRun'>;

/** Activities of `importDataset`. */
export interface ImportActivities extends OperationActivities {
  /** Validates the header (throws `DatasetHeaderError`) and counts the data lines. */
  planImport(request: ImportRequest): Promise<ImportPlan>;
  /**
   * Reads records from `fromLine`, validates them, and writes one batch (staging COPY + upsert;
   * rejects keyed by line), heartbeating its checkpoint so a retry resumes mid-batch.
   */
  importBatch(request: ImportRequest & { fromLine: number; batchSize: number }): Promise<ImportBatchResult>;
  /** Swaps the imported version in atomically and returns the authoritative counts. */
  finishImport(request: ImportRequest): Promise<ImportDatasetResult>;
}

/**
 * A rendered PDF, already saved as an unpublished draft: the bytes stay in the database, so
 * nothing near Temporal's 2 MB payload limit ever crosses between activities.
 */
export interface RenderedReport {
  /** The draft's id (the operation id: a retried render overwrites its own draft). */
  draftId: string;
  sha256: string;
  sizeBytes: number;
  /** Methodology version the report states, for the stored row. */
  methodologyVersion: string;
}

/** Activities of `renderReport`. */
export interface ReportActivities extends OperationActivities {
  /** Loads the simulation, renders its PDF in the shared browser and saves it as a draft. */
  renderReport(request: RenderReportInput): Promise<RenderedReport>;
  /** Publishes the draft as the simulation's report (idempotent) and says where it is served. */
  storeReport(
    request: RenderReportInput & { report: RenderedReport },
  ): Promise<{ reportId: string; resourceLocation: string; sizeBytes: number }>;
}

/** One page of a recategorisation. */
export interface RecategoriseBatchResult {
  examined: number;
  changed: number;
  /** The last transaction id of the page, null when there was nothing left. */
  lastId: string | null;
  companyIds: string[];
}

/** Activities of `recategoriseTransactions`. */
export interface RecategorisationActivities extends OperationActivities {
  /** How many non-manual transactions there are to examine. */
  planRecategorisation(request: OperationRef & { companyId: string | null }): Promise<{ total: number }>;
  /**
   * Re-applies the tenant's rules (read afresh) to the page after `afterId` and calls the
   * transactions-changed hook (cache) for the companies it changed.
   */
  recategoriseBatch(
    request: OperationRef & { companyId: string | null; afterId: string | null; limit: number },
  ): Promise<RecategoriseBatchResult>;
}

/** Activities of `evaluateAlerts` and of the scheduled sweep. */
export interface AlertActivities extends OperationActivities {
  /** Evaluates the rules, raises new alerts and publishes `alert.raised`. */
  evaluateAlerts(request: AlertEvaluationInput): Promise<AlertEvaluationResult>;
  /** Starts an `alert-evaluation` job for every tenant with data (one per tenant and slot). */
  startAlertEvaluations(request: { slot: string }): Promise<{ started: number }>;
}

/** Every activity a worker (or the in-process engine) must provide. */
export type WorkflowActivities = EnrichmentActivities &
  ImportActivities &
  ReportActivities &
  RecategorisationActivities &
  AlertActivities;
