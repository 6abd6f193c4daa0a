/**
 * Reading failures the same way under both engines. Under Temporal a failed activity surfaces as
 * an `ActivityFailure` whose `cause` is an `ApplicationFailure` with the original error's name as
 * its `type`; in-process the activity's own error arrives. These helpers are duck-typed (no
 * Temporal import) so flows stay engine-agnostic and sandbox-safe.
 */

/** The failure a flow should act on: its type name and its message. */
export interface FailureDescription {
  /** The error's `name` (or an `ApplicationFailure`'s `type`): `RegistryAuthError`, `InvalidInput`, … */
  type: string;
  message: string;
}

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  cause?: unknown;
  type?: unknown;
}

const asErrorLike = (value: unknown): ErrorLike | null =>
  typeof value === 'object' && value !== null ? (value as ErrorLike) : null;

/** Wrappers whose `cause` is the failure that matters. */
const WRAPPERS = new Set(['ActivityFailure', 'ChildWorkflowFailure']);

/** Unwraps activity failures and names the underlying error. */
export function describeFailure(error: unknown): FailureDescription {
  let current = asErrorLike(error);
  for (let depth = 0; current && depth < 8; depth++) {
    const name = typeof current.name === 'string' ? current.name : '';
    const next = asErrorLike(current.cause);
    if (WRAPPERS.has(name) && next) {
      current = next;
      continue;
    }
    const message = typeof current.message === 'string' ? current.message : String(error);
    if (name === 'ApplicationFailure' && typeof current.type === 'string' && current.type !== '') {
      return { type: current.type, message };
    }
    return { type: name || 'Error', message };
  }
  return { type: 'Error', message: String(error) };
}

/** True when `error` (or what it wraps) is a cancellation: `CancelledFailure` under both engines. */
export function isCancellationFailure(error: unknown): boolean {
  let current = asErrorLike(error);
  for (let depth = 0; current && depth < 8; depth++) {
    if (current.name === 'CancelledFailure') return true;
    current = asErrorLike(current.cause);
  }
  return false;
}

/**
 * A job's input is unusable; the message names the field. Never retried (its `name` is listed in
 * every profile's `nonRetryableErrorTypes`).
 */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInput';
  constructor(
    /** The input field at fault, e.g. `companyIds[3]`. */
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
