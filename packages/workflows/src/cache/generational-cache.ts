import type { Redis } from 'ioredis';

/**
 * A cache of derived values grouped under keys (one key per company: its green scores for each
 * methodology and as-of year), where a key is invalidated as a whole when its inputs change.
 *
 * A read returns the key's *generation* with the value; a write succeeds only while the key is
 * still at that generation. So a value computed from inputs read before an invalidation can never
 * be stored after it (the read–compute–write race every "delete on change" cache has).
 */
export interface GenerationalCache {
  get(key: string, field: string): Promise<{ value: string | undefined; generation: string }>;
  /** Stores `value` unless `key` was invalidated since `generation` was read. */
  set(key: string, field: string, value: string, generation: string): Promise<void>;
  /** Drops every field of `key`; writes holding an older generation are refused. */
  invalidate(key: string): Promise<void>;
  /** Where values live, for start-up messages. */
  readonly kind: 'redis' | 'in-process';
}

const NO_GENERATION = '0';

interface MemoryEntry {
  generation: string;
  fields: Map<string, string>;
  expiresAt: number;
}

/**
 * In-process cache for one API process (and tests). Bounded: past `maxKeys` the oldest key is
 * dropped. Generations come from one counter, so a dropped-and-recreated key never reuses one.
 */
export class MemoryGenerationalCache implements GenerationalCache {
  readonly kind = 'in-process';
  readonly #entries = new Map<string, MemoryEntry>();
  #counter = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxKeys = 50_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string, field: string) {
    const entry = this.#live(key);
    return { value: entry?.fields.get(field), generation: entry?.generation ?? NO_GENERATION };
  }

  async set(key: string, field: string, value: string, generation: string) {
    const entry = this.#live(key);
    if ((entry?.generation ?? NO_GENERATION) !== generation) return;
    if (entry) {
      entry.fields.set(field, value);
      entry.expiresAt = this.now() + this.ttlMs;
      return;
    }
    this.#put(key, { generation, fields: new Map([[field, value]]), expiresAt: this.now() + this.ttlMs });
  }

  async invalidate(key: string) {
    this.#entries.delete(key);
    this.#counter += 1;
    this.#put(key, {
      generation: String(this.#counter),
      fields: new Map(),
      expiresAt: this.now() + this.ttlMs,
    });
  }

  #live(key: string): MemoryEntry | undefined {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #put(key: string, entry: MemoryEntry) {
    if (this.#entries.size >= this.maxKeys) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(key, entry);
  }
}

const GENERATION_FIELD = '#generation';

// KEYS[1] the hash; ARGV: generation read, field, value, ttl ms.
const SET_SCRIPT = `
local current = redis.call('HGET', KEYS[1], '${GENERATION_FIELD}') or '${NO_GENERATION}'
if current ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1`;

// KEYS[1] the hash, KEYS[2] the generation counter; ARGV: ttl ms.
const INVALIDATE_SCRIPT = `
local generation = redis.call('INCR', KEYS[2])
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], '${GENERATION_FIELD}', generation)
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return generation`;

/**
 * The same cache in Redis, shared by every API process: a hash per key holding its fields and
 * generation; reads are one HMGET, writes and invalidations one Lua script each (atomic).
 */
export class RedisGenerationalCache implements GenerationalCache {
  readonly kind = 'redis';

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {}

  async get(key: string, field: string) {
    const [generation, value] = await this.redis.hmget(this.prefix + key, GENERATION_FIELD, field);
    return { value: value ?? undefined, generation: generation ?? NO_GENERATION };
  }

  async set(key: string, field: string, value: string, generation: string) {
    await this.redis.eval(SET_SCRIPT, 1, this.prefix + key, generation, field, value, this.ttlMs);
  }

  async invalidate(key: string) {
    await this.redis.eval(INVALIDATE_SCRIPT, 2, this.prefix + key, `${this.prefix}#generations`, this.ttlMs);
  }
}

/**
 * The cache key of a company's green scores (every methodology and as-of year is one field under
 * it). The API reads and writes under it; whatever changes a company's inputs — the API itself,
 * enrichment, imports on the Temporal worker — invalidates it.
 *
 * @example greenScoreCacheKey('org-1', 'co-1') // 'green-score:org-1:co-1'
 */
export function greenScoreCacheKey(organizationId: string, companyId: string): string {
  return `green-score:${organizationId}:${companyId}`;
}

/**
 * The cache key of a company's cash-flow analytics (every window and granularity is one field).
 * Invalidated by whatever changes its transactions: ingest, imports, recategorisation.
 *
 * @example cashFlowCacheKey('org-1', 'co-1') // 'cash-flow:org-1:co-1'
 */
export function cashFlowCacheKey(organizationId: string, companyId: string): string {
  return `cash-flow:${organizationId}:${companyId}`;
}

/** The Redis key prefix of the derived-value cache under a deployment's `REDIS_KEY_PREFIX`. */
export function cacheRedisPrefix(redisKeyPrefix: string): string {
  return `${redisKeyPrefix}cache:`;
}
