// The Zod schemas of the Webhooks operations: what an admin sends to register and change an
// endpoint, and what it is answered. The signing secret appears in one schema only, the answer
// to a registration and to a rotation.
import { z } from 'zod';
import { UUID_PATTERN } from '../trpc/common-schemas';

const EndpointId = z
  .string()
  .regex(UUID_PATTERN, 'must be a webhook id (a UUID)')
  .meta({ description: 'The endpoint id (a UUID).' });
const Url = z
  .string({ error: 'must be a URL' })
  .max(2000, 'must be at most 2000 characters')
  .meta({ description: 'Where deliveries are POSTed: https://, to a public address.' });
const Types = z
  .array(
    z.string().regex(/^(\*|[a-z][a-z_]*(\.[a-z_]+)+)$/, 'each type must be an event type such as user.created, or *'),
  )
  .min(1, 'must name at least one event type')
  .max(50, 'must name at most 50 event types')
  .meta({ description: 'The event types delivered (`*`: all).' });

const PreviousSecretExpiresAt = z.string().nullable().meta({
  description:
    'Until when deliveries are also signed with the secret the last rotation replaced (ISO 8601); null: only the current secret signs.',
});

export const WebhookCreateSchema = z.object({ url: Url, types: Types }).meta({ id: 'WebhookCreate' });

export const WebhookCreatedSchema = z
  .object({
    id: EndpointId,
    url: z.string(),
    types: z.array(z.string()),
    secret: z.string().meta({ description: 'The signing secret (`whsec_…`). Shown only in this answer.' }),
  })
  .meta({ id: 'WebhookCreated' });

export const WebhookSchema = z
  .object({
    id: EndpointId,
    url: z.string(),
    types: z.array(z.string()),
    status: z.enum(['active', 'paused']),
    statusReason: z.string().nullable().meta({ description: 'Why the endpoint was paused, when it was.' }),
    createdAt: z.string(),
    previousSecretExpiresAt: PreviousSecretExpiresAt,
  })
  .meta({ id: 'Webhook' });

export const WebhookRotateSchema = z
  .object({
    id: EndpointId,
    previousValidHours: z
      .number({ error: 'must be a whole number of hours from 0 to 168' })
      .int('must be a whole number of hours from 0 to 168')
      .min(0, 'must be a whole number of hours from 0 to 168')
      .max(168, 'must be a whole number of hours from 0 to 168')
      .default(24)
      .meta({
        description:
          'How long the replaced secret keeps signing deliveries beside the new one (0 to 168 hours; 0: it stops at once, as for a leaked secret).',
      }),
  })
  .meta({ id: 'WebhookRotate' });

/** The endpoint as the rotation left it, and its new secret. */
export const WebhookRotatedSchema = WebhookSchema.extend({
  secret: z.string().meta({ description: 'The new signing secret (`whsec_…`). Shown only in this answer.' }),
}).meta({ id: 'WebhookRotated' });

export const WebhookListSchema = z.object({ items: z.array(WebhookSchema) }).meta({ id: 'WebhookList' });

export const WebhookIdInput = z.object({ id: EndpointId });

export const WebhookUpdateSchema = z
  .object({ id: EndpointId, url: Url.optional(), types: Types.optional() })
  .meta({ id: 'WebhookUpdate' });

export const DeliveriesInput = z.object({
  id: EndpointId,
  limit: z.coerce.number().int().min(1).max(100).default(20).meta({ description: 'How many, newest first.' }),
});

const AttemptSchema = z.object({
  attempt: z.number().int(),
  at: z.string(),
  status: z.number().int().nullable().meta({ description: 'The HTTP status answered; null: no answer.' }),
  error: z.string().nullable(),
  durationMs: z.number().int(),
});

export const DeliverySchema = z
  .object({
    webhookId: z.string().meta({ description: 'The `webhook-id` header, the same on every attempt.' }),
    eventId: z.number().int().nullable().meta({ description: 'The event delivered; null for a test event.' }),
    type: z.string(),
    state: z.enum(['pending', 'succeeded', 'failed']),
    attempts: z.array(AttemptSchema),
    nextAttemptAt: z.string().nullable().meta({ description: 'When it is tried next, while pending.' }),
    createdAt: z.string(),
  })
  .meta({ id: 'WebhookDelivery' });

export const DeliveryListSchema = z.object({ items: z.array(DeliverySchema) }).meta({ id: 'WebhookDeliveryList' });

export const RedeliverSchema = z
  .object({ id: EndpointId, eventId: z.number().int().positive() })
  .meta({ id: 'WebhookRedeliver' });

export const QueuedSchema = z
  .object({ webhookId: z.string().meta({ description: 'The `webhook-id` of the queued delivery.' }) })
  .meta({ id: 'WebhookQueued' });
