/**
 * The report activities: render a simulation's PDF in the shared browser and save it as a draft
 * (`renderReport`), then publish it as the simulation's report (`storeReport`). The bytes stay in
 * PostgreSQL, so only ids and hashes cross between activities (Temporal payloads stay small).
 */
import type { Pool } from 'pg';
import type { RenderedReport, ReportActivities } from '../flows/activities.js';
import type { ActivityMetrics } from '../observability/metrics.js';
import type { ReportRenderer } from '../reports/renderer.js';
import type { RenderReportInput } from '../shared.js';
import { currentSignal } from './context.js';
import { loadReportData } from './report-data-loader.js';

export interface ReportActivityDeps {
  pool: Pool;
  /** The shared renderer (one Chromium reused across jobs), launched on first use. */
  renderer: () => Promise<ReportRenderer>;
  /** "Now", printed as the report's generation time. */
  clock?: () => Date;
  /** Render durations (`greenfin_report_render_duration_seconds`). */
  metrics?: Pick<ActivityMetrics, 'reportRendered'>;
}

/** Where a simulation's PDF is served. */
export const reportLocation = (loanSimulationId: string): string =>
  `/v1/loan-simulations/${loanSimulationId}/report`;

/**
 * Builds `renderReport` and `storeReport`.
 *
 * @example const acts = createReportActivities({ pool, renderer: lazyRenderer() });
 */
export function createReportActivities(
  deps: ReportActivityDeps,
): Pick<ReportActivities, 'renderReport' | 'storeReport'> {
  const { pool } = deps;
  const clock = deps.clock ?? (() => new Date());
  return {
    async renderReport(request: RenderReportInput): Promise<RenderedReport> {
      const data = await loadReportData(pool, request.organizationId, request.loanSimulationId, clock());
      const renderer = await deps.renderer();
      const signal = currentSignal();
      const started = performance.now();
      let ok = false;
      let rendered;
      try {
        rendered = await renderer.render(data, { ...(signal && { signal }) });
        ok = true;
      } finally {
        try {
          deps.metrics?.reportRendered((performance.now() - started) / 1000, ok);
        } catch {
          // metrics never fail an activity
        }
      }
      // The draft's id is the operation's: a retried render overwrites its own draft.
      await pool.query(
        `insert into "reports" ("id", "organization_id", "loan_simulation_id", "content", "sha256", "size_bytes",
            "methodology_version")
         values ($1, $2, $3, $4, $5, $6, $7)
         on conflict ("id") do update set "content" = excluded."content", "sha256" = excluded."sha256",
           "size_bytes" = excluded."size_bytes", "methodology_version" = excluded."methodology_version",
           "created_at" = now()
         where "reports"."published_at" is null`,
        [
          request.operationId,
          request.organizationId,
          request.loanSimulationId,
          Buffer.from(rendered.pdf),
          rendered.sha256,
          rendered.bytes,
          data.greenScore.methodologyVersion,
        ],
      );
      return {
        draftId: request.operationId,
        sha256: rendered.sha256,
        sizeBytes: rendered.bytes,
        methodologyVersion: data.greenScore.methodologyVersion,
      };
    },

    async storeReport(request) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const published = await client.query<{ size_bytes: number }>(
          `update "reports" set "published_at" = coalesce("published_at", now())
            where "id" = $1 and "organization_id" = $2 and "loan_simulation_id" = $3
            returning "size_bytes"`,
          [request.report.draftId, request.organizationId, request.loanSimulationId],
        );
        const row = published.rows[0];
        if (!row) throw new Error(`report draft ${request.report.draftId} is missing`);
        // Older reports of the simulation, and abandoned drafts, are no longer served.
        await client.query(
          `delete from "reports" where "organization_id" = $1 and "loan_simulation_id" = $2 and "id" <> $3`,
          [request.organizationId, request.loanSimulationId, request.report.draftId],
        );
        await client.query('commit');
        return {
          reportId: request.report.draftId,
          resourceLocation: reportLocation(request.loanSimulationId),
          sizeBytes: row.size_bytes,
        };
      } catch (error) {
        await client.query('rollback');
        throw error;
      } finally {
        client.release();
      }
    },
  };
}

/** A renderer launched on first use and reused after (`close` releases it). */
export function lazyRenderer(launch: () => Promise<ReportRenderer>): {
  get: () => Promise<ReportRenderer>;
  close: () => Promise<void>;
} {
  let pending: Promise<ReportRenderer> | undefined;
  return {
    get: () => {
      pending ??= launch().catch((error: unknown) => {
        pending = undefined; // the next job tries again (e.g. Chromium installed meanwhile)
        throw error;
      });
      return pending;
    },
    close: async () => {
      const current = pending;
      pending = undefined;
      if (current) await (await current.catch(() => undefined))?.close();
    },
  };
}
