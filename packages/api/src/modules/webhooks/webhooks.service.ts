/**
 * Webhook endpoints for the API: the workflows package's endpoint store and notifier (plain SQL
 * on the API's database, tables from WORKFLOW_MIGRATIONS), with its errors turned into problems.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Pool } from 'pg';
import {
  createInProcessDispatcher,
  createWebhookNotifier,
  InvalidInputError,
  WebhookEndpoints,
  WebhookInputError,
  WebhookReplayError,
  WebhookUrlError,
  type DeliveryOptions,
  type WebhookDelivery,
  type WebhookDeliveryStatus,
  type WebhookDispatcher,
  type WebhookEndpoint,
  type WebhookLogger,
  type WebhookNotifier,
} from '@greenfin/workflows';
import type { Principal } from '../../http/context.js';
import { problems } from '../../http/problem.js';
import { recordAudit } from '../audit/audit.js';
import type {
  CreateWebhookEndpointInput,
  WebhookDeliveryJson,
  WebhookEndpointJson,
} from './webhooks.schemas.js';

export function toWebhookEndpointJson(endpoint: WebhookEndpoint): WebhookEndpointJson {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.events,
    description: endpoint.description,
    status: endpoint.status,
    disabledReason: endpoint.disabledReason,
    disabledAt: endpoint.disabledAt?.toISOString() ?? null,
    createdAt: endpoint.createdAt.toISOString(),
    updatedAt: endpoint.updatedAt.toISOString(),
  };
}

export function toWebhookDeliveryJson(delivery: WebhookDelivery): WebhookDeliveryJson {
  return {
    id: delivery.id,
    endpointId: delivery.endpointId,
    event: delivery.event,
    status: delivery.status,
    attempts: delivery.attempts,
    nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
    lastStatusCode: delivery.lastStatusCode,
    lastError: delivery.lastError,
    payload: delivery.payload,
    createdAt: delivery.createdAt.toISOString(),
    deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
  };
}

/** Maps the workflows package's input errors to 400/422 problems naming the field. */
function asProblem(error: unknown): unknown {
  if (error instanceof WebhookUrlError) {
    return problems.unprocessable(`The webhook URL cannot be used: ${error.reason}.`, 'unsafe-webhook-url', [
      { in: 'body', pointer: '#/url', code: 'unsafe_url', detail: error.reason },
    ]);
  }
  if (error instanceof WebhookInputError) {
    return problems.validation([
      { in: 'body', pointer: `#/${error.field}`, code: 'invalid', detail: error.message },
    ]);
  }
  if (error instanceof InvalidInputError && error.field === 'cursor') {
    return problems.validation([
      { in: 'query', pointer: '#/cursor', code: 'invalid_cursor', detail: 'Not a cursor from this list.' },
    ]);
  }
  return error;
}

async function mapped<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw asProblem(error);
  }
}

export interface WebhooksServiceOptions {
  /** A pool on the API's database (the webhook tables come from WORKFLOW_MIGRATIONS). */
  pool: Pool;
  /** `WEBHOOK_ALLOW_PRIVATE_URLS`: http and private addresses allowed (development, tests). */
  allowPrivateUrls: boolean;
  /** BullMQ (`createWebhookDispatcher` with Redis, built by main.ts); an in-process one when absent. */
  dispatcher?: WebhookDispatcher;
  logger?: WebhookLogger;
  /** Delivery attempts by outcome, for the in-process dispatcher built here. */
  metrics?: DeliveryOptions['metrics'];
}

/**
 * Endpoint management for the routes, plus the `notifier` the job activities call (`notify`) and
 * the `dispatcher` that attempts deliveries — constructed here, started by main.ts (or a test):
 * building the app connects nothing.
 */
export class WebhooksService {
  readonly notifier: WebhookNotifier;
  readonly dispatcher: WebhookDispatcher;
  private readonly endpoints: WebhookEndpoints;

  constructor(options: WebhooksServiceOptions) {
    const { pool, allowPrivateUrls } = options;
    this.dispatcher =
      options.dispatcher ??
      createInProcessDispatcher({
        pool,
        allowPrivateUrls,
        ...(options.logger ? { logger: options.logger } : {}),
        ...(options.metrics ? { metrics: options.metrics } : {}),
      });
    this.notifier = createWebhookNotifier({ pool, dispatcher: this.dispatcher });
    this.endpoints = new WebhookEndpoints(pool, { allowPrivateUrls });
  }

  /** Creates an endpoint; the secret is returned this once. */
  async create(
    em: EntityManager,
    actor: Principal,
    input: CreateWebhookEndpointInput,
  ): Promise<WebhookEndpointJson & { secret: string }> {
    const { endpoint, secret } = await mapped(this.endpoints.create(actor.organizationId, input));
    recordAudit(
      em,
      actor,
      'webhook-endpoint.create',
      { type: 'webhook-endpoint', id: endpoint.id },
      {
        url: endpoint.url,
        events: endpoint.events,
      },
    );
    await em.flush();
    return { ...toWebhookEndpointJson(endpoint), secret };
  }

  async list(actor: Principal, page: { limit: number; cursor?: string | undefined }) {
    const result = await mapped(this.endpoints.list(actor.organizationId, page));
    return { items: result.items.map(toWebhookEndpointJson), nextCursor: result.nextCursor };
  }

  async get(actor: Principal, id: string): Promise<WebhookEndpointJson> {
    const endpoint = await this.endpoints.get(actor.organizationId, id);
    if (!endpoint) throw problems.notFound(`Webhook endpoint ${id}`);
    return toWebhookEndpointJson(endpoint);
  }

  /** Deletes an endpoint and its delivery history. */
  async delete(em: EntityManager, actor: Principal, id: string): Promise<void> {
    if (!(await this.endpoints.delete(actor.organizationId, id))) {
      throw problems.notFound(`Webhook endpoint ${id}`);
    }
    recordAudit(em, actor, 'webhook-endpoint.delete', { type: 'webhook-endpoint', id });
    await em.flush();
  }

  async listDeliveries(
    actor: Principal,
    id: string,
    query: { limit: number; cursor?: string | undefined; status?: WebhookDeliveryStatus | undefined },
  ) {
    const page = await mapped(this.endpoints.listDeliveries(actor.organizationId, id, query));
    if (!page) throw problems.notFound(`Webhook endpoint ${id}`);
    return { items: page.items.map(toWebhookDeliveryJson), nextCursor: page.nextCursor };
  }

  /** Re-queues an exhausted or failed delivery (409 otherwise). */
  async replay(
    em: EntityManager,
    actor: Principal,
    id: string,
    deliveryId: string,
  ): Promise<WebhookDeliveryJson> {
    if (!(await this.endpoints.getDelivery(actor.organizationId, id, deliveryId))) {
      throw problems.notFound(`Delivery ${deliveryId} of webhook endpoint ${id}`);
    }
    let delivery: WebhookDelivery | null;
    try {
      delivery = await this.notifier.replay(actor.organizationId, deliveryId);
    } catch (error) {
      if (error instanceof WebhookReplayError)
        throw problems.conflict(error.message, 'delivery-not-replayable');
      throw error;
    }
    if (!delivery) throw problems.notFound(`Delivery ${deliveryId} of webhook endpoint ${id}`);
    recordAudit(em, actor, 'webhook-delivery.replay', { type: 'webhook-delivery', id: deliveryId });
    await em.flush();
    return toWebhookDeliveryJson(delivery);
  }
}
