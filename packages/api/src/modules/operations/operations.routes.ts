import { IdParams } from '../../http/schemas.js';
import { problems } from '../../http/problem.js';
import { route } from '../../services.js';
import {
  AcceptedHeaders,
  OperationListQuery,
  OperationPage,
  OperationReadHeaders,
  OperationSchema,
} from './operations.schemas.js';
import { reconciled } from './jobs.js';
import { acceptedOperation, pollHeaders, toOperationJson } from './operations.views.js';

const tags = ['operations'];

export const operationsRoutes = [
  route({
    operationId: 'listOperations',
    method: 'get',
    path: '/v1/operations',
    summary: 'List operations (jobs), newest first',
    description:
      'Your organisation’s long-running operations, filtered by kind and status. Finished operations are kept at least 7 days.',
    tags,
    access: 'viewer',
    request: { query: OperationListQuery },
    responses: { 200: { description: 'A page of operations.', schema: OperationPage } },
    handler: async ({ query }, { services, principal }) => {
      const page = await services.operations.list(principal.organizationId, {
        limit: query.limit,
        cursor: query.cursor ?? null,
        ...(query.kind && { kind: query.kind }),
        ...(query.status && { status: query.status }),
      });
      return { status: 200, body: { items: page.items.map(toOperationJson), nextCursor: page.nextCursor } };
    },
  }),
  route({
    operationId: 'getOperation',
    method: 'get',
    path: '/v1/operations/{id}',
    summary: 'Poll an operation',
    description:
      'Status, progress, and the result (or the problem it failed with). While it is not finished the answer carries `Retry-After`: wait that many seconds before the next poll.',
    tags,
    access: 'viewer',
    request: { params: IdParams },
    responses: {
      200: { description: 'The operation.', schema: OperationSchema, headers: OperationReadHeaders },
    },
    handler: async ({ params }, { services, principal }) => {
      const stored = await services.operations.get(principal.organizationId, params.id);
      if (!stored) throw problems.notFound('Operation');
      const operation = await reconciled(services.jobs, stored);
      return { status: 200, headers: pollHeaders(operation), body: toOperationJson(operation) };
    },
  }),
  route({
    operationId: 'cancelOperation',
    method: 'post',
    path: '/v1/operations/{id}:cancel',
    summary: 'Cancel an operation (best effort)',
    description:
      'Asks the job to stop. It ends `canceled` unless it finishes first; poll the operation to see which. Canceling a finished operation changes nothing.',
    tags,
    access: 'analyst',
    request: { params: IdParams },
    responses: {
      202: { description: 'Cancellation requested.', schema: OperationSchema, headers: AcceptedHeaders },
    },
    handler: async ({ params }, { services, principal }) => {
      const operation = await services.jobs.cancel(params.id, { organizationId: principal.organizationId });
      if (!operation) throw problems.notFound('Operation');
      const current = (await services.operations.get(principal.organizationId, params.id)) ?? operation;
      return acceptedOperation({ operation: current });
    },
  }),
];
