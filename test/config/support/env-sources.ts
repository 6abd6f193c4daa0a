/**
 * Which environment variables the code, `.env.example` and `compose.yaml` name — read from the
 * sources themselves, so the consistency test needs no list of its own.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const NAME = '[A-Z][A-Z0-9_]*';

/** Source without comments (block comments, and `//` comments that follow whitespace). */
export function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/[^\n]*/g, '$1');
}

/**
 * The variables a module reads from an environment object: `process.env.X`, `env.X`, `env?.X`,
 * `env['X']`, and helpers called as `fn(env, 'X', …)` (e.g. `required(env, 'DATABASE_URL')`).
 */
export function envReads(source: string): Set<string> {
  const code = stripComments(source);
  const patterns = [
    new RegExp(`\\b(?:process\\.env|env)\\??\\.(${NAME})\\b`, 'g'),
    new RegExp(`\\b(?:process\\.env|env)\\??\\.?\\[\\s*['"](${NAME})['"]\\s*\\]`, 'g'),
    new RegExp(`\\(\\s*env\\s*,\\s*['"](${NAME})['"]`, 'g'),
  ];
  const names = new Set<string>();
  for (const pattern of patterns) for (const match of code.matchAll(pattern)) names.add(match[1]!);
  return names;
}

/**
 * The keys of the zod object assigned to `const <schemaName> = z.object({ … })` (the API's
 * environment schema): the property names at the object's first level.
 */
export function zodObjectKeys(source: string, schemaName: string): Set<string> {
  const code = stripComments(source);
  const start = code.search(new RegExp(`const ${schemaName}\\s*=\\s*z\\s*\\.object\\(\\s*\\{`));
  if (start < 0) throw new Error(`no \`const ${schemaName} = z.object({\` found`);
  const open = code.indexOf('{', start);
  let depth = 0;
  let end = open;
  for (; end < code.length; end++) {
    const c = code[end];
    if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === ')' || c === ']') depth--;
    if (depth === 0) break;
  }
  const body = code.slice(open + 1, end);
  // First-level keys only: track nesting while scanning `NAME:` tokens.
  const keys = new Set<string>();
  let level = 0;
  const token = new RegExp(`[{}()\\[\\]]|\\b(${NAME})\\s*:`, 'g');
  for (const match of body.matchAll(token)) {
    const t = match[0];
    if (t === '{' || t === '(' || t === '[') level++;
    else if (t === '}' || t === ')' || t === ']') level--;
    else if (level === 0) keys.add(match[1]!);
  }
  return keys;
}

/** Production `.ts` files under `dir` (no tests, no `__tests__` folders), relative to `root`. */
export function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '__tests__' && entry.name !== 'node_modules') walk(path);
      } else if (entry.name.endsWith('.ts') && !/\.(test|typetest|bench)\.ts$/.test(entry.name)) {
        out.push(relative(root, path));
      }
    }
  };
  walk(join(root, dir));
  return out.sort();
}

export interface EnvExampleEntry {
  name: string;
  /** The `# --- title ---` section it is in ('' before the first). */
  section: string;
  /** A `NAME=value` line (as opposed to a commented-out `# NAME=default`). */
  active: boolean;
}

/** Every `NAME=` and commented-out `# NAME=` line of a `.env` file, with its section title. */
export function parseEnvExample(text: string): EnvExampleEntry[] {
  const entries: EnvExampleEntry[] = [];
  let section = '';
  for (const line of text.split(/\r?\n/)) {
    const title = /^#\s*---\s*(.*?)\s*-*\s*$/.exec(line);
    if (title) {
      section = title[1]!;
      continue;
    }
    const entry = new RegExp(`^(#\\s*)?(${NAME})=`).exec(line);
    if (entry) entries.push({ name: entry[2]!, section, active: !entry[1] });
  }
  return entries;
}

/** Variables compose substitutes from `.env`: `${NAME}`, `${NAME:-x}`, `${NAME:?msg}`, … */
export function composeInterpolations(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line)) continue;
    for (const match of line.matchAll(new RegExp(`(?<!\\$)\\$\\{(${NAME})(?=[:?}-])`, 'g'))) {
      names.add(match[1]!);
    }
  }
  return names;
}

/** The lines of the block under the first line matching `header` (deeper-indented lines). */
function block(lines: string[], header: RegExp, from = 0, to = lines.length): string[] {
  const at = lines.findIndex((l, i) => i >= from && i < to && header.test(l));
  if (at < 0) return [];
  const indent = lines[at]!.search(/\S/);
  const out: string[] = [];
  for (let i = at + 1; i < to; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || /^\s*#/.test(line)) continue;
    if (line.search(/\S/) <= indent) break;
    out.push(line);
  }
  return out;
}

/** The direct `KEY:` children of a block (at its shallowest indentation). */
function mappingKeys(lines: string[]): string[] {
  if (!lines.length) return [];
  const indent = Math.min(...lines.map((l) => l.search(/\S/)));
  return lines
    .filter((l) => l.search(/\S/) === indent)
    .map((l) => new RegExp(`^\\s*(${NAME}|<<)\\s*:(.*)$`).exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .flatMap((m) => (m[1] === '<<' ? [`<<${m[2]!.trim()}`] : [m[1]!]));
}

/**
 * The environment variable names compose gives a service (its `environment:` mapping, with a
 * `<<: *anchor` merge resolved against the top-level `x-…: &anchor` mapping).
 */
export function composeServiceEnvironment(text: string, service: string): Set<string> {
  const lines = text.split('\n');
  const services = lines.findIndex((l) => /^services:\s*$/.test(l));
  if (services < 0) throw new Error('compose file has no services:');
  const serviceLines = block(lines, new RegExp(`^  ${service}:\\s*$`), services);
  if (!serviceLines.length) throw new Error(`compose file has no service ${service}`);
  const environment = block(serviceLines, /^\s*environment:\s*$/);
  const names = new Set<string>();
  for (const key of mappingKeys(environment)) {
    if (!key.startsWith('<<')) {
      names.add(key);
      continue;
    }
    const anchor = key.replace(/^<<\*/, '');
    const anchored = block(lines, new RegExp(`^x-[\\w-]+:\\s*&${anchor}\\s*$`));
    if (!anchored.length) throw new Error(`compose file has no anchor &${anchor}`);
    for (const k of mappingKeys(anchored)) names.add(k);
  }
  return names;
}

export const read = (root: string, path: string) => readFileSync(join(root, path), 'utf8');
