import { WEBHOOK_DELIVERY_STATUSES, WEBHOOK_EVENTS } from '@greenfin/workflows';
import { pageOf, PageQuery, text, Timestamp, Uuid } from '../../http/schemas.js';
import { z } from '../../http/zod.js';

export const WebhookEventSchema = z
  .enum(WEBHOOK_EVENTS)
  .openapi('WebhookEvent', { description: 'An event an endpoint can subscribe to.' });

export const WebhookEndpointSchema = z
  .object({
    id: Uuid,
    url: z.string().openapi({ example: 'https://hooks.lender.example/greenfin' }),
    events: z.array(WebhookEventSchema),
    description: z.string().nullable(),
    status: z.enum(['active', 'disabled']).openapi({
      description: '`disabled` once the receiver answered 410 Gone: no further deliveries.',
    }),
    disabledReason: z.string().nullable(),
    disabledAt: Timestamp.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('WebhookEndpoint');

export const CreatedWebhookEndpointSchema = WebhookEndpointSchema.extend({
  secret: z.string().openapi({
    description:
      'The Standard Webhooks signing secret (`whsec_…`). Shown this once: verify `webhook-signature` with it.',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  }),
}).openapi('CreatedWebhookEndpoint');

export const WebhookEndpointPage = pageOf(WebhookEndpointSchema, 'WebhookEndpointPage');

export const CreateWebhookEndpointBody = z
  .object({
    url: text(1, 2048).openapi({
      description:
        'Where deliveries are POSTed: https, resolving only to public addresses (checked now and at every delivery).',
      example: 'https://hooks.lender.example/greenfin',
    }),
    events: z.array(WebhookEventSchema).min(1).max(WEBHOOK_EVENTS.length),
    description: text(0, 500).optional(),
  })
  .openapi('CreateWebhookEndpointRequest');

export const WebhookDeliverySchema = z
  .object({
    id: Uuid.openapi({ description: 'Also the `webhook-id` header of every attempt.' }),
    endpointId: Uuid,
    event: WebhookEventSchema,
    status: z.enum(WEBHOOK_DELIVERY_STATUSES),
    attempts: z
      .number()
      .int()
      .openapi({ description: 'Attempts made since it was queued (or last replayed).' }),
    nextAttemptAt: Timestamp.nullable(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    payload: z
      .object({ type: WebhookEventSchema, timestamp: Timestamp, data: z.record(z.unknown()) })
      .openapi({ description: 'The body every attempt sends.' }),
    createdAt: Timestamp,
    deliveredAt: Timestamp.nullable(),
  })
  .openapi('WebhookDelivery');

export const WebhookDeliveryPage = pageOf(WebhookDeliverySchema, 'WebhookDeliveryPage');

export const WebhookDeliveryListQuery = PageQuery.extend({
  status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional(),
});

export const DeliveryParams = z.object({ id: Uuid, deliveryId: Uuid });

export type WebhookEndpointJson = z.input<typeof WebhookEndpointSchema>;
export type WebhookDeliveryJson = z.input<typeof WebhookDeliverySchema>;
export type CreateWebhookEndpointInput = z.output<typeof CreateWebhookEndpointBody>;
