/**
 * Starting a job from a request: through the engine (Temporal or in-process), with the client's
 * `Idempotency-Key`, mapping the engine's input errors to 422 problems naming the field.
 */
import {
  InvalidInputError,
  isFinal,
  type Engine,
  type Operation,
  type JobKind,
  type JobParams,
  type StartedJob,
} from '@greenfin/workflows';
import type { Principal } from '../../http/context.js';
import { problems, splitDottedPath, jsonPointer } from '../../http/problem.js';

/** Stable JSON (sorted keys) so two spellings of the same parameters compare equal. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Starts a job for the caller's organisation. With an `Idempotency-Key` the same key never starts
 * a second job: the operation the first request started is returned (its current state); the same
 * key with different parameters is a 422.
 */
export async function startJob<K extends JobKind>(
  jobs: Engine,
  principal: Principal,
  kind: K,
  params: JobParams<K>,
  idempotencyKey?: string,
): Promise<StartedJob> {
  let started: StartedJob;
  try {
    started = await jobs.start(kind, params, {
      organizationId: principal.organizationId,
      idempotencyKey: idempotencyKey ?? null,
    });
  } catch (error) {
    if (error instanceof InvalidInputError) {
      throw problems.unprocessable(error.message, 'invalid-job-input', [
        {
          in: 'body',
          pointer: jsonPointer(splitDottedPath(error.field.replace(/\[(\d+)\]/g, '.$1'))),
          code: 'invalid',
          detail: error.message,
        },
      ]);
    }
    throw error;
  }
  if (!started.created && stableJson(started.operation.input) !== stableJson(params)) {
    throw problems.unprocessable(
      'This Idempotency-Key already started a job with different parameters; use a new key for a new job.',
      'idempotency-key-reused',
    );
  }
  return started;
}

/** How long an unfinished operation's row may stay unchanged before a poll asks the engine. */
export const RECONCILE_AFTER_MS = 15_000;

/**
 * An unfinished operation as it really stands: when its row has not changed for
 * {@link RECONCILE_AFTER_MS}, the engine is asked whether its run ended without recording it (a
 * Temporal workflow an operator terminated), and the row is closed if so.
 */
export async function reconciled(jobs: Engine, operation: Operation, now = Date.now()): Promise<Operation> {
  if (!jobs.reconcile || isFinal(operation.status)) return operation;
  if (now - operation.updatedAt.getTime() < RECONCILE_AFTER_MS) return operation;
  return jobs.reconcile(operation);
}
