/**
 * The dispatcher without Redis: a timer loop over due deliveries in PostgreSQL. Claims use
 * `for update skip locked` and a lease, so several processes can share the table; nothing is lost
 * when a process dies — pending rows, and rows it was attempting once their lease ends, are picked
 * up by the next loop (of this or any process) after start.
 */
import type { Pool } from 'pg';
import {
  attemptDelivery,
  DEFAULT_TIMEOUT_MS,
  silentWebhookLogger,
  type DeliveryOptions,
  type WebhookLogger,
} from './deliver.js';
import { LEASE_SLACK_MS, type WebhookDispatcher } from './dispatcher.js';
import { WebhookStore, type ClaimedDelivery, type DeliveryRef } from './store.js';

export interface InProcessDispatcherOptions extends DeliveryOptions {
  pool: Pool;
  /** How often due rows are looked for when nothing wakes the loop. Default 1 000 ms. */
  pollIntervalMs?: number;
  /** Attempts in flight at once. Default 4. */
  concurrency?: number;
  logger?: WebhookLogger;
}

/** @example const dispatcher = createInProcessDispatcher({ pool }); await dispatcher.start(); */
export function createInProcessDispatcher(options: InProcessDispatcherOptions): WebhookDispatcher {
  const store = new WebhookStore(options.pool);
  const logger = options.logger ?? silentWebhookLogger;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const concurrency = options.concurrency ?? 4;
  const leaseMs = (options.timeoutMs ?? DEFAULT_TIMEOUT_MS) + LEASE_SLACK_MS;
  const inFlight = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  let interval: NodeJS.Timeout | null = null;
  let running = false;
  let scanning = false;
  let rescan = false;

  const wakeIn = (delayMs: number) => {
    if (!running) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      void scan();
    }, delayMs);
    timer.unref();
    timers.add(timer);
  };

  const run = (claimed: ClaimedDelivery) => {
    const task = attemptDelivery(store, claimed, options)
      .then((outcome) => {
        if (outcome.kind === 'retry') wakeIn(outcome.delayMs + 5);
        logger.info('webhook attempt', {
          deliveryId: claimed.delivery.id,
          attempt: claimed.delivery.attempts,
          outcome: outcome.kind,
        });
      })
      .catch((error: unknown) =>
        logger.error('webhook attempt could not be recorded', {
          deliveryId: claimed.delivery.id,
          error: String(error),
        }),
      )
      .finally(() => {
        inFlight.delete(task);
        void scan();
      });
    inFlight.add(task);
  };

  async function scan(): Promise<void> {
    if (!running) return;
    if (scanning) {
      rescan = true;
      return;
    }
    scanning = true;
    try {
      do {
        rescan = false;
        const free = concurrency - inFlight.size;
        if (free <= 0) break;
        const claimed = await store.claimDue(free, leaseMs);
        for (const item of claimed) run(item);
        if (claimed.length === free) rescan = true;
      } while (rescan && running);
    } catch (error) {
      logger.error('webhook scan failed', { error: String(error) });
    } finally {
      scanning = false;
    }
  }

  return {
    name: 'in-process',
    async dispatch(_deliveries: readonly DeliveryRef[]): Promise<void> {
      // The rows are already due; wake the loop instead of waiting for the next tick.
      if (running) setImmediate(() => void scan());
    },
    async start(): Promise<void> {
      if (running) return;
      running = true;
      interval = setInterval(() => void scan(), pollIntervalMs);
      interval.unref();
      await scan();
    },
    async close(): Promise<void> {
      running = false;
      if (interval) clearInterval(interval);
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      while (scanning || inFlight.size > 0) {
        await Promise.allSettled([...inFlight]);
        if (scanning) await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
  };
}
