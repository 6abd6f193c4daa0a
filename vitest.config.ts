import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests import workspace packages from source, so they never wait for a build.
    alias: {
      '@greenfin/core': src('core'),
      '@greenfin/workflows': src('workflows'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    typecheck: {
      enabled: true,
      include: ['packages/*/src/**/*.typetest.ts'],
      tsconfig: './packages/core/tsconfig.json',
    },
    testTimeout: 30_000,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
