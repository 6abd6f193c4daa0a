import { randomUUID } from 'node:crypto';
import type { IdempotencyStore, StoredReply } from '../../http/route.js';
import { problems } from '../../http/problem.js';
import { sha256 } from '../auth/credentials.js';
import { IdempotencyRecord } from './idempotency-record.entity.js';

const DAY_MS = 24 * 3600 * 1000;
/** Response headers worth replaying; the rest are per-request. */
const REPLAYED_HEADERS = ['Location', 'ETag'];

/**
 * `Idempotency-Key` (IETF draft-ietf-httpapi-idempotency-key-header) on PostgreSQL. The first
 * request claims the key with `INSERT … ON CONFLICT DO NOTHING`, so of any number of concurrent
 * requests exactly one runs; the others get 409 while it is in flight and the stored answer after.
 * The same key with another body is a 422. A failed attempt releases the key so it can be retried.
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
    // Expired keys are forgotten: this one now, all of them every few minutes.
    const purgeAll = now.getTime() - this.#lastPurge > this.purgeEveryMs;
    if (purgeAll) this.#lastPurge = now.getTime();
    await em.nativeDelete(IdempotencyRecord, {
      ...(purgeAll ? {} : { organization, key }),
      expiresAt: { $lte: now },
    });
    const id = randomUUID();
    const claimed = await em
      .createQueryBuilder(IdempotencyRecord)
      .insert({
        id,
        organization,
        key,
        fingerprint,
        state: 'in_flight',
        createdAt: now,
        expiresAt: new Date(now.getTime() + this.ttlMs),
      })
      .onConflict(['organization', 'key'])
      .ignore()
      .execute('run');
    if (claimed.affectedRows === 0) return this.replay(scope, fingerprint);

    let stored = false;
    try {
      const reply = await execute();
      const headers = Object.fromEntries(
        REPLAYED_HEADERS.flatMap((name) => (reply.headers?.[name] ? [[name, reply.headers[name]]] : [])),
      );
      await em.nativeUpdate(
        IdempotencyRecord,
        { id },
        {
          state: 'completed',
          responseStatus: reply.status,
          responseHeaders: headers,
          responseBody: reply.body ?? null,
        },
      );
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
