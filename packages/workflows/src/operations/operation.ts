/**
 * An operation: one long-running job as the REST API shows it (AIP-151), stored in the
 * `operations` table and read the same way under both engines.
 */
import type { EngineName, JobKind, OperationProgress, OperationStatus, Problem } from '../shared.js';

/** One operation row. */
export interface Operation {
  id: string;
  organizationId: string;
  kind: JobKind;
  status: OperationStatus;
  progress: OperationProgress;
  /** The job's parameters as the caller gave them (without operation id and tenant). */
  input: unknown;
  /** The job's result once it succeeded. */
  result: unknown;
  /** Where the produced resource is served (reports), once it succeeded. */
  resourceLocation: string | null;
  /** Why it failed (RFC 9457), once it failed. */
  error: Problem | null;
  engine: EngineName;
  /** The Temporal workflow id (or the in-process run id): the operation id. */
  workflowId: string | null;
  idempotencyKey: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** When the row may be purged (at least 7 days after it finished). */
  expiresAt: Date;
}

/** True once an operation can no longer change. */
export const isFinal = (status: OperationStatus): boolean =>
  status === 'succeeded' || status === 'failed' || status === 'canceled';
