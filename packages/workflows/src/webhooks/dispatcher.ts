/**
 * How pending deliveries get attempted. The rows in PostgreSQL are the truth; a dispatcher only
 * decides when each is attempted: BullMQ (Redis) when one is configured, an in-process timer loop
 * over due rows otherwise.
 */
import type { DeliveryRef } from './store.js';

export interface WebhookDispatcher {
  readonly name: 'bullmq' | 'in-process';
  /** Hands new (or replayed) deliveries over for attempting; returns once they are queued, never waits for them. */
  dispatch(deliveries: readonly DeliveryRef[]): Promise<void>;
  /** Starts attempting (worker, timer loop) and picks up what a previous process left pending. */
  start(): Promise<void>;
  /** Stops taking work and waits for attempts in flight. */
  close(): Promise<void>;
}

/** Extra time a claimed delivery is held beyond its timeout before another process may take it. */
export const LEASE_SLACK_MS = 60_000;
