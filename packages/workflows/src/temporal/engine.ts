/**
 * The Temporal engine: the API's side of production jobs. It records the operation, then starts
 * the workflow whose id is the operation id — so an idempotency key (which always yields the same
 * operation) can never start two workflows, and `USE_EXISTING` makes a repeated start a no-op.
 */
import {
  Client,
  Connection,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type WorkflowExecutionStatusName,
} from '@temporalio/client';
import { EngineClosedError, type Engine, type StartOptions, type StartedJob } from '../engine.js';
import { terminatedProblem } from '../flows/problems.js';
import { validateJobParams } from '../flows/validate.js';
import { isFinal, type Operation } from '../operations/operation.js';
import type { OperationStore } from '../operations/store.js';
import { TASK_QUEUES, WORKFLOW_NAMES, type JobInputs, type JobKind, type JobParams } from '../shared.js';

export interface TemporalEngineOptions {
  client: Client;
  store: OperationStore;
  /** Close the client's connection in `close()` (true when {@link TemporalEngine.connect} made it). */
  ownsConnection?: boolean;
  /** Longest a start or cancel call waits for the Temporal service. Default 10 s. */
  rpcTimeoutMs?: number;
}

export interface TemporalConnectOptions {
  /** `host:port` of the Temporal frontend (`TEMPORAL_ADDRESS`). */
  address: string;
  /** Default `default` (`TEMPORAL_NAMESPACE`). */
  namespace?: string;
  store: OperationStore;
  /** How long to wait for the first connection. Default 5 s. */
  connectTimeoutMs?: number;
  rpcTimeoutMs?: number;
}

/** One line for the Temporal UI's workflow list. */
function summaryOf<K extends JobKind>(kind: K, params: JobParams<K>): string {
  switch (kind) {
    case 'enrichment': {
      const p = params as JobParams<'enrichment'>;
      return p.all
        ? 'Enrich every company from its registry'
        : `Enrich ${p.companyIds?.length ?? 0} companies from their registry`;
    }
    case 'import': {
      const p = params as JobParams<'import'>;
      return `Import ${p.dataset}${p.fileName ? ` from ${p.fileName}` : ''}`;
    }
    case 'report':
      return `Render the PDF report of loan simulation ${(params as JobParams<'report'>).loanSimulationId}`;
  }
  return kind;
}

/** Starts and cancels jobs on a Temporal cluster. */
export class TemporalEngine implements Engine {
  readonly name = 'temporal' as const;
  private readonly client: Client;
  private readonly store: OperationStore;
  private readonly ownsConnection: boolean;
  private readonly rpcTimeoutMs: number;
  private closed = false;

  constructor(options: TemporalEngineOptions) {
    this.client = options.client;
    this.store = options.store;
    this.ownsConnection = options.ownsConnection ?? false;
    this.rpcTimeoutMs = options.rpcTimeoutMs ?? 10_000;
  }

  /**
   * Connects to the Temporal frontend and returns an engine that owns the connection.
   *
   * @example const engine = await TemporalEngine.connect({ address: process.env.TEMPORAL_ADDRESS!, store });
   */
  static async connect(options: TemporalConnectOptions): Promise<TemporalEngine> {
    const connection = await Connection.connect({
      address: options.address,
      connectTimeout: options.connectTimeoutMs ?? 5_000,
    });
    const client = new Client({ connection, namespace: options.namespace ?? 'default' });
    return new TemporalEngine({
      client,
      store: options.store,
      ownsConnection: true,
      ...(options.rpcTimeoutMs !== undefined && { rpcTimeoutMs: options.rpcTimeoutMs }),
    });
  }

  /**
   * Records the operation and starts its workflow. When Temporal cannot be reached the error is
   * thrown and the operation stays `queued`: the same call again (same idempotency key) retries
   * the start, and never creates a second operation.
   */
  async start<K extends JobKind>(kind: K, params: JobParams<K>, options: StartOptions): Promise<StartedJob> {
    if (this.closed) throw new EngineClosedError(this.name);
    validateJobParams(kind, params);
    const { operation, created } = await this.store.create({
      ...(options.operationId !== undefined && { id: options.operationId }),
      organizationId: options.organizationId,
      kind,
      input: params,
      engine: this.name,
      idempotencyKey: options.idempotencyKey ?? null,
    });
    const workflowId = operation.workflowId ?? operation.id;
    if (operation.status === 'queued') {
      const input = {
        ...params,
        operationId: operation.id,
        organizationId: operation.organizationId,
      } as JobInputs[K];
      try {
        await this.client.withDeadline(Date.now() + this.rpcTimeoutMs, () =>
          this.client.workflow.start(WORKFLOW_NAMES[kind], {
            taskQueue: TASK_QUEUES.jobs,
            workflowId,
            args: [input],
            // A start repeated while the workflow runs attaches to it; one repeated after it
            // closed is refused — never a second run of the same operation.
            workflowIdConflictPolicy: 'USE_EXISTING',
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
            staticSummary: summaryOf(kind, params),
            staticDetails: [
              `**Operation** \`${operation.id}\` (\`GET /v1/operations/${operation.id}\`)`,
              `**Organization** \`${operation.organizationId}\``,
              `**Kind** ${kind}${options.idempotencyKey ? ` · **Idempotency-Key** \`${options.idempotencyKey}\`` : ''}`,
            ].join('\n\n'),
            memo: { operationId: operation.id, organizationId: operation.organizationId, kind },
          }),
        );
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
    }
    return { operationId: operation.id, workflowId, engine: operation.engine, created, operation };
  }

  /**
   * Requests cancellation of the operation's workflow; the workflow records `canceled` when it
   * stops. An operation whose workflow never started is canceled in the table directly.
   */
  async cancel(operationId: string, options: { organizationId: string }): Promise<Operation | null> {
    if (this.closed) throw new EngineClosedError(this.name);
    const operation = await this.store.get(options.organizationId, operationId);
    if (!operation || isFinal(operation.status)) return operation;
    try {
      await this.client.withDeadline(Date.now() + this.rpcTimeoutMs, () =>
        this.client.workflow.getHandle(operation.workflowId ?? operation.id).cancel(),
      );
      return operation;
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      return this.store.cancel(options.organizationId, operationId);
    }
  }

  /**
   * Asks Temporal how the operation's workflow stands and records an end the workflow could not
   * write itself: TERMINATED or TIMED_OUT → failed (`/problems/terminated`), CANCELED → canceled,
   * FAILED → failed (a workflow failure outside the flow's own handling). A running workflow, a
   * workflow Temporal no longer knows (never started, or its history is past retention) and an
   * unreachable server leave the row as the workflow last wrote it.
   */
  async reconcile(operation: Operation): Promise<Operation> {
    if (this.closed || isFinal(operation.status) || operation.engine !== this.name) return operation;
    let status: WorkflowExecutionStatusName;
    try {
      const description = await this.client.withDeadline(Date.now() + this.rpcTimeoutMs, () =>
        this.client.workflow.getHandle(operation.workflowId ?? operation.id).describe(),
      );
      status = description.status.name;
    } catch {
      return operation; // not found or unreachable: nothing to learn now; a later poll asks again
    }
    const { organizationId, id } = operation;
    let updated: Operation | null = null;
    if (status === 'TERMINATED' || status === 'TIMED_OUT' || status === 'FAILED') {
      updated = await this.store.fail(organizationId, id, terminatedProblem(id, status));
    } else if (status === 'CANCELLED') {
      updated = await this.store.cancel(organizationId, id);
    }
    return updated ?? operation;
  }

  /**
   * Reconciles (see {@link reconcile}) every unfinished Temporal operation, across tenants, whose
   * row has not changed for `staleAfterMs` — so operations nobody polls are closed too.
   *
   * @returns how many operations this changed.
   */
  async reconcileStale(staleAfterMs: number, limit = 100): Promise<number> {
    if (this.closed) return 0;
    const stale = await this.store.listStale(this.name, new Date(Date.now() - staleAfterMs), limit);
    let changed = 0;
    for (const operation of stale) {
      const after = await this.reconcile(operation);
      if (after.status !== operation.status) changed += 1;
    }
    return changed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsConnection) await this.client.connection.close();
  }
}
