// The webhook delivery tables (webhook_deliveries, webhook_attempts, webhook_fanout), reached only
// here, each step one statement or one short transaction, so that any number of instances can run
// the same loop on the same database:
// - fan-out: one instance at a time (the cursor row, `for update skip locked`) turns the events
//   that can no longer change into one delivery row per matching endpoint;
// - claim: `for update skip locked` picks due rows no other instance is claiming, and moves their
//   `next_attempt_at` past the delivery timeout: that is the lease. An instance killed mid-delivery
//   never finishes its attempt, the lease runs out, and the row is due again for anyone;
// - finish: only the claim that is still current may finish (the attempt number is its fence).
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * The event as the feed shows it (`{id, type, time, actor, userId, requestId, clientAddress, data,
 * changes?}`), built from an `events` row named `ev`: the one definition of that shape, which the
 * feed and a user's history read (router/events/events-store.ts) and the fan-out stores as each
 * delivery's `data`.
 */
export const EVENT_AS_FEED = `jsonb_build_object(
    'id', ev.id, 'type', ev.type,
    'time', to_char(ev.time at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'actor', ev.actor, 'userId', ev.user_id, 'requestId', ev.request_id,
    'clientAddress', ev.client_address, 'data', ev.data)
  || case when ev.data -> 'changes' is not null then jsonb_build_object('changes', ev.data -> 'changes')
          else '{}'::jsonb end`;

/** A fresh `webhook-id`, kept by the delivery for all its attempts. */
export const NEW_MESSAGE_ID = `'msg_' || replace(gen_random_uuid()::text, '-', '')`;

/**
 * Fans the next events out into deliveries; how many events it took (0: none, or another instance
 * holds the cursor). Events are read in (txid, id) order, only below the oldest transaction still
 * running (`pg_snapshot_xmin`): every transaction there has ended, so no event can appear behind
 * the cursor later, whatever order ids were drawn in. An endpoint gets the events from its creation on.
 */
export async function fanOut(em: EntityManager, batchSize: number): Promise<number> {
  return em.transactional(async (tx) => {
    const [cursor] = await tx.execute(`select 1 from webhook_fanout for update skip locked`);
    if (!cursor) return 0;
    const [result] = await tx.execute<Array<{ taken: string }>>(
      `with snapshot as (select pg_snapshot_xmin(pg_current_snapshot()) as xmin),
       batch as (
         select ev.* from events ev, snapshot, webhook_fanout f
          where (ev.txid, ev.id) > (f.last_txid, f.last_id) and ev.txid < snapshot.xmin
          order by ev.txid, ev.id limit ?
       ),
       queued as (
         insert into webhook_deliveries (endpoint_id, event_id, message_id, type, data)
         select ep.id, ev.id, ${NEW_MESSAGE_ID}, ev.type, ${EVENT_AS_FEED}
           from batch ev join webhook_endpoints ep
             on (ev.type = any(ep.types) or '*' = any(ep.types)) and ep.created_at <= ev.time
          on conflict (endpoint_id, event_id) do nothing
       ),
       moved as (
         update webhook_fanout set (last_txid, last_id) =
           (select txid, id from batch order by txid desc, id desc limit 1)
          where exists (select 1 from batch)
       )
       select count(*) as taken from batch`,
      [batchSize],
    );
    return Number(result?.taken ?? 0);
  });
}

export interface ClaimedDelivery {
  id: string;
  endpoint_id: string;
  message_id: string;
  type: string;
  data: unknown;
  attempts: number;
  url: string;
  /** The endpoint's secret, sealed. */
  secret: string;
}

/** Claims up to `limit` due deliveries of active endpoints for `leaseMs`. */
export async function claimDue(em: EntityManager, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  return em.execute<ClaimedDelivery[]>(
    `update webhook_deliveries d
        set attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => ?)
       from (select d2.id from webhook_deliveries d2 join webhook_endpoints e on e.id = d2.endpoint_id
              where d2.state = 'pending' and d2.next_attempt_at <= now() and e.status = 'active'
              order by d2.next_attempt_at limit ?
              for update of d2 skip locked) due,
            webhook_endpoints ep
      where d.id = due.id and ep.id = d.endpoint_id
      returning d.id, d.endpoint_id, d.message_id, d.type, d.data, d.attempts, ep.url, ep.secret`,
    [leaseMs / 1000, limit],
  );
}

export interface Outcome {
  ok: boolean;
  status: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * Records an attempt's outcome, if its claim is still current: delivered, or due again after
 * `retryDelayMs`, or failed for good past `retryWindowMs` from when it was queued. The state it
 * left the delivery in, or null when another claim had taken over.
 */
export async function finishAttempt(
  em: EntityManager,
  claim: Pick<ClaimedDelivery, 'id' | 'attempts'>,
  outcome: Outcome,
  retryDelayMs: number,
  retryWindowMs: number,
): Promise<'succeeded' | 'pending' | 'failed' | null> {
  // one statement (one round trip, atomic): the attempt's row, and the delivery's new state
  const [row] = await em.execute<Array<{ state: 'succeeded' | 'pending' | 'failed' }>>(
    `with attempt as (
       insert into webhook_attempts (delivery_id, attempt, status, error, duration_ms) values (?, ?, ?, ?, ?)
       on conflict do nothing
     )
     update webhook_deliveries
        set state = case when ? then 'succeeded'
                         when now() + make_interval(secs => ?) > created_at + make_interval(secs => ?) then 'failed'
                         else 'pending' end,
            next_attempt_at = case when ? then next_attempt_at else now() + make_interval(secs => ?) end
      where id = ? and attempts = ? and state = 'pending'
      returning state`,
    [
      claim.id,
      claim.attempts,
      outcome.status,
      outcome.error,
      outcome.durationMs,
      outcome.ok,
      retryDelayMs / 1000,
      retryWindowMs / 1000,
      outcome.ok,
      retryDelayMs / 1000,
      claim.id,
      claim.attempts,
    ],
  );
  return row?.state ?? null;
}

/** Pauses an endpoint that kept failing, saying why (an endpoint already paused keeps its reason). */
export async function pauseFailing(em: EntityManager, endpointId: string, reason: string): Promise<boolean> {
  const rows = await em.execute(
    `update webhook_endpoints set status = 'paused', status_reason = ?, updated_at = now()
      where id = ? and status = 'active' returning id`,
    [reason, endpointId],
  );
  return rows.length === 1;
}
