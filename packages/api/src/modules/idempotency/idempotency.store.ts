import { randomUUID } from 'node:crypto';
import { type IdempotencyStore, JsonBody, type StoredReply } from '../../http/route.js';
import { problems } from '../../http/problem.js';
import { sha256 } from '../auth/credentials.js';
import { IdempotencyRecord } from './idempotency-record.entity.js';

const DAY_MS = 24 * 3600 * 1000;
/** Response headers worth replaying; the rest are per-request. */
const REPLAYED_HEADERS = ['Location', 'ETag'];

// Claims a key that is free or expired, in one statement: a row comes back only to the claimant.
const CLAIM_SQL = `insert into idempotency_records
  (id, organization_id, key, fingerprint, state, created_at, expires_at)
  values (?, ?, ?, ?, 'in_flight', ?, ?)
  on conflict (organization_id, key) do update set
    id = excluded.id, fingerprint = excluded.fingerprint, state = 'in_flight',
    response_status = null, response_headers = null, response_body = null,
    created_at = excluded.created_at, expires_at = excluded.expires_at
  where idempotency_records.expires_at <= excluded.created_at
  returning id`;

const COMPLETE_SQL = `update idempotency_records
  set state = 'completed', response_status = ?, response_headers = ?, response_body = ?
  where id = ?`;

/**
 * `Idempotency-Key` (IETF draft-ietf-httpapi-idempotency-key-header) on PostgreSQL. The first
 * request claims the key with `INSERT … ON CONFLICT … WHERE expired`, so of any number of
 * concurrent requests exactly one runs; the others get 409 while it is in flight and the stored
 * answer after. The same key with another body is a 422. A failed attempt releases the key so it
 * can be retried; an expired key (24 h) is claimed afresh. Two statements per first request
 * (claim, complete), sent straight through the ORM's connection: this sits on every keyed POST.
 */
export class PgIdempotencyStore implements IdempotencyStore {
  #lastPurge = 0;

  constructor(
    private readonly ttlMs = DAY_MS,
    private readonly purgeEveryMs = 10 * 60_000,
  ) {}

  async run(
    scope: Parameters<IdempotencyStore['run']>[0],
    execute: () => Promise<StoredReply>,
  ): Promise<StoredReply> {
    const { ctx, principal, key } = scope;
    if (!principal) return execute();
    const em = ctx.state.em;
    const organization = principal.organizationId;
    const fingerprint = sha256(scope.fingerprint);
    const now = new Date();
    // Expired keys are forgotten: each when it is reused (below), all of them every few minutes.
    if (now.getTime() - this.#lastPurge > this.purgeEveryMs) {
      this.#lastPurge = now.getTime();
      await em.nativeDelete(IdempotencyRecord, { expiresAt: { $lte: now } });
    }
    const id = randomUUID();
    const knex = em.getConnection().getKnex();
    const claimed = (await knex.raw(CLAIM_SQL, [
      id,
      organization,
      key,
      fingerprint,
      now,
      new Date(now.getTime() + this.ttlMs),
    ])) as { rows: unknown[] };
    if (claimed.rows.length === 0) return this.replay(scope, fingerprint);

    let stored = false;
    try {
      const reply = await execute();
      const headers = Object.fromEntries(
        REPLAYED_HEADERS.flatMap((name) => (reply.headers?.[name] ? [[name, reply.headers[name]]] : [])),
      );
      await knex.raw(COMPLETE_SQL, [
        reply.status,
        JSON.stringify(headers),
        reply.body instanceof JsonBody ? reply.body.text : JSON.stringify(reply.body ?? null),
        id,
      ]);
      stored = true;
      return reply;
    } finally {
      // No catch: the error goes on to the error middleware; we only give the key back.
      if (!stored) await em.nativeDelete(IdempotencyRecord, { id });
    }
  }

  private async replay(
    scope: Parameters<IdempotencyStore['run']>[0],
    fingerprint: string,
  ): Promise<StoredReply> {
    const record = await scope.ctx.state.em.findOne(
      IdempotencyRecord,
      { organization: scope.principal?.organizationId, key: scope.key },
      { disableIdentityMap: true },
    );
    if (record && record.fingerprint !== fingerprint) {
      throw problems.unprocessable(
        'This Idempotency-Key was already used with a different request body.',
        'idempotency-key-reused',
      );
    }
    if (!record || record.state === 'in_flight' || record.responseStatus == null) {
      const problem = problems.conflict(
        'A request with this Idempotency-Key is still being processed; retry shortly.',
        'idempotency-in-flight',
      );
      problem.extra.headers = { 'Retry-After': '1' };
      throw problem;
    }
    return {
      status: record.responseStatus,
      headers: { ...(record.responseHeaders ?? {}), 'Idempotent-Replayed': 'true' },
      body: record.responseBody ?? undefined,
    };
  }
}
