/**
 * The seam the API starts and cancels jobs through. `TemporalEngine` (production, when
 * `TEMPORAL_ADDRESS` is set) and `InProcessEngine` (one machine, and every test here) implement
 * it; both write the same `operations` rows, which the API reads for `GET /v1/operations/{id}`.
 */
import type { Operation } from './operations/operation.js';
import type { EngineName, JobKind, JobParams } from './shared.js';

/** How a job is started. */
export interface StartOptions {
  /** The tenant the job acts for. */
  organizationId: string;
  /**
   * The client's `Idempotency-Key`. The same key (per tenant and job kind) never starts a second
   * run: the start returns the operation the first one created.
   */
  idempotencyKey?: string | null;
  /** Use this id for a new operation (default: a random UUID). */
  operationId?: string;
}

/** What a start produced. */
export interface StartedJob {
  operationId: string;
  /** The workflow (or in-process run) id: the operation id. */
  workflowId: string;
  engine: EngineName;
  /** False when the idempotency key returned an operation an earlier start created. */
  created: boolean;
  /** The operation as stored right after the start (usually `queued`). */
  operation: Operation;
}

/** Starts, cancels and stops jobs. */
export interface Engine {
  readonly name: EngineName;
  /**
   * Validates `params`, records a queued operation (or finds the one `idempotencyKey` names) and
   * starts its run.
   *
   * @throws InvalidInputError naming the field, before anything is written, when `params` are invalid.
   */
  start<K extends JobKind>(kind: K, params: JobParams<K>, options: StartOptions): Promise<StartedJob>;
  /**
   * Asks the job to stop (best effort): it ends `canceled` unless it finishes first.
   *
   * @returns the operation as it is now, or null when the tenant has no such operation.
   */
  cancel(operationId: string, options: { organizationId: string }): Promise<Operation | null>;
  /**
   * Brings an unfinished operation's row in line with its run when the run ended without writing
   * it (a Temporal workflow terminated, timed out or reset away by an operator). Engines whose runs
   * always record their end (the in-process engine) omit it.
   *
   * @returns the operation as it is now (unchanged when the run is still going or cannot be asked).
   */
  reconcile?(operation: Operation): Promise<Operation>;
  /** Stops accepting jobs and releases connections; see each engine for what happens to running jobs. */
  close(): Promise<void>;
}

/** `start` or `cancel` was called after `close()`. */
export class EngineClosedError extends Error {
  override readonly name = 'EngineClosedError';
  constructor(engine: EngineName) {
    super(`the ${engine} job engine is closed`);
  }
}
