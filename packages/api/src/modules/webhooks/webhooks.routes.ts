import { IdParams, LocationHeaders } from '../../http/schemas.js';
import { route } from '../../services.js';
import {
  CreatedWebhookEndpointSchema,
  CreateWebhookEndpointBody,
  DeliveryParams,
  WebhookDeliveryListQuery,
  WebhookDeliveryPage,
  WebhookDeliverySchema,
  WebhookEndpointPage,
  WebhookEndpointSchema,
} from './webhooks.schemas.js';
import { PageQuery } from '../../http/schemas.js';

const tags = ['webhooks'];

export const webhooksRoutes = [
  route({
    operationId: 'createWebhookEndpoint',
    method: 'post',
    path: '/v1/webhook-endpoints',
    summary: 'Register a webhook endpoint (its signing secret is shown once)',
    description:
      'The URL must be https and resolve only to public addresses; it is checked again before every delivery. See docs/webhooks.md.',
    tags,
    access: 'admin',
    request: { body: CreateWebhookEndpointBody },
    responses: {
      201: {
        description: 'Endpoint created; store `secret` now.',
        schema: CreatedWebhookEndpointSchema,
        headers: LocationHeaders,
      },
    },
    problems: [422],
    handler: async ({ body }, { em, principal, services }) => {
      const created = await services.webhooks.create(em, principal, body);
      return { status: 201, headers: { Location: `/v1/webhook-endpoints/${created.id}` }, body: created };
    },
  }),
  route({
    operationId: 'listWebhookEndpoints',
    method: 'get',
    path: '/v1/webhook-endpoints',
    summary: 'List webhook endpoints, newest first (never their secrets)',
    tags,
    access: 'admin',
    request: { query: PageQuery },
    responses: { 200: { description: 'A page of endpoints.', schema: WebhookEndpointPage } },
    handler: async ({ query }, { principal, services }) => ({
      status: 200,
      body: await services.webhooks.list(principal, query),
    }),
  }),
  route({
    operationId: 'getWebhookEndpoint',
    method: 'get',
    path: '/v1/webhook-endpoints/{id}',
    summary: 'Get a webhook endpoint (without its secret)',
    tags,
    access: 'admin',
    request: { params: IdParams },
    responses: { 200: { description: 'The endpoint.', schema: WebhookEndpointSchema } },
    problems: [404],
    handler: async ({ params }, { principal, services }) => ({
      status: 200,
      body: await services.webhooks.get(principal, params.id),
    }),
  }),
  route({
    operationId: 'deleteWebhookEndpoint',
    method: 'delete',
    path: '/v1/webhook-endpoints/{id}',
    summary: 'Delete a webhook endpoint and its delivery history',
    tags,
    access: 'admin',
    request: { params: IdParams },
    responses: { 204: { description: 'Deleted.' } },
    problems: [404],
    handler: async ({ params }, { em, principal, services }) => {
      await services.webhooks.delete(em, principal, params.id);
      return { status: 204 };
    },
  }),
  route({
    operationId: 'listWebhookDeliveries',
    method: 'get',
    path: '/v1/webhook-endpoints/{id}/deliveries',
    summary: "List an endpoint's deliveries, newest first",
    tags,
    access: 'admin',
    request: { params: IdParams, query: WebhookDeliveryListQuery },
    responses: { 200: { description: 'A page of deliveries.', schema: WebhookDeliveryPage } },
    problems: [404],
    handler: async ({ params, query }, { principal, services }) => ({
      status: 200,
      body: await services.webhooks.listDeliveries(principal, params.id, query),
    }),
  }),
  route({
    operationId: 'replayWebhookDelivery',
    method: 'post',
    path: '/v1/webhook-endpoints/{id}/deliveries/{deliveryId}:replay',
    summary: 'Replay an exhausted or failed delivery with a fresh set of attempts',
    tags,
    access: 'admin',
    request: { params: DeliveryParams },
    responses: { 202: { description: 'Queued again.', schema: WebhookDeliverySchema } },
    problems: [404, 409],
    handler: async ({ params }, { em, principal, services }) => ({
      status: 202,
      body: await services.webhooks.replay(em, principal, params.id, params.deliveryId),
    }),
  }),
];
