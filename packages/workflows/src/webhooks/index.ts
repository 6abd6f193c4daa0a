/** Webhooks: endpoints, Standard Webhooks signing, SSRF guard, delivery with retries and replay. */
export { WEBHOOK_EVENTS, isWebhookEvent, serializePayload } from './events.js';
export type { WebhookEventName, WebhookPayload, OperationEventData } from './events.js';
export { WebhookUrlError, WebhookInputError, WebhookReplayError } from './errors.js';
export {
  assertWebhookUrl,
  parseWebhookUrl,
  resolveWebhookHost,
  nonPublicReason,
  isPublicAddress,
  MAX_WEBHOOK_URL_LENGTH,
  type ResolveHost,
  type UrlGuardOptions,
} from './url-guard.js';
export { generateWebhookSecret, signWebhook, SECRET_PREFIX, type SignatureHeaders } from './signing.js';
export {
  retryDelayMs,
  retryCeilingMs,
  DEFAULT_BACKOFF,
  DEFAULT_MAX_ATTEMPTS,
  type BackoffOptions,
} from './backoff.js';
export {
  WebhookStore,
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_ENDPOINT_STATUSES,
  type WebhookEndpoint,
  type WebhookDelivery,
  type WebhookDeliveryStatus,
  type WebhookEndpointStatus,
  type DeliveryRef,
  type Page as WebhookPage,
  type PageQuery as WebhookPageQuery,
} from './store.js';
export { attemptDelivery, type AttemptOutcome, type DeliveryOptions, type WebhookLogger } from './deliver.js';
export type { WebhookDispatcher } from './dispatcher.js';
export { createInProcessDispatcher, type InProcessDispatcherOptions } from './in-process-dispatcher.js';
export { createBullMqDispatcher, deliveryJobId, type BullMqDispatcherOptions } from './bullmq-dispatcher.js';
export {
  createWebhookDispatcher,
  createEnqueueOnlyDispatcher,
  type WebhookDispatcherConfig,
} from './create-dispatcher.js';
export {
  createWebhookNotifier,
  type WebhookNotifier,
  type WebhookNotifierDeps,
  type PublishedEvent,
} from './notifier.js';
export { WebhookEndpoints, MAX_WEBHOOK_DESCRIPTION_LENGTH, type CreateWebhookEndpoint } from './endpoints.js';
