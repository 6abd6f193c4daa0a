/**
 * The committed document and types must be what the API's route definitions generate today: a
 * route added or changed without `npm run generate -w @greenfin/sdk` fails here.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Artifacts, artifactPaths, GENERATE_COMMAND, generateArtifacts } from '../scripts/artifacts.js';

describe('generated OpenAPI document and types', () => {
  let fresh: Artifacts;
  beforeAll(async () => {
    fresh = await generateArtifacts();
  }, 60_000);

  for (const name of ['document', 'types'] as const) {
    it(`${name} is up to date with the API's routes`, () => {
      const committed = readFileSync(artifactPaths[name], 'utf8');
      const stale = `${artifactPaths[name]} is stale: run \`${GENERATE_COMMAND}\` and commit the result`;
      // Equal strings first, so a stale file says what to run rather than printing a 6000-line diff.
      expect(committed === fresh[name], stale).toBe(true);
    });
  }

  it('documents the endpoints the SDK helpers call', () => {
    const document = JSON.parse(fresh.document) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/v1/auth/signup',
        '/v1/api-keys',
        '/v1/companies',
        '/v1/loan-simulations',
        '/v1/loan-simulations/{id}/report',
        '/v1/loan-simulations/{id}/schedule',
      ]),
    );
    expect(fresh.types).toContain('"/v1/loan-simulations/{id}/schedule": {');
  });
});
