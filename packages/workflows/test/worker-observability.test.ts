import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { Runtime } from '@temporalio/worker';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { ImportActivities } from '../src/flows/activities.js';
import { createActivities } from '../src/activities/index.js';
import { createJobMetrics } from '../src/observability/metrics.js';
import type { OperationStore } from '../src/operations/store.js';
import type { ImportDatasetResult } from '../src/shared.js';
import {
  createWorkerLogger,
  startMetricsServer,
  temporalLogger,
  workerMetricsConfig,
  workerRuntimeOptions,
} from '../src/temporal/worker-observability.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('worker metrics configuration', () => {
  it('defaults: Temporal metrics on 0.0.0.0:9464, job metrics on 9465', () => {
    const config = workerMetricsConfig({});
    expect(config).toEqual({ host: '0.0.0.0', temporalPort: 9464, appPort: 9465 });
    const options = workerRuntimeOptions(config, temporalLogger(createWorkerLogger({})));
    expect(options.telemetryOptions?.metrics).toEqual({ prometheus: { bindAddress: '0.0.0.0:9464' } });
    expect(options.telemetryOptions?.logging).toMatchObject({ forward: {} });
    expect(options.logger).toBeDefined();
  });

  it('reads WORKER_METRICS_PORT, WORKER_APP_METRICS_PORT, WORKER_METRICS_HOST; "off" disables', () => {
    const config = workerMetricsConfig({
      WORKER_METRICS_PORT: '19464',
      WORKER_APP_METRICS_PORT: 'off',
      WORKER_METRICS_HOST: '127.0.0.1',
    });
    expect(config).toEqual({ host: '127.0.0.1', temporalPort: 19464, appPort: null });
    expect(
      workerRuntimeOptions(config, temporalLogger(createWorkerLogger({}))).telemetryOptions?.metrics,
    ).toEqual({
      prometheus: { bindAddress: '127.0.0.1:19464' },
    });
    const off = workerRuntimeOptions(
      workerMetricsConfig({ WORKER_METRICS_PORT: 'off' }),
      temporalLogger(createWorkerLogger({})),
    );
    expect(off.telemetryOptions?.metrics).toBeUndefined();
  });

  it('refuses a bad port, or the same port twice', () => {
    expect(() => workerMetricsConfig({ WORKER_METRICS_PORT: 'abc' })).toThrow(/WORKER_METRICS_PORT/);
    expect(() => workerMetricsConfig({ WORKER_APP_METRICS_PORT: '70000' })).toThrow(
      /WORKER_APP_METRICS_PORT/,
    );
    expect(() =>
      workerMetricsConfig({ WORKER_METRICS_PORT: '9000', WORKER_APP_METRICS_PORT: '9000' }),
    ).toThrow(/must differ/);
    expect(() => createWorkerLogger({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });
});

describe('worker logs', () => {
  it('JSON lines; the SDK’s activity metadata gives operationId; credentials scrubbed', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const log = temporalLogger(createWorkerLogger({ LOG_LEVEL: 'info' }, sink));
    log.info('activity started', {
      workflowId: 'op-1',
      activityType: 'enrichCompany',
      organizationId: 'org-1',
    });
    log.debug('dropped below info');
    log.log('WARN', 'registry https://secretkey123:@api.example/ failed', { password: 'p4ss-word' });
    expect(lines).toHaveLength(2);
    const [first, second] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(first).toMatchObject({
      level: 30,
      msg: 'activity started',
      operationId: 'op-1',
      organizationId: 'org-1',
      component: 'worker',
    });
    expect(second).toMatchObject({ level: 40, password: '[redacted]' });
    expect(lines.join('')).not.toContain('secretkey123');
  });
});

describe('worker metrics endpoints', () => {
  it('serves the job metrics registry at /metrics', async () => {
    const registry = new Registry();
    const metrics = createJobMetrics(registry);
    metrics.operationFinished('import', 'succeeded', 12);
    metrics.importFinished('eu-ets', 90, 10);
    metrics.reportRendered(1.5, true);
    metrics.webhookDelivery('retry');
    const server = await startMetricsServer(registry, { host: '127.0.0.1', port: 0 });
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const text = await res.text();
      expect(text).toContain('greenfin_operations_finished_total{kind="import",outcome="succeeded"} 1');
      expect(text).toContain('greenfin_operation_duration_seconds_sum{kind="import"} 12');
      expect(text).toContain('greenfin_import_rows_total{dataset="eu-ets",outcome="accepted"} 90');
      expect(text).toContain('greenfin_import_rows_total{dataset="eu-ets",outcome="rejected"} 10');
      expect(text).toContain('greenfin_report_render_duration_seconds_count{outcome="ok"} 1');
      expect(text).toContain('greenfin_webhook_deliveries_total{outcome="retry"} 1');
      expect((await fetch(`http://127.0.0.1:${server.port}/other`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('Runtime.install with these options starts Temporal’s own Prometheus exporter (no server needed)', async () => {
    const port = await freePort();
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const config = workerMetricsConfig({
      WORKER_METRICS_PORT: String(port),
      WORKER_METRICS_HOST: '127.0.0.1',
    });
    const runtime = Runtime.install(
      workerRuntimeOptions(config, temporalLogger(createWorkerLogger({}, sink))),
    );
    try {
      let res: Response | undefined;
      for (let i = 0; i < 50 && !res; i++) {
        res = await fetch(`http://127.0.0.1:${port}/metrics`).catch(() => undefined);
        if (!res) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(res?.status).toBe(200);
    } finally {
      await runtime.shutdown();
    }
  });
});

describe('import rows are counted when finishImport returns', () => {
  it('createActivities wraps the imports’ finishImport with the metrics hook', async () => {
    const result: ImportDatasetResult = {
      dataset: 'eu-ets-installations' as ImportDatasetResult['dataset'],
      variant: 'v1',
      rows: { total: 5, accepted: 4, rejected: 1 },
      rejectsLocation: null,
    };
    const calls: unknown[][] = [];
    const imports = {
      planImport: async () => {
        throw new Error('unused');
      },
      importBatch: async () => {
        throw new Error('unused');
      },
      finishImport: async () => result,
    } as unknown as Pick<ImportActivities, 'planImport' | 'importBatch' | 'finishImport'>;
    const activities = createActivities({
      pool: {} as never,
      store: {} as OperationStore,
      env: {},
      registry: null,
      renderer: async () => {
        throw new Error('unused');
      },
      imports,
      metrics: {
        importFinished: (...args) => void calls.push(args),
        reportRendered: () => undefined,
      },
    });
    await expect(activities.finishImport({} as never)).resolves.toBe(result);
    expect(calls).toEqual([['eu-ets-installations', 4, 1]]);
  });
});
