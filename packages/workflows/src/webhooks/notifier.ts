/**
 * `notify`: turns an operation event into one delivery per subscribed active endpoint of the
 * organization (idempotent per endpoint, event and operation) and hands them to the dispatcher.
 * It returns once they are queued; it never waits for a receiver.
 */
import type { Pool } from 'pg';
import type { OperationEvent } from '../flows/activities.js';
import { InvalidInputError } from '../flows/failures.js';
import { isUuid } from '../flows/validate.js';
import { OperationStore } from '../operations/store.js';
import { OPERATION_EVENTS } from '../shared.js';
import type { WebhookDispatcher } from './dispatcher.js';
import { WebhookReplayError } from './errors.js';
import { isWebhookEvent, type OperationEventData, type WebhookEventName } from './events.js';
import { WebhookStore, type DeliveryRef, type WebhookDelivery } from './store.js';

export interface WebhookNotifierDeps {
  pool: Pool;
  dispatcher: WebhookDispatcher;
  /** The event time written into payloads. */
  now?: () => Date;
}

/** Any event to publish (what `notify` does for operation events, open to `alert.raised`). */
export interface PublishedEvent {
  organizationId: string;
  event: WebhookEventName;
  /** Unique per occurrence of the event (an alert id, …): publishing it again enqueues nothing new. */
  dedupKey: string;
  data: Record<string, unknown>;
  operationId?: string | null;
}

export interface WebhookNotifier {
  /** The `notify` activity: enqueues deliveries of an operation event. */
  notify(event: OperationEvent): Promise<void>;
  /** Enqueues deliveries of any event. @returns the deliveries handed to the dispatcher. */
  publish(event: PublishedEvent): Promise<DeliveryRef[]>;
  /**
   * Re-queues an exhausted or failed delivery of the tenant, with a fresh set of attempts.
   *
   * @returns the re-queued delivery, or null when the tenant has no such delivery.
   * @throws WebhookReplayError when it is pending, in flight or succeeded, or its endpoint is disabled.
   */
  replay(organizationId: string, deliveryId: string): Promise<WebhookDelivery | null>;
}

/** @example const notifier = createWebhookNotifier({ pool, dispatcher }); await notifier.notify(event); */
export function createWebhookNotifier(deps: WebhookNotifierDeps): WebhookNotifier {
  const store = new WebhookStore(deps.pool);
  const operations = new OperationStore(deps.pool);
  const now = deps.now ?? (() => new Date());

  async function publish(event: PublishedEvent): Promise<DeliveryRef[]> {
    if (!isWebhookEvent(event.event))
      throw new InvalidInputError('event', `is not a webhook event: ${String(event.event)}`);
    if (!isUuid(event.organizationId)) throw new InvalidInputError('organizationId', 'must be a UUID');
    if (typeof event.dedupKey !== 'string' || event.dedupKey === '')
      throw new InvalidInputError('dedupKey', 'is required');
    const refs = await store.insertDeliveries({
      organizationId: event.organizationId,
      event: event.event,
      dedupKey: event.dedupKey,
      operationId: event.operationId ?? null,
      payload: { type: event.event, timestamp: now().toISOString(), data: event.data },
    });
    if (refs.length > 0) await deps.dispatcher.dispatch(refs);
    return refs;
  }

  return {
    async notify(event: OperationEvent): Promise<void> {
      if (!(OPERATION_EVENTS as readonly string[]).includes(event.event)) {
        throw new InvalidInputError('event', `must be one of ${OPERATION_EVENTS.join(', ')}`);
      }
      if (!isUuid(event.operationId)) throw new InvalidInputError('operationId', 'must be a UUID');
      // Most organizations have no endpoint: do not read the operation for nothing.
      if ((await store.subscribedEndpointIds(event.organizationId, event.event)).length === 0) return;
      const operation = await operations.get(event.organizationId, event.operationId);
      const failed = event.event === 'operation.failed';
      const data: OperationEventData = {
        operationId: event.operationId,
        kind: operation?.kind ?? null,
        status: operation?.status ?? (failed ? 'failed' : 'succeeded'),
        operationLocation: `/v1/operations/${event.operationId}`,
        resourceLocation: event.resourceLocation ?? operation?.resourceLocation ?? null,
        ...(failed && operation?.error
          ? {
              error: {
                type: operation.error.type,
                title: operation.error.title,
                detail: operation.error.detail,
              },
            }
          : {}),
      };
      await publish({
        organizationId: event.organizationId,
        event: event.event,
        dedupKey: event.operationId,
        operationId: event.operationId,
        data,
      });
    },
    publish,
    async replay(organizationId: string, deliveryId: string): Promise<WebhookDelivery | null> {
      const { delivery, replayed, endpointStatus } = await store.replay(organizationId, deliveryId);
      if (!delivery) return null;
      if (!replayed) {
        throw new WebhookReplayError(
          deliveryId,
          endpointStatus !== 'active'
            ? 'its endpoint is disabled'
            : `it is ${delivery.status} (only exhausted or failed deliveries are replayed)`,
        );
      }
      await deps.dispatcher.dispatch([{ id: delivery.id, generation: delivery.generation }]);
      return delivery;
    },
  };
}
