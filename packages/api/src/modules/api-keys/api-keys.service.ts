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

/**
 * Machine credentials: created by admins, shown once, stored hashed (SHA-256: a key has 256 bits
 * of entropy, so a fast hash is safe and a lookup is one indexed query), revocable.
 *
 * With `cacheTtlMs` > 0 a live key's principal is remembered in-process for that long, so busy
 * integrations do not cost a query per request. Revoking through this process takes effect at
 * once; through another API process, within the TTL.
 */
export class ApiKeysService {
  readonly #principals = new Map<string, { principal: Principal; expiresAt: number }>();

  constructor(private readonly options: { cacheTtlMs?: number; maxCached?: number } = {}) {}
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
    for (const [hash, entry] of this.#principals)
      if (entry.principal.id === id) this.#principals.delete(hash);
    recordAudit(em, actor, 'api-key.revoke', { type: 'api-key', id });
    await em.flush();
  }

  /** The principal of a live key, or undefined; `em` is asked for only on a cache miss. */
  async authenticate(emOf: () => EntityManager, secret: string): Promise<Principal | undefined> {
    const hash = sha256(secret);
    const now = Date.now();
    const cached = this.#principals.get(hash);
    if (cached && cached.expiresAt > now) return cached.principal;
    const em = emOf();
    const key = await em.findOne(ApiKey, { keyHash: hash });
    if (!key || key.revokedAt) {
      this.#principals.delete(hash);
      return undefined;
    }
    if (!key.lastUsedAt || now - key.lastUsedAt.getTime() > LAST_USED_GRANULARITY_MS) {
      await em.nativeUpdate(ApiKey, { id: key.id }, { lastUsedAt: new Date(now) });
    }
    const principal: Principal = {
      kind: 'api-key',
      id: key.id,
      organizationId: key.organization,
      role: key.role,
    };
    const ttl = this.options.cacheTtlMs ?? 0;
    if (ttl > 0) {
      if (this.#principals.size >= (this.options.maxCached ?? 10_000)) this.#principals.clear();
      this.#principals.set(hash, { principal, expiresAt: now + ttl });
    }
    return principal;
  }
}
