// What the Webhooks procedures do: register an endpoint (its URL checked against the SSRF rules,
// its secret made, sealed, and shown once), change, pause, resume, rotate the secret of and remove
// it, and read and queue its deliveries. Every change is recorded as a `webhook.*` event in its own
// transaction (who added an endpoint that receives every user's events is for the audit trail to
// say), never with a secret. Takes only the slice of the context it needs.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { TRPCError } from '@trpc/server';
import type { Context } from '../trpc/context';
import { badRequest } from '../trpc/api-errors';
import { AddressRefused, resolveTarget } from '../../server/webhooks/address-policy';
import { endpointSecretContext, newSigningSecret } from '../../server/webhooks/endpoint-secret';
import { eventOrigin, SERVICE_ACTOR, type EventContext } from '../events/event-origin';
import { recordEvent, type EventData } from '../events/events-store';
import { fieldChanges } from '../events/field-changes';
import type { PauseAudit } from '../../server/webhooks/delivery-store';
import * as store from './webhook-store';

type WebhookContext = Pick<Context, 'db' | 'secrets' | 'webhooks'> & EventContext;

/**
 * A change to an endpoint and its event, in one transaction: the event commits with the change or
 * not at all, and is written last (the events' id lock is held for the commit only). A change that
 * finds no endpoint is a 404 and records nothing.
 */
async function audited<T>(
  ctx: WebhookContext,
  change: (tx: EntityManager) => Promise<T | undefined>,
  event: (result: T) => { type: string; data: EventData },
): Promise<T> {
  return ctx.db.em.transactional(async (tx) => {
    const result = await change(tx);
    if (result === undefined) throw notFound();
    await recordEvent(tx, { ...event(result), userId: null, ...eventOrigin(ctx) });
    return result;
  });
}

/** What a webhook event says of its endpoint. */
const about = (row: { id: string; url: string; types: string[] }): EventData => ({
  endpoint: row.id,
  url: row.url,
  types: row.types,
});

/**
 * The delivery loop's own pause of an endpoint that kept failing (server/webhooks/delivery-store
 * pauseFailing), recorded in its transaction as an admin's pause is, with the reason, by `service`.
 * Given to the loop by the composition root (server/start/webhook-worker.ts).
 */
export const recordServicePause: PauseAudit = (tx, paused) =>
  recordEvent(tx, {
    type: 'webhook.paused',
    actor: SERVICE_ACTOR,
    userId: null,
    data: { ...about(paused), reason: paused.reason },
  });

/** A timestamp as the driver returns it (a string, under the ORM's settings) in ISO form. */
function iso(value: Date | string): string {
  return new Date(value).toISOString();
}

function notFound(): TRPCError {
  return new TRPCError({ code: 'NOT_FOUND', message: 'webhook not found' });
}

/** The URL, if it may be used now: https: to public addresses (unless WEBHOOK_ALLOW_PRIVATE). */
async function checkedUrl(ctx: WebhookContext, url: string): Promise<string> {
  try {
    return (await resolveTarget(url, ctx.webhooks.allowPrivate)).url.toString();
  } catch (error) {
    if (error instanceof AddressRefused) throw badRequest(error.message);
    throw error;
  }
}

export function endpointView(row: store.EndpointRow) {
  return {
    id: row.id,
    url: row.url,
    types: row.types,
    status: row.status,
    statusReason: row.status_reason,
    createdAt: iso(row.created_at),
    previousSecretExpiresAt: row.previous_secret_expires_at === null ? null : iso(row.previous_secret_expires_at),
  };
}

export async function createEndpoint(ctx: WebhookContext, input: { url: string; types: string[] }) {
  const url = await checkedUrl(ctx, input.url);
  const id = randomUUID();
  const secret = newSigningSecret();
  const types = [...new Set(input.types)];
  const endpoint = { id, url, types };
  await audited(
    ctx,
    async (tx) => {
      await store.insertEndpoint(tx, {
        ...endpoint,
        sealedSecret: ctx.secrets.seal(secret, endpointSecretContext(id)),
      });
      return endpoint;
    },
    () => ({ type: 'webhook.created', data: about(endpoint) }),
  );
  return { ...endpoint, secret };
}

export async function listEndpoints(ctx: WebhookContext) {
  return { items: (await store.listEndpoints(ctx.db.em)).map(endpointView) };
}

export async function readEndpoint(ctx: WebhookContext, id: string) {
  const row = await store.readEndpoint(ctx.db.em, id);
  if (!row) throw notFound();
  return endpointView(row);
}

export async function updateEndpoint(ctx: WebhookContext, input: { id: string; url?: string; types?: string[] }) {
  const url = input.url === undefined ? undefined : await checkedUrl(ctx, input.url);
  const types = input.types && [...new Set(input.types)];
  const row = await audited(
    ctx,
    (tx) => store.updateEndpoint(tx, input.id, { url, types }),
    (row) => ({
      type: 'webhook.updated',
      // only what changed, as a user's update says it
      data: { ...about(row), ...fieldChanges(row.before, { url: row.url, types: row.types }) },
    }),
  );
  return endpointView(row);
}

export async function setEndpointStatus(ctx: WebhookContext, id: string, status: 'active' | 'paused') {
  const row = await audited(
    ctx,
    (tx) => store.setStatus(tx, id, status, status === 'paused' ? 'paused by an admin' : null),
    (row) => ({ type: status === 'paused' ? 'webhook.paused' : 'webhook.resumed', data: about(row) }),
  );
  return endpointView(row);
}

/**
 * Gives the endpoint a new signing secret, shown in this answer only; the replaced one signs
 * deliveries beside it for `previousValidHours` (0: it stops at once, as for a leaked secret).
 */
export async function rotateEndpointSecret(ctx: WebhookContext, input: { id: string; previousValidHours: number }) {
  const secret = newSigningSecret();
  const sealed = ctx.secrets.seal(secret, endpointSecretContext(input.id));
  const row = await audited(
    ctx,
    (tx) => store.rotateSecret(tx, input.id, sealed, input.previousValidHours),
    (row) => ({
      type: 'webhook.secret_rotated',
      data: { ...about(row), previousValidHours: input.previousValidHours },
    }),
  );
  return { ...endpointView(row), secret };
}

export async function deleteEndpoint(ctx: WebhookContext, id: string): Promise<void> {
  await audited(
    ctx,
    (tx) => store.deleteEndpoint(tx, id),
    (row) => ({ type: 'webhook.deleted', data: about(row) }),
  );
}

export async function listDeliveries(ctx: WebhookContext, id: string, limit: number) {
  await readEndpoint(ctx, id);
  const rows = await store.listDeliveries(ctx.db.em, id, limit);
  return {
    items: rows.map((row) => ({
      webhookId: row.message_id,
      eventId: row.event_id === null ? null : Number(row.event_id),
      type: row.type,
      state: row.state,
      attempts: row.attempts.map((a) => ({
        attempt: a.attempt,
        at: new Date(a.at).toISOString(),
        status: a.status,
        error: a.error,
        durationMs: a.duration_ms,
      })),
      nextAttemptAt: row.state === 'pending' ? iso(row.next_attempt_at) : null,
      createdAt: iso(row.created_at),
    })),
  };
}

export async function redeliverEvent(ctx: WebhookContext, id: string, eventId: number) {
  await readEndpoint(ctx, id);
  const webhookId = await store.redeliver(ctx.db.em, id, eventId);
  if (!webhookId) throw new TRPCError({ code: 'NOT_FOUND', message: 'event not found' });
  return { webhookId };
}

export async function sendTestEvent(ctx: WebhookContext, id: string, actor: string) {
  await readEndpoint(ctx, id);
  return { webhookId: await store.queueTest(ctx.db.em, id, actor) };
}
