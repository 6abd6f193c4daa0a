import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Organization } from '../auth/organization.entity.js';

/** A stored answer to an `Idempotency-Key`ed creation, kept 24 h. */
export const IdempotencyRecord = defineEntity({
  name: 'IdempotencyRecord',
  tableName: 'idempotency_records',
  properties: (p) => ({
    id: p.uuid().primary(),
    organization: p.manyToOne(Organization).mapToPk().deleteRule('cascade'),
    key: p.string().length(255),
    /** SHA-256 of the operation and its parsed input: a different body under the same key → 422. */
    fingerprint: p.string().length(64),
    state: p.enum(['in_flight', 'completed']),
    responseStatus: p.integer().nullable(),
    responseHeaders: p.json<Record<string, string>>().columnType('json').nullable(),
    /** `json`, not `jsonb` (ADR 14): a reply stored as sent and replayed whole. */
    responseBody: p.json<unknown>().columnType('json').nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime().index(),
  }),
  uniques: [{ name: 'idempotency_records_org_key_unique', properties: ['organization', 'key'] }],
});
export type IdempotencyRecord = InferEntity<typeof IdempotencyRecord>;
