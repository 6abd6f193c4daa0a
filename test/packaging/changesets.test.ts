/**
 * The release workflow (.github/workflows/release.yml) runs `changeset version` / `changeset
 * publish`. This checks what those commands read, with changesets' own parsers: the config is
 * valid, exactly @greenfin/core and @greenfin/sdk are publishable, and every pending changeset
 * names only those packages with a valid bump.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { read } from '@changesets/config';
import parseChangeset from '@changesets/parse';
import { getPackages } from '@manypkg/get-packages';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('changesets', () => {
  it('has a valid config that publishes exactly core and sdk, publicly, from main', async () => {
    const packages = await getPackages(root);
    const config = await read(root, packages);
    expect(config.baseBranch).toBe('main');
    expect(config.access).toBe('public');
    const publishable = packages.packages
      .filter((p) => p.packageJson.private !== true)
      .map((p) => p.packageJson.name)
      .sort();
    expect(publishable).toEqual(['@greenfin/core', '@greenfin/sdk']);
  });

  it('pending changesets name only publishable packages, with patch, minor or major', async () => {
    const dir = join(root, '.changeset');
    const files = readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md');
    let releases = 0;
    for (const file of files) {
      const parsed = parseChangeset(readFileSync(join(dir, file), 'utf8'));
      expect(parsed.summary.trim(), file).not.toBe('');
      expect(parsed.releases.length, `${file} releases nothing`).toBeGreaterThan(0);
      for (const release of parsed.releases) {
        releases++;
        expect(['@greenfin/core', '@greenfin/sdk'], `${file}: ${release.name}`).toContain(release.name);
        expect(['patch', 'minor', 'major'], `${file}: ${release.name}`).toContain(release.type);
      }
    }
    // With no pending changeset the loop above checks nothing: say so instead of passing silently.
    if (files.length === 0) console.info('no pending changesets in .changeset/');
    else expect(releases).toBeGreaterThanOrEqual(files.length);
  });
});
