/**
 * `evaluateAlerts`: one tenant's cash-flow alert rules, as an operation; and the scheduled sweep
 * (`sweepAlertEvaluations`, no operation of its own) that starts one such job per tenant.
 */
import type { AlertEvaluationInput, AlertEvaluationResult, AlertSweepInput } from '../shared.js';
import type { AlertActivities } from './activities.js';
import { runAsOperation } from './operation-lifecycle.js';
import type { FlowPorts, FlowStep } from './ports.js';
import { validateJobInput } from './validate.js';

/**
 * The alert-evaluation orchestration.
 *
 * @example await evaluateAlertsFlow({ operationId, organizationId }, ports);
 */
export async function evaluateAlertsFlow(
  input: AlertEvaluationInput,
  ports: FlowPorts<AlertActivities>,
): Promise<FlowStep<AlertEvaluationInput, AlertEvaluationResult>> {
  return runAsOperation(input, ports, async () => {
    validateJobInput('alert-evaluation', input);
    ports.progress(0, 1);
    const result = await ports.activities.evaluateAlerts({
      operationId: input.operationId,
      organizationId: input.organizationId,
      companyId: input.companyId ?? null,
    });
    ports.progress(1, 1);
    return { done: true, result };
  });
}

/**
 * The scheduled sweep: starts an `alert-evaluation` job for every tenant with data. `slot` (the
 * schedule's action time) makes a retried or doubled sweep start nothing twice.
 */
export async function sweepAlertEvaluationsFlow(
  input: AlertSweepInput,
  ports: FlowPorts<AlertActivities>,
): Promise<{ started: number }> {
  const slot = input.slot ?? 'manual';
  const result = await ports.activities.startAlertEvaluations({ slot });
  ports.log('info', 'alert evaluations started', { slot, started: result.started });
  return result;
}
