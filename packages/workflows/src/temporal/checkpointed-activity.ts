/**
 * The heartbeat/resume pattern for long activities (an import batch): work in small steps,
 * heartbeat the checkpoint after each, and start from the last heartbeated checkpoint when
 * Temporal retries the activity (`activityInfo().heartbeatDetails`). The in-process engine runs
 * activities in the same Context, so this works under both engines.
 */
import { CancelledFailure, Context } from '@temporalio/activity';

/** One step's outcome: the new checkpoint, and whether the work is complete. */
export interface CheckpointStep<C> {
  checkpoint: C;
  done: boolean;
}

export interface CheckpointedOptions<C> {
  /** Where a first attempt starts. */
  initial: C;
  /**
   * Accepts a previous attempt's heartbeat details as a checkpoint. Without it any details are
   * trusted; with it, details that fail (e.g. from older code) are ignored and `initial` is used.
   */
  isCheckpoint?: (details: unknown) => details is C;
}

/**
 * Runs `step` from the last heartbeated checkpoint (or `options.initial`) until it reports
 * `done`, heartbeating each new checkpoint; stops with the cancellation when the activity is
 * canceled between steps. Each step must be idempotent from its checkpoint.
 *
 * @returns the final checkpoint.
 * @example
 * const last = await runCheckpointed({ initial: { line: 2, accepted: 0 } }, async (cp, signal) => {
 *   const next = await writeChunk(cp, signal);
 *   return { checkpoint: next, done: next.eof };
 * });
 */
export async function runCheckpointed<C>(
  options: CheckpointedOptions<C>,
  step: (checkpoint: C, signal: AbortSignal) => Promise<CheckpointStep<C>>,
): Promise<C> {
  const context = Context.current();
  const details: unknown = context.info.heartbeatDetails;
  const resumable = details !== undefined && details !== null && (options.isCheckpoint?.(details) ?? true);
  let checkpoint = resumable ? (details as C) : options.initial;
  const signal = context.cancellationSignal;
  for (;;) {
    if (signal.aborted)
      throw signal.reason instanceof Error ? signal.reason : new CancelledFailure('activity canceled');
    const next = await step(checkpoint, signal);
    checkpoint = next.checkpoint;
    context.heartbeat(checkpoint);
    if (next.done) return checkpoint;
  }
}
