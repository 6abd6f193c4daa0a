/**
 * The Temporal workflows: thin wrappers that run the engine-agnostic flows with activity proxies,
 * show progress to operators, and continue-as-new when a flow asks for it. Bundled into the
 * workflow sandbox by the worker (and by a test): imports here must stay deterministic — no Node
 * built-ins, no I/O, no clock (lint enforces it).
 */
import {
  ApplicationFailure,
  CancellationScope,
  TemporalFailure,
  continueAsNew,
  defineQuery,
  isCancellation,
  log,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { WorkflowActivities } from '../flows/activities.js';
import { enrichCompaniesFlow } from '../flows/enrich-companies.js';
import { describeFailure } from '../flows/failures.js';
import { importDatasetFlow } from '../flows/import-dataset.js';
import type { FlowPorts, FlowStep } from '../flows/ports.js';
import { renderReportFlow } from '../flows/render-report.js';
import { recategoriseFlow } from '../flows/recategorise.js';
import { evaluateAlertsFlow, sweepAlertEvaluationsFlow } from '../flows/evaluate-alerts.js';
import {
  ACTIVITY_PROFILES,
  ACTIVITY_ROUTES,
  QUERY_NAMES,
  type ActivityName,
  type ActivityProfile,
  type AlertEvaluationInput,
  type AlertEvaluationResult,
  type AlertSweepInput,
  type RecategoriseInput,
  type RecategoriseResult,
  type EnrichCompaniesInput,
  type EnrichCompaniesResult,
  type ImportDatasetInput,
  type ImportDatasetResult,
  type OperationProgress,
  type RenderReportInput,
  type RenderReportResult,
  type WorkflowName,
} from '../shared.js';

/** Live progress, for operators and tools (`temporal workflow query --type progress`). */
export const progressQuery = defineQuery<OperationProgress>(QUERY_NAMES.progress);

// Compile-time check: every activity the flows call has a route (profile + task queue), and no more.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _routesCoverActivities: Same<ActivityName, keyof WorkflowActivities> = true;

/** A profile as Temporal activity options (copying the readonly lists Temporal wants mutable). */
function activityOptions(profile: ActivityProfile, taskQueue: string): ActivityOptions {
  return {
    taskQueue,
    startToCloseTimeout: profile.startToCloseTimeout,
    ...(profile.scheduleToCloseTimeout !== undefined && {
      scheduleToCloseTimeout: profile.scheduleToCloseTimeout,
    }),
    ...(profile.heartbeatTimeout !== undefined && { heartbeatTimeout: profile.heartbeatTimeout }),
    retry: { ...profile.retry, nonRetryableErrorTypes: [...profile.retry.nonRetryableErrorTypes] },
  };
}

/** One proxy per activity, each with its own profile and task queue (registry calls go to their queue). */
const activities = Object.fromEntries(
  (Object.keys(ACTIVITY_ROUTES) as ActivityName[]).map((name) => {
    const route = ACTIVITY_ROUTES[name];
    const proxies = proxyActivities<WorkflowActivities>(
      activityOptions(ACTIVITY_PROFILES[route.profile], route.taskQueue),
    );
    return [name, proxies[name]];
  }),
) as unknown as WorkflowActivities;

/**
 * Ports for a flow running in this workflow. Progress goes to the current details (shown in the
 * UI's workflow page, no history cost), the `progress` query, and the memo at each tenth (so
 * list views can show it without flooding the history).
 */
function temporalPorts(unit: string, initial: OperationProgress): FlowPorts<WorkflowActivities> {
  let progress = initial;
  let memoTenth = -1;
  setHandler(progressQuery, () => progress);
  return {
    activities,
    progress(completed, total) {
      progress = { completed, total };
      const percent = total ? ` (${Math.floor((completed * 100) / total)}%)` : '';
      setCurrentDetails(`**${completed}${total === null ? '' : ` / ${total}`}** ${unit} done${percent}`);
      const tenth = total ? Math.floor((completed * 10) / total) : -1;
      if (tenth !== memoTenth) {
        memoTenth = tenth;
        upsertMemo({ progress });
      }
    },
    isCancellation,
    nonCancellable: (fn) => CancellationScope.nonCancellable(fn),
    continueAsNewSuggested: () => workflowInfo().continueAsNewSuggested,
    log: (level, message, attributes) => log[level](message, attributes),
  };
}

/**
 * A flow's own errors (validation, a stalled import) are not Temporal failures: thrown as they
 * are, they would fail the workflow *task* and retry it forever. The flow has already marked the
 * operation failed, so end the workflow as failed, keeping the error's type for the UI.
 */
async function asWorkflow<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof TemporalFailure) throw error;
    const { type, message } = describeFailure(error);
    throw ApplicationFailure.nonRetryable(message, type);
  }
}

/** Finishes a run: the result, or continue-as-new with the flow's checkpoint. */
async function finish<I, R>(step: FlowStep<I, R>): Promise<R> {
  if (step.done) return step.result;
  return continueAsNew<(input: I) => Promise<R>>(step.continueWith);
}

/** Workflow `enrichCompanies`: see `flows/enrich-companies.ts`. */
export async function enrichCompanies(input: EnrichCompaniesInput): Promise<EnrichCompaniesResult> {
  const initial = input.checkpoint
    ? { completed: input.checkpoint.completed, total: input.checkpoint.total }
    : { completed: 0, total: input.companyIds?.length ?? null };
  const step = await asWorkflow(() => enrichCompaniesFlow(input, temporalPorts('companies', initial)));
  return finish(step);
}

/** Workflow `importDataset`: see `flows/import-dataset.ts`. */
export async function importDataset(input: ImportDatasetInput): Promise<ImportDatasetResult> {
  const initial = input.checkpoint
    ? { completed: input.checkpoint.completedRows, total: input.checkpoint.totalRows }
    : { completed: 0, total: null };
  const step = await asWorkflow(() => importDatasetFlow(input, temporalPorts('rows', initial)));
  return finish(step);
}

/** Workflow `renderReport`: see `flows/render-report.ts`. */
export async function renderReport(input: RenderReportInput): Promise<RenderReportResult> {
  const step = await asWorkflow(() =>
    renderReportFlow(input, temporalPorts('steps', { completed: 0, total: 2 })),
  );
  return finish(step);
}

/** Workflow `recategoriseTransactions`: see `flows/recategorise.ts`. */
export async function recategoriseTransactions(input: RecategoriseInput): Promise<RecategoriseResult> {
  const initial = input.checkpoint
    ? { completed: input.checkpoint.examined, total: input.checkpoint.total }
    : { completed: 0, total: null };
  const step = await asWorkflow(() => recategoriseFlow(input, temporalPorts('transactions', initial)));
  return finish(step);
}

/** Workflow `evaluateAlerts`: see `flows/evaluate-alerts.ts`. */
export async function evaluateAlerts(input: AlertEvaluationInput): Promise<AlertEvaluationResult> {
  const step = await asWorkflow(() =>
    evaluateAlertsFlow(input, temporalPorts('steps', { completed: 0, total: 1 })),
  );
  return finish(step);
}

/**
 * Workflow `sweepAlertEvaluations`, started by the Temporal Schedule `greenfin-alert-evaluation`:
 * one `alert-evaluation` job per tenant. The slot is the schedule's action time (Temporal sets
 * the workflow id from it), so a sweep started twice for a slot starts each tenant's job once.
 */
export async function sweepAlertEvaluations(input: AlertSweepInput = {}): Promise<{ started: number }> {
  const slot = input.slot ?? workflowInfo().workflowId;
  return asWorkflow(() =>
    sweepAlertEvaluationsFlow({ slot }, temporalPorts('tenants', { completed: 0, total: null })),
  );
}

// Compile-time check: the exported workflow functions are exactly the names `shared.ts` promises.
const _workflowsByName: Record<WorkflowName, (input: never) => Promise<unknown>> = {
  enrichCompanies,
  importDataset,
  renderReport,
  recategoriseTransactions,
  evaluateAlerts,
  sweepAlertEvaluations,
};
