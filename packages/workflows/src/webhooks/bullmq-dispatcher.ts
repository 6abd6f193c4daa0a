/**
 * The dispatcher on Redis: one BullMQ queue (per key prefix) whose jobs are deliveries, attempted
 * by a worker with BullMQ's own retries under a custom backoff (exponential, full jitter — the
 * very delay recorded on the row as `next_attempt_at`). The row stays the truth: the worker claims
 * it before each attempt, so a job of a replayed-away generation or a finished delivery is a no-op.
 */
import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Pool } from 'pg';
import { DEFAULT_MAX_ATTEMPTS, retryDelayMs } from './backoff.js';
import {
  attemptDelivery,
  DEFAULT_TIMEOUT_MS,
  silentWebhookLogger,
  type DeliveryOptions,
  type WebhookLogger,
} from './deliver.js';
import { LEASE_SLACK_MS, type WebhookDispatcher } from './dispatcher.js';
import { WebhookStore, type DeliveryRef } from './store.js';

export interface BullMqDispatcherOptions extends DeliveryOptions {
  pool: Pool;
  /** `redis://…` URL, or BullMQ connection options. */
  redis: string | ConnectionOptions;
  /** BullMQ key prefix (one queue per prefix, so deployments and test runs can share a Redis). Default `greenfin:bull`. */
  prefix?: string;
  /** Default `webhook-deliveries`. */
  queueName?: string;
  /** Attempts the worker makes at once. Default 8. */
  concurrency?: number;
  /** Run a worker in this process (default true); false in a process that only enqueues. */
  runWorker?: boolean;
  logger?: WebhookLogger;
}

interface DeliveryJobData {
  deliveryId: string;
  generation: number;
}

/** Thrown by the processor so BullMQ retries after exactly the delay recorded on the row. */
class RetryLater extends Error {
  override readonly name = 'RetryLater';
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
  }
}

const BACKOFF_TYPE = 'webhook-full-jitter';

/** The BullMQ job id of one delivery generation (custom ids must not contain `:`). */
export const deliveryJobId = (ref: DeliveryRef): string => `${ref.id}-${ref.generation}`;

const asConnection = (redis: string | ConnectionOptions, worker: boolean): ConnectionOptions =>
  typeof redis === 'string'
    ? { url: redis, ...(worker ? { maxRetriesPerRequest: null } : {}) }
    : worker && !('options' in redis) && !('nodes' in redis)
      ? { ...redis, maxRetriesPerRequest: null }
      : redis;

/** @example const dispatcher = createBullMqDispatcher({ pool, redis: 'redis://127.0.0.1:6379' }); */
export function createBullMqDispatcher(options: BullMqDispatcherOptions): WebhookDispatcher {
  const store = new WebhookStore(options.pool);
  const logger = options.logger ?? silentWebhookLogger;
  const prefix = options.prefix ?? 'greenfin:bull';
  const queueName = options.queueName ?? 'webhook-deliveries';
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const leaseMs = (options.timeoutMs ?? DEFAULT_TIMEOUT_MS) + LEASE_SLACK_MS;
  const queue = new Queue<DeliveryJobData>(queueName, {
    connection: asConnection(options.redis, false),
    prefix,
  });
  let worker: Worker<DeliveryJobData> | null = null;

  const add = (refs: readonly DeliveryRef[]) =>
    refs.length === 0
      ? Promise.resolve([])
      : queue.addBulk(
          refs.map((ref) => ({
            name: 'deliver',
            data: { deliveryId: ref.id, generation: ref.generation },
            opts: {
              jobId: deliveryJobId(ref),
              attempts: maxAttempts,
              backoff: { type: BACKOFF_TYPE },
              removeOnComplete: { age: 86_400, count: 10_000 },
              removeOnFail: { age: 7 * 86_400 },
            },
          })),
        );

  async function processJob(job: Job<DeliveryJobData>): Promise<string> {
    const ref = { id: job.data.deliveryId, generation: job.data.generation };
    const claimed = await store.claim(ref, leaseMs);
    if (!claimed) return 'not pending';
    const lastJobAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const outcome = await attemptDelivery(store, claimed, options, lastJobAttempt);
    logger.info('webhook attempt', {
      deliveryId: ref.id,
      attempt: claimed.delivery.attempts,
      outcome: outcome.kind,
    });
    if (outcome.kind === 'retry') throw new RetryLater(outcome.error, outcome.delayMs);
    return outcome.kind;
  }

  return {
    name: 'bullmq',
    async dispatch(deliveries: readonly DeliveryRef[]): Promise<void> {
      await add(deliveries);
    },
    async start(): Promise<void> {
      if (options.runWorker !== false && !worker) {
        worker = new Worker<DeliveryJobData>(queueName, processJob, {
          connection: asConnection(options.redis, true),
          prefix,
          concurrency: options.concurrency ?? 8,
          settings: {
            backoffStrategy: (attemptsMade: number, _type?: string, error?: Error) =>
              error instanceof RetryLater ? error.delayMs : retryDelayMs(attemptsMade, options.backoff),
          },
        });
        worker.on('failed', (job, error) => {
          // A job BullMQ gave up on (its attempts used up by stalls or crashes) whose row is
          // still unfinished: close it as exhausted so it can be replayed.
          if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
          const ref = { id: job.data.deliveryId, generation: job.data.generation };
          void store
            .claim(ref, leaseMs)
            .then(
              (claimed) =>
                claimed && store.recordExhausted(ref, claimed.delivery.lastStatusCode, error.message),
            )
            .catch((e: unknown) =>
              logger.error('webhook: could not close an abandoned delivery', {
                deliveryId: ref.id,
                error: String(e),
              }),
            );
        });
        worker.on('error', (error) => logger.error('webhook worker error', { error: String(error) }));
      }
      // Re-queue what a previous process left unfinished (job ids make this a no-op for queued ones).
      let after: string | null = null;
      for (;;) {
        const refs = await store.listUnfinished(1000, after);
        if (refs.length === 0) break;
        await add(refs);
        after = refs[refs.length - 1]?.id ?? null;
      }
    },
    async close(): Promise<void> {
      await worker?.close();
      worker = null;
      await queue.close();
    },
  };
}
