// The events table (migrations/Migration20261221100000.ts), reached only here: an event recorded
// inside the transaction of the change it tells of, the feed read after an id, and old events
// removed in small batches. Every other module records and reads events through these functions.
//
// Ids become visible in order. A sequence hands ids out at insert, not at commit: two writers may
// commit out of order, and a reader between the two commits would step over the smaller id for
// good. So every writer takes one advisory lock in SHARE mode just before it draws its id (the
// last statement of its transaction) and holds it to its commit; writers never wait for each
// other. A feed read takes the same lock EXCLUSIVE and reads its page while holding it: it waits
// until every writer that has drawn an id has committed or rolled back, new writers wait the few
// milliseconds of the page read, and every id its snapshot shows has every smaller id already
// decided. A reader that stores the last id it saw reads `id > last` and never misses one.
import type { EntityManager } from '@mikro-orm/postgresql';
import { EVENT_AS_FEED } from '../../server/webhooks/delivery-store';
import { preparedInTransaction, type PreparedStatement } from '../../server/database/request-database';

/** The key of the advisory lock between event writers (shared) and feed readers (exclusive). */
export const EVENT_ID_LOCK = 2026_1221_1000;

/** A value of a field before and after an update. */
export interface FieldChange {
  before: unknown;
  after: unknown;
}

/** What an event says beyond its columns: never a password, hash, code, secret or token. */
export interface EventData {
  /** An update (user.updated, webhook.updated): the names of the fields that changed (./field-changes). */
  fields?: string[];
  /** An update: their values before and after (non-secret fields only). */
  changes?: Record<string, FieldChange>;
  /** auth.signed_in and auth.sign_in_failed: `password`, `email_code`, `totp`, `recovery_code`, `oauth2`. */
  method?: string;
  /** auth.sign_in_failed and limit.locked: the kind of refusal. */
  reason?: string;
  /** Done by the actor acting as this user (an impersonation, router/auth/impersonation). */
  impersonating?: string;
  [key: string]: unknown;
}

/** An event to record. */
export interface NewEvent {
  type: string;
  /** Who did it: a user id, an operator token's subject, or `cli`. */
  actor: string;
  /** The user it was done to. */
  userId?: string | null;
  requestId?: string | null;
  clientAddress?: string | null;
  data?: EventData;
  /** Under an impersonation, the user the actor acted as: kept as `data.impersonating`. */
  impersonating?: string;
}

/** An event as the feed, a user's history and the webhooks show it. */
export interface FeedEvent {
  id: number;
  type: string;
  /** ISO 8601, UTC. */
  time: string;
  actor: string;
  userId: string | null;
  requestId: string | null;
  clientAddress: string | null;
  data: EventData;
  /** user.updated: each changed field's before and after (the same as `data.changes`). */
  changes?: Record<string, FieldChange>;
}

/**
 * The insert of an event, one statement: the lock is taken as its row is read, before the id is
 * drawn. Prepared, on the transaction's own connection (preparedInTransaction): sent through
 * `em.execute` instead, knex built it and PostgreSQL parsed and planned it anew for every event,
 * which cost the service's creates and PUTs about as much again as the insert itself
 * (docs/performance.md, "The outbox through the service").
 */
const RECORD_EVENT: PreparedStatement = {
  name: 'record_event_v1',
  text: `insert into events (type, actor, user_id, request_id, client_address, data)
           select $1, $2, $3, $4, $5, $6::jsonb from (select pg_advisory_xact_lock_shared($7)) as id_lock`,
};

/**
 * Records `event` inside the caller's transaction `em`: it commits with the change, or rolls back
 * with it. Call it last in the transaction (the shared id lock is held until the commit, and a feed
 * read waits for it). Outside a transaction it opens its own small one.
 */
export async function recordEvent(em: EntityManager, event: NewEvent): Promise<void> {
  if (!em.isInTransaction()) {
    await em.transactional((tx) => recordEvent(tx, event));
    return;
  }
  await preparedInTransaction(em, RECORD_EVENT, [
    event.type,
    event.actor,
    event.userId ?? null,
    event.requestId ?? null,
    event.clientAddress ?? null,
    JSON.stringify(
      event.impersonating === undefined ? (event.data ?? {}) : { ...event.data, impersonating: event.impersonating },
    ),
    EVENT_ID_LOCK,
  ]);
}

/**
 * Which events a read wants: after an id (and below `before`, when given and not 0), at most
 * `limit`, of some types, of one user; oldest first (a consumer catching up), or newest first (a
 * person looking for what happened last).
 */
export interface FeedQuery {
  after: number;
  before?: number;
  order?: 'oldest' | 'newest';
  limit: number;
  types?: readonly string[];
  userId?: string;
  /**
   * With `types` and `userId`: also every event an admin recorded acting as someone (impersonation),
   * whatever its type. What a user's own history shows besides its own kinds: an admin acting as the
   * user could do only what the user may, so nothing in those events is hidden from the user.
   */
  orImpersonated?: boolean;
}

/** A statement with its `?` bindings, as `em.execute` takes them. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * The statement readFeed sends (exported so that the tests and bench:feed EXPLAIN exactly it): the
 * events of `query`, oldest or newest first, each as the feed shows it. Every shape reads an index
 * range between `after` and `before` and stops after the page, so a page costs the same at 10M
 * events as at 100k:
 * - no filter: the primary key;
 * - a user (with or without types): that user's `(user_id, id)` range, its types checked row by
 *   row, so at most that user's events are read, whatever the table holds;
 * - types alone: each type's own `(type, id)` range, at most `limit` entries each, merged by id
 *   and cut to `limit`. A filter on the primary key instead would walk every event after `after`
 *   to find a rare type, and all of them for a type with none, with every writer waiting on the
 *   exclusive id lock meanwhile (1.6 s a page at 10M, docs/performance.md). Written as the range
 *   `(type, id) > (t, after) and (type, id) < (t, before)` (no `before`: the largest id there can
 *   be) in `(type, id)` order, which only that index can answer without sorting: with
 *   `type = t … order by id` the planner may walk the primary key instead, as `type = t` makes
 *   the two orders the same to it (in test/events.test.ts it did).
 * Newest first, each shape reads the same range backwards, from `before` down, without a sort
 * (for types alone, in descending `(type, id)` order).
 * Types go as one JSON array (knex would spread an array binding into a list), deduplicated so a
 * repeated type cannot repeat its events.
 */
export function feedStatement(query: FeedQuery): Statement {
  const desc = query.order === 'newest' ? ' desc' : '';
  // every shape reads between two ids; no `before` is the largest there can be
  const before = query.before || Number.MAX_SAFE_INTEGER;
  if (query.types && query.userId === undefined) {
    // both ends as row comparisons: each is a bound of the index range, not a filter
    return {
      sql: `select ${EVENT_AS_FEED} as event from (
          select picked.* from (select distinct value from jsonb_array_elements_text(?::jsonb)) as wanted (type),
            lateral (select * from events
                      where (type, id) > (wanted.type, ?) and (type, id) < (wanted.type, ?)
                      order by type${desc}, id${desc} limit ?) as picked
           order by picked.id${desc} limit ?
        ) as ev order by ev.id${desc}`,
      params: [JSON.stringify(query.types), query.after, before, query.limit, query.limit],
    };
  }
  const conditions = ['id > ?', 'id < ?'];
  const params: unknown[] = [query.after, before];
  if (query.userId !== undefined) {
    conditions.push('user_id = ?');
    params.push(query.userId);
  }
  if (query.types) {
    const ofTypes = 'type = any (array(select jsonb_array_elements_text(?::jsonb)))';
    conditions.push(query.orImpersonated ? `(${ofTypes} or data->>'impersonating' is not null)` : ofTypes);
    params.push(JSON.stringify(query.types));
  }
  params.push(query.limit);
  return {
    sql: `select ${EVENT_AS_FEED} as event from events ev where ${conditions.join(' and ')} order by id${desc} limit ?`,
    params,
  };
}

/**
 * Events after `after` (and before `before`), oldest or newest first (feedStatement: one bounded
 * index range per page). Read under the exclusive id lock, in a transaction of its own: no id it
 * returns can be followed later by a smaller one.
 */
export async function readFeed(em: EntityManager, query: FeedQuery): Promise<FeedEvent[]> {
  const statement = feedStatement(query);
  const rows = await em.fork().transactional(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(?)`, [EVENT_ID_LOCK]);
    // the shape the webhooks deliver too, from its one definition
    return tx.execute<Array<{ event: FeedEvent }>>(statement.sql, statement.params);
  });
  return rows.map((row) => row.event);
}

/**
 * Removes up to `batch` events older than `before`; answers how many went. One short statement
 * (short row locks, found through the BRIN index on `time`, which costs next to nothing to keep
 * on an append-only table and finds nothing quickly when nothing is old): a caller repeats while
 * a whole batch went.
 */
export async function removeEventsBefore(em: EntityManager, before: Date, batch: number): Promise<number> {
  const removed = await em.execute<Array<{ id: string }>>(
    `delete from events where id in (select id from events where time < ? limit ?) returning id`,
    [before, batch],
  );
  return removed.length;
}
