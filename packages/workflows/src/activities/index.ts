/**
 * `createActivities(deps)`: every activity the flows call, built over their dependencies. The
 * Temporal worker (`temporal/worker.ts`) and the in-process engine both use it, so the activities
 * are the same code under both engines. Each part lives in its own module.
 */
import type { Pool } from 'pg';
import type { ImportActivities, OperationEvent, WorkflowActivities } from '../flows/activities.js';
import type { ActivityMetrics, OperationFinished } from '../observability/metrics.js';
import { createOperationActivities } from '../operations/activities.js';
import type { OperationStore } from '../operations/store.js';
import { registryConfigFromEnv } from '../registries/config-from-env.js';
import { createRegistryClient } from '../registries/create-client.js';
import type { RegistryClient } from '../registries/record.js';
import { ReportRenderer, resolveChromiumPath } from '../reports/renderer.js';
import type { AlertConfig } from '../cash-flow/alerts.js';
import type { TransactionsChanged } from '../cash-flow/transactions.js';
import type { PublishedEvent } from '../webhooks/notifier.js';
import { evaluateAlerts } from '../cash-flow/alerts.js';
import { createCashFlowActivities } from './cash-flow.js';
import { createEnrichmentActivities } from './enrichment.js';
import { createImportActivities } from './imports/activities.js';
import { PgImportFileStore, type ImportFileStore } from './imports/file-store.js';
import { createReportActivities, lazyRenderer } from './reports.js';

export { createEnrichmentActivities, sectorOf, type EnrichmentActivityDeps } from './enrichment.js';
export { createReportActivities, lazyRenderer, reportLocation, type ReportActivityDeps } from './reports.js';
export { loadReportData, SimulationNotFoundError } from './report-data-loader.js';
export { createCashFlowActivities, type CashFlowActivityDeps } from './cash-flow.js';

/** What the activities need. Everything but `pool` and `store` has a default. */
export interface ActivityDeps {
  pool: Pool;
  store: OperationStore;
  /** Environment for the defaults below (registry credentials, `CHROMIUM_PATH`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** The company registry; default from the environment (null when none is configured). */
  registry?: RegistryClient | null;
  /** The shared PDF renderer; default: one Chromium launched on first use. */
  renderer?: () => Promise<ReportRenderer>;
  /** Enqueues webhook deliveries for an event (default: none). */
  notify?: (event: OperationEvent) => Promise<void>;
  /**
   * Called after a company's transactions or their categories changed (recategorisation, the
   * transactions import): the API drops its cached cash-flow analytics.
   */
  onTransactionsChanged?: TransactionsChanged;
  /** Publishes any webhook event (`alert.raised`); the notifier's `publish`. Default: none. */
  publish?: (event: PublishedEvent) => Promise<unknown>;
  /** Alert thresholds (ALERT_DSCR_THRESHOLD, ALERT_NEGATIVE_MONTHS). */
  alerts?: Partial<AlertConfig>;
  /** Starts a tenant's `alert-evaluation` job (the scheduled sweep; set by the engine's owner). */
  startAlertEvaluation?: (organizationId: string, idempotencyKey: string) => Promise<unknown>;
  /** Called after enrichment changed a company (the API drops its cached green score). */
  onCompanyChanged?: (organizationId: string, companyId: string) => Promise<void>;
  /**
   * The import activities (planImport, importBatch, finishImport); default: over `pool`, reading
   * uploads from `importFiles`.
   */
  imports?: Pick<ImportActivities, 'planImport' | 'importBatch' | 'finishImport'>;
  /** Where uploads are stored (default: the `import_files` table on `pool`). */
  importFiles?: ImportFileStore;
  /** "Now" for report generation times. */
  clock?: () => Date;
  /** Import rows, report renders (default: none). */
  metrics?: Pick<ActivityMetrics, 'importFinished' | 'reportRendered'>;
  /**
   * Called when `updateOperation` records a final status. For the Temporal worker only: the
   * in-process engine reports the end of its runs itself (`onFinished`).
   */
  onOperationFinished?: OperationFinished;
}

/** The activities plus what their owner must release at shutdown. */
export type ActivitySet = WorkflowActivities & { close(): Promise<void> };

/**
 * Builds every activity.
 *
 * @example const activities = createActivities({ pool, store });
 */
export function createActivities(deps: ActivityDeps): ActivitySet {
  const env = deps.env ?? process.env;
  const registryConfig = deps.registry === undefined ? registryConfigFromEnv(env) : null;
  const registry =
    deps.registry !== undefined
      ? deps.registry
      : registryConfig
        ? createRegistryClient(registryConfig)
        : null;
  const renderer = deps.renderer
    ? { get: deps.renderer, close: async () => undefined }
    : lazyRenderer(() => ReportRenderer.launch({ executablePath: resolveChromiumPath(undefined, env) }));
  const baseImports =
    deps.imports ??
    createImportActivities({
      pool: deps.pool,
      files: deps.importFiles ?? new PgImportFileStore(deps.pool),
      onApplied: async ({ organizationId, companyIds, dataset }) => {
        for (const companyId of companyIds) {
          // An import that changed companies or their metrics makes their cached scores stale.
          await deps.onCompanyChanged?.(organizationId, companyId);
          if (dataset !== 'transactions') continue;
          // New transactions: the cached analytics are stale, and the alert rules run now, as
          // after the JSON ingest. The import is already committed, so a failed evaluation does
          // not fail it: the scheduled evaluation raises the same alerts later.
          await deps.onTransactionsChanged?.(organizationId, companyId);
          await evaluateAlerts(
            {
              db: deps.pool,
              ...(deps.alerts && { config: deps.alerts }),
              ...(deps.publish && { publish: deps.publish }),
            },
            { organizationId, companyId },
          ).catch(() => undefined);
        }
      },
    });
  const imports = countImportRows(baseImports, deps.metrics);
  return {
    ...createOperationActivities({
      store: deps.store,
      ...(deps.notify && { notify: deps.notify }),
      ...(deps.onOperationFinished && { onFinished: deps.onOperationFinished }),
    }),
    ...createEnrichmentActivities({
      pool: deps.pool,
      registry,
      ...(deps.onCompanyChanged && { onCompanyChanged: deps.onCompanyChanged }),
    }),
    ...imports,
    ...createCashFlowActivities({
      pool: deps.pool,
      ...(deps.onTransactionsChanged && { onTransactionsChanged: deps.onTransactionsChanged }),
      ...(deps.publish && { publish: deps.publish }),
      ...(deps.alerts && { alerts: deps.alerts }),
      ...(deps.startAlertEvaluation && { startAlertEvaluation: deps.startAlertEvaluation }),
    }),
    ...createReportActivities({
      pool: deps.pool,
      renderer: renderer.get,
      ...(deps.clock && { clock: deps.clock }),
      ...(deps.metrics && { metrics: deps.metrics }),
    }),
    close: renderer.close,
  };
}

/** `finishImport` counting the import's accepted and rejected rows once it returned. */
function countImportRows(
  imports: Pick<ImportActivities, 'planImport' | 'importBatch' | 'finishImport'>,
  metrics: Pick<ActivityMetrics, 'importFinished'> | undefined,
): Pick<ImportActivities, 'planImport' | 'importBatch' | 'finishImport'> {
  if (!metrics) return imports;
  return {
    planImport: imports.planImport.bind(imports),
    importBatch: imports.importBatch.bind(imports),
    async finishImport(request) {
      const result = await imports.finishImport(request);
      try {
        metrics.importFinished(result.dataset, result.rows.accepted, result.rows.rejected);
      } catch {
        // metrics never fail an activity
      }
      return result;
    },
  };
}
