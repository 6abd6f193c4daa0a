/**
 * The part every flow shares: mark the operation running, run the job, then mark it succeeded,
 * failed (with a problem) or canceled — through the `updateOperation` activity, so the REST poll
 * reads the same row under both engines and never needs a live worker.
 */
import type { OperationEventName, OperationRef } from '../shared.js';
import type { OperationActivities } from './activities.js';
import { describeFailure } from './failures.js';
import type { FlowPorts, FlowStep } from './ports.js';
import { problemFor } from './problems.js';

/** How a finished job is announced. */
export interface CompletionOptions<Result> {
  /** Where the produced resource is served (stored as the operation's `resource_location`). */
  resourceLocation?: (result: Result) => string | null;
  /** Events besides `operation.succeeded` to announce on success. */
  extraEvents?: readonly OperationEventName[];
}

/**
 * Runs `body` as the operation `input.operationId`. A `done: false` step (continue-as-new) leaves
 * the operation running. Failures are recorded and rethrown, so Temporal shows the workflow as
 * failed; cancellation is recorded (shielded from the cancellation itself) and rethrown.
 */
export async function runAsOperation<Input extends OperationRef, A extends OperationActivities, Result>(
  input: Input,
  ports: FlowPorts<A>,
  body: () => Promise<FlowStep<Input, Result>>,
  completion: CompletionOptions<Result> = {},
): Promise<FlowStep<Input, Result>> {
  const ref: OperationRef = { operationId: input.operationId, organizationId: input.organizationId };
  const activities = ports.activities;
  const markCanceled = () =>
    ports.nonCancellable(() => activities.updateOperation({ ...ref, action: 'cancel' }));
  try {
    await activities.updateOperation({ ...ref, action: 'start' });
  } catch (error) {
    // Not started: an operation already closed (canceled before it ran) stays as it is.
    if (ports.isCancellation(error)) await markCanceled();
    throw error;
  }
  try {
    const step = await body();
    if (!step.done) return step;
    const resourceLocation = completion.resourceLocation?.(step.result) ?? null;
    await activities.updateOperation({ ...ref, action: 'succeed', result: step.result, resourceLocation });
    for (const event of ['operation.succeeded', ...(completion.extraEvents ?? [])] as const) {
      await announce(ports, { ...ref, event, resourceLocation });
    }
    return step;
  } catch (error) {
    if (ports.isCancellation(error)) {
      await markCanceled();
      throw error;
    }
    const problem = problemFor(error, ref.operationId);
    ports.log('warn', 'operation failed', { ...ref, errorType: problem.errorType, problem: problem.type });
    await activities.updateOperation({ ...ref, action: 'fail', problem });
    await announce(ports, { ...ref, event: 'operation.failed' });
    throw error;
  }
}

/**
 * Webhooks are a courtesy on top of the operation row: a failure to enqueue one is logged and
 * never changes the job's outcome.
 */
async function announce<A extends OperationActivities>(
  ports: FlowPorts<A>,
  event: Parameters<OperationActivities['notify']>[0],
): Promise<void> {
  try {
    await ports.activities.notify(event);
  } catch (error) {
    if (ports.isCancellation(error)) return;
    ports.log('warn', 'could not announce operation event', {
      operationId: event.operationId,
      event: event.event,
      errorType: describeFailure(error).type,
    });
  }
}

/**
 * Reports progress to operators every time and to the operation row on a coarser step (about a
 * hundred writes per job at most), always including the first and the last. `previous` is the
 * count last reported (-1 for none), so steps are detected even when work advances in batches.
 */
export async function reportProgress<A extends OperationActivities>(
  ports: FlowPorts<A>,
  ref: OperationRef,
  previous: number,
  completed: number,
  total: number | null,
): Promise<void> {
  ports.progress(completed, total);
  const every = total === null ? 1 : Math.max(1, Math.ceil(total / 100));
  const crossedStep = previous < 0 || Math.floor(completed / every) > Math.floor(previous / every);
  if (crossedStep || completed === total) {
    await ports.activities.updateOperation({ ...ref, action: 'progress', completed, total });
  }
}
