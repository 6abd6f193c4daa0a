/**
 * The OpenAPI document, built from route definitions alone. `createApp` fills a registry while it
 * mounts its routes; `buildOpenApiDocument` does the same on a throwaway router, so tools (the
 * SDK's type generator, its drift test) get the very document `/openapi.json` serves without a
 * database, a server or any configuration.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import Router from '@koa/router';
import type { OpenApiDocument } from '../modules/docs/docs.routes.js';
import type { AppState } from './context.js';
import { type AnyRoute, mountRoutes } from './route.js';

/** A registry with the API's security scheme, ready for `mountRoutes`. */
export function createOpenApiRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'An access token from /v1/auth/login or /v1/auth/signup, or an API key (`gfk_…`).',
  });
  return registry;
}

/** The document of a registry that `mountRoutes` has filled. */
export function generateOpenApiDocument(registry: OpenAPIRegistry): OpenApiDocument {
  return withoutDuplicateAlternatives(
    new OpenApiGeneratorV31(registry.definitions).generateDocument({
      openapi: '3.1.0',
      info: {
        title: 'Greenfin API',
        version: '0.1.0',
        description:
          'Green-lending decision engine: companies, environmental metrics, green scores and loan simulations, per tenant. Errors are RFC 9457 problem details.',
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      servers: [{ url: '/' }],
    }),
  );
}

/**
 * The document for these routes (pass `allRoutes` from app.ts for the API's), built exactly as
 * `createApp` builds it but with no services: handlers are registered, never run.
 */
export function buildOpenApiDocument<Services>(routes: readonly AnyRoute<Services>[]): OpenApiDocument {
  const registry = createOpenApiRegistry();
  mountRoutes(new Router<AppState>(), registry, routes, {
    services: undefined as Services,
    idempotency: {
      run: () => Promise.reject(new Error('buildOpenApiDocument mounts routes for documentation only')),
    },
    bodyLimitBytes: 0,
  });
  return generateOpenApiDocument(registry);
}

/**
 * Drops repeated members of `anyOf` lists: zod-to-openapi writes `{ type: 'null' }` twice for
 * `orNull(schema)` (see http/schemas.ts). Same document, tidier.
 */
function withoutDuplicateAlternatives<T>(node: T): T {
  if (Array.isArray(node)) return node.map(withoutDuplicateAlternatives) as T;
  if (!node || typeof node !== 'object') return node;
  const entries = Object.entries(node).map(([key, value]) => {
    const cleaned = withoutDuplicateAlternatives(value);
    if (key !== 'anyOf' || !Array.isArray(cleaned)) return [key, cleaned];
    const seen = new Set<string>();
    return [
      key,
      cleaned.filter((member) => !seen.has(JSON.stringify(member)) && !!seen.add(JSON.stringify(member))),
    ];
  });
  return Object.fromEntries(entries) as T;
}
