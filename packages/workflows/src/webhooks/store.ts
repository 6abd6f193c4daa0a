/**
 * Webhook endpoints and deliveries: plain SQL over `pg`, every tenant-facing read and write scoped
 * by organization (another tenant's id is simply not found). Delivery state changes are guarded by
 * status and `generation` (bumped by a replay), so a slow attempt of an older generation can never
 * overwrite a newer one, and every write is safe to repeat.
 *
 * Secrets are stored as given (they must be readable to sign); encryption at rest is out of scope
 * here and left to the database's storage encryption.
 */
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { InvalidInputError } from '../flows/failures.js';
import { isUuid } from '../flows/validate.js';
import type { WebhookEventName, WebhookPayload } from './events.js';

export const WEBHOOK_ENDPOINT_STATUSES = ['active', 'disabled'] as const;
export type WebhookEndpointStatus = (typeof WEBHOOK_ENDPOINT_STATUSES)[number];

export const WEBHOOK_DELIVERY_STATUSES = [
  'pending',
  'delivering',
  'succeeded',
  'failed',
  'exhausted',
] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** An endpoint as callers see it: never its secret. */
export interface WebhookEndpoint {
  id: string;
  organizationId: string;
  url: string;
  events: WebhookEventName[];
  description: string | null;
  status: WebhookEndpointStatus;
  /** Why the endpoint was disabled (`the receiver answered 410 Gone`), null while active. */
  disabledReason: string | null;
  disabledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface WebhookDelivery {
  /** Also the Standard Webhooks `webhook-id`: the same on every attempt and replay. */
  id: string;
  endpointId: string;
  organizationId: string;
  event: WebhookEventName;
  /** What makes the event unique for its endpoint (the operation id for operation events). */
  dedupKey: string;
  operationId: string | null;
  payload: WebhookPayload;
  status: WebhookDeliveryStatus;
  /** Attempts made in the current generation. */
  attempts: number;
  /** 0, then +1 per replay. */
  generation: number;
  /** When the next attempt is due (pending), or until when the current one holds it (delivering). */
  nextAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  deliveredAt: Date | null;
}

/** A delivery claimed for one attempt, with what is needed to send it. */
export interface ClaimedDelivery {
  delivery: WebhookDelivery;
  endpoint: { id: string; url: string; secret: string; status: WebhookEndpointStatus };
}

/** Identifies one generation of a delivery (what a dispatcher queues). */
export interface DeliveryRef {
  id: string;
  generation: number;
}

export interface NewWebhookEndpoint {
  id?: string;
  organizationId: string;
  /** Already checked by the caller (see `assertWebhookUrl`). */
  url: string;
  events: readonly WebhookEventName[];
  description?: string | null;
  secret: string;
}

/** One event to deliver to every subscribed active endpoint of the organization. */
export interface NewWebhookEvent {
  organizationId: string;
  event: WebhookEventName;
  dedupKey: string;
  operationId?: string | null;
  payload: WebhookPayload;
}

export interface PageQuery {
  /** 1–100, default 20. */
  limit?: number;
  cursor?: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

interface EndpointRow {
  id: string;
  organization_id: string;
  url: string;
  events: WebhookEventName[];
  secret: string;
  description: string | null;
  status: WebhookEndpointStatus;
  disabled_reason: string | null;
  disabled_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

interface DeliveryRow {
  id: string;
  endpoint_id: string;
  organization_id: string;
  event: WebhookEventName;
  dedup_key: string;
  operation_id: string | null;
  payload: WebhookPayload;
  status: WebhookDeliveryStatus;
  attempts: number;
  generation: number;
  next_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
  delivered_at: Date | null;
}

type ClaimedRow = DeliveryRow & {
  endpoint_url: string;
  endpoint_secret: string;
  endpoint_status: WebhookEndpointStatus;
};

const toEndpoint = (row: EndpointRow): WebhookEndpoint => ({
  id: row.id,
  organizationId: row.organization_id,
  url: row.url,
  events: row.events,
  description: row.description,
  status: row.status,
  disabledReason: row.disabled_reason,
  disabledAt: row.disabled_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toDelivery = (row: DeliveryRow): WebhookDelivery => ({
  id: row.id,
  endpointId: row.endpoint_id,
  organizationId: row.organization_id,
  event: row.event,
  dedupKey: row.dedup_key,
  operationId: row.operation_id,
  payload: row.payload,
  status: row.status,
  attempts: row.attempts,
  generation: row.generation,
  nextAttemptAt: row.next_attempt_at,
  lastStatusCode: row.last_status_code,
  lastError: row.last_error,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  deliveredAt: row.delivered_at,
});

const toClaimed = (row: ClaimedRow): ClaimedDelivery => ({
  delivery: toDelivery(row),
  endpoint: {
    id: row.endpoint_id,
    url: row.endpoint_url,
    secret: row.endpoint_secret,
    status: row.endpoint_status,
  },
});

/** Longest error text kept on a delivery. */
const MAX_ERROR_LENGTH = 1000;
const clip = (text: string | null) => (text === null ? null : text.slice(0, MAX_ERROR_LENGTH));
const ms = (value: number) => `${Math.max(0, Math.round(value))} milliseconds`;

const CLAIMED_COLUMNS = `d.*, e."url" as "endpoint_url", e."secret" as "endpoint_secret", e."status" as "endpoint_status"`;

/** Endpoint and delivery persistence. */
export class WebhookStore {
  constructor(private readonly pool: Pool) {}

  // -------------------------------------------------------------------------------------------
  // Endpoints
  // -------------------------------------------------------------------------------------------

  /** Inserts an active endpoint (inputs already validated). */
  async createEndpoint(params: NewWebhookEndpoint): Promise<WebhookEndpoint> {
    const { rows } = await this.pool.query<EndpointRow>(
      `insert into "webhook_endpoints" ("id", "organization_id", "url", "events", "secret", "description")
       values ($1, $2, $3, $4, $5, $6) returning *`,
      [
        params.id ?? randomUUID(),
        params.organizationId,
        params.url,
        [...params.events],
        params.secret,
        params.description ?? null,
      ],
    );
    return toEndpoint(rows[0] as EndpointRow);
  }

  /** The tenant's endpoint, or null (also for another tenant's id or a malformed id). */
  async getEndpoint(organizationId: string, id: string): Promise<WebhookEndpoint | null> {
    if (!isUuid(organizationId) || !isUuid(id)) return null;
    const { rows } = await this.pool.query<EndpointRow>(
      `select * from "webhook_endpoints" where "organization_id" = $1 and "id" = $2`,
      [organizationId, id],
    );
    return rows[0] ? toEndpoint(rows[0]) : null;
  }

  /** The tenant's endpoints, newest first. */
  async listEndpoints(organizationId: string, query: PageQuery = {}): Promise<Page<WebhookEndpoint>> {
    const page = await this.keysetPage<EndpointRow>(
      'webhook_endpoints',
      ['"organization_id" = $1'],
      [organizationId],
      query,
    );
    return { items: page.items.map(toEndpoint), nextCursor: page.nextCursor };
  }

  /** Deletes the tenant's endpoint and its deliveries. @returns false when there was none. */
  async deleteEndpoint(organizationId: string, id: string): Promise<boolean> {
    if (!isUuid(organizationId) || !isUuid(id)) return false;
    const result = await this.pool.query(
      `delete from "webhook_endpoints" where "organization_id" = $1 and "id" = $2`,
      [organizationId, id],
    );
    return (result.rowCount ?? 0) > 0;
  }

  /** Disables an endpoint (idempotent: the first reason is kept). */
  async disableEndpoint(id: string, reason: string, client: Pool | PoolClient = this.pool): Promise<void> {
    await client.query(
      `update "webhook_endpoints" set "status" = 'disabled', "disabled_reason" = $2, "disabled_at" = now(),
         "updated_at" = now()
       where "id" = $1 and "status" = 'active'`,
      [id, clip(reason)],
    );
  }

  // -------------------------------------------------------------------------------------------
  // Deliveries: enqueueing and reading
  // -------------------------------------------------------------------------------------------

  /** Active endpoints of the organization subscribed to `event`. */
  async subscribedEndpointIds(organizationId: string, event: WebhookEventName): Promise<string[]> {
    if (!isUuid(organizationId)) return [];
    const { rows } = await this.pool.query<{ id: string }>(
      `select "id" from "webhook_endpoints" where "organization_id" = $1 and "status" = 'active' and $2 = any("events")`,
      [organizationId, event],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Inserts one pending delivery per active endpoint subscribed to the event; an endpoint that
   * already has a delivery for (event, dedupKey) gets none (so a retried `notify` enqueues once).
   *
   * @returns every delivery of the event still waiting for its first attempt — the new ones and
   * any left by an earlier call that failed before dispatching them — to hand to a dispatcher.
   */
  async insertDeliveries(event: NewWebhookEvent): Promise<DeliveryRef[]> {
    if (!isUuid(event.organizationId)) throw new InvalidInputError('organizationId', 'must be a UUID');
    const { rows } = await this.pool.query<{ id: string; generation: number }>(
      `with inserted as (
         insert into "webhook_deliveries"
           ("id", "endpoint_id", "organization_id", "event", "dedup_key", "operation_id", "payload", "next_attempt_at")
         select gen_random_uuid(), e."id", e."organization_id", $2, $3, $4, $5, now()
         from "webhook_endpoints" e
         where e."organization_id" = $1 and e."status" = 'active' and $2 = any(e."events")
         on conflict ("endpoint_id", "event", "dedup_key") do nothing
         returning "id", "generation")
       select "id", "generation" from inserted
       union
       select "id", "generation" from "webhook_deliveries"
       where "organization_id" = $1 and "event" = $2 and "dedup_key" = $3 and "status" = 'pending'
         and "attempts" = 0 and "generation" = 0`,
      [
        event.organizationId,
        event.event,
        event.dedupKey,
        event.operationId ?? null,
        JSON.stringify(event.payload),
      ],
    );
    return rows.map((r) => ({ id: r.id, generation: r.generation }));
  }

  /** The tenant's delivery, or null. */
  async getDelivery(organizationId: string, id: string): Promise<WebhookDelivery | null> {
    if (!isUuid(organizationId) || !isUuid(id)) return null;
    const { rows } = await this.pool.query<DeliveryRow>(
      `select * from "webhook_deliveries" where "organization_id" = $1 and "id" = $2`,
      [organizationId, id],
    );
    return rows[0] ? toDelivery(rows[0]) : null;
  }

  /** A delivery by id alone (dispatchers, tests). */
  async findDelivery(id: string): Promise<WebhookDelivery | null> {
    if (!isUuid(id)) return null;
    const { rows } = await this.pool.query<DeliveryRow>(
      `select * from "webhook_deliveries" where "id" = $1`,
      [id],
    );
    return rows[0] ? toDelivery(rows[0]) : null;
  }

  /** An endpoint's deliveries, newest first, optionally of one status. */
  async listDeliveries(
    organizationId: string,
    endpointId: string,
    query: PageQuery & { status?: WebhookDeliveryStatus } = {},
  ): Promise<Page<WebhookDelivery>> {
    if (query.status !== undefined && !WEBHOOK_DELIVERY_STATUSES.includes(query.status)) {
      throw new InvalidInputError('status', `must be one of ${WEBHOOK_DELIVERY_STATUSES.join(', ')}`);
    }
    if (!isUuid(endpointId)) return { items: [], nextCursor: null };
    const where = ['"organization_id" = $1', '"endpoint_id" = $2'];
    const values: unknown[] = [organizationId, endpointId];
    if (query.status) {
      values.push(query.status);
      where.push(`"status" = $${values.length}`);
    }
    const page = await this.keysetPage<DeliveryRow>('webhook_deliveries', where, values, query);
    return { items: page.items.map(toDelivery), nextCursor: page.nextCursor };
  }

  /** Deliveries not yet finished (pending or delivering), oldest first, for a dispatcher's recovery. */
  async listUnfinished(limit = 1000, after: string | null = null): Promise<DeliveryRef[]> {
    const { rows } = await this.pool.query<{ id: string; generation: number }>(
      `select "id", "generation" from "webhook_deliveries"
       where "status" in ('pending', 'delivering') and ($2::uuid is null or "id" > $2::uuid)
       order by "id" limit $1`,
      [limit, after],
    );
    return rows;
  }

  // -------------------------------------------------------------------------------------------
  // Deliveries: attempts
  // -------------------------------------------------------------------------------------------

  /**
   * Claims one generation of a delivery for an attempt (pending, or delivering left by a dead
   * attempt): status `delivering`, attempts + 1, held for `leaseMs`. Null when it is finished,
   * replayed since, or gone.
   */
  async claim(ref: DeliveryRef, leaseMs: number): Promise<ClaimedDelivery | null> {
    if (!isUuid(ref.id)) return null;
    const { rows } = await this.pool.query<ClaimedRow>(
      `update "webhook_deliveries" d
       set "status" = 'delivering', "attempts" = d."attempts" + 1, "next_attempt_at" = now() + $3::interval,
           "updated_at" = now()
       from "webhook_endpoints" e
       where d."id" = $1 and d."generation" = $2 and d."status" in ('pending', 'delivering') and e."id" = d."endpoint_id"
       returning ${CLAIMED_COLUMNS}`,
      [ref.id, ref.generation, ms(leaseMs)],
    );
    return rows[0] ? toClaimed(rows[0]) : null;
  }

  /**
   * Claims up to `limit` due deliveries (pending whose time has come, or delivering whose lease
   * ran out because the process attempting them died), skipping rows another process holds.
   */
  async claimDue(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    if (limit < 1) return [];
    const { rows } = await this.pool.query<ClaimedRow>(
      `with due as (
         select "id" from "webhook_deliveries"
         where "status" in ('pending', 'delivering') and "next_attempt_at" <= now()
         order by "next_attempt_at" limit $1
         for update skip locked)
       update "webhook_deliveries" d
       set "status" = 'delivering', "attempts" = d."attempts" + 1, "next_attempt_at" = now() + $2::interval,
           "updated_at" = now()
       from due, "webhook_endpoints" e
       where d."id" = due."id" and e."id" = d."endpoint_id"
       returning ${CLAIMED_COLUMNS}`,
      [limit, ms(leaseMs)],
    );
    return rows.map(toClaimed);
  }

  /** When the next pending delivery is due, or null when none is waiting. */
  async nextDueAt(): Promise<Date | null> {
    const { rows } = await this.pool.query<{ at: Date | null }>(
      `select min("next_attempt_at") as "at" from "webhook_deliveries" where "status" in ('pending', 'delivering')`,
    );
    return rows[0]?.at ?? null;
  }

  /** delivering → succeeded. */
  recordSuccess(ref: DeliveryRef, statusCode: number): Promise<boolean> {
    return this.finishAttempt(
      ref,
      `"status" = 'succeeded', "delivered_at" = now(), "next_attempt_at" = null,
      "last_status_code" = $3, "last_error" = null`,
      [statusCode],
    );
  }

  /** delivering → pending, due again after `delayMs`. */
  recordRetry(ref: DeliveryRef, statusCode: number | null, error: string, delayMs: number): Promise<boolean> {
    return this.finishAttempt(
      ref,
      `"status" = 'pending', "next_attempt_at" = now() + $5::interval,
      "last_status_code" = $3, "last_error" = $4`,
      [statusCode, clip(error), ms(delayMs)],
    );
  }

  /** delivering → exhausted (no attempt left; kept for replay). */
  recordExhausted(ref: DeliveryRef, statusCode: number | null, error: string): Promise<boolean> {
    return this.finishAttempt(
      ref,
      `"status" = 'exhausted', "next_attempt_at" = null,
      "last_status_code" = $3, "last_error" = $4`,
      [statusCode, clip(error)],
    );
  }

  /** delivering → failed (never retried: 410 Gone, disabled endpoint, refused URL). */
  recordFailed(ref: DeliveryRef, statusCode: number | null, error: string): Promise<boolean> {
    return this.finishAttempt(
      ref,
      `"status" = 'failed', "next_attempt_at" = null,
      "last_status_code" = $3, "last_error" = $4`,
      [statusCode, clip(error)],
    );
  }

  /** The receiver answered 410 Gone: the delivery fails and its endpoint is disabled, together. */
  async recordGone(
    ref: DeliveryRef,
    endpointId: string,
    statusCode: number,
    reason: string,
  ): Promise<boolean> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      const changed = await this.finishAttempt(
        ref,
        `"status" = 'failed', "next_attempt_at" = null, "last_status_code" = $3, "last_error" = $4`,
        [statusCode, clip(reason)],
        client,
      );
      if (changed) await this.disableEndpoint(endpointId, reason, client);
      await client.query('commit');
      return changed;
    } catch (error) {
      await client.query('rollback');
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * Re-queues an exhausted or failed delivery of the tenant: a new generation, pending now, with
   * a fresh set of attempts. The endpoint must be active.
   *
   * @returns the re-queued delivery; `{ delivery: null }` when there is no such delivery, and the
   * delivery unchanged with `replayed: false` when its state forbids a replay.
   */
  async replay(
    organizationId: string,
    id: string,
  ): Promise<{
    delivery: WebhookDelivery | null;
    replayed: boolean;
    endpointStatus: WebhookEndpointStatus | null;
  }> {
    if (!isUuid(organizationId) || !isUuid(id))
      return { delivery: null, replayed: false, endpointStatus: null };
    const { rows } = await this.pool.query<
      DeliveryRow & { replayed: boolean; endpoint_status: WebhookEndpointStatus }
    >(
      `with changed as (
         update "webhook_deliveries" d
         set "status" = 'pending', "attempts" = 0, "generation" = d."generation" + 1, "next_attempt_at" = now(),
             "delivered_at" = null, "updated_at" = now()
         from "webhook_endpoints" e
         where d."organization_id" = $1 and d."id" = $2 and d."status" in ('exhausted', 'failed')
           and e."id" = d."endpoint_id" and e."status" = 'active'
         returning d.*)
       select c.*, true as "replayed", 'active' as "endpoint_status" from changed c
       union all
       select d.*, false as "replayed", e."status" as "endpoint_status"
       from "webhook_deliveries" d join "webhook_endpoints" e on e."id" = d."endpoint_id"
       where d."organization_id" = $1 and d."id" = $2 and not exists (select 1 from changed)`,
      [organizationId, id],
    );
    const row = rows[0];
    if (!row) return { delivery: null, replayed: false, endpointStatus: null };
    return { delivery: toDelivery(row), replayed: row.replayed, endpointStatus: row.endpoint_status };
  }

  private async finishAttempt(
    ref: DeliveryRef,
    set: string,
    params: unknown[],
    client: Pool | PoolClient = this.pool,
  ): Promise<boolean> {
    const result = await client.query(
      `update "webhook_deliveries" set ${set}, "updated_at" = now()
       where "id" = $1 and "generation" = $2 and "status" = 'delivering'`,
      [ref.id, ref.generation, ...params],
    );
    return (result.rowCount ?? 0) > 0;
  }

  /** A newest-first keyset page of `table` rows matching `where` (values $1…). */
  private async keysetPage<Row extends { id: string }>(
    table: string,
    where: string[],
    values: unknown[],
    query: PageQuery,
  ): Promise<Page<Row>> {
    const limit = query.limit ?? 20;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      throw new InvalidInputError('limit', `must be an integer from 1 to 100, got ${limit}`);
    }
    if (!isUuid(values[0])) return { items: [], nextCursor: null };
    const clauses = [...where];
    const params = [...values];
    if (query.cursor) {
      const [createdAt, id] = decodeCursor(query.cursor);
      params.push(createdAt, id);
      clauses.push(`("created_at", "id") < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(limit + 1);
    // The cursor keeps created_at as PostgreSQL prints it: a JS Date would drop the microseconds.
    const { rows } = await this.pool.query<Row & { created_at_key: string }>(
      `select *, "created_at"::text as "created_at_key" from "${table}" where ${clauses.join(' and ')}
       order by "created_at" desc, "id" desc limit $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page,
      nextCursor: rows.length > limit && last ? encodeCursor(last.created_at_key, last.id) : null,
    };
  }
}

function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/;

function decodeCursor(cursor: string): [string, string] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      TIMESTAMP.test(parsed[0]) &&
      isUuid(parsed[1])
    ) {
      return [parsed[0], parsed[1]];
    }
  } catch {
    // fall through
  }
  throw new InvalidInputError('cursor', 'is not a cursor this API returned');
}
