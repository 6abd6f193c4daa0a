import { etagOf } from '../../http/etag.js';
import {
  CreatedHeaders,
  ETagHeaders,
  IdParams,
  IfMatchHeaders,
  IfNoneMatchHeaders,
} from '../../http/schemas.js';
import { route } from '../../services.js';
import {
  CompanyYearParams,
  CreateMetricBody,
  MetricFieldsBody,
  MetricPage,
  MetricSchema,
} from './metrics.schemas.js';
import { toMetricJson } from './metrics.service.js';

const tags = ['environmental metrics'];
const location = (companyId: string, year: number) => `/v1/companies/${companyId}/metrics/${year}`;

export const metricsRoutes = [
  route({
    operationId: 'createMetric',
    method: 'post',
    path: '/v1/companies/{id}/metrics',
    summary: 'Add a reporting year of environmental metrics',
    description: 'One row per year: a second POST for the same year is a 409 (use PUT to replace).',
    tags,
    access: 'analyst',
    problems: [409, 422],
    request: { params: IdParams, body: CreateMetricBody },
    responses: { 201: { description: 'Created.', schema: MetricSchema, headers: CreatedHeaders } },
    handler: async ({ params, body }, { em, principal, services }) => {
      const metric = await services.metrics.create(em, principal, params.id, body);
      return {
        status: 201,
        headers: { Location: location(params.id, metric.year), ETag: etagOf(metric.version) },
        body: toMetricJson(metric),
      };
    },
  }),
  route({
    operationId: 'listMetrics',
    method: 'get',
    path: '/v1/companies/{id}/metrics',
    summary: 'List a company’s metrics, oldest year first',
    tags,
    access: 'viewer',
    request: { params: IdParams },
    responses: { 200: { description: 'Every reporting year (a single page).', schema: MetricPage } },
    handler: async ({ params }, { em, principal, services }) => {
      const rows = await services.metrics.list(em, principal, params.id);
      return { status: 200, body: { items: rows.map(toMetricJson), nextCursor: null } };
    },
  }),
  route({
    operationId: 'getMetric',
    method: 'get',
    path: '/v1/companies/{id}/metrics/{year}',
    summary: 'Get one year’s metrics',
    tags,
    access: 'viewer',
    request: { params: CompanyYearParams, headers: IfNoneMatchHeaders },
    responses: { 200: { description: 'The year’s metrics.', schema: MetricSchema, headers: ETagHeaders } },
    handler: async ({ params }, { em, principal, services }) => {
      const metric = await services.metrics.get(em, principal, params.id, params.year);
      return { status: 200, headers: { ETag: etagOf(metric.version) }, body: toMetricJson(metric) };
    },
  }),
  route({
    operationId: 'putMetric',
    method: 'put',
    path: '/v1/companies/{id}/metrics/{year}',
    summary: 'Create or replace one year’s metrics',
    tags,
    access: 'analyst',
    problems: [412, 422],
    request: { params: CompanyYearParams, headers: IfMatchHeaders, body: MetricFieldsBody },
    responses: {
      200: { description: 'Replaced.', schema: MetricSchema, headers: ETagHeaders },
      201: { description: 'Created.', schema: MetricSchema, headers: CreatedHeaders },
    },
    handler: async ({ params, headers, body }, { em, principal, services }) => {
      const { metric, created } = await services.metrics.put(
        em,
        principal,
        params.id,
        params.year,
        body,
        headers['If-Match'],
      );
      const etag = etagOf(metric.version);
      if (created) {
        return {
          status: 201,
          headers: { Location: location(params.id, metric.year), ETag: etag },
          body: toMetricJson(metric),
        };
      }
      return { status: 200, headers: { ETag: etag }, body: toMetricJson(metric) };
    },
  }),
  route({
    operationId: 'deleteMetric',
    method: 'delete',
    path: '/v1/companies/{id}/metrics/{year}',
    summary: 'Delete one year’s metrics',
    tags,
    access: 'admin',
    problems: [412],
    request: { params: CompanyYearParams, headers: IfMatchHeaders },
    responses: { 204: { description: 'Deleted.' } },
    handler: async ({ params, headers }, { em, principal, services }) => {
      await services.metrics.delete(em, principal, params.id, params.year, headers['If-Match']);
      return { status: 204 };
    },
  }),
];
