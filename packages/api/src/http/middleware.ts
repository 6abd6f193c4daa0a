import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { AppState } from './context.js';
import { problems } from './problem.js';

const INCOMING_ID = /^[\w.:-]{1,128}$/;

/**
 * Gives each request an id (the caller's `X-Request-Id` when it is sane, else a UUID), echoes it,
 * and puts a child logger and a request-scoped EntityManager in `ctx.state`.
 */
export function requestContext(options: { logger: Logger; orm: MikroORM }): Middleware<AppState> {
  return async function requestContextMiddleware(ctx, next) {
    const incoming = ctx.get('X-Request-Id');
    const requestId = INCOMING_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    ctx.state.log = options.logger.child({ requestId });
    ctx.state.em = options.orm.em.fork();
    await next();
  };
}

/** One log line per request, after the answer is known. Auth headers are redacted by the logger. */
export function accessLog(): Middleware<AppState> {
  return async function accessLogMiddleware(ctx, next) {
    const started = performance.now();
    await next();
    ctx.state.log.info(
      {
        req: { method: ctx.method, url: ctx.url, headers: ctx.headers },
        route: ctx.state.routeTemplate,
        status: ctx.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        principal: ctx.state.principal?.id,
      },
      'request',
    );
  };
}

/** Paths in log objects whose values are never written. */
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
