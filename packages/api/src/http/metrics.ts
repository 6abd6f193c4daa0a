import type { Middleware } from 'koa';
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
export function createHttpMetrics(options: { defaultMetrics?: boolean } = {}): HttpMetrics {
  const registry = new Registry();
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
