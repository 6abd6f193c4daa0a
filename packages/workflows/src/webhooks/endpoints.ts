/**
 * Managing an organization's webhook endpoints: create (URL checked by the SSRF guard, a new
 * secret returned once), read, list, delete, and read their deliveries.
 */
import type { Pool } from 'pg';
import { WebhookInputError } from './errors.js';
import { isWebhookEvent, WEBHOOK_EVENTS, type WebhookEventName } from './events.js';
import { generateWebhookSecret } from './signing.js';
import {
  WebhookStore,
  type Page,
  type PageQuery,
  type WebhookDelivery,
  type WebhookDeliveryStatus,
  type WebhookEndpoint,
} from './store.js';
import { assertWebhookUrl, type UrlGuardOptions } from './url-guard.js';

export interface CreateWebhookEndpoint {
  url: string;
  events: readonly string[];
  description?: string | null;
}

/** Longest endpoint description. */
export const MAX_WEBHOOK_DESCRIPTION_LENGTH = 500;

export class WebhookEndpoints {
  private readonly store: WebhookStore;

  constructor(
    pool: Pool,
    private readonly options: UrlGuardOptions = {},
  ) {
    this.store = new WebhookStore(pool);
  }

  /**
   * Creates an active endpoint with a new secret.
   *
   * @returns the endpoint and its secret — the only time the secret is handed out.
   * @throws WebhookUrlError when the URL is refused; WebhookInputError for bad events or description.
   */
  async create(
    organizationId: string,
    input: CreateWebhookEndpoint,
  ): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const events = validateEvents(input.events);
    const description = input.description ?? null;
    if (
      description !== null &&
      (typeof description !== 'string' || description.length > MAX_WEBHOOK_DESCRIPTION_LENGTH)
    ) {
      throw new WebhookInputError(
        'description',
        `must be at most ${MAX_WEBHOOK_DESCRIPTION_LENGTH} characters`,
      );
    }
    const url = await assertWebhookUrl(input.url, this.options);
    const secret = generateWebhookSecret();
    const endpoint = await this.store.createEndpoint({ organizationId, url, events, description, secret });
    return { endpoint, secret };
  }

  get(organizationId: string, id: string): Promise<WebhookEndpoint | null> {
    return this.store.getEndpoint(organizationId, id);
  }

  list(organizationId: string, query: PageQuery = {}): Promise<Page<WebhookEndpoint>> {
    return this.store.listEndpoints(organizationId, query);
  }

  /** @returns false when the tenant has no such endpoint. */
  delete(organizationId: string, id: string): Promise<boolean> {
    return this.store.deleteEndpoint(organizationId, id);
  }

  /** The endpoint's deliveries, newest first; null when the tenant has no such endpoint. */
  async listDeliveries(
    organizationId: string,
    endpointId: string,
    query: PageQuery & { status?: WebhookDeliveryStatus } = {},
  ): Promise<Page<WebhookDelivery> | null> {
    if (!(await this.store.getEndpoint(organizationId, endpointId))) return null;
    return this.store.listDeliveries(organizationId, endpointId, query);
  }

  /** The tenant's delivery of that endpoint, or null. */
  async getDelivery(
    organizationId: string,
    endpointId: string,
    deliveryId: string,
  ): Promise<WebhookDelivery | null> {
    const delivery = await this.store.getDelivery(organizationId, deliveryId);
    return delivery && delivery.endpointId === endpointId ? delivery : null;
  }
}

function validateEvents(events: readonly string[]): WebhookEventName[] {
  if (!Array.isArray(events) || events.length === 0) {
    throw new WebhookInputError('events', `must list at least one of ${WEBHOOK_EVENTS.join(', ')}`);
  }
  const seen = new Set<WebhookEventName>();
  events.forEach((event, i) => {
    if (!isWebhookEvent(event))
      throw new WebhookInputError(`events[${i}]`, `must be one of ${WEBHOOK_EVENTS.join(', ')}`);
    seen.add(event);
  });
  return [...seen];
}
