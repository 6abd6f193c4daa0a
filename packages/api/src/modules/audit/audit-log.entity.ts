import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Organization } from '../auth/organization.entity.js';

/** Who changed what, when, under which request. */
export const AuditLog = defineEntity({
  name: 'AuditLog',
  tableName: 'audit_log',
  properties: (p) => ({
    id: p.uuid().primary(),
    organization: p.manyToOne(Organization).mapToPk().deleteRule('cascade'),
    actorKind: p.string().length(16),
    actorId: p.uuid().nullable(),
    action: p.string().length(64),
    targetType: p.string().length(64),
    targetId: p.string().length(64),
    requestId: p.string().length(128).nullable(),
    diff: p.json<Record<string, unknown>>().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  }),
  indexes: [{ name: 'audit_log_org_created_idx', properties: ['organization', 'createdAt'] }],
});
export type AuditLog = InferEntity<typeof AuditLog>;
