import type { Middleware } from 'koa';
import type { Redis } from 'ioredis';
import type { AppState } from './context.js';
import { problems } from './problem.js';

/** Counts hits per key in fixed windows. */
export interface RateLimitStore {
  /** Records a hit; returns the window's count so far and the ms until it resets. */
  hit(key: string, windowMs: number): Promise<{ count: number; resetMs: number }>;
}

/** In-process fixed windows (one API process; tests). Old windows are swept as new ones start. */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly #windows = new Map<string, { count: number; resetAt: number }>();

  async hit(key: string, windowMs: number) {
    const now = Date.now();
    let window = this.#windows.get(key);
    if (!window || window.resetAt <= now) {
      if (this.#windows.size > 10_000) this.#sweep(now);
      window = { count: 0, resetAt: now + windowMs };
      this.#windows.set(key, window);
    }
    window.count += 1;
    return { count: window.count, resetMs: window.resetAt - now };
  }

  #sweep(now: number) {
    for (const [key, w] of this.#windows) if (w.resetAt <= now) this.#windows.delete(key);
  }
}

/** Redis fixed windows, shared by every API process. */
export class RedisRateLimitStore implements RateLimitStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'greenfin:rl:',
  ) {}

  async hit(key: string, windowMs: number) {
    const bucket = Math.floor(Date.now() / windowMs);
    const redisKey = `${this.prefix}${key}:${bucket}`;
    const [[, count], [, ttl]] = (await this.redis
      .multi()
      .incr(redisKey)
      .pexpire(redisKey, windowMs)
      .pttl(redisKey)
      .exec()) as [[null, number], [null, number], [null, number]];
    return { count, resetMs: Math.max(ttl, 0) || windowMs - (Date.now() % windowMs) };
  }
}

export interface RateLimitOptions {
  store: RateLimitStore;
  /** Requests per window per API key, user, or (anonymous) client IP. */
  limit: number;
  /** Stricter limit for sign-in and sign-up per client IP (password guessing). */
  authLimit: number;
  windowMs: number;
}

const AUTH_PATHS = new Set(['/v1/auth/login', '/v1/auth/signup', '/v1/auth/refresh']);

/** 429 + Retry-After past the limit; `RateLimit-Limit`/`RateLimit-Remaining` on every answer. */
export function rateLimit(options: RateLimitOptions): Middleware<AppState> {
  return async function rateLimitMiddleware(ctx, next) {
    const principal = ctx.state.principal;
    const auth = AUTH_PATHS.has(ctx.path) && ctx.method === 'POST';
    const key = auth ? `auth:${ctx.ip}` : principal ? `${principal.kind}:${principal.id}` : `ip:${ctx.ip}`;
    const limit = auth ? options.authLimit : options.limit;
    const { count, resetMs } = await options.store.hit(key, options.windowMs);
    ctx.set('RateLimit-Limit', String(limit));
    ctx.set('RateLimit-Remaining', String(Math.max(limit - count, 0)));
    if (count > limit) throw problems.tooManyRequests(Math.max(1, Math.ceil(resetMs / 1000)));
    await next();
  };
}
