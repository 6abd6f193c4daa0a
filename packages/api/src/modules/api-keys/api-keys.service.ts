import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../http/context.js';
import { pageByCreation } from '../../db/pages.js';
import { problems } from '../../http/problem.js';
import { recordAudit } from '../audit/audit.js';
import { randomSecret, sha256 } from '../auth/credentials.js';
import { ApiKey } from './api-key.entity.js';
import type { ApiKeyJson, CreateApiKeyInput } from './api-keys.schemas.js';

/** Every API key starts with this, so a bearer credential can be told from a JWT at a glance. */
export const API_KEY_PREFIX = 'gfk_';
/** `lastUsedAt` is refreshed at most this often, so authenticating does not write on every request. */
const LAST_USED_GRANULARITY_MS = 60_000;

export function toApiKeyJson(key: ApiKey): ApiKeyJson {
  return {
    id: key.id,
    name: key.name,
    role: key.role,
    prefix: key.prefix,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}

/** Machine credentials: created by admins, shown once, stored hashed, revocable. */
export class ApiKeysService {
  async create(
    em: EntityManager,
    actor: Principal,
    input: CreateApiKeyInput,
  ): Promise<{ key: ApiKey; secret: string }> {
    const secret = `${API_KEY_PREFIX}${randomSecret()}`;
    const key = em.create(ApiKey, {
      id: randomUUID(),
      organization: actor.organizationId,
      name: input.name,
      role: input.role,
      prefix: secret.slice(0, 12),
      keyHash: sha256(secret),
      createdBy: actor.id,
    });
    recordAudit(
      em,
      actor,
      'api-key.create',
      { type: 'api-key', id: key.id },
      { name: key.name, role: key.role },
    );
    await em.flush();
    return { key, secret };
  }

  /** Creates a key with a known secret (the demo tenant's); no-op when it exists. */
  async ensure(
    em: EntityManager,
    organizationId: string,
    name: string,
    role: ApiKey['role'],
    secret: string,
  ) {
    if ((await em.count(ApiKey, { keyHash: sha256(secret) })) > 0) return;
    em.create(ApiKey, {
      id: randomUUID(),
      organization: organizationId,
      name,
      role,
      prefix: secret.slice(0, 12),
      keyHash: sha256(secret),
    });
    await em.flush();
  }

  list(em: EntityManager, actor: Principal, page: { limit: number; cursor?: string | undefined }) {
    return pageByCreation(em, ApiKey, { organization: actor.organizationId }, page, toApiKeyJson);
  }

  /** Revokes a key (idempotent); it stops working at once. */
  async revoke(em: EntityManager, actor: Principal, id: string): Promise<void> {
    const key = await em.findOne(ApiKey, { id, organization: actor.organizationId });
    if (!key) throw problems.notFound(`API key ${id}`);
    if (key.revokedAt) return;
    key.revokedAt = new Date();
    recordAudit(em, actor, 'api-key.revoke', { type: 'api-key', id });
    await em.flush();
  }

  /** The principal of a live key, or undefined. */
  async authenticate(em: EntityManager, secret: string): Promise<Principal | undefined> {
    const key = await em.findOne(ApiKey, { keyHash: sha256(secret) });
    if (!key || key.revokedAt) return undefined;
    const now = Date.now();
    if (!key.lastUsedAt || now - key.lastUsedAt.getTime() > LAST_USED_GRANULARITY_MS) {
      await em.nativeUpdate(ApiKey, { id: key.id }, { lastUsedAt: new Date(now) });
    }
    return { kind: 'api-key', id: key.id, organizationId: key.organization, role: key.role };
  }
}
