/** Writes packages/sdk/openapi.json and packages/sdk/src/generated/openapi.ts (see artifacts.ts). */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { artifactPaths, generateArtifacts } from './artifacts.js';

const artifacts = await generateArtifacts();
for (const [name, path] of [
  ['document', artifactPaths.document],
  ['types', artifactPaths.types],
] as const) {
  const next = artifacts[name];
  const previous = await readFile(path, 'utf8').catch(() => undefined);
  await mkdir(dirname(path), { recursive: true });
  if (previous !== next) await writeFile(path, next);
  console.log(`${previous === next ? 'unchanged' : 'wrote'} ${relative(process.cwd(), path)}`);
}
