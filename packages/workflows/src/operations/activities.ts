/**
 * The activities every flow uses to keep its operation row current, built over the store.
 * `notify` (webhooks) is injected: the webhook delivery module provides it.
 */
import type { OperationActivities, OperationEvent, OperationUpdate } from '../flows/activities.js';
import type { OperationFinished } from '../observability/metrics.js';
import type { OperationStore } from './store.js';

/** The operation a flow reports to does not exist (for its tenant). Never retried. */
export class OperationNotFoundError extends Error {
  override readonly name = 'OperationNotFoundError';
  constructor(readonly operationId: string) {
    super(`operation ${operationId} does not exist for this organization`);
  }
}

/**
 * The operation already finished (canceled before its run started, or succeeded), so the run
 * must not start its work. Never retried.
 */
export class OperationClosedError extends Error {
  override readonly name = 'OperationClosedError';
  constructor(
    readonly operationId: string,
    readonly status: string,
  ) {
    super(`operation ${operationId} is already ${status}; it will not run again`);
  }
}

export interface OperationActivityDeps {
  store: OperationStore;
  /** Enqueues webhook deliveries for an event; defaults to doing nothing (no endpoints). */
  notify?: (event: OperationEvent) => Promise<void>;
  /** Called when a `succeed`, `fail` or `cancel` update recorded a final status (metrics). */
  onFinished?: OperationFinished;
}

/**
 * Builds `updateOperation` and `notify`.
 *
 * @example const activities = { ...createOperationActivities({ store }), ...jobActivities };
 */
export function createOperationActivities(deps: OperationActivityDeps): OperationActivities {
  const { store } = deps;
  return {
    async updateOperation(update: OperationUpdate): Promise<void> {
      const { operationId: id, organizationId: org } = update;
      let operation;
      switch (update.action) {
        case 'start':
          operation = await store.markRunning(org, id);
          if (operation && operation.status !== 'running')
            throw new OperationClosedError(id, operation.status);
          break;
        case 'progress':
          operation = await store.progress(org, id, update.completed, update.total);
          break;
        case 'succeed':
          operation = await store.succeed(org, id, {
            result: update.result,
            resourceLocation: update.resourceLocation ?? null,
          });
          break;
        case 'fail':
          operation = await store.fail(org, id, update.problem);
          break;
        case 'cancel':
          operation = await store.cancel(org, id);
          break;
      }
      if (!operation) throw new OperationNotFoundError(id);
      if (deps.onFinished && update.action !== 'start' && update.action !== 'progress') {
        const status = operation.status;
        // Both times are the database's (no clock skew); a retried update counts again (rare).
        if (status === 'succeeded' || status === 'failed' || status === 'canceled') {
          try {
            const seconds = (operation.updatedAt.getTime() - operation.createdAt.getTime()) / 1000;
            deps.onFinished(operation.kind, status, seconds);
          } catch {
            // metrics never fail an activity
          }
        }
      }
    },
    async notify(event: OperationEvent): Promise<void> {
      await deps.notify?.(event);
    },
  };
}
