/**
 * `recategoriseTransactions`: re-applies a tenant's categorisation rules to every non-manual
 * transaction (of one company, or all), a page per activity, with progress; each page drops the
 * cached analytics of the companies it changed.
 */
import type { RecategoriseInput, RecategoriseResult } from '../shared.js';
import type { RecategorisationActivities } from './activities.js';
import { reportProgress, runAsOperation } from './operation-lifecycle.js';
import type { FlowPorts, FlowStep } from './ports.js';
import { validateJobInput } from './validate.js';

const DEFAULT_BATCH = 2000;
/** Pages per run before continue-as-new. */
const PAGES_PER_RUN = 200;

/**
 * The recategorisation orchestration.
 *
 * @example await recategoriseFlow({ operationId, organizationId }, ports);
 */
export async function recategoriseFlow(
  input: RecategoriseInput,
  ports: FlowPorts<RecategorisationActivities>,
): Promise<FlowStep<RecategoriseInput, RecategoriseResult>> {
  return runAsOperation(input, ports, async () => {
    validateJobInput('recategorisation', input);
    const ref = { operationId: input.operationId, organizationId: input.organizationId };
    const companyId = input.companyId ?? null;
    const limit = input.batchSize ?? DEFAULT_BATCH;
    let state = input.checkpoint ?? {
      afterId: null,
      examined: 0,
      changed: 0,
      total: (await ports.activities.planRecategorisation({ ...ref, companyId })).total,
      companyIds: [] as string[],
    };
    const companies = new Set<string>(state.companyIds);
    ports.progress(state.examined, state.total);
    for (let page = 0; page < PAGES_PER_RUN; page++) {
      const batch = await ports.activities.recategoriseBatch({
        ...ref,
        companyId,
        afterId: state.afterId,
        limit,
      });
      for (const id of batch.companyIds) companies.add(id);
      if (batch.lastId === null) {
        const total = Math.max(state.total, state.examined);
        ports.progress(total, total);
        return {
          done: true,
          result: { examined: state.examined, changed: state.changed, companyIds: [...companies].sort() },
        };
      }
      const previous = state.examined;
      state = {
        afterId: batch.lastId,
        examined: state.examined + batch.examined,
        changed: state.changed + batch.changed,
        total: Math.max(state.total, state.examined + batch.examined),
        companyIds: [...companies],
      };
      await reportProgress(ports, ref, previous, state.examined, state.total);
    }
    return { done: false, continueWith: { ...input, checkpoint: state } };
  });
}
