// Events written straight into the outbox table, as the events feature writes them in each
// change's transaction: the webhook tests need events without depending on which writes make them;
// and a user's history as the service answers it, for the tests of what records events.
import { restClient } from './rest';

export interface TestEvent {
  type: string;
  actor?: string;
  userId?: string | null;
  data?: Record<string, unknown>;
}

interface Database {
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
}

/**
 * Inserts events (one statement) and returns their ids, in order. The ids come from the table's
 * own identity, as the events feature's do, so they never collide with events the service records.
 */
export async function insertEvents(db: Database, events: TestEvent[]): Promise<number[]> {
  const rows = await db.sql<{ id: string }>(
    `insert into events (type, actor, user_id, request_id, client_address, data)
     select type, actor, user_id, request_id, client_address, data
       from jsonb_to_recordset(?::jsonb)
         as x(n int, type text, actor text, user_id text, request_id text, client_address text, data jsonb)
      order by n
     returning id`,
    [
      JSON.stringify(
        events.map((event, index) => ({
          n: index,
          type: event.type,
          actor: event.actor ?? 'test-admin',
          user_id: event.userId ?? null,
          request_id: `req-${index + 1}`,
          client_address: '127.0.0.1',
          data: event.data ?? {},
        })),
      ),
    ],
  );
  return rows.map((row) => Number(row.id)).sort((a, b) => a - b);
}

/** One event of a user's history as the service answers it: what the tests look at. */
export interface HistoryEvent {
  type: string;
  actor: string;
  data: Record<string, unknown>;
}

/** A user's history (`GET /api/v2/users/{id}/events`) as an admin reads it, oldest first. */
export async function historyOf(
  service: { baseUrl: string; adminToken: string },
  userId: string,
  types?: string[],
): Promise<HistoryEvent[]> {
  const answer = await restClient(service.baseUrl, service.adminToken).get(
    `/api/v2/users/${userId}/events?after=0&limit=1000`,
  );
  if (answer.status !== 200) throw new Error(`history of ${userId}: ${answer.status} ${JSON.stringify(answer.body)}`);
  const items = (answer.body.items as HistoryEvent[]).map(({ type, actor, data }) => ({ type, actor, data }));
  return types ? items.filter((event) => types.includes(event.type)) : items;
}
