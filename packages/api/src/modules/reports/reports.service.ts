/**
 * PDF reports of loan simulations: served when rendered, otherwise rendered by a `report` job
 * (202 + operation) — the first request for a PDF starts the render, concurrent and later ones
 * join the same operation until it is served.
 */
import { isFinal, type Engine, type StartedJob } from '@greenfin/workflows';
import type { Pool } from 'pg';
import type { Principal } from '../../http/context.js';

/** A published report. */
export interface StoredReport {
  id: string;
  content: Buffer;
  sha256: string;
  sizeBytes: number;
  methodologyVersion: string;
  publishedAt: Date;
}

export class ReportsService {
  constructor(
    private readonly pool: Pool,
    private readonly jobs: Engine,
  ) {}

  /** The simulation's published PDF, or null. */
  async published(organizationId: string, loanSimulationId: string): Promise<StoredReport | null> {
    const { rows } = await this.pool.query<{
      id: string;
      content: Buffer;
      sha256: string;
      size_bytes: number;
      methodology_version: string;
      published_at: Date;
    }>(
      `select "id", "content", "sha256", "size_bytes", "methodology_version", "published_at" from "reports"
        where "organization_id" = $1 and "loan_simulation_id" = $2 and "published_at" is not null
        order by "published_at" desc limit 1`,
      [organizationId, loanSimulationId],
    );
    const row = rows[0];
    return row
      ? {
          id: row.id,
          content: row.content,
          sha256: row.sha256,
          sizeBytes: row.size_bytes,
          methodologyVersion: row.methodology_version,
          publishedAt: row.published_at,
        }
      : null;
  }

  /**
   * Starts (or joins) the render of a simulation's PDF. The idempotency key is derived from the
   * simulation, so concurrent requests never start two renders; after a failed or canceled render
   * the next request starts a fresh one (keyed by the failed operation, so again only one).
   */
  async render(principal: Principal, loanSimulationId: string): Promise<StartedJob> {
    const start = (key: string) =>
      this.jobs.start(
        'report',
        { loanSimulationId },
        { organizationId: principal.organizationId, idempotencyKey: key },
      );
    let started = await start(`report:${loanSimulationId}`);
    // Follow the chain of retries to the newest render. (A succeeded one whose PDF is not there —
    // this is only called when none is published — is treated like a failed one.)
    for (let hops = 0; hops < 50; hops++) {
      if (!isFinal(started.operation.status)) return started;
      started = await start(`report:${loanSimulationId}:after:${started.operation.id}`);
    }
    return started;
  }

  /** Removes a simulation's reports (the simulation was deleted). */
  async deleteFor(organizationId: string, loanSimulationId: string): Promise<void> {
    await this.pool.query(
      `delete from "reports" where "organization_id" = $1 and "loan_simulation_id" = $2`,
      [organizationId, loanSimulationId],
    );
  }
}
