import type { EntityManager } from '@mikro-orm/postgresql';
import type { ParameterizedContext } from 'koa';
import type { Logger } from 'pino';

/** Roles, weakest first: viewer reads; analyst also writes companies, metrics, simulations; admin manages people, keys and deletes. */
export const ROLES = ['viewer', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Whether `role` is at least `needed`. */
export function hasRole(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** Who is calling: a person (access token) or a machine (API key), always inside one tenant. */
export interface Principal {
  kind: 'user' | 'api-key';
  id: string;
  organizationId: string;
  role: Role;
  /** The request acting, for the audit log. */
  requestId?: string;
}

/** Per-request state (`ctx.state`). */
export interface AppState {
  requestId: string;
  log: Logger;
  /** Request-scoped EntityManager (a fork of the ORM's), so no identity map is shared between requests. */
  em: EntityManager;
  principal?: Principal;
  /** The matched route's OpenAPI path template, for logs and metrics. */
  routeTemplate?: string;
}

export type AppContext = ParameterizedContext<AppState>;
