/**
 * `renderReport`: render a loan simulation's PDF, store it, and announce `report.ready`. The
 * stored report's URL becomes the operation's `resourceLocation`, where the client fetches it.
 */
import type { OperationRef, RenderReportInput, RenderReportResult } from '../shared.js';
import type { ReportActivities } from './activities.js';
import { reportProgress, runAsOperation } from './operation-lifecycle.js';
import type { FlowPorts, FlowStep } from './ports.js';
import { validateJobInput } from './validate.js';

/** Steps the progress counts: rendered, stored. */
const STEPS = 2;

/**
 * The report orchestration.
 *
 * @example await renderReportFlow({ operationId, organizationId, loanSimulationId }, ports);
 */
export async function renderReportFlow(
  input: RenderReportInput,
  ports: FlowPorts<ReportActivities>,
): Promise<FlowStep<RenderReportInput, RenderReportResult>> {
  return runAsOperation(
    input,
    ports,
    async () => {
      validateJobInput('report', input);
      const ref: OperationRef = { operationId: input.operationId, organizationId: input.organizationId };
      const request: RenderReportInput = { ...ref, loanSimulationId: input.loanSimulationId };
      ports.progress(0, STEPS);
      const report = await ports.activities.renderReport(request);
      await reportProgress(ports, ref, 0, 1, STEPS);
      const stored = await ports.activities.storeReport({ ...request, report });
      ports.progress(STEPS, STEPS);
      return {
        done: true,
        result: {
          reportId: stored.reportId,
          resourceLocation: stored.resourceLocation,
          sha256: report.sha256,
          sizeBytes: stored.sizeBytes,
        },
      };
    },
    { resourceLocation: (result) => result.resourceLocation, extraEvents: ['report.ready'] },
  );
}
