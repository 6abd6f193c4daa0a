/**
 * The Temporal workflow code bundles for the deterministic sandbox (as the worker does at
 * start-up), and the bundler refuses workflow code that imports a Node built-in.
 */
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { bundleWorkflows } from '../src/temporal/bundle.js';
import { WORKFLOW_NAMES } from '../src/shared.js';

const quiet = { logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } };

describe('workflow bundle', () => {
  it('bundles src/temporal/workflows.ts with every workflow the API starts', async () => {
    const bundle = await bundleWorkflows(quiet);
    expect(bundle.code.length).toBeGreaterThan(0);
    for (const name of Object.values(WORKFLOW_NAMES)) expect(bundle.code).toContain(`function ${name}(`);
  }, 60_000);

  it('fails for workflow code that imports a Node built-in', async () => {
    const workflowsPath = fileURLToPath(new URL('./support/unsafe-workflow.ts', import.meta.url));
    const logged: string[] = [];
    const record = (message: string, meta?: unknown) =>
      logged.push(`${message} ${JSON.stringify(meta ?? '')}`);
    const logger = {
      ...quiet.logger,
      error: record,
      warn: record,
      info: record,
      log: (_l: string, m: string, meta?: unknown) => record(m, meta),
    };
    await expect(bundleWorkflowCode({ workflowsPath, logger })).rejects.toThrow(
      /Webpack finished with errors/,
    );
    expect(logged.join('\n')).toMatch(/node:fs/);
  }, 60_000);
});
