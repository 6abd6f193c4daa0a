/**
 * Runs one activity in-process the way a Temporal worker would: inside a real
 * `@temporalio/activity` Context (so `heartbeat()`, `activityInfo()` and `cancellationSignal()` work
 * unchanged), with the same retry profile, and with the last heartbeat's details handed to the
 * next attempt as `activityInfo().heartbeatDetails` — so a batch activity resumes from its
 * checkpoint under both engines.
 */
import { Context, asyncLocalStorage, type Info } from '@temporalio/activity';
import {
  ApplicationFailure,
  CancelledFailure,
  TimeoutFailure,
  noopMetricMeter,
  type Logger,
} from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time.js';
import { describeFailure } from '../flows/failures.js';
import type { ActivityProfile } from '../shared.js';

/** Waits `ms`, rejecting with the signal's reason when it aborts first. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

/** A real timer (unref'd: a pending retry never keeps the process alive). */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    timer.unref();
    signal.addEventListener('abort', onAbort, { once: true });
  });

export interface ActivityRunOptions {
  activityType: string;
  profile: ActivityProfile;
  taskQueue: string;
  workflowId: string;
  workflowType: string;
  /** Aborted when the run is canceled or interrupted; its reason is what the caller sees. */
  signal: AbortSignal;
  sleep: Sleep;
  logger: Logger;
}

let activitySequence = 0;

/** Milliseconds the next attempt waits, per the retry policy (or the failure's `nextRetryDelay`). */
export function retryDelay(profile: ActivityProfile, attempt: number, error: unknown): number {
  if (
    error instanceof ApplicationFailure &&
    error.nextRetryDelay !== undefined &&
    error.nextRetryDelay !== null
  ) {
    return msToNumber(error.nextRetryDelay);
  }
  const { initialInterval, backoffCoefficient, maximumInterval } = profile.retry;
  return Math.min(maximumInterval, initialInterval * backoffCoefficient ** (attempt - 1));
}

/** Whether the profile lets `error` be retried. */
export function isRetryable(profile: ActivityProfile, error: unknown): boolean {
  if (error instanceof ApplicationFailure && error.nonRetryable) return false;
  return !profile.retry.nonRetryableErrorTypes.includes(describeFailure(error).type);
}

/**
 * Calls `fn(...args)` under the profile's retries and timeouts.
 *
 * @throws the last attempt's error; the signal's reason when the run was aborted.
 */
export async function runActivity<R>(
  fn: (...args: never[]) => Promise<R>,
  args: readonly unknown[],
  options: ActivityRunOptions,
): Promise<R> {
  const { profile, signal } = options;
  const activityId = String(++activitySequence);
  const scheduledAt = Date.now();
  let heartbeatDetails: unknown = undefined;

  for (let attempt = 1; ; attempt++) {
    if (signal.aborted) throw signal.reason;
    const attemptAbort = new AbortController();
    const forward = () => attemptAbort.abort(signal.reason);
    signal.addEventListener('abort', forward, { once: true });
    const timeout = setTimeout(
      () =>
        attemptAbort.abort(
          new TimeoutFailure(
            `activity ${options.activityType} timed out (start-to-close)`,
            heartbeatDetails,
            'START_TO_CLOSE',
          ),
        ),
      profile.startToCloseTimeout,
    );
    timeout.unref();
    try {
      return await runAttempt(fn, args, options, attemptAbort.signal, {
        activityId,
        attempt,
        heartbeatDetails,
        scheduledAt,
        onHeartbeat: (details) => {
          heartbeatDetails = details;
        },
      });
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      const reason = attemptAbort.signal.aborted ? (attemptAbort.signal.reason as unknown) : error;
      const elapsed = Date.now() - scheduledAt;
      const delay = retryDelay(profile, attempt, reason);
      const outOfTime =
        profile.scheduleToCloseTimeout !== undefined && elapsed + delay >= profile.scheduleToCloseTimeout;
      if (!isRetryable(profile, reason) || attempt >= profile.retry.maximumAttempts || outOfTime)
        throw reason;
      options.logger.warn('activity attempt failed; retrying', {
        activityType: options.activityType,
        workflowId: options.workflowId,
        attempt,
        retryInMs: delay,
        errorType: describeFailure(reason).type,
      });
      await options.sleep(delay, signal);
    } finally {
      clearTimeout(timeout);
      signal.removeEventListener('abort', forward);
    }
  }
}

interface AttemptState {
  activityId: string;
  attempt: number;
  heartbeatDetails: unknown;
  scheduledAt: number;
  onHeartbeat(details: unknown): void;
}

/**
 * One attempt inside a Temporal activity Context. A timed-out attempt is abandoned (its signal is
 * aborted, as a worker would); a canceled one is awaited, so its writes have stopped before the
 * run records the cancellation.
 */
function runAttempt<R>(
  fn: (...args: never[]) => Promise<R>,
  args: readonly unknown[],
  options: ActivityRunOptions,
  signal: AbortSignal,
  state: AttemptState,
): Promise<R> {
  const cancelled = new Promise<never>((_, reject) => {
    const onAbort = () => {
      const reason: unknown = signal.reason;
      reject(
        reason instanceof CancelledFailure ? reason : new CancelledFailure(describeFailure(reason).message),
      );
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  cancelled.catch(() => undefined); // observed by activities that await it; never an unhandled rejection
  const now = Date.now();
  const info: Info = {
    taskToken: new Uint8Array(),
    base64TaskToken: '',
    activityId: state.activityId,
    activityType: options.activityType,
    activityNamespace: 'in-process',
    attempt: state.attempt,
    isLocal: false,
    workflowExecution: { workflowId: options.workflowId, runId: options.workflowId },
    workflowNamespace: 'in-process',
    workflowType: options.workflowType,
    scheduledTimestampMs: state.scheduledAt,
    scheduleToCloseTimeoutMs: options.profile.scheduleToCloseTimeout ?? 0,
    startToCloseTimeoutMs: options.profile.startToCloseTimeout,
    currentAttemptScheduledTimestampMs: now,
    heartbeatTimeoutMs: options.profile.heartbeatTimeout,
    heartbeatDetails: state.heartbeatDetails,
    taskQueue: options.taskQueue,
    namespace: 'in-process',
    inWorkflow: true,
  };
  const context = new Context(
    info,
    cancelled,
    signal,
    (details?: unknown) => state.onHeartbeat(details),
    undefined,
    options.logger,
    noopMetricMeter,
    {},
  );
  const result = asyncLocalStorage.run(context, () => fn(...(args as never[])));
  // Timeouts do not wait for the attempt (like a worker's); cancellation does (see above).
  const timedOut = new Promise<never>((_, reject) => {
    const onAbort = () => {
      if (signal.reason instanceof TimeoutFailure) reject(signal.reason);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  timedOut.catch(() => undefined);
  return Promise.race([result, timedOut]);
}
