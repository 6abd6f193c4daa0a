/**
 * When alerts are evaluated without an ingest: every `ALERT_EVALUATION_INTERVAL_MS` (default one
 * hour; 0 disables), one `alert-evaluation` job per tenant with data. Under Temporal this is a
 * Temporal Schedule (`greenfin-alert-evaluation`, created or updated by the worker at start-up)
 * that starts the `sweepAlertEvaluations` workflow; on the in-process engine, a timer that runs
 * the same sweep. The sweep's slot (the interval it belongs to) is the jobs' idempotency key, so
 * several API processes on one database, or a retried sweep, start each tenant's job once.
 */
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type ScheduleClient,
  type ScheduleOptions,
} from '@temporalio/client';
import { ALERT_SWEEP_SCHEDULE_ID, ALERT_SWEEP_WORKFLOW, TASK_QUEUES } from '../shared.js';

/** Default interval: one hour. */
export const DEFAULT_ALERT_EVALUATION_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Reads `ALERT_EVALUATION_INTERVAL_MS` (a whole number of milliseconds ≥ 0; 0 disables).
 *
 * @throws Error naming the variable when it is not such a number.
 * @example alertEvaluationIntervalFromEnv({ ALERT_EVALUATION_INTERVAL_MS: '0' }) // 0
 */
export function alertEvaluationIntervalFromEnv(env: Readonly<Record<string, string | undefined>>): number {
  const raw = env.ALERT_EVALUATION_INTERVAL_MS;
  if (raw === undefined || raw === '') return DEFAULT_ALERT_EVALUATION_INTERVAL_MS;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`ALERT_EVALUATION_INTERVAL_MS must be a whole number of milliseconds ≥ 0, got ${raw}`);
  }
  return value;
}

/**
 * The Temporal Schedule that starts the sweep every `intervalMs`: overlapping runs are skipped
 * (a slow sweep never piles up), missed runs within one interval are caught up after an outage.
 *
 * @example alertSweepScheduleOptions(3_600_000).spec.intervals[0].every // 3600000
 */
export function alertSweepScheduleOptions(intervalMs: number): ScheduleOptions & {
  spec: { intervals: { every: number }[] };
} {
  if (!Number.isInteger(intervalMs) || intervalMs <= 0) {
    throw new RangeError(`intervalMs must be a positive whole number of milliseconds, got ${intervalMs}`);
  }
  return {
    scheduleId: ALERT_SWEEP_SCHEDULE_ID,
    spec: { intervals: [{ every: intervalMs }] },
    action: {
      type: 'startWorkflow',
      workflowType: ALERT_SWEEP_WORKFLOW,
      // Temporal appends the action time to this id, which the sweep uses as its slot.
      workflowId: 'greenfin-alert-sweep',
      taskQueue: TASK_QUEUES.jobs,
      args: [{}],
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: intervalMs },
    memo: { purpose: 'Evaluate cash-flow alerts for every tenant (docs/cash-flow.md)' },
  };
}

/**
 * Creates the sweep's schedule, or updates it to `intervalMs` when it exists; with 0 deletes it.
 *
 * @returns what was done.
 */
export async function ensureAlertSweepSchedule(
  schedules: ScheduleClient,
  intervalMs: number,
): Promise<'created' | 'updated' | 'deleted' | 'absent'> {
  if (intervalMs === 0) {
    try {
      await schedules.getHandle(ALERT_SWEEP_SCHEDULE_ID).delete();
      return 'deleted';
    } catch (error) {
      if (error instanceof ScheduleNotFoundError) return 'absent';
      throw error;
    }
  }
  const options = alertSweepScheduleOptions(intervalMs);
  try {
    await schedules.create(options);
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await schedules.getHandle(ALERT_SWEEP_SCHEDULE_ID).update((previous) => ({
      ...previous,
      spec: options.spec,
      action: options.action,
      policies: { ...previous.policies, ...options.policies },
    }));
    return 'updated';
  }
}

/**
 * The in-process engine's timer: calls `sweep(slot)` every `intervalMs` (unref'd: it never keeps
 * the process alive), the slot being the number of the interval since the epoch. Errors go to
 * `onError`. Returns the function that stops it; with 0 nothing is started.
 */
export function startAlertSweepTimer(options: {
  intervalMs: number;
  sweep: (slot: string) => Promise<unknown>;
  onError?: (error: unknown) => void;
  now?: () => number;
}): () => void {
  const { intervalMs, sweep } = options;
  if (intervalMs === 0) return () => undefined;
  const now = options.now ?? Date.now;
  let running = false;
  const timer = setInterval(() => {
    if (running) return; // a slow sweep is not overlapped
    running = true;
    sweep(`${intervalMs}:${Math.floor(now() / intervalMs)}`)
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
