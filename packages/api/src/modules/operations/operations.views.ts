/**
 * How an operation is shown, and the 202 reply of every job-starting endpoint.
 */
import { isFinal, type Operation, type StartedJob } from '@greenfin/workflows';
import type { OperationJson } from './operations.schemas.js';

/** Seconds a client should wait before polling an operation (short at first, then longer). */
export function retryAfterSeconds(operation: Operation, now = Date.now()): number {
  const ageSeconds = (now - operation.createdAt.getTime()) / 1000;
  if (ageSeconds < 10) return 1;
  if (ageSeconds < 60) return 2;
  return 5;
}

export const operationLocation = (id: string): string => `/v1/operations/${id}`;

export function toOperationJson(operation: Operation): OperationJson {
  const self = operationLocation(operation.id);
  return {
    id: operation.id,
    kind: operation.kind,
    status: operation.status,
    done: isFinal(operation.status),
    progress: operation.progress,
    engine: operation.engine,
    input: operation.input ?? null,
    result: operation.result ?? null,
    resourceLocation: operation.resourceLocation,
    error: operation.error
      ? {
          type: operation.error.type,
          title: operation.error.title,
          status: operation.error.status,
          detail: operation.error.detail,
          ...(operation.error.instance !== undefined && { instance: operation.error.instance }),
          ...(operation.error.errorType !== undefined && { errorType: operation.error.errorType }),
        }
      : null,
    createdAt: operation.createdAt.toISOString(),
    updatedAt: operation.updatedAt.toISOString(),
    expiresAt: operation.expiresAt.toISOString(),
    links: { self, cancel: `${self}:cancel` },
  };
}

/** The `Retry-After` header of an operation read: only while it is not finished. */
export function pollHeaders(operation: Operation): { 'Retry-After'?: string } {
  return isFinal(operation.status) ? {} : { 'Retry-After': String(retryAfterSeconds(operation)) };
}

/**
 * The reply of a job-starting endpoint: 202, `Location` of the operation, `Retry-After`, and the
 * operation itself.
 */
export function acceptedOperation(started: StartedJob | { operation: Operation }) {
  const operation = started.operation;
  return {
    status: 202 as const,
    headers: {
      Location: operationLocation(operation.id),
      'Retry-After': String(isFinal(operation.status) ? 0 : retryAfterSeconds(operation)),
    },
    body: toOperationJson(operation),
  };
}
