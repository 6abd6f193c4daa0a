/**
 * Job metrics (Prometheus, prom-client): what the activities, the in-process engine and the
 * webhook dispatchers report, defined once so the API process and the Temporal worker expose the
 * same names. Every label is an operator dimension (kind, outcome, dataset): never a tenant id.
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import type { JobKind } from '../shared.js';

/** What one webhook attempt came to, as counted (`stale` attempts — claim lost — are not counted). */
export type WebhookDeliveryOutcome = 'succeeded' | 'retry' | 'failed' | 'exhausted' | 'disabled';

/** How an operation ended. */
export type OperationOutcome = 'succeeded' | 'failed' | 'canceled';

/** Called when an operation reaches a final status; `seconds` from its creation (queue time included). */
export type OperationFinished = (kind: JobKind, outcome: OperationOutcome, seconds: number) => void;

/** The hooks activities and dispatchers call. Every call must be cheap and never throw. */
export interface ActivityMetrics {
  /** An import finished (`finishImport` returned): rows accepted and rejected. */
  importFinished(dataset: string, accepted: number, rejected: number): void;
  /** One PDF render (`renderer.render`), successful or not. */
  reportRendered(seconds: number, ok: boolean): void;
  /** One webhook delivery attempt. */
  webhookDelivery(outcome: WebhookDeliveryOutcome): void;
}

/** The activity hooks plus the end of an operation. */
export interface JobMetrics extends ActivityMetrics {
  operationFinished: OperationFinished;
}

/** Hooks that record nothing (the default). */
export const noMetrics: JobMetrics = {
  importFinished: () => undefined,
  reportRendered: () => undefined,
  webhookDelivery: () => undefined,
  operationFinished: () => undefined,
};

/** Metric names, for docs and tests. */
export const JOB_METRIC_NAMES = {
  operationsFinished: 'greenfin_operations_finished_total',
  operationDuration: 'greenfin_operation_duration_seconds',
  importRows: 'greenfin_import_rows_total',
  reportRenderDuration: 'greenfin_report_render_duration_seconds',
  webhookDeliveries: 'greenfin_webhook_deliveries_total',
} as const;

/**
 * Registers the job instruments on `registry` and returns the hooks that feed them.
 *
 * @example const metrics = createJobMetrics(registry); openInProcessEngine({ pool, metrics, onFinished: metrics.operationFinished });
 */
export function createJobMetrics(registry: Registry): JobMetrics {
  const registers = [registry];
  const finished = new Counter({
    name: JOB_METRIC_NAMES.operationsFinished,
    help: 'Operations that reached a final status, by kind and outcome (succeeded, failed, canceled).',
    labelNames: ['kind', 'outcome'] as const,
    registers,
  });
  const duration = new Histogram({
    name: JOB_METRIC_NAMES.operationDuration,
    help: 'Time from an operation’s creation to its final status (queue time included), by kind.',
    labelNames: ['kind'] as const,
    buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
    registers,
  });
  const importRows = new Counter({
    name: JOB_METRIC_NAMES.importRows,
    help: 'Rows of finished dataset imports, by dataset and outcome (accepted, rejected).',
    labelNames: ['dataset', 'outcome'] as const,
    registers,
  });
  const render = new Histogram({
    name: JOB_METRIC_NAMES.reportRenderDuration,
    help: 'PDF report render time in the shared browser, by outcome (ok, error).',
    labelNames: ['outcome'] as const,
    buckets: [0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60],
    registers,
  });
  const deliveries = new Counter({
    name: JOB_METRIC_NAMES.webhookDeliveries,
    help: 'Webhook delivery attempts, by outcome (succeeded, retry, failed, exhausted, disabled).',
    labelNames: ['outcome'] as const,
    registers,
  });
  return {
    operationFinished(kind, outcome, seconds) {
      finished.inc({ kind, outcome });
      duration.observe({ kind }, Math.max(0, seconds));
    },
    importFinished(dataset, accepted, rejected) {
      importRows.inc({ dataset, outcome: 'accepted' }, accepted);
      importRows.inc({ dataset, outcome: 'rejected' }, rejected);
    },
    reportRendered(seconds, ok) {
      render.observe({ outcome: ok ? 'ok' : 'error' }, Math.max(0, seconds));
    },
    webhookDelivery(outcome) {
      deliveries.inc({ outcome });
    },
  };
}
