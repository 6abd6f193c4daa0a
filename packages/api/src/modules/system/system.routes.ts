import { route } from '../../services.js';
import { z } from '../../http/zod.js';
import { pendingMigrations } from '../../db/orm.js';

const tags = ['system'];

const Readiness = z
  .object({
    status: z.enum(['ready', 'not-ready']),
    checks: z.object({
      database: z.enum(['ok', 'unreachable']),
      migrations: z.enum(['ok', 'pending', 'unknown']),
    }),
    pendingMigrations: z.array(z.string()),
  })
  .openapi('Readiness');

export const systemRoutes = [
  route({
    operationId: 'getLiveness',
    method: 'get',
    path: '/healthz',
    summary: 'Liveness: the process answers',
    tags,
    access: 'public',
    responses: {
      200: { description: 'Alive.', schema: z.object({ status: z.literal('ok') }).openapi('Liveness') },
    },
    handler: async () => ({ status: 200, body: { status: 'ok' as const } }),
  }),
  route({
    operationId: 'getReadiness',
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: database reachable and every migration applied',
    tags,
    access: 'public',
    responses: {
      200: { description: 'Ready to serve.', schema: Readiness },
      503: { description: 'Not ready (see checks).', schema: Readiness },
    },
    handler: async (_input, { services }) => {
      const orm = services.orm;
      const database = (await orm.isConnected()) ? 'ok' : 'unreachable';
      const pending = database === 'ok' ? await pendingMigrations(orm) : [];
      const migrations = database !== 'ok' ? 'unknown' : pending.length ? 'pending' : 'ok';
      const ready = database === 'ok' && migrations === 'ok';
      const body = {
        status: ready ? 'ready' : 'not-ready',
        checks: { database, migrations },
        pendingMigrations: pending,
      } as const;
      return ready ? { status: 200, body } : { status: 503, body };
    },
  }),
  route({
    operationId: 'getPrometheusMetrics',
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics (request durations by route, in-flight, errors)',
    tags,
    access: 'public',
    responses: {
      200: {
        description: 'Prometheus text exposition format.',
        schema: z.string(),
        contentType: 'text/plain',
      },
    },
    handler: async (_input, { services }) => ({ status: 200, body: await services.prometheus.metrics() }),
  }),
];
