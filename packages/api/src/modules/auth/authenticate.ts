import type { Middleware } from 'koa';
import type { AppState } from '../../http/context.js';
import { problems } from '../../http/problem.js';
import type { AuthService } from './auth.service.js';

/**
 * Resolves `Authorization: Bearer <access token | API key>` into `ctx.state.principal`. No header
 * leaves the request anonymous (routes decide whether that is enough); a bad one is a 401.
 */
export function authenticate(options: { auth: AuthService }): Middleware<AppState> {
  return async function authenticateMiddleware(ctx, next) {
    const header = ctx.get('Authorization');
    if (header) {
      const credential = /^Bearer +(\S{1,2048})$/i.exec(header)?.[1];
      if (!credential) throw problems.unauthorized('Use `Authorization: Bearer <token or API key>`.');
      const principal = await options.auth.authenticate(() => ctx.state.em, credential);
      if (!principal)
        throw problems.unauthorized('The access token or API key is invalid, expired or revoked.');
      ctx.state.principal = { ...principal, requestId: ctx.state.requestId };
    }
    await next();
  };
}
