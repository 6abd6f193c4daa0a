import { IdParams } from '../../http/schemas.js';
import { route } from '../../services.js';
import { startJob } from '../operations/jobs.js';
import { AcceptedHeaders, JobIdempotencyHeaders, OperationSchema } from '../operations/operations.schemas.js';
import { acceptedOperation } from '../operations/operations.views.js';
import { AlertListQuery, AlertPage, AlertSchema, EvaluateAlertsBody } from './alerts.schemas.js';

const tags = ['alerts'];

export const alertsRoutes = [
  route({
    operationId: 'listAlerts',
    method: 'get',
    path: '/v1/alerts',
    summary: 'List alerts, newest first',
    description:
      'Cash-flow alerts raised for your companies: evaluated after every transactions ingest and on a schedule (ALERT_EVALUATION_INTERVAL_MS). Each condition is raised once while its alert is open; subscribe a webhook endpoint to `alert.raised` to be told.',
    tags,
    access: 'viewer',
    request: { query: AlertListQuery },
    responses: { 200: { description: 'One page.', schema: AlertPage } },
    handler: async ({ query }, { principal, services }) => ({
      status: 200,
      body: await services.alerts.list(principal, query),
    }),
  }),
  route({
    operationId: 'acknowledgeAlert',
    method: 'post',
    path: '/v1/alerts/{id}:acknowledge',
    summary: 'Acknowledge an alert',
    description:
      'Closes the alert (status `acknowledged`); the same condition can raise a new alert at the next evaluation. Acknowledging twice changes nothing.',
    tags,
    access: 'analyst',
    request: { params: IdParams },
    responses: { 200: { description: 'The alert.', schema: AlertSchema } },
    handler: async ({ params }, { em, principal, services }) => ({
      status: 200,
      body: await services.alerts.acknowledge(em, principal, params.id),
    }),
  }),
  route({
    operationId: 'startAlertEvaluation',
    method: 'post',
    path: '/v1/alerts:evaluate',
    summary: 'Evaluate the alert rules now',
    description:
      'Starts an `alert-evaluation` job for your companies (or one): the same job the schedule runs. Answers 202 with the operation; its `result` counts the alerts raised.',
    tags,
    access: 'analyst',
    problems: [422],
    request: { body: EvaluateAlertsBody, headers: JobIdempotencyHeaders },
    responses: {
      202: { description: 'Started.', schema: OperationSchema, headers: AcceptedHeaders },
    },
    handler: async ({ body, headers }, { em, principal, services }) => {
      if (body.companyId) await services.companies.get(em, principal, body.companyId);
      return acceptedOperation(
        await startJob(
          services.jobs,
          principal,
          'alert-evaluation',
          { companyId: body.companyId ?? null },
          headers['Idempotency-Key'],
        ),
      );
    },
  }),
];
