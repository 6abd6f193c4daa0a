import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { AppState, Principal } from './context.js';
import { problems } from './problem.js';

const INCOMING_ID = /^[\w.:-]{1,128}$/;

/**
 * Per-request state whose costly parts are made on first use: the child logger (pino serialises
 * its bindings) and the request-scoped EntityManager (a fork: identity map, unit of work). A
 * cached green score, answered from memory, needs neither.
 */
class RequestState implements AppState {
  principal?: Principal;
  routeTemplate?: string;
  #log: Logger | undefined;
  #em: EntityManager | undefined;

  constructor(
    readonly requestId: string,
    private readonly logger: Logger,
    private readonly orm: MikroORM,
  ) {}

  get log(): Logger {
    return (this.#log ??= this.logger.child({ requestId: this.requestId }));
  }
  set log(log: Logger) {
    this.#log = log;
  }
  get em(): EntityManager {
    return (this.#em ??= this.orm.em.fork());
  }
  set em(em: EntityManager) {
    this.#em = em;
  }
}

/**
 * Gives each request an id (the caller's `X-Request-Id` when it is sane, else a UUID), echoes it,
 * and puts a child logger and a request-scoped EntityManager in `ctx.state` (each made on first
 * use).
 */
export function requestContext(options: { logger: Logger; orm: MikroORM }): Middleware<AppState> {
  return async function requestContextMiddleware(ctx, next) {
    const incoming = ctx.get('X-Request-Id');
    const requestId = INCOMING_ID.test(incoming) ? incoming : randomUUID();
    ctx.state = new RequestState(requestId, options.logger, options.orm);
    ctx.set('X-Request-Id', requestId);
    await next();
  };
}

/** One log line per request, after the answer is known. Auth headers are redacted by the logger. */
export function accessLog(logger: Logger): Middleware<AppState> {
  return async function accessLogMiddleware(ctx, next) {
    // Below `info` (LOG_LEVEL=warn) the line would be dropped: skip building it.
    if (!logger.isLevelEnabled('info')) return next();
    const started = performance.now();
    await next();
    ctx.state.log.info(
      {
        req: { method: ctx.method, url: ctx.url, headers: ctx.headers },
        route: ctx.state.routeTemplate,
        status: ctx.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        principal: ctx.state.principal?.id,
        organizationId: ctx.state.principal?.organizationId,
      },
      'request',
    );
  };
}

/**
 * Paths in log objects whose values are never written (the logger adds the shared list of
 * credential fields, `SECRET_LOG_PATHS`, and scrubs credential patterns from strings).
 */
export const LOG_REDACTIONS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["proxy-authorization"]',
];

/**
 * Conservative security headers for a JSON API. Routes that serve HTML (the docs page) send
 * their own Content-Security-Policy.
 */
export function securityHeaders(): Middleware<AppState> {
  return async function securityHeadersMiddleware(ctx, next) {
    ctx.set({
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
      'Cache-Control': 'no-store',
    });
    await next();
  };
}

const EXPOSED = ['ETag', 'Location', 'Retry-After', 'X-Request-Id', 'Idempotent-Replayed', 'X-Cache'];
const ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'If-Match',
  'If-None-Match',
  'Idempotency-Key',
  'X-Request-Id',
];

/** CORS for an allowlist of origins; preflights answered here, other origins get no CORS headers. */
export function cors(options: { origins: readonly string[] }): Middleware<AppState> {
  const allowed = new Set(options.origins);
  return async function corsMiddleware(ctx, next) {
    const origin = ctx.get('Origin');
    ctx.vary('Origin');
    const permitted = origin !== '' && allowed.has(origin);
    if (permitted) {
      ctx.set('Access-Control-Allow-Origin', origin);
      ctx.set('Access-Control-Expose-Headers', EXPOSED.join(', '));
    }
    if (ctx.method === 'OPTIONS' && ctx.get('Access-Control-Request-Method')) {
      if (permitted) {
        ctx.set('Access-Control-Allow-Methods', 'GET, HEAD, POST, PUT, PATCH, DELETE');
        ctx.set('Access-Control-Allow-Headers', ALLOWED_HEADERS.join(', '));
        ctx.set('Access-Control-Max-Age', '600');
      }
      ctx.status = 204;
      return;
    }
    await next();
  };
}

/**
 * Sits just before the router: when nothing answered, turns the router's bare 404/405/501 into
 * problem details (405 keeps the router's `Allow` header).
 */
export function unmatchedRoutes(): Middleware<AppState> {
  return async function unmatchedRoutesMiddleware(ctx, next) {
    await next();
    if (ctx.status === 405) throw problems.methodNotAllowed(ctx.response.get('Allow'));
    if (ctx.status === 501) throw problems.notImplemented(ctx.method);
    if (ctx.status === 404 && ctx.body == null) throw problems.routeNotFound(ctx.method, ctx.path);
  };
}
