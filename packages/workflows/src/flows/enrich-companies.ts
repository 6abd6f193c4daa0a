/**
 * `enrichCompanies`: fetch each company's official record and update it, one activity per
 * company (on the rate-limited registries queue under Temporal). A company the registry does not
 * know, or whose record is unusable, is recorded in the result and the rest continue; bad
 * credentials fail the whole job at once, since every other lookup would fail the same way.
 */
import type {
  CompanyEnrichmentOutcome,
  EnrichCheckpoint,
  EnrichCompaniesInput,
  EnrichCompaniesResult,
  OperationRef,
} from '../shared.js';
import type { EnrichmentActivities } from './activities.js';
import { describeFailure } from './failures.js';
import { reportProgress, runAsOperation } from './operation-lifecycle.js';
import type { FlowPorts, FlowStep } from './ports.js';
import { validateJobInput } from './validate.js';

/** Companies per workflow run before continue-as-new. */
export const DEFAULT_MAX_COMPANIES_PER_RUN = 500;
/** Company ids fetched per `listCompanyIds` call (for `all`). */
export const COMPANY_PAGE_SIZE = 100;
/**
 * After this many companies in a row fail because the registry stayed unavailable (each after
 * its own retries), the job stops: the registry is down, and trying thousands more only delays
 * the answer.
 */
export const MAX_CONSECUTIVE_OUTAGES = 5;

/** Failures that doom every lookup, not just one company's. */
const JOB_FATAL = new Set(['RegistryAuthError', 'RegistryConfigError', 'OperationNotFoundError']);
/** Failures that say the registry is unavailable (after the activity's own retries). */
const OUTAGES = new Set(['RegistryUnavailableError', 'RegistryRateLimitedError', 'TimeoutFailure']);
/** Failures whose message is written for people (safe to show in the result). */
const READABLE = new Set([
  'RegistryRequestError',
  'RegistryUnavailableError',
  'RegistryRateLimitedError',
  'InvalidInput',
]);

/** Raised when the registry stayed unavailable for {@link MAX_CONSECUTIVE_OUTAGES} companies in a row. */
class RegistryOutageError extends Error {
  override readonly name = 'RegistryUnavailableError';
}

const emptyResult = (): EnrichCompaniesResult => ({
  counts: { total: 0, updated: 0, notFound: 0, failed: 0 },
  notFound: [],
  failed: [],
});

function withOutcome(
  result: EnrichCompaniesResult,
  outcome: CompanyEnrichmentOutcome,
): EnrichCompaniesResult {
  const counts = { ...result.counts, total: result.counts.total + 1 };
  switch (outcome.status) {
    case 'updated':
      return { ...result, counts: { ...counts, updated: counts.updated + 1 } };
    case 'not-found':
      return {
        ...result,
        counts: { ...counts, notFound: counts.notFound + 1 },
        notFound: [...result.notFound, outcome.companyId],
      };
    case 'failed':
      return {
        ...result,
        counts: { ...counts, failed: counts.failed + 1 },
        failed: [...result.failed, { companyId: outcome.companyId, reason: outcome.reason }],
      };
  }
}

function failureReason(error: unknown): { reason: string; outage: boolean } {
  const failure = describeFailure(error);
  const outage = OUTAGES.has(failure.type);
  if (failure.type === 'TimeoutFailure')
    return { reason: 'the registry did not answer in time, even after retries', outage };
  if (READABLE.has(failure.type)) return { reason: failure.message, outage };
  return {
    reason: `internal error (${failure.type}); operators can see the cause in the worker log`,
    outage,
  };
}

/**
 * The enrichment orchestration.
 *
 * @example await enrichCompaniesFlow({ operationId, organizationId, companyIds: [id] }, ports);
 */
export async function enrichCompaniesFlow(
  input: EnrichCompaniesInput,
  ports: FlowPorts<EnrichmentActivities>,
): Promise<FlowStep<EnrichCompaniesInput, EnrichCompaniesResult>> {
  return runAsOperation(input, ports, async () => {
    validateJobInput('enrichment', input);
    const ref: OperationRef = { operationId: input.operationId, organizationId: input.organizationId };
    const activities = ports.activities;
    const budget = input.maxCompaniesPerRun ?? DEFAULT_MAX_COMPANIES_PER_RUN;
    let checkpoint: EnrichCheckpoint = input.checkpoint ?? {
      completed: 0,
      total: input.companyIds?.length ?? 0,
      afterCompanyId: null,
      result: emptyResult(),
    };
    let processedThisRun = 0;
    let consecutiveOutages = 0;

    const enrichOne = async (companyId: string): Promise<void> => {
      let outcome: CompanyEnrichmentOutcome;
      try {
        outcome = await activities.enrichCompany({ ...ref, companyId });
        consecutiveOutages = 0;
      } catch (error) {
        if (ports.isCancellation(error) || JOB_FATAL.has(describeFailure(error).type)) throw error;
        const { reason, outage } = failureReason(error);
        consecutiveOutages = outage ? consecutiveOutages + 1 : 0;
        if (consecutiveOutages >= MAX_CONSECUTIVE_OUTAGES) {
          throw new RegistryOutageError(
            `the company registry stayed unavailable for ${MAX_CONSECUTIVE_OUTAGES} companies in a row (last: ${reason}); ${checkpoint.completed} of ${checkpoint.total} companies were processed`,
          );
        }
        outcome = { companyId, status: 'failed', reason };
      }
      const completed = checkpoint.completed + 1;
      checkpoint = {
        completed,
        total: Math.max(checkpoint.total, completed),
        afterCompanyId: companyId,
        result: withOutcome(checkpoint.result, outcome),
      };
      processedThisRun++;
      await reportProgress(ports, ref, completed - 1, completed, checkpoint.total);
    };

    const timeToContinue = () =>
      processedThisRun >= budget || (processedThisRun > 0 && ports.continueAsNewSuggested?.() === true);
    const continueAsNew = (): FlowStep<EnrichCompaniesInput, EnrichCompaniesResult> => ({
      done: false,
      continueWith: { ...input, checkpoint },
    });

    if (input.all) {
      for (;;) {
        if (timeToContinue()) return continueAsNew();
        const page = await activities.listCompanyIds({
          organizationId: ref.organizationId,
          afterCompanyId: checkpoint.afterCompanyId,
          limit: Math.max(1, Math.min(COMPANY_PAGE_SIZE, budget - processedThisRun)),
        });
        checkpoint = {
          ...checkpoint,
          total: Math.max(page.total, checkpoint.completed + page.companyIds.length),
        };
        if (page.companyIds.length === 0) break;
        if (checkpoint.completed === 0) await reportProgress(ports, ref, -1, 0, checkpoint.total);
        for (const companyId of page.companyIds) await enrichOne(companyId);
      }
    } else {
      const companyIds = input.companyIds ?? [];
      if (checkpoint.completed === 0) await reportProgress(ports, ref, -1, 0, companyIds.length);
      while (checkpoint.completed < companyIds.length) {
        if (timeToContinue()) return continueAsNew();
        const companyId = companyIds[checkpoint.completed];
        if (companyId === undefined) break;
        await enrichOne(companyId);
      }
    }
    return { done: true, result: checkpoint.result };
  });
}
