import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { route } from '../../services.js';
import { z } from '../../http/zod.js';

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

const tags = ['documentation'];

// Scalar's self-contained browser bundle, served from node_modules: the docs work offline, no CDN.
const scalarBundlePath = createRequire(import.meta.url).resolve(
  '@scalar/api-reference/browser/standalone.js',
);

const INIT_SCRIPT = `Scalar.createApiReference('#app', { url: '/openapi.json', withDefaultFonts: false, hideClientButton: false });`;
const INIT_HASH = createHash('sha256').update(INIT_SCRIPT).digest('base64');

const DOCS_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Greenfin API reference</title>
  </head>
  <body>
    <div id="app"></div>
    <script src="/docs/scalar.js"></script>
    <script>${INIT_SCRIPT}</script>
  </body>
</html>
`;

/** The docs page may run Scalar's bundle and its one inline init script; everything else stays local. */
const DOCS_CSP = [
  "default-src 'self'",
  `script-src 'self' 'sha256-${INIT_HASH}'`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Loads the bundle once per app, on first request (3.5 MB; most API processes never serve it). */
export function scalarBundleLoader(): () => Promise<{ source: string; etag: string }> {
  let loaded: Promise<{ source: string; etag: string }> | undefined;
  return () =>
    (loaded ??= readFile(scalarBundlePath, 'utf8').then((source) => ({
      source,
      etag: `"${createHash('sha256').update(source).digest('hex').slice(0, 32)}"`,
    })));
}

export const docsRoutes = [
  route({
    operationId: 'getOpenApiDocument',
    method: 'get',
    path: '/openapi.json',
    summary: 'This OpenAPI 3.1 document',
    description: 'Generated from the same zod schemas that validate requests.',
    tags,
    access: 'public',
    responses: { 200: { description: 'The OpenAPI document.', schema: z.record(z.unknown()) } },
    handler: async (_input, { services }) => ({
      status: 200,
      body: services.openapi() as unknown as Record<string, unknown>,
    }),
  }),
  route({
    operationId: 'getApiReference',
    method: 'get',
    path: '/docs',
    summary: 'Interactive API reference (Scalar)',
    tags,
    access: 'public',
    responses: { 200: { description: 'HTML page.', schema: z.string(), contentType: 'text/html' } },
    handler: async () => ({ status: 200, headers: { 'Content-Security-Policy': DOCS_CSP }, body: DOCS_HTML }),
  }),
  route({
    operationId: 'getApiReferenceScript',
    method: 'get',
    path: '/docs/scalar.js',
    summary: 'The API reference’s script (Scalar, served locally)',
    tags,
    access: 'public',
    responses: {
      200: { description: 'JavaScript bundle.', schema: z.string(), contentType: 'text/javascript' },
    },
    handler: async (_input, { services }) => {
      const bundle = await services.scalarBundle();
      return {
        status: 200,
        headers: { ETag: bundle.etag, 'Cache-Control': 'public, max-age=86400' },
        body: bundle.source,
      };
    },
  }),
];
