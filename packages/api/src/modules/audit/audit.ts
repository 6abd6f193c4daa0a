import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../http/context.js';
import { AuditLog } from './audit-log.entity.js';

/**
 * Adds an audit entry to the unit of work, so it is written in the same flush (and transaction)
 * as the change it describes.
 */
export function recordAudit(
  em: EntityManager,
  actor: Principal,
  action: string,
  target: { type: string; id: string },
  diff?: Record<string, unknown>,
): void {
  em.create(AuditLog, {
    id: randomUUID(),
    organization: actor.organizationId,
    actorKind: actor.kind,
    actorId: actor.id,
    action,
    targetType: target.type,
    targetId: target.id,
    requestId: actor.requestId ?? null,
    diff: diff ?? null,
  });
}
