/**
 * Turning a failure into the RFC 9457 problem stored on the operation. Known failure types keep
 * their message (activities write messages for people and never put credentials in them);
 * anything else becomes a generic problem, because its message may expose internals (SQL, paths).
 */
import type { Problem } from '../shared.js';
import { describeFailure } from './failures.js';

/** Problem `type` slugs clients switch on (`/problems/<slug>`). */
export const PROBLEM_SLUGS = {
  interrupted: 'interrupted',
  terminated: 'terminated',
  invalidInput: 'invalid-input',
  invalidFile: 'invalid-dataset-file',
  invalidReportData: 'invalid-report-data',
  registryAuth: 'registry-auth-failed',
  dependencyUnavailable: 'dependency-unavailable',
  misconfigured: 'job-misconfigured',
  jobFailed: 'job-failed',
} as const;

interface ProblemKind {
  slug: string;
  title: string;
  status: number;
  /** Keep the failure's message as the detail (false: a generic detail). */
  keepMessage: boolean;
  /** Appended to the detail: what the client can do. */
  advice?: string;
}

const RETRY_LATER = 'Start the job again later.';

const KINDS: Record<string, ProblemKind> = {
  InvalidInput: {
    slug: PROBLEM_SLUGS.invalidInput,
    title: 'Invalid job input',
    status: 422,
    keepMessage: true,
  },
  DatasetError: {
    slug: PROBLEM_SLUGS.invalidFile,
    title: 'The file cannot be imported',
    status: 422,
    keepMessage: true,
  },
  DatasetHeaderError: {
    slug: PROBLEM_SLUGS.invalidFile,
    title: 'The file cannot be imported',
    status: 422,
    keepMessage: true,
  },
  DatasetCsvError: {
    slug: PROBLEM_SLUGS.invalidFile,
    title: 'The file cannot be imported',
    status: 422,
    keepMessage: true,
  },
  ReportDataError: {
    slug: PROBLEM_SLUGS.invalidReportData,
    title: 'The report cannot be rendered from this data',
    status: 422,
    keepMessage: true,
  },
  RegistryAuthError: {
    slug: PROBLEM_SLUGS.registryAuth,
    title: 'The company registry refused our credentials',
    status: 502,
    keepMessage: true,
    advice: 'An administrator must fix the registry API key; then start the job again.',
  },
  RegistryConfigError: {
    slug: PROBLEM_SLUGS.misconfigured,
    title: 'The company registry is not configured',
    status: 500,
    keepMessage: true,
  },
  ChromiumNotFoundError: {
    slug: PROBLEM_SLUGS.misconfigured,
    title: 'The report renderer is not installed',
    status: 500,
    keepMessage: true,
  },
  RegistryRateLimitedError: {
    slug: PROBLEM_SLUGS.dependencyUnavailable,
    title: 'A service the job depends on stayed unavailable',
    status: 503,
    keepMessage: true,
    advice: RETRY_LATER,
  },
  RegistryUnavailableError: {
    slug: PROBLEM_SLUGS.dependencyUnavailable,
    title: 'A service the job depends on stayed unavailable',
    status: 503,
    keepMessage: true,
    advice: RETRY_LATER,
  },
  ReportRenderTimeoutError: {
    slug: PROBLEM_SLUGS.dependencyUnavailable,
    title: 'A service the job depends on stayed unavailable',
    status: 503,
    keepMessage: true,
    advice: RETRY_LATER,
  },
  ReportRenderError: {
    slug: PROBLEM_SLUGS.dependencyUnavailable,
    title: 'A service the job depends on stayed unavailable',
    status: 503,
    keepMessage: true,
    advice: RETRY_LATER,
  },
  TimeoutFailure: {
    slug: PROBLEM_SLUGS.dependencyUnavailable,
    title: 'A step of the job timed out',
    status: 503,
    keepMessage: false,
    advice: `A step did not finish in time, even after retries. ${RETRY_LATER}`,
  },
  Interrupted: {
    slug: PROBLEM_SLUGS.interrupted,
    title: 'The job was interrupted',
    status: 503,
    keepMessage: false,
  },
};

/** Longest detail kept; registry bodies can be long and a problem is read by people. */
const MAX_DETAIL = 1000;

const instanceOf = (operationId: string) => `/v1/operations/${operationId}`;

/** The problem an operation fails with when `error` ended its job. */
export function problemFor(error: unknown, operationId: string): Problem {
  const failure = describeFailure(error);
  if (failure.type === 'Interrupted') return interruptedProblem(operationId);
  const kind = KINDS[failure.type];
  if (!kind) {
    return {
      type: `/problems/${PROBLEM_SLUGS.jobFailed}`,
      title: 'The job failed',
      status: 500,
      detail: `The job failed unexpectedly (${failure.type}). Operators can see the cause in the worker log or the Temporal UI; start the job again once it is fixed.`,
      instance: instanceOf(operationId),
      errorType: failure.type,
    };
  }
  const parts = [kind.keepMessage ? failure.message : '', kind.advice ?? ''].filter((p) => p !== '');
  const detail = parts.join(' ').slice(0, MAX_DETAIL);
  return {
    type: `/problems/${kind.slug}`,
    title: kind.title,
    status: kind.status,
    detail: detail || kind.title,
    instance: instanceOf(operationId),
    errorType: failure.type,
  };
}

/**
 * The problem of an operation whose process stopped before it finished (a restart, a crash, a
 * shutdown that could not wait). Activities are idempotent, so running the job again is safe.
 */
export function interruptedProblem(operationId: string): Problem {
  return {
    type: `/problems/${PROBLEM_SLUGS.interrupted}`,
    title: 'The job was interrupted',
    status: 503,
    detail:
      'The process running this job stopped before the job finished (a restart or a crash). Work it had done is safe to repeat: start the job again with a new Idempotency-Key.',
    instance: instanceOf(operationId),
    errorType: 'Interrupted',
  };
}

/**
 * The problem of an operation whose Temporal workflow closed without recording an outcome:
 * terminated or timed out from outside (e.g. by an operator in the Temporal UI), or failed
 * outside the flow's own error handling.
 *
 * @param how - the workflow's closed status as Temporal names it (`TERMINATED`, `TIMED_OUT`, `FAILED`).
 */
export function terminatedProblem(operationId: string, how: 'TERMINATED' | 'TIMED_OUT' | 'FAILED'): Problem {
  const retry = 'Work it had done is safe to repeat: start the job again with a new Idempotency-Key.';
  return {
    type: `/problems/${PROBLEM_SLUGS.terminated}`,
    title: how === 'FAILED' ? 'The job failed' : 'The job was stopped before it finished',
    status: 503,
    detail:
      how === 'FAILED'
        ? 'The workflow running this job failed before it recorded an outcome. Operators can see the cause in the Temporal UI; start the job again once it is fixed.'
        : `The workflow running this job ended as ${how} (an operator's terminate, or a workflow timeout) before it recorded an outcome. ${retry}`,
    instance: instanceOf(operationId),
    errorType: { TERMINATED: 'WorkflowTerminated', TIMED_OUT: 'WorkflowTimedOut', FAILED: 'WorkflowFailed' }[
      how
    ],
  };
}
