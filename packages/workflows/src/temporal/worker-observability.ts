/**
 * What the Temporal worker process logs and exposes:
 *
 * - JSON logs with pino (same credential redaction as the API); the Temporal SDK's own messages
 *   (worker lifecycle, activity context loggers, Core's native logs forwarded) go through it too.
 * - Temporal's own worker metrics (task slots, poll latencies, activity/workflow execution
 *   counts…) from the SDK's native Prometheus exporter on `WORKER_METRICS_PORT` (default 9464).
 * - Greenfin's job metrics (`greenfin_operations_finished_total`, `greenfin_import_rows_total`,
 *   `greenfin_report_render_duration_seconds`, …) from a prom-client registry on a second port,
 *   `WORKER_APP_METRICS_PORT` (default 9465): the native exporter owns its port and serves only
 *   Core's metrics, so both cannot share one.
 *
 * Both serve `/metrics`; `WORKER_METRICS_HOST` (default `0.0.0.0`) is the bind address of both.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LogLevel, LogMetadata, Logger as TemporalLogger, RuntimeOptions } from '@temporalio/worker';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { Registry } from 'prom-client';
import { secretSafeLogOptions } from '../observability/logging.js';

export const DEFAULT_WORKER_METRICS_PORT = 9464;
export const DEFAULT_WORKER_APP_METRICS_PORT = 9465;

/** Where the worker's two metric endpoints listen, from the environment. */
export interface WorkerMetricsConfig {
  host: string;
  /** Temporal's native exporter (SDK worker metrics); null when `WORKER_METRICS_PORT=off`. */
  temporalPort: number | null;
  /** Greenfin's job metrics (prom-client); null when `WORKER_APP_METRICS_PORT=off`. */
  appPort: number | null;
}

function port(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
): number | null {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'off') return null;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) {
    throw new Error(`${name} must be a port number (0–65535) or "off", got ${env[name]}`);
  }
  return value;
}

/** Reads `WORKER_METRICS_HOST`, `WORKER_METRICS_PORT`, `WORKER_APP_METRICS_PORT`. */
export function workerMetricsConfig(env: Readonly<Record<string, string | undefined>>): WorkerMetricsConfig {
  const config = {
    host: env.WORKER_METRICS_HOST?.trim() || '0.0.0.0',
    temporalPort: port(env, 'WORKER_METRICS_PORT', DEFAULT_WORKER_METRICS_PORT),
    appPort: port(env, 'WORKER_APP_METRICS_PORT', DEFAULT_WORKER_APP_METRICS_PORT),
  };
  if (config.temporalPort !== null && config.temporalPort !== 0 && config.temporalPort === config.appPort) {
    throw new Error(`WORKER_METRICS_PORT and WORKER_APP_METRICS_PORT must differ (both ${config.appPort})`);
  }
  return config;
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** The worker's pino logger (`LOG_LEVEL`, default info): JSON lines, credentials redacted. */
export function createWorkerLogger(
  env: Readonly<Record<string, string | undefined>>,
  destination?: DestinationStream,
): Logger {
  const level = env.LOG_LEVEL?.trim().toLowerCase() || 'info';
  if (!LEVELS.includes(level)) throw new Error(`LOG_LEVEL must be one of ${LEVELS.join(', ')}, got ${level}`);
  const options = { level, base: { component: 'worker' }, ...secretSafeLogOptions() };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * pino in the shape the Temporal SDK logs through. An activity's context logger adds
 * `workflowId`, which is the operation id: it is logged as `operationId` too.
 */
export function temporalLogger(logger: Logger): TemporalLogger {
  const write = (level: LogLevel, message: string, meta?: LogMetadata) => {
    const attributes: Record<string, unknown> = { ...meta };
    if (typeof attributes.workflowId === 'string' && attributes.operationId === undefined) {
      attributes.operationId = attributes.workflowId;
    }
    logger[level.toLowerCase() as 'info'](attributes, message);
  };
  return {
    log: write,
    trace: (message, meta) => write('TRACE', message, meta),
    debug: (message, meta) => write('DEBUG', message, meta),
    info: (message, meta) => write('INFO', message, meta),
    warn: (message, meta) => write('WARN', message, meta),
    error: (message, meta) => write('ERROR', message, meta),
  };
}

/**
 * The options for `Runtime.install`: the SDK logs through `logger` (Core's native logs forwarded
 * at WARN and above) and, unless disabled, exports its worker metrics for Prometheus.
 *
 * @example Runtime.install(workerRuntimeOptions(workerMetricsConfig(process.env), temporalLogger(log)));
 */
export function workerRuntimeOptions(config: WorkerMetricsConfig, logger: TemporalLogger): RuntimeOptions {
  return {
    logger,
    telemetryOptions: {
      logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} },
      ...(config.temporalPort !== null && {
        metrics: { prometheus: { bindAddress: `${config.host}:${config.temporalPort}` } },
      }),
    },
  };
}

/** A running metrics endpoint. */
export interface MetricsServer {
  server: Server;
  /** The port it listens on (useful with port 0). */
  port: number;
  close(): Promise<void>;
}

/** Serves `registry` at `GET /metrics` (404 elsewhere). */
export async function startMetricsServer(
  registry: Registry,
  options: { host: string; port: number },
): Promise<MetricsServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    registry.metrics().then(
      (text) => {
        response.writeHead(200, { 'content-type': registry.contentType });
        response.end(request.method === 'HEAD' ? undefined : text);
      },
      (error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain' }).end(`${String(error)}\n`);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
