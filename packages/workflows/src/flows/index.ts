/**
 * The engine-agnostic orchestrations, one per job kind. Both engines look flows up here.
 */
import type { JobInputs, JobKind, JobResults } from '../shared.js';
import type { WorkflowActivities } from './activities.js';
import { enrichCompaniesFlow } from './enrich-companies.js';
import { importDatasetFlow } from './import-dataset.js';
import type { Flow } from './ports.js';
import { renderReportFlow } from './render-report.js';
import { recategoriseFlow } from './recategorise.js';
import { evaluateAlertsFlow } from './evaluate-alerts.js';

export { enrichCompaniesFlow } from './enrich-companies.js';
export { importDatasetFlow } from './import-dataset.js';
export { renderReportFlow } from './render-report.js';
export { recategoriseFlow } from './recategorise.js';
export { evaluateAlertsFlow, sweepAlertEvaluationsFlow } from './evaluate-alerts.js';
export type * from './activities.js';
export type { Flow, FlowPorts, FlowStep } from './ports.js';
export {
  describeFailure,
  isCancellationFailure,
  InvalidInputError,
  type FailureDescription,
} from './failures.js';
export { interruptedProblem, problemFor, PROBLEM_SLUGS } from './problems.js';
export { validateJobInput, validateJobParams, assertJobKind, isUuid } from './validate.js';

/** Each job kind's flow. */
export const FLOWS: { [K in JobKind]: Flow<JobInputs[K], WorkflowActivities, JobResults[K]> } = {
  enrichment: enrichCompaniesFlow,
  import: importDatasetFlow,
  report: renderReportFlow,
  recategorisation: recategoriseFlow,
  'alert-evaluation': evaluateAlertsFlow,
};
