/**
 * The cancellation signal of the activity running now: Temporal's `Context.current()` in a worker
 * and under the in-process engine (which runs activities inside a `MockActivityEnvironment`-like
 * context), or none when an activity is called bare (tests).
 */
import { Context } from '@temporalio/activity';

/** The running activity's cancellation signal, if any. */
export function currentSignal(): AbortSignal | undefined {
  try {
    return Context.current().cancellationSignal;
  } catch {
    return undefined;
  }
}

/** Heartbeats when inside an activity; does nothing otherwise. */
export function heartbeat(details?: unknown): void {
  try {
    Context.current().heartbeat(details);
  } catch {
    // not in an activity context
  }
}
