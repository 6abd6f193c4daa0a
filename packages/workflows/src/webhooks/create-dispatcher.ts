/** Picks the dispatcher from configuration: BullMQ when a Redis URL is given, in-process otherwise. */
import type { Pool } from 'pg';
import { createBullMqDispatcher } from './bullmq-dispatcher.js';
import type { DeliveryOptions, WebhookLogger } from './deliver.js';
import type { WebhookDispatcher } from './dispatcher.js';
import { createInProcessDispatcher } from './in-process-dispatcher.js';

export interface WebhookDispatcherConfig extends DeliveryOptions {
  pool: Pool;
  /** `redis://…`; absent → the in-process dispatcher. */
  redisUrl?: string | null;
  /** BullMQ key prefix (e.g. the deployment's `REDIS_KEY_PREFIX` + `bull`). */
  redisPrefix?: string;
  logger?: WebhookLogger;
}

/** @example const dispatcher = createWebhookDispatcher({ pool, redisUrl: config.redisUrl }); await dispatcher.start(); */
export function createWebhookDispatcher(config: WebhookDispatcherConfig): WebhookDispatcher {
  const { redisUrl, redisPrefix, ...rest } = config;
  return redisUrl
    ? createBullMqDispatcher({ ...rest, redis: redisUrl, ...(redisPrefix ? { prefix: redisPrefix } : {}) })
    : createInProcessDispatcher(rest);
}

/**
 * For a process that only enqueues (the Temporal worker, whose `notify` activity runs there):
 * BullMQ without a worker when Redis is given; without Redis nothing needs doing — new rows are
 * due at once and the API process's in-process loop attempts them.
 */
export function createEnqueueOnlyDispatcher(
  config: Pick<WebhookDispatcherConfig, 'pool' | 'redisUrl' | 'redisPrefix'>,
): WebhookDispatcher {
  if (config.redisUrl) {
    return createBullMqDispatcher({
      pool: config.pool,
      redis: config.redisUrl,
      runWorker: false,
      ...(config.redisPrefix ? { prefix: config.redisPrefix } : {}),
    });
  }
  return {
    name: 'in-process',
    dispatch: async () => undefined,
    start: async () => undefined,
    close: async () => undefined,
  };
}
