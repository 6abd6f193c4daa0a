/**
 * Proves @greenfin/core works as a published package: build it, `npm pack` it, install the tarball
 * into an empty project, import it through its `exports` map from plain Node ESM, and type-check a
 * consumer against the shipped declarations.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const coreDir = join(root, 'packages/core');
const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('@greenfin/core packed tarball', () => {
  let work: string;
  let tarball: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'greenfin-pack-'));
    run('npm', ['run', 'build'], coreDir);
    const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], coreDir)) as {
      filename: string;
      files: { path: string }[];
    }[];
    tarball = join(work, packed[0]!.filename);
    writeFileSync(
      join(work, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    run('npm', ['install', '--no-audit', '--no-fund', '--offline', tarball], work);
  }, 120_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('ships only dist, README, DATA, CHANGELOG, LICENSE and package.json, with no runtime dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(work, 'node_modules/@greenfin/core/package.json'), 'utf8')) as {
      dependencies?: object;
      sideEffects: boolean;
      exports: Record<string, { types: string }>;
    };
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.sideEffects).toBe(false);
    expect(Object.keys(pkg.exports['.']!)[0]).toBe('types');
    const listing = run('tar', ['-tzf', tarball], work).split('\n').filter(Boolean);
    expect(
      listing.every((f) =>
        /^package\/(dist\/|README\.md$|DATA\.md$|LICENSE$|CHANGELOG\.md$|package\.json$)/.test(f),
      ),
    ).toBe(true);
    expect(listing.some((f) => f.includes('__tests__'))).toBe(false);
  });

  it('imports from plain Node ESM and prices the EcoTech loan', () => {
    writeFileSync(
      join(work, 'use.mjs'),
      `import { priceLoan, greenScore, ecotechExample, toDecimalString } from '@greenfin/core';
       const score = greenScore({ sicCodes: ecotechExample.company.sicCodes, metrics: ecotechExample.metrics, target: ecotechExample.target });
       const p = priceLoan({ principal: 50000000, currency: 'GBP', termMonths: 60, startDate: '2025-01-15', baseRate: 0.045, creditSpread: 0.025, greenScore: score });
       console.log(JSON.stringify({ band: score.band, finalRate: p.finalRate, payment: toDecimalString({ amount: p.regularPayment, currency: 'GBP' }) }));`,
    );
    const out = JSON.parse(run('node', ['use.mjs'], work)) as {
      band: string;
      finalRate: number;
      payment: string;
    };
    expect(out.band).toMatch(/^[A-E]$/);
    expect(out.finalRate).toBeLessThanOrEqual(0.07);
    expect(out.payment).toMatch(/^\d+\.\d{2}$/);
  });

  it('type-checks a consumer against the shipped declarations, and rejects misuse', () => {
    writeFileSync(
      join(work, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          noEmit: true,
          types: [],
        },
        files: ['use.ts'],
      }),
    );
    writeFileSync(
      join(work, 'use.ts'),
      `import { schedule, type Schedule } from '@greenfin/core';
       const s: Schedule = schedule({ principal: 10000, currency: 'GBP', annualRate: 0.05, payments: 6, startDate: '2024-01-01' });
       export const n: number = s.installments.length;
       // @ts-expect-error the method is a closed union
       schedule({ principal: 1, currency: 'GBP', annualRate: 0.05, payments: 1, startDate: '2024-01-01', method: 'balloon' });`,
    );
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    expect(() => run('node', [tsc, '-p', 'tsconfig.json'], work)).not.toThrow();
  });
});
