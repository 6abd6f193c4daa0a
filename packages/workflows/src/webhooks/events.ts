/**
 * What a webhook announces: the event names endpoints subscribe to and the payload every delivery
 * carries (`{ type, timestamp, data }`, the Standard Webhooks shape).
 */
import { OPERATION_EVENTS, type JobKind, type OperationStatus, type Problem } from '../shared.js';

/**
 * Events an endpoint can subscribe to: the operation events flows announce through `notify`, and
 * `alert.raised` (published by {@link WebhookNotifier.publish}).
 */
export const WEBHOOK_EVENTS = [...OPERATION_EVENTS, 'alert.raised'] as const;
export type WebhookEventName = (typeof WEBHOOK_EVENTS)[number];

/** True for a name in {@link WEBHOOK_EVENTS}. */
export const isWebhookEvent = (value: unknown): value is WebhookEventName =>
  typeof value === 'string' && (WEBHOOK_EVENTS as readonly string[]).includes(value);

/** `data` of an operation event (`operation.succeeded`, `operation.failed`, `report.ready`). */
export interface OperationEventData {
  operationId: string;
  /** The job kind; null when the operation row was already purged. */
  kind: JobKind | null;
  status: OperationStatus | null;
  /** Where the operation can be polled. */
  operationLocation: string;
  /** Where the produced resource is served (a report's PDF, …), when there is one. */
  resourceLocation: string | null;
  /** The problem of a failed operation. */
  error?: Pick<Problem, 'type' | 'title' | 'detail'> | null;
  [key: string]: unknown;
}

/** The JSON body of every delivery. The same bytes are signed; `timestamp` is when the event happened. */
export interface WebhookPayload<Data extends Record<string, unknown> = Record<string, unknown>> {
  type: WebhookEventName;
  /** ISO 8601 time of the event (the signature carries its own, per attempt, in `webhook-timestamp`). */
  timestamp: string;
  data: Data;
}

/** The payload serialized with its keys in a fixed order (`type`, `timestamp`, `data`). */
export function serializePayload(payload: WebhookPayload): string {
  return JSON.stringify({ type: payload.type, timestamp: payload.timestamp, data: payload.data });
}
