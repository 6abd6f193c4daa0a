/**
 * The cash-flow activities: recategorisation pages, alert evaluation, and the scheduled sweep
 * that starts one `alert-evaluation` job per tenant. All over the shared functions of
 * `src/cash-flow`, so the API, the in-process engine and a Temporal worker do the same thing.
 */
import type { Pool } from 'pg';
import { alertOrganizations, evaluateAlerts, type AlertConfig } from '../cash-flow/alerts.js';
import {
  countRecategorisable,
  loadCategoryRules,
  recategorisePage,
  type TransactionsChanged,
} from '../cash-flow/transactions.js';
import type { AlertActivities, RecategorisationActivities } from '../flows/activities.js';
import type { PublishedEvent } from '../webhooks/notifier.js';

export interface CashFlowActivityDeps {
  pool: Pool;
  /** Called for each company whose categories changed (the API drops its cached analytics). */
  onTransactionsChanged?: TransactionsChanged;
  /** Publishes `alert.raised` (the webhook notifier's `publish`). */
  publish?: (event: PublishedEvent) => Promise<unknown>;
  /** Alert thresholds (default 1.25x DSCR, 3 negative months). */
  alerts?: Partial<AlertConfig>;
  /**
   * Starts an `alert-evaluation` job for a tenant (the engine's `start`); the sweep needs it. The
   * idempotency key makes one sweep slot start each tenant's job once.
   */
  startAlertEvaluation?: (organizationId: string, idempotencyKey: string) => Promise<unknown>;
}

/**
 * Builds the activities.
 *
 * @example const a = createCashFlowActivities({ pool }); await a.evaluateAlerts({ operationId, organizationId });
 */
export function createCashFlowActivities(
  deps: CashFlowActivityDeps,
): Omit<RecategorisationActivities & AlertActivities, 'updateOperation' | 'notify'> {
  return {
    async planRecategorisation({ organizationId, companyId }) {
      return { total: await countRecategorisable(deps.pool, organizationId, companyId) };
    },
    async recategoriseBatch({ organizationId, companyId, afterId, limit }) {
      const rules = await loadCategoryRules(deps.pool, organizationId);
      const page = await recategorisePage(deps.pool, { organizationId, companyId, afterId, limit, rules });
      for (const id of page.companyIds) await deps.onTransactionsChanged?.(organizationId, id);
      return page;
    },
    async evaluateAlerts({ organizationId, companyId }) {
      return evaluateAlerts(
        {
          db: deps.pool,
          ...(deps.alerts && { config: deps.alerts }),
          ...(deps.publish && { publish: deps.publish }),
        },
        { organizationId, companyId: companyId ?? null },
      );
    },
    async startAlertEvaluations({ slot }) {
      const start = deps.startAlertEvaluation;
      if (!start) throw new Error('startAlertEvaluations needs startAlertEvaluation (an engine) in its deps');
      const organizations = await alertOrganizations(deps.pool);
      for (const organizationId of organizations) await start(organizationId, `alert-sweep:${slot}`);
      return { started: organizations.length };
    },
  };
}
