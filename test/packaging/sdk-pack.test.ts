/**
 * Proves @greenfin/sdk works as a published package: build it, `npm pack` it, install the tarball
 * into an empty project, use it from plain Node ESM through its `exports` map (against a local
 * server), check the shipped JavaScript imports no Node built-in (it must run in browsers), and
 * type-check a consumer against the shipped declarations.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const sdkDir = join(root, 'packages/sdk');
const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('@greenfin/sdk packed tarball', () => {
  let work: string;
  let tarball: string;
  let installed: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'greenfin-sdk-pack-'));
    run('npm', ['run', 'build'], sdkDir);
    const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], sdkDir)) as {
      filename: string;
    }[];
    tarball = join(work, packed[0]!.filename);
    writeFileSync(
      join(work, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    // Its two runtime dependencies come from the npm cache (the registry only the first time).
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], work);
    installed = join(work, 'node_modules/@greenfin/sdk');
  }, 180_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('ships dist, the OpenAPI document, README, CHANGELOG, LICENSE; ESM, types first, side-effect free', () => {
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {
      type: string;
      dependencies: Record<string, string>;
      sideEffects: boolean;
      exports: Record<string, { types: string } | string>;
    };
    expect(pkg.type).toBe('module');
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['openapi-fetch', 'standardwebhooks']);
    expect(pkg.sideEffects).toBe(false);
    expect(Object.keys(pkg.exports['.'] as object)[0]).toBe('types');
    const listing = run('tar', ['-tzf', tarball], work).split('\n').filter(Boolean);
    expect(
      listing.filter(
        (f) =>
          !/^package\/(dist\/|openapi\.json$|README\.md$|LICENSE$|CHANGELOG\.md$|package\.json$)/.test(f),
      ),
    ).toEqual([]);
    expect(listing).toEqual(
      expect.arrayContaining(['package/dist/index.js', 'package/dist/index.d.ts', 'package/openapi.json']),
    );
  });

  it('imports no Node built-in anywhere in the shipped JavaScript (it runs in browsers)', () => {
    const dist = join(installed, 'dist');
    const files = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
    expect(files.length).toBeGreaterThan(5);
    const builtins = new Set(builtinModules);
    const offending = files.flatMap((file) =>
      [...readFileSync(join(dist, file), 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)]
        .map((m) => m[1]!)
        .filter((specifier) => specifier.startsWith('node:') || builtins.has(specifier))
        .map((specifier) => `${file}: ${specifier}`),
    );
    expect(offending).toEqual([]);
  });

  it('works from plain Node ESM: auth, request id, a retry, { error }, webhook verification', () => {
    writeFileSync(
      join(work, 'use.mjs'),
      `import { createServer } from 'node:http';
       import { Webhook } from 'standardwebhooks';
       import { createGreenfinClient, simulateLoan, GreenfinApiError, verifyWebhook } from '@greenfin/sdk';
       const seen = [];
       const server = createServer((req, res) => {
         seen.push({ auth: req.headers.authorization, id: req.headers['x-request-id'] });
         if (req.url === '/v1/companies' && seen.length === 1) { res.writeHead(503, { 'Retry-After': '0' }); return res.end(); }
         if (req.url === '/v1/companies') { res.writeHead(200, { 'Content-Type': 'application/json' }); return res.end(JSON.stringify({ items: [], nextCursor: null })); }
         res.writeHead(422, { 'Content-Type': 'application/problem+json' });
         res.end(JSON.stringify({ type: '/problems/validation-error', title: 'Unprocessable', status: 422 }));
       });
       await new Promise((r) => server.listen(0, '127.0.0.1', r));
       const client = createGreenfinClient({ baseUrl: 'http://127.0.0.1:' + server.address().port, apiKey: 'gfk_pack' });
       const list = await client.GET('/v1/companies');
       const failed = await simulateLoan(client, { companyId: crypto.randomUUID(), principal: { amount: '1.00', currency: 'GBP' }, termMonths: 1 }).catch((e) => e);
       server.close();
       const secret = 'whsec_' + btoa('packaged-secret-0123456789abcdef');
       const at = new Date();
       const body = JSON.stringify({ type: 'operation.succeeded' });
       const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(at / 1000)), 'webhook-signature': new Webhook(secret).sign('msg_1', at, body) };
       console.log(JSON.stringify({ items: list.data.items, seen, failedStatus: failed instanceof GreenfinApiError ? failed.status : String(failed), webhook: verifyWebhook(body, headers, secret) }));`,
    );
    const out = JSON.parse(run('node', ['use.mjs'], work)) as {
      items: unknown[];
      seen: { auth: string; id: string }[];
      failedStatus: number;
      webhook: unknown;
    };
    expect(out.items).toEqual([]);
    expect(out.seen).toHaveLength(3);
    expect(out.seen.every((s) => s.auth === 'Bearer gfk_pack')).toBe(true);
    expect(out.seen[0]!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.seen[1]!.id).toBe(out.seen[0]!.id);
    expect(out.seen[2]!.id).not.toBe(out.seen[0]!.id);
    expect(out.failedStatus).toBe(422);
    expect(out.webhook).toEqual({ type: 'operation.succeeded' });
  }, 60_000);

  it('type-checks a consumer against the shipped declarations, and rejects misuse', () => {
    writeFileSync(
      join(work, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2023', 'DOM'],
          noEmit: true,
          types: [],
        },
        files: ['use.ts'],
      }),
    );
    writeFileSync(
      join(work, 'use.ts'),
      `import { createGreenfinClient, waitForOperation, type Schema, type Operation } from '@greenfin/sdk';
       const client = createGreenfinClient({ baseUrl: 'https://api.greenfin.example', apiKey: 'gfk_x' });
       export async function names(): Promise<string[]> {
         const { data } = await client.GET('/v1/companies', { params: { query: { limit: 5 } } });
         const companies: Schema<'Company'>[] = data?.items ?? [];
         return companies.map((c) => c.name);
       }
       export const waited: Promise<Operation> = waitForOperation(client, 'op', { timeoutMs: 1000 });
       // @ts-expect-error not a path of the API
       void client.GET('/v1/companys');
       // @ts-expect-error the company id is a required path parameter
       void client.GET('/v1/companies/{id}', {});
       // @ts-expect-error an API key and an access token are exclusive
       createGreenfinClient({ baseUrl: 'x', apiKey: 'a', accessToken: 'b' });`,
    );
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    expect(() => run('node', [tsc, '-p', 'tsconfig.json'], work)).not.toThrow();
    // No skipLibCheck: the shipped declarations themselves must compile. About 10 s idle, and
    // several times that on a busy 2-core machine.
  }, 120_000);
});
