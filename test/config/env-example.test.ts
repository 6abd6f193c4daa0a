/**
 * `.env.example`, `compose.yaml`, docs/operations.md and the code agree on the environment.
 *
 * Both sides are derived from the sources, not from a list kept here:
 * - the API reads the keys of `EnvSchema` in packages/api/src/config.ts (and whatever else under
 *   packages/api/src reads `process.env.X` / `env.X`);
 * - the worker and the job activities read what packages/workflows/src reads the same way
 *   (worker.ts, worker-observability.ts, registries/config-from-env.ts, reports/renderer.ts, …);
 * - `.env.example` names a variable with a `NAME=` or a commented-out `# NAME=default` line;
 *   variables in its "not taken from this file" section are read by the code but set by
 *   compose.yaml or the image (or matter only outside Docker);
 * - compose substitutes `${NAME…}` from `.env` and passes each service its `environment:`.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  composeInterpolations,
  composeServiceEnvironment,
  envReads,
  parseEnvExample,
  read,
  sourceFiles,
  zodObjectKeys,
} from './support/env-sources.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function readsUnder(dir: string): Map<string, string[]> {
  const readers = new Map<string, string[]>();
  for (const file of sourceFiles(root, dir)) {
    for (const name of envReads(read(root, file))) readers.set(name, [...(readers.get(name) ?? []), file]);
  }
  return readers;
}

const apiSchema = zodObjectKeys(read(root, 'packages/api/src/config.ts'), 'EnvSchema');
const apiReads = new Set([...apiSchema, ...readsUnder('packages/api/src').keys()]);
const workerReadsBy = readsUnder('packages/workflows/src');
const workerReads = new Set(workerReadsBy.keys());
const codeReads = new Set([...apiReads, ...workerReads]);

const envExample = parseEnvExample(read(root, '.env.example'));
const envExampleNames = new Set(envExample.map((e) => e.name));
/** Read by the code, but compose (or the image) sets them: a value in `.env` would do nothing. */
const NOT_FROM_ENV_FILE = /not taken from this file/i;
const fixedByCompose = new Set(
  envExample.filter((e) => NOT_FROM_ENV_FILE.test(e.section)).map((e) => e.name),
);

const compose = read(root, 'compose.yaml');
const interpolated = composeInterpolations(compose);
const apiContainer = composeServiceEnvironment(compose, 'api');
const workerContainer = composeServiceEnvironment(compose, 'worker');

const sorted = (names: Iterable<string>) => [...names].sort();
const missing = (names: Iterable<string>, from: Set<string>) =>
  sorted([...names].filter((n) => !from.has(n)));

describe('the parsers find what the sources read', () => {
  it('sees the reads the code makes, and not the ones in comments', () => {
    const sample = [
      '/** `process.env.IN_A_COMMENT` */',
      '// env.ALSO_A_COMMENT',
      "const a = process.env.DIRECT ?? env.OBJECT ?? env?.OPTIONAL ?? env['BRACKET'];",
      "const b = required(env, 'HELPER'); // env.TRAILING_COMMENT",
      "const url = 'https://example.test'; const c = env.AFTER_URL;",
    ].join('\n');
    expect(sorted(envReads(sample))).toEqual([
      'AFTER_URL',
      'BRACKET',
      'DIRECT',
      'HELPER',
      'OBJECT',
      'OPTIONAL',
    ]);
  });

  it('takes the first-level keys of the API schema only', () => {
    const source = `const EnvSchema = z.object({\n  /** NOT_A_KEY: x */\n  PORT: z.coerce.number().default(3000),\n  LIST: z.object({ NESTED: z.string() }),\n  FLAG: z.enum(['A', 'B']),\n});`;
    expect(sorted(zodObjectKeys(source, 'EnvSchema'))).toEqual(['FLAG', 'LIST', 'PORT']);
    // The real schema: every key is mapped into the Config object as `e.KEY`.
    expect(apiSchema.size).toBeGreaterThan(20);
    const mapped = new Set(
      [...read(root, 'packages/api/src/config.ts').matchAll(/\be\.([A-Z][A-Z0-9_]*)\b/g)].map((m) => m[1]!),
    );
    expect(missing(apiSchema, mapped)).toEqual([]);
    expect(missing(mapped, apiSchema)).toEqual([]);
  });

  it('reads .env.example entries, compose substitutions and service environments', () => {
    expect(
      parseEnvExample(
        '# --- one ---\nA=1\n# B=2   # note\n# prose C=3\n# --- two: not taken from this file ---\n# D=\n',
      ),
    ).toEqual([
      { name: 'A', section: 'one', active: true },
      { name: 'B', section: 'one', active: false },
      { name: 'D', section: 'two: not taken from this file', active: false },
    ]);
    const yaml = [
      'x-shared: &shared',
      '  SHARED: ${SHARED_VALUE:-x}',
      'services:',
      '  api:',
      '    environment:',
      '      <<: *shared',
      "      OWN: '1'",
      '      # COMMENTED: ${NOPE}',
      '    healthcheck:',
      "      test: ['CMD', 'echo $${ESCAPED}']",
      '  worker:',
      '    environment:',
      '      W: ${W_VALUE:?required}',
    ].join('\n');
    expect(sorted(composeInterpolations(yaml))).toEqual(['SHARED_VALUE', 'W_VALUE']);
    expect(sorted(composeServiceEnvironment(yaml, 'api'))).toEqual(['OWN', 'SHARED']);
    expect(sorted(composeServiceEnvironment(yaml, 'worker'))).toEqual(['W']);
    // The real files.
    expect(envExample.length).toBeGreaterThan(20);
    expect(apiContainer.size).toBeGreaterThan(10);
    expect(workerContainer.size).toBeGreaterThan(5);
    expect(workerReads.size).toBeGreaterThan(5);
  });
});

describe('.env.example', () => {
  it('names every variable the API and the worker read', () => {
    expect(missing(codeReads, envExampleNames)).toEqual([]);
  });

  it('names only variables the code reads or compose.yaml substitutes', () => {
    const used = new Set([...codeReads, ...interpolated]);
    expect(missing(envExampleNames, used)).toEqual([]);
  });

  it('names each variable once', () => {
    const names = envExample.map((e) => e.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });
});

describe('compose.yaml', () => {
  it('substitutes only variables .env.example documents', () => {
    expect(missing(interpolated, envExampleNames)).toEqual([]);
  });

  it('takes from .env every variable .env.example offers (so setting one has an effect)', () => {
    const offered = envExample.filter((e) => !fixedByCompose.has(e.name)).map((e) => e.name);
    expect(missing(offered, interpolated)).toEqual([]);
    // … and none of those .env.example says compose sets itself.
    expect(sorted([...fixedByCompose].filter((n) => interpolated.has(n)))).toEqual([]);
  });

  it('passes a settable variable to every container whose code reads it', () => {
    const settable = [...envExampleNames].filter((n) => codeReads.has(n) && !fixedByCompose.has(n));
    expect(
      missing(
        settable.filter((n) => apiReads.has(n)),
        apiContainer,
      ),
    ).toEqual([]);
    expect(
      missing(
        settable.filter((n) => workerReads.has(n)),
        workerContainer,
      ),
    ).toEqual([]);
  });

  it('passes the API and the worker only variables their code reads', () => {
    expect(missing(apiContainer, apiReads)).toEqual([]);
    expect(missing(workerContainer, workerReads)).toEqual([]);
  });
});

describe('docs/operations.md', () => {
  it('lists every variable the code reads in its environment-variable tables', () => {
    const doc = read(root, 'docs/operations.md');
    const start = doc.indexOf('## Environment variables');
    expect(start).toBeGreaterThanOrEqual(0);
    const end = doc.indexOf('\n## ', start + 1);
    const section = doc.slice(start, end < 0 ? undefined : end);
    expect(sorted([...codeReads].filter((n) => !section.includes(`\`${n}\``)))).toEqual([]);
  });
});
