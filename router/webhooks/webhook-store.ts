// The endpoints table (webhook_endpoints) and what an admin reads and asks of the delivery
// tables, reached only here. The sealed secret is written here and never selected: no read of an
// endpoint can carry it into an answer.
import type { EntityManager } from '@mikro-orm/postgresql';
import { EVENT_AS_FEED, NEW_MESSAGE_ID } from '../../server/webhooks/delivery-store';
import { endpointSecretContext } from '../../server/webhooks/endpoint-secret';
import type { SealedColumn } from '../../server/crypto/sealed-column';

export interface EndpointRow {
  id: string;
  url: string;
  types: string[];
  status: 'active' | 'paused';
  status_reason: string | null;
  created_at: Date | string;
  /** Until when deliveries are also signed with the secret the last rotation replaced. */
  previous_secret_expires_at: Date | string | null;
}

// a list travels as JSON (the driver's bindings would spread an array into several values)
const TEXT_ARRAY = `(select array_agg(value) from jsonb_array_elements_text(?::jsonb))`;
// a replaced secret's expiry, once passed, is as good as none
const ENDPOINT_COLUMNS = `id, url, types, status, status_reason, created_at,
  case when previous_secret_expires_at > now() then previous_secret_expires_at end as previous_secret_expires_at`;

export async function insertEndpoint(
  em: EntityManager,
  endpoint: { id: string; url: string; types: string[]; sealedSecret: string },
): Promise<void> {
  await em.execute(`insert into webhook_endpoints (id, url, types, secret) values (?, ?, ${TEXT_ARRAY}, ?)`, [
    endpoint.id,
    endpoint.url,
    JSON.stringify(endpoint.types),
    endpoint.sealedSecret,
  ]);
}

export async function listEndpoints(em: EntityManager): Promise<EndpointRow[]> {
  return em.execute<EndpointRow[]>(`select ${ENDPOINT_COLUMNS} from webhook_endpoints order by created_at, id`);
}

export async function readEndpoint(em: EntityManager, id: string): Promise<EndpointRow | undefined> {
  const [row] = await em.execute<EndpointRow[]>(`select ${ENDPOINT_COLUMNS} from webhook_endpoints where id = ?`, [id]);
  return row;
}

/** Changes an endpoint's URL or types; the endpoint as it is now, and its URL and types before. */
export async function updateEndpoint(
  em: EntityManager,
  id: string,
  change: { url?: string; types?: string[] },
): Promise<(EndpointRow & { before: { url: string; types: string[] } }) | undefined> {
  // the row is locked as it is read, so `before` is what this update replaced
  const [row] = await em.execute<Array<EndpointRow & { before_url: string; before_types: string[] }>>(
    `with old as (select id as old_id, url as old_url, types as old_types from webhook_endpoints where id = ? for update)
     update webhook_endpoints set url = coalesce(?, url), types = coalesce(${TEXT_ARRAY}, types), updated_at = now()
       from old where id = old_id
     returning ${ENDPOINT_COLUMNS}, old_url as before_url, old_types as before_types`,
    [id, change.url ?? null, change.types ? JSON.stringify(change.types) : null],
  );
  if (!row) return undefined;
  const { before_url: url, before_types: types, ...endpoint } = row;
  return { ...endpoint, before: { url, types } };
}

/** Pauses (with why) or resumes an endpoint. */
export async function setStatus(
  em: EntityManager,
  id: string,
  status: 'active' | 'paused',
  reason: string | null,
): Promise<EndpointRow | undefined> {
  const [row] = await em.execute<EndpointRow[]>(
    `update webhook_endpoints set status = ?, status_reason = ?, updated_at = now() where id = ?
      returning ${ENDPOINT_COLUMNS}`,
    [status, reason, id],
  );
  return row;
}

/**
 * Gives the endpoint `sealedSecret` as its secret. The one it replaces (moved sealed, never opened)
 * keeps signing deliveries beside it for `previousValidHours`; with 0 it ends at once, and so does
 * any secret an earlier rotation kept.
 */
export async function rotateSecret(
  em: EntityManager,
  id: string,
  sealedSecret: string,
  previousValidHours: number,
): Promise<EndpointRow | undefined> {
  const [row] = await em.execute<EndpointRow[]>(
    `update webhook_endpoints
        set previous_secret = case when ?::int > 0 then secret end,
            previous_secret_expires_at = case when ?::int > 0 then now() + make_interval(hours => ?::int) end,
            secret = ?, updated_at = now()
      where id = ? returning ${ENDPOINT_COLUMNS}`,
    [previousValidHours, previousValidHours, previousValidHours, sealedSecret, id],
  );
  return row;
}

/** Removes an endpoint (its deliveries with it); what it was, or undefined if there was none. */
export async function deleteEndpoint(
  em: EntityManager,
  id: string,
): Promise<Pick<EndpointRow, 'id' | 'url' | 'types'> | undefined> {
  const [row] = await em.execute<Array<Pick<EndpointRow, 'id' | 'url' | 'types'>>>(
    `delete from webhook_endpoints where id = ? returning id, url, types`,
    [id],
  );
  return row;
}

export interface DeliveryRow {
  message_id: string;
  event_id: string | null;
  type: string;
  state: 'pending' | 'succeeded' | 'failed';
  next_attempt_at: Date | string;
  created_at: Date | string;
  attempts: Array<{ attempt: number; at: string; status: number | null; error: string | null; duration_ms: number }>;
}

/** The endpoint's newest deliveries, each with its attempts in order. */
export async function listDeliveries(em: EntityManager, endpointId: string, limit: number): Promise<DeliveryRow[]> {
  return em.execute<DeliveryRow[]>(
    `select d.message_id, d.event_id, d.type, d.state, d.next_attempt_at, d.created_at,
            coalesce((select jsonb_agg(jsonb_build_object('attempt', a.attempt, 'at', a.at, 'status', a.status,
                                                          'error', a.error, 'duration_ms', a.duration_ms)
                                       order by a.attempt)
                        from webhook_attempts a where a.delivery_id = d.id), '[]') as attempts
       from webhook_deliveries d where d.endpoint_id = ? order by d.id desc limit ?`,
    [endpointId, limit],
  );
}

/**
 * Queues `eventId` for the endpoint again, now, with the `webhook-id` it had (a receiver that has
 * it already may drop it); an event the endpoint never had gets a delivery of its own. The
 * `webhook-id`, or null when there is no such event. Asked for while an attempt is in flight, it
 * moves that attempt's lease, so the attempt's outcome is recorded but does not settle the
 * delivery (server/webhooks/delivery-store finishAttempts): it is sent again all the same.
 */
export async function redeliver(em: EntityManager, endpointId: string, eventId: number): Promise<string | null> {
  const [row] = await em.execute<Array<{ message_id: string }>>(
    `insert into webhook_deliveries (endpoint_id, event_id, message_id, type, data)
     select ?, ev.id, ${NEW_MESSAGE_ID}, ev.type, ${EVENT_AS_FEED} from events ev where ev.id = ?
     on conflict (endpoint_id, event_id) do update
       set state = 'pending', next_attempt_at = now(), created_at = now()
     returning message_id`,
    [endpointId, eventId],
  );
  return row?.message_id ?? null;
}

/** Queues a `webhook.test` delivery, in the shape of an event, sent by `actor`. */
export async function queueTest(em: EntityManager, endpointId: string, actor: string): Promise<string> {
  const [row] = await em.execute<Array<{ message_id: string }>>(
    `insert into webhook_deliveries (endpoint_id, event_id, message_id, type, data)
     values (?, null, ${NEW_MESSAGE_ID}, 'webhook.test',
             jsonb_build_object('id', null, 'type', 'webhook.test',
                                'time', to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                                'actor', ?::text, 'userId', null, 'requestId', null))
     returning message_id`,
    [endpointId, actor],
  );
  return row!.message_id;
}

/**
 * An endpoint's signing secret, or the one its last rotation replaced, as `npm run reseal` walks
 * them after a key rotation and start-up checks them.
 */
function endpointSecretColumn(column: 'secret' | 'previous_secret', name: string): SealedColumn {
  return { name, table: 'webhook_endpoints', id: 'id', idType: 'uuid', column, context: endpointSecretContext };
}

export const endpointSecrets = endpointSecretColumn('secret', 'webhook signing secrets');
export const replacedEndpointSecrets = endpointSecretColumn('previous_secret', 'webhook secrets a rotation replaced');
