/**
 * Where the workflow code is and how to bundle it. The worker bundles at start-up (≈2 s); a test
 * bundles the same file to prove it is sandbox-safe.
 */
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type BundleOptions, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

/** Absolute path of the workflows module the worker registers. */
export const WORKFLOWS_PATH = fileURLToPath(new URL('./workflows.ts', import.meta.url));

/**
 * Bundles `workflows.ts` for the Temporal sandbox; fails when the code (or anything it imports)
 * uses a Node built-in or another module the sandbox cannot load.
 */
export function bundleWorkflows(
  options: Omit<BundleOptions, 'workflowsPath'> = {},
): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ ...options, workflowsPath: WORKFLOWS_PATH });
}
