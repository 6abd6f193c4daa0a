/**
 * The heartbeat/resume pattern under Temporal's MockActivityEnvironment (a canceled attempt's
 * last heartbeat is where the retry resumes), and the in-process activity runner applying the
 * same retry profiles and handing heartbeat details to the next attempt.
 */
import { activityInfo, cancellationSignal } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { runActivity, type Sleep } from '../src/in-process/activity-runner.js';
import { ACTIVITY_PROFILES, type ActivityProfile } from '../src/shared.js';
import { runCheckpointed } from '../src/temporal/checkpointed-activity.js';

interface Checkpoint {
  next: number;
  sum: number;
}

/** A batch-like activity: processes items 0..total-1 in chunks of 2, heartbeating its checkpoint. */
function makeSummingActivity(total: number, processed: number[], onChunk?: (chunk: number) => void) {
  return async (): Promise<Checkpoint> =>
    runCheckpointed<Checkpoint>(
      {
        initial: { next: 0, sum: 0 },
        isCheckpoint: (d): d is Checkpoint =>
          typeof d === 'object' &&
          d !== null &&
          typeof (d as Checkpoint).next === 'number' &&
          typeof (d as Checkpoint).sum === 'number',
      },
      async (cp) => {
        const end = Math.min(total, cp.next + 2);
        let sum = cp.sum;
        for (let i = cp.next; i < end; i++) {
          processed.push(i);
          sum += i;
        }
        onChunk?.(end);
        await new Promise((resolve) => setImmediate(resolve)); // let a cancellation arrive between chunks
        return { checkpoint: { next: end, sum }, done: end >= total };
      },
    );
}

describe('runCheckpointed under MockActivityEnvironment', () => {
  it('heartbeats each checkpoint, and a retried attempt resumes from the last one', async () => {
    const processed: number[] = [];
    const heartbeats: Checkpoint[] = [];
    const first = new MockActivityEnvironment();
    first.on('heartbeat', (d: Checkpoint) => heartbeats.push(d));
    const activity = makeSummingActivity(10, processed, (end) => {
      if (end === 6) first.cancel();
    });

    await expect(first.run(activity)).rejects.toBeInstanceOf(CancelledFailure);
    expect(heartbeats).toEqual([
      { next: 2, sum: 1 },
      { next: 4, sum: 6 },
      { next: 6, sum: 15 },
    ]);

    const retry = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: heartbeats.at(-1) });
    const result = await retry.run(makeSummingActivity(10, processed));
    expect(result).toEqual({ next: 10, sum: 45 }); // the same as one uninterrupted run
    expect(processed).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]); // nothing done twice, nothing skipped
  });

  it('ignores heartbeat details that are not a checkpoint and starts from the beginning', async () => {
    const processed: number[] = [];
    const env = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: 'from an older version' });
    expect(await env.run(makeSummingActivity(4, processed))).toEqual({ next: 4, sum: 6 });
    expect(processed).toEqual([0, 1, 2, 3]);
  });
});

describe('in-process activity runner', () => {
  const noWait =
    (delays: number[]): Sleep =>
    async (ms) => {
      delays.push(ms);
    };
  const profile = ACTIVITY_PROFILES.batch as ActivityProfile;
  const options = (sleep: Sleep, signal = new AbortController().signal) => ({
    activityType: 'importBatch',
    profile,
    taskQueue: 'greenfin-jobs',
    workflowId: 'op-1',
    workflowType: 'importDataset',
    signal,
    sleep,
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
  });

  it('retries a failed attempt with back-off, resuming from its last heartbeat', async () => {
    const processed: number[] = [];
    const attempts: { attempt: number; details: unknown }[] = [];
    let crashed = false;
    const delays: number[] = [];
    const inner = makeSummingActivity(10, processed, (end) => {
      if (end === 4 && !crashed) {
        crashed = true;
        throw new Error('connection reset');
      }
    });
    const activity = async () => {
      attempts.push({ attempt: activityInfo().attempt, details: activityInfo().heartbeatDetails });
      return inner();
    };

    expect(await runActivity(activity, [], options(noWait(delays)))).toEqual({ next: 10, sum: 45 });
    expect(attempts).toEqual([
      { attempt: 1, details: undefined },
      { attempt: 2, details: { next: 2, sum: 1 } },
    ]);
    expect(delays).toEqual([profile.retry.initialInterval]);
    // Items 2–3 were processed by the crashed chunk and again on resume (the step is idempotent).
    expect(processed).toEqual([0, 1, 2, 3, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('does not retry error types the profile lists as non-retryable', async () => {
    let calls = 0;
    const failing = async () => {
      calls++;
      throw Object.assign(new Error('bad header'), { name: 'DatasetHeaderError' });
    };
    await expect(runActivity(failing, [], options(noWait([])))).rejects.toThrow('bad header');
    expect(calls).toBe(1);
  });

  it('stops after maximumAttempts, with exponential back-off capped at maximumInterval', async () => {
    let calls = 0;
    const delays: number[] = [];
    const failing = async () => {
      calls++;
      throw new Error('still down');
    };
    await expect(runActivity(failing, [], options(noWait(delays)))).rejects.toThrow('still down');
    expect(calls).toBe(profile.retry.maximumAttempts);
    const { initialInterval: i, backoffCoefficient: c, maximumInterval: max } = profile.retry;
    expect(delays).toEqual([i, i * c, i * c ** 2, i * c ** 3].map((d) => Math.min(d, max)));
  });

  it("honours an ApplicationFailure's nextRetryDelay (a registry's Retry-After)", async () => {
    const delays: number[] = [];
    let calls = 0;
    const limited = async () => {
      if (++calls === 1)
        throw ApplicationFailure.create({
          message: '429',
          type: 'RegistryRateLimitedError',
          nextRetryDelay: '7s',
        });
      return 'ok';
    };
    expect(await runActivity(limited, [], options(noWait(delays)))).toBe('ok');
    expect(delays).toEqual([7_000]);
  });

  it('gives the activity the run cancellation through its Context and reports the cancellation', async () => {
    const run = new AbortController();
    let sawAbort = false;
    let started!: () => void;
    const isRunning = new Promise<void>((resolve) => (started = resolve));
    const waiting = async () => {
      const signal = cancellationSignal();
      await new Promise<void>((_, reject) => {
        signal.addEventListener('abort', () => {
          sawAbort = true;
          reject(signal.reason as Error);
        });
        started();
      });
    };
    const pending = runActivity(waiting, [], options(noWait([]), run.signal));
    await isRunning;
    run.abort(new CancelledFailure('canceled on request'));
    await expect(pending).rejects.toBeInstanceOf(CancelledFailure);
    expect(sawAbort).toBe(true);
  });
});
