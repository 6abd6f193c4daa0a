// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/.turbo/**',
      '**/*.generated.ts',
      // openapi-typescript's output, compared byte for byte by the SDK's drift test.
      'packages/sdk/src/generated/**',
      'coverage/**',
      '.data/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // @greenfin/core is pure: no Node built-ins, no clock, no randomness.
    files: ['packages/core/src/**/*.ts'],
    ignores: ['packages/core/src/**/__tests__/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['node:*', 'fs', 'path', 'crypto', 'os', 'util', 'stream'] },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'core is pure: take an asOf date instead.' },
        { object: 'Math', property: 'random', message: 'core is deterministic.' },
      ],
      'no-restricted-globals': ['error', 'process', 'Buffer', 'require'],
    },
  },
  {
    // Workflow orchestration runs in Temporal's deterministic sandbox (and, unchanged, in-process):
    // no Node built-ins, no I/O libraries, no clock or randomness — only the ports it is given.
    files: ['packages/workflows/src/flows/**/*.ts', 'packages/workflows/src/temporal/workflows.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...builtinModules,
            'pg',
            'pg-copy-streams',
            'ioredis',
            'bullmq',
            'puppeteer-core',
            'csv-parse',
          ].map((name) => ({
            name,
            message: 'Workflow code is sandboxed: do I/O in an activity.',
          })),
          patterns: [
            { group: ['node:*'], message: 'Workflow code is sandboxed: no Node built-ins.' },
            {
              group: [
                '@temporalio/client',
                '@temporalio/worker',
                '@temporalio/activity',
                '@temporalio/testing',
              ],
              message: 'Workflow code may import only @temporalio/workflow (and common).',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Flows have no clock: take times from activities.' },
        { object: 'Math', property: 'random', message: 'Flows are deterministic.' },
        { object: 'crypto', property: 'randomUUID', message: 'Flows are deterministic.' },
      ],
      'no-restricted-globals': [
        'error',
        'process',
        'Buffer',
        'require',
        'setTimeout',
        'setInterval',
        'setImmediate',
        'fetch',
        { name: 'Date', message: 'Flows have no clock: take times from activities.' },
      ],
    },
  },
  {
    // @greenfin/sdk runs in browsers as well as Node: web platform APIs only (fetch, Web Crypto,
    // AbortSignal, TextDecoder), no Node built-ins or globals.
    files: ['packages/sdk/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: builtinModules.map((name) => ({
            name,
            message: 'The SDK runs in browsers: no Node built-ins.',
          })),
          patterns: [{ group: ['node:*'], message: 'The SDK runs in browsers: no Node built-ins.' }],
        },
      ],
      'no-restricted-globals': ['error', 'process', 'Buffer', 'require', '__dirname', '__filename', 'global'],
    },
  },
);
