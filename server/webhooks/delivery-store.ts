// The webhook delivery tables (webhook_deliveries, webhook_attempts, webhook_fanout), reached only
// here, each step one statement or one short transaction, so that any number of instances can run
// the same loop on the same database:
// - fan-out: one instance at a time (the cursor row, `for update skip locked`) turns the events
//   that can no longer change into one delivery row per matching endpoint;
// - claim: `for update skip locked` picks due rows no other instance is claiming, and moves their
//   `next_attempt_at` past the delivery timeout: that is the lease. An instance killed mid-delivery
//   never finishes its attempt, the lease runs out, and the row is due again for anyone;
// - finish: only the claim that is still current may finish (the attempt number is its fence); the
//   outcomes of many attempts are recorded in one statement, so a commit is shared by all of them;
// - retention: deliveries as old as the events they copy go with them, a small batch at a time.
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
 * `*` is every event about users and sign-ins; the events about the webhooks themselves
 * (`webhook.created`, …) go only where they are named, so no endpoint is sent its own registration
 * unasked.
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
             on (ev.type = any(ep.types) or ('*' = any(ep.types) and ev.type not like 'webhook.%'))
            and ep.created_at <= ev.time
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

/**
 * Whether there are events for the fan-out to take: one read (no lock, no write, so no commit to
 * wait for), which an idle loop can afford every few tens of milliseconds where a fan-out
 * transaction, which locks the cursor row, could not.
 */
export async function eventsToFanOut(em: EntityManager): Promise<boolean> {
  const [row] = await em.execute<Array<{ waiting: boolean }>>(
    `select exists (
       select 1 from events ev, webhook_fanout f
        where (ev.txid, ev.id) > (f.last_txid, f.last_id) and ev.txid < pg_snapshot_xmin(pg_current_snapshot())
     ) as waiting`,
  );
  return row?.waiting === true;
}

export interface ClaimedDelivery {
  id: string;
  endpoint_id: string;
  message_id: string;
  type: string;
  data: unknown;
  attempts: number;
  /**
   * When this claim's lease ends, in microseconds since 1970 (a decimal string): with `attempts`,
   * what makes the claim still current when its outcome is recorded. A redelivery asked for while
   * the attempt is in flight moves it (router/webhooks/webhook-store redeliver).
   */
  lease: string;
  url: string;
  /** The endpoint's secret, sealed. */
  secret: string;
  /** The secret its last rotation replaced, sealed, while it still signs (else null). */
  previous_secret: string | null;
}

/**
 * A delivery's `next_attempt_at` exactly, as an integer of microseconds: a claim's lease, which
 * finishAttempts compares.
 */
const LEASE = `(extract(epoch from d.next_attempt_at) * 1000000)::bigint`;

/**
 * Claims up to `limit` due deliveries of active endpoints for `leaseMs`.
 *
 * The due rows are read in the order of the due index, and the read stops at `limit`: a claim
 * costs the same with 10 or 100,000 deliveries waiting. The endpoint's status is checked per row
 * by a subquery (`<> 'paused'`, which the planner takes to pass nearly every row) rather than a
 * join: joined, the planner guessed from the status filter that few rows would pass, read every
 * due row and sorted them, and a backlog made each claim slower (14 ms at 10,000 waiting), so the
 * backlog grew faster (measured: 1000 events/s fell to 260 deliveries/s).
 */
export async function claimDue(em: EntityManager, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  return em.execute<ClaimedDelivery[]>(
    `update webhook_deliveries d
        set attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => ?)
       from (select d2.id from webhook_deliveries d2
              where d2.state = 'pending' and d2.next_attempt_at <= now()
                and (select e.status from webhook_endpoints e where e.id = d2.endpoint_id) <> 'paused'
              order by d2.next_attempt_at limit ?
              for update of d2 skip locked) due,
            webhook_endpoints ep
      where d.id = due.id and ep.id = d.endpoint_id
      returning d.id, d.endpoint_id, d.message_id, d.type, d.data, d.attempts, ${LEASE} as lease, ep.url, ep.secret,
        case when ep.previous_secret_expires_at > now() then ep.previous_secret end as previous_secret`,
    [leaseMs / 1000, limit],
  );
}

export interface Outcome {
  ok: boolean;
  status: number | null;
  error: string | null;
  durationMs: number;
}

/** One attempt's outcome to record: the claim it ends, what came of it, and the delay before a retry. */
export interface FinishedAttempt {
  claim: Pick<ClaimedDelivery, 'id' | 'attempts' | 'lease'>;
  outcome: Outcome;
  retryDelayMs: number;
}

/** The state an attempt left its delivery in, or null when another claim had taken over. */
export type FinishedState = 'succeeded' | 'pending' | 'failed' | null;

/**
 * Records many attempts' outcomes in one statement (one round trip, one commit, however many):
 * each attempt's row, and each delivery's new state if its claim is still current (the attempt
 * number and the lease are the fence: a later claim moves both, a redelivery asked for meanwhile
 * the lease, and either way the delivery is not settled by this outcome): delivered, or due again
 * after its `retryDelayMs`, or failed for good past `retryWindowMs` from when it was queued. Answers, in the order given, the state each left its
 * delivery in. Atomic: on an error nothing of the batch is recorded (the caller may record the
 * attempts one by one, so that one bad row does not cost the others).
 */
export async function finishAttempts(
  em: EntityManager,
  attempts: readonly FinishedAttempt[],
  retryWindowMs: number,
): Promise<FinishedState[]> {
  if (attempts.length === 0) return [];
  // the batch travels as one JSON parameter (the driver's bindings would spread an array into a list)
  const batch = attempts.map(({ claim, outcome, retryDelayMs }) => ({
    id: claim.id,
    attempt: claim.attempts,
    lease: claim.lease,
    status: outcome.status,
    error: outcome.error,
    duration_ms: Math.round(outcome.durationMs),
    ok: outcome.ok,
    delay_s: retryDelayMs / 1000,
  }));
  const rows = await em.execute<Array<{ id: string; attempts: number; state: Exclude<FinishedState, null> }>>(
    `with outcome as (
       select * from jsonb_to_recordset(?::jsonb)
         as o(id bigint, attempt int, lease bigint, status int, error text, duration_ms int, ok boolean, delay_s float8)
     ),
     attempt as (
       insert into webhook_attempts (delivery_id, attempt, status, error, duration_ms)
       select id, attempt, status, error, duration_ms from outcome order by id, attempt
       on conflict do nothing
     )
     update webhook_deliveries d
        set state = case when o.ok then 'succeeded'
                         when now() + make_interval(secs => o.delay_s) > d.created_at + make_interval(secs => ?)
                           then 'failed'
                         else 'pending' end,
            next_attempt_at = case when o.ok then d.next_attempt_at else now() + make_interval(secs => o.delay_s) end
       from outcome o
      where d.id = o.id and d.attempts = o.attempt and ${LEASE} = o.lease and d.state = 'pending'
      returning d.id, d.attempts, d.state`,
    [JSON.stringify(batch), retryWindowMs / 1000],
  );
  const states = new Map(rows.map((row) => [`${row.id}:${row.attempts}`, row.state]));
  return attempts.map(({ claim }) => states.get(`${claim.id}:${claim.attempts}`) ?? null);
}

/**
 * Pauses an endpoint that kept failing, saying why (an endpoint already paused keeps its reason),
 * and records it with `audit` in the same transaction.
 */
export async function pauseFailing(
  em: EntityManager,
  endpointId: string,
  reason: string,
  audit: PauseAudit,
): Promise<boolean> {
  return em.transactional(async (tx) => {
    const [paused] = await tx.execute<Array<{ id: string; url: string; types: string[] }>>(
      `update webhook_endpoints set status = 'paused', status_reason = ?, updated_at = now()
        where id = ? and status = 'active' returning id, url, types`,
      [reason, endpointId],
    );
    if (paused) await audit(tx, { ...paused, reason });
    return paused !== undefined;
  });
}

/**
 * Records an automatic pause in the pause's own transaction (the events domain's recorder, given
 * by the composition root: the delivery loop is infrastructure and knows no domain).
 */
export type PauseAudit = (
  tx: EntityManager,
  paused: { id: string; url: string; types: string[]; reason: string },
) => Promise<void>;

/**
 * Removes up to `batch` deliveries queued before `before` (their attempts with them); answers how
 * many went. Every one but an attempt in flight: a delivery still held by a paused endpoint goes
 * too, since the event it carries is past its retention, but one claimed now (its lease,
 * `next_attempt_at`, ahead) is left to finish and goes in a later round. Found through the BRIN
 * index on `created_at`; a caller repeats while a whole batch went.
 */
export async function removeDeliveriesBefore(em: EntityManager, before: Date, batch: number): Promise<number> {
  const removed = await em.execute<Array<{ id: string }>>(
    `delete from webhook_deliveries where id in (
       select id from webhook_deliveries
        where created_at < ? and (state <> 'pending' or next_attempt_at <= now())
        limit ?)
     returning id`,
    [before, batch],
  );
  return removed.length;
}
