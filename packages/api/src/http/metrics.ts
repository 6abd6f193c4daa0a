import { JOB_KINDS, OPERATION_STATUSES } from '@greenfin/workflows';
import type { Middleware } from 'koa';
import type { Pool } from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AppState } from './context.js';

/** Prometheus instruments for one app instance (its own registry: no global state). */
export interface HttpMetrics {
  registry: Registry;
  middleware: Middleware<AppState>;
}

/**
 * Request duration by route template (never the raw URL, so ids do not explode cardinality),
 * requests in flight, and error answers by status.
 */
export function createHttpMetrics(
  options: { defaultMetrics?: boolean; registry?: Registry } = {},
): HttpMetrics {
  const registry = options.registry ?? new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const inFlight = new Gauge({
    name: 'http_requests_in_flight',
    help: 'HTTP requests being served.',
    registers: [registry],
  });
  const errors = new Counter({
    name: 'http_request_errors_total',
    help: 'HTTP answers with a 4xx or 5xx status, by route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const middleware: Middleware<AppState> = async function httpMetricsMiddleware(ctx, next) {
    inFlight.inc();
    const stop = duration.startTimer();
    await next().finally(() => inFlight.dec());
    const labels = {
      method: ctx.method,
      route: ctx.state.routeTemplate ?? 'unmatched',
      status: String(ctx.status),
    };
    stop(labels);
    if (ctx.status >= 400) errors.inc(labels);
  };
  return { registry, middleware };
}

/**
 * `greenfin_operations{kind,status}`: operations in the table now, counted at scrape time by one
 * grouped query (every tenant together: an operator metric, no tenant ids). Every kind × status
 * is exposed, 0 when there are none, so a status emptying shows as 0 rather than vanishing.
 * A failed query leaves the gauge empty for that scrape (and is counted in
 * `greenfin_metrics_scrape_errors_total`) rather than failing `/metrics`.
 */
export function registerOperationsGauge(registry: Registry, pool: Pool): void {
  const scrapeErrors = new Counter({
    name: 'greenfin_metrics_scrape_errors_total',
    help: 'Scrape-time metric queries that failed, by metric.',
    labelNames: ['metric'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'greenfin_operations',
    help: 'Operations (jobs) stored now, by kind and status, all tenants together.',
    labelNames: ['kind', 'status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      try {
        const { rows } = await pool.query<{ kind: string; status: string; n: number }>(
          'select "kind", "status", count(*)::int as "n" from "operations" group by "kind", "status"',
        );
        for (const kind of JOB_KINDS) for (const status of OPERATION_STATUSES) this.set({ kind, status }, 0);
        for (const row of rows) this.set({ kind: row.kind, status: row.status }, row.n);
      } catch {
        scrapeErrors.inc({ metric: 'greenfin_operations' });
      }
    },
  });
}
