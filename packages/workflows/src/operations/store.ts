/**
 * The operation store: plain SQL over `pg`. Every read and write is scoped by organization (an
 * id from another tenant is simply not found); status changes are guarded so a final status is
 * never left, which makes every write safe to repeat (activities are retried).
 */
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { InvalidInputError } from '../flows/failures.js';
import { isUuid } from '../flows/validate.js';
import {
  ENGINE_NAMES,
  JOB_KINDS,
  OPERATION_RETENTION_DAYS,
  OPERATION_STATUSES,
  type EngineName,
  type JobKind,
  type OperationStatus,
  type Problem,
} from '../shared.js';
import type { Operation } from './operation.js';

interface OperationRow {
  id: string;
  organization_id: string;
  kind: JobKind;
  status: OperationStatus;
  progress_completed: number;
  progress_total: number | null;
  input: unknown;
  result: unknown;
  resource_location: string | null;
  error: Problem | null;
  engine: EngineName;
  workflow_id: string | null;
  idempotency_key: string | null;
  created_at: Date;
  updated_at: Date;
  expires_at: Date;
}

const toOperation = (row: OperationRow): Operation => ({
  id: row.id,
  organizationId: row.organization_id,
  kind: row.kind,
  status: row.status,
  progress: { completed: row.progress_completed, total: row.progress_total },
  input: row.input,
  result: row.result,
  resourceLocation: row.resource_location,
  error: row.error,
  engine: row.engine,
  workflowId: row.workflow_id,
  idempotencyKey: row.idempotency_key,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  expiresAt: row.expires_at,
});

/** What {@link OperationStore.create} needs. */
export interface NewOperation {
  /** Defaults to a random UUID. */
  id?: string;
  organizationId: string;
  kind: JobKind;
  /** The job parameters (stored as jsonb). */
  input: unknown;
  engine: EngineName;
  /** Defaults to the operation id (the workflow id is the operation id under both engines). */
  workflowId?: string;
  /** The client's `Idempotency-Key`: the same key (per tenant and kind) returns the same operation. */
  idempotencyKey?: string | null;
}

/** Filters and page of {@link OperationStore.list}. */
export interface OperationListQuery {
  kind?: JobKind;
  status?: OperationStatus;
  /** 1–100, default 20. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string | null;
}

export interface OperationPage {
  items: Operation[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface OperationStoreOptions {
  /** Days a finished operation is kept; at least {@link OPERATION_RETENTION_DAYS} (the API promises it). */
  retentionDays?: number;
}

/** Longest `Idempotency-Key` stored (the column is varchar(255)). */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
const MAX_INT = 2_147_483_647;

const FINAL = `('succeeded', 'failed', 'canceled')`;

/** Operation persistence, tenant-scoped. */
export class OperationStore {
  private readonly retention: string;

  constructor(
    private readonly pool: Pool,
    options: OperationStoreOptions = {},
  ) {
    const days = options.retentionDays ?? OPERATION_RETENTION_DAYS;
    if (!Number.isInteger(days) || days < OPERATION_RETENTION_DAYS) {
      throw new InvalidInputError(
        'retentionDays',
        `must be an integer of at least ${OPERATION_RETENTION_DAYS}, got ${days}`,
      );
    }
    this.retention = `${days} days`;
  }

  /**
   * Creates a queued operation — or, when `idempotencyKey` was already used for this tenant and
   * kind, returns that operation with `created: false`.
   *
   * @throws InvalidInputError naming the field when an id, the kind, the engine or the key is invalid.
   */
  async create(params: NewOperation): Promise<{ operation: Operation; created: boolean }> {
    const id = params.id ?? randomUUID();
    if (!isUuid(id)) throw new InvalidInputError('operationId', 'must be a UUID');
    if (!isUuid(params.organizationId)) throw new InvalidInputError('organizationId', 'must be a UUID');
    if (!JOB_KINDS.includes(params.kind))
      throw new InvalidInputError('kind', `must be one of ${JOB_KINDS.join(', ')}`);
    if (!ENGINE_NAMES.includes(params.engine))
      throw new InvalidInputError('engine', `must be one of ${ENGINE_NAMES.join(', ')}`);
    const key = params.idempotencyKey ?? null;
    if (key !== null && (key === '' || key.length > MAX_IDEMPOTENCY_KEY_LENGTH)) {
      throw new InvalidInputError('idempotencyKey', `must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
    }
    // Two attempts: a conflicting row can vanish between the insert and the lookup (a purge).
    for (let attempt = 0; attempt < 2; attempt++) {
      const inserted = await this.pool.query<OperationRow>(
        `insert into "operations" ("id", "organization_id", "kind", "status", "input", "engine", "workflow_id",
            "idempotency_key", "created_at", "updated_at", "expires_at")
         values ($1, $2, $3, 'queued', $4, $5, $6, $7, now(), now(), now() + $8::interval)
         on conflict ("organization_id", "kind", "idempotency_key") where "idempotency_key" is not null do nothing
         returning *`,
        [
          id,
          params.organizationId,
          params.kind,
          JSON.stringify(params.input ?? null),
          params.engine,
          params.workflowId ?? id,
          key,
          this.retention,
        ],
      );
      const row = inserted.rows[0];
      if (row) return { operation: toOperation(row), created: true };
      const existing = await this.pool.query<OperationRow>(
        `select * from "operations" where "organization_id" = $1 and "kind" = $2 and "idempotency_key" = $3`,
        [params.organizationId, params.kind, key],
      );
      const found = existing.rows[0];
      if (found) return { operation: toOperation(found), created: false };
    }
    throw new Error(`operation with idempotency key ${JSON.stringify(key)} conflicted but could not be read`);
  }

  /** The tenant's operation, or null (also for another tenant's id or a malformed id). */
  async get(organizationId: string, id: string): Promise<Operation | null> {
    if (!isUuid(organizationId) || !isUuid(id)) return null;
    const { rows } = await this.pool.query<OperationRow>(
      `select * from "operations" where "organization_id" = $1 and "id" = $2`,
      [organizationId, id],
    );
    return rows[0] ? toOperation(rows[0]) : null;
  }

  /**
   * The tenant's operations, newest first, optionally of one kind or status.
   *
   * @throws InvalidInputError for an unknown kind or status, a bad limit, or a malformed cursor.
   */
  async list(organizationId: string, query: OperationListQuery = {}): Promise<OperationPage> {
    const limit = query.limit ?? 20;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      throw new InvalidInputError('limit', `must be an integer from 1 to 100, got ${limit}`);
    }
    if (query.kind !== undefined && !JOB_KINDS.includes(query.kind)) {
      throw new InvalidInputError('kind', `must be one of ${JOB_KINDS.join(', ')}`);
    }
    if (query.status !== undefined && !OPERATION_STATUSES.includes(query.status)) {
      throw new InvalidInputError('status', `must be one of ${OPERATION_STATUSES.join(', ')}`);
    }
    if (!isUuid(organizationId)) return { items: [], nextCursor: null };
    const where = ['"organization_id" = $1'];
    const values: unknown[] = [organizationId];
    if (query.kind) {
      values.push(query.kind);
      where.push(`"kind" = $${values.length}`);
    }
    if (query.status) {
      values.push(query.status);
      where.push(`"status" = $${values.length}`);
    }
    if (query.cursor) {
      const [createdAt, id] = decodeCursor(query.cursor);
      values.push(createdAt, id);
      where.push(`("created_at", "id") < ($${values.length - 1}::timestamptz, $${values.length}::uuid)`);
    }
    values.push(limit + 1);
    // The cursor keeps created_at as PostgreSQL prints it: a JS Date would drop the microseconds.
    const { rows } = await this.pool.query<OperationRow & { created_at_key: string }>(
      `select *, "created_at"::text as "created_at_key" from "operations" where ${where.join(' and ')}
       order by "created_at" desc, "id" desc limit $${values.length}`,
      values,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toOperation),
      nextCursor: rows.length > limit && last ? encodeCursor(last.created_at_key, last.id) : null,
    };
  }

  /** queued/running → running. Also failed → running for Temporal (an operator reset the workflow). */
  markRunning(organizationId: string, id: string): Promise<Operation | null> {
    return this.transition(
      organizationId,
      id,
      `"status" = 'running', "error" = null`,
      `("status" in ('queued', 'running') or ("status" = 'failed' and "engine" = 'temporal'))`,
      [],
    );
  }

  /** Records progress of an unfinished operation. */
  progress(
    organizationId: string,
    id: string,
    completed: number,
    total: number | null,
  ): Promise<Operation | null> {
    const count = (value: number, field: string) => {
      if (!Number.isInteger(value) || value < 0)
        throw new InvalidInputError(field, `must be a non-negative integer, got ${value}`);
      return Math.min(value, MAX_INT);
    };
    return this.transition(
      organizationId,
      id,
      `"progress_completed" = $3, "progress_total" = $4`,
      `"status" in ('queued', 'running')`,
      [count(completed, 'completed'), total === null ? null : count(total, 'total')],
    );
  }

  /** Unfinished → succeeded, with the result and/or where the produced resource is. */
  succeed(
    organizationId: string,
    id: string,
    outcome: { result?: unknown; resourceLocation?: string | null },
  ): Promise<Operation | null> {
    return this.transition(
      organizationId,
      id,
      `"status" = 'succeeded', "result" = $3, "resource_location" = $4, "error" = null,
       "progress_completed" = greatest("progress_completed", coalesce("progress_total", 0)),
       "expires_at" = now() + $5::interval`,
      `"status" in ('queued', 'running')`,
      [JSON.stringify(outcome.result ?? null), outcome.resourceLocation ?? null, this.retention],
    );
  }

  /** Unfinished → failed, with the problem. */
  fail(organizationId: string, id: string, problem: Problem): Promise<Operation | null> {
    return this.transition(
      organizationId,
      id,
      `"status" = 'failed', "error" = $3, "expires_at" = now() + $4::interval`,
      `"status" in ('queued', 'running')`,
      [JSON.stringify(problem), this.retention],
    );
  }

  /** Unfinished → canceled. */
  cancel(organizationId: string, id: string): Promise<Operation | null> {
    return this.transition(
      organizationId,
      id,
      `"status" = 'canceled', "expires_at" = now() + $3::interval`,
      `"status" in ('queued', 'running')`,
      [this.retention],
    );
  }

  /**
   * Fails every unfinished operation of `engine` (across tenants) with `problem`, its `instance`
   * set per operation; `exceptIds` are left alone (runs this process is still doing). Used at
   * start-up to close what a dead process left behind.
   */
  async failUnfinished(
    engine: EngineName,
    problem: Problem,
    exceptIds: readonly string[] = [],
  ): Promise<{ id: string; organizationId: string }[]> {
    const { rows } = await this.pool.query<{ id: string; organization_id: string }>(
      `update "operations"
       set "status" = 'failed', "error" = $2::jsonb || jsonb_build_object('instance', '/v1/operations/' || "id"),
           "updated_at" = now(), "expires_at" = now() + $3::interval
       where "engine" = $1 and "status" in ('queued', 'running') and not ("id" = any($4::uuid[]))
       returning "id", "organization_id"`,
      [engine, JSON.stringify(problem), this.retention, exceptIds],
    );
    return rows.map((r) => ({ id: r.id, organizationId: r.organization_id }));
  }

  /**
   * Unfinished operations of `engine`, across tenants, whose row last changed before `before`
   * (oldest first), for reconciliation with the engine.
   */
  async listStale(engine: EngineName, before: Date, limit = 100): Promise<Operation[]> {
    const { rows } = await this.pool.query<OperationRow>(
      `select * from "operations"
       where "engine" = $1 and "status" in ('queued', 'running') and "updated_at" < $2
       order by "updated_at" limit $3`,
      [engine, before, limit],
    );
    return rows.map(toOperation);
  }

  /**
   * Deletes finished operations whose retention ended before `now`.
   *
   * @returns how many were deleted.
   */
  async purgeExpired(now: Date = new Date()): Promise<number> {
    const result = await this.pool.query(
      `delete from "operations" where "expires_at" < $1 and "status" in ${FINAL}`,
      [now],
    );
    return result.rowCount ?? 0;
  }

  /**
   * Applies `set` where `guard` holds and returns the row as it now is; a guarded-out change
   * returns the unchanged row (repeating a write is harmless), a missing row returns null.
   */
  private async transition(
    organizationId: string,
    id: string,
    set: string,
    guard: string,
    params: unknown[],
  ): Promise<Operation | null> {
    if (!isUuid(organizationId) || !isUuid(id)) return null;
    const { rows } = await this.pool.query<OperationRow>(
      `with changed as (
         update "operations" set ${set}, "updated_at" = now()
         where "organization_id" = $1 and "id" = $2 and ${guard}
         returning *)
       select * from changed
       union all
       select * from "operations" where "organization_id" = $1 and "id" = $2 and not exists (select 1 from changed)`,
      [organizationId, id, ...params],
    );
    return rows[0] ? toOperation(rows[0]) : null;
  }
}

function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
}

/** A timestamptz as PostgreSQL prints it (`2026-11-22 05:58:01.123456+00`). */
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
    // fall through: reported below with the field name
  }
  throw new InvalidInputError('cursor', 'is not a cursor this API returned');
}
