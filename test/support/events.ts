// Events written straight into the outbox table, as the events feature writes them in each
// change's transaction: the webhook tests need events without depending on which writes make them.
let nextId = 1;

export interface TestEvent {
  type: string;
  actor?: string;
  userId?: string | null;
  data?: Record<string, unknown>;
}

interface Database {
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
}

/** Inserts events (one transaction) and returns their ids. */
export async function insertEvents(db: Database, events: TestEvent[]): Promise<number[]> {
  const ids = events.map(() => nextId++);
  await db.sql(
    `insert into events (id, type, actor, user_id, request_id, client_address, data) overriding system value
     select * from jsonb_to_recordset(?::jsonb)
       as x(id bigint, type text, actor text, user_id text, request_id text, client_address text, data jsonb)`,
    [
      JSON.stringify(
        events.map((event, index) => ({
          id: ids[index],
          type: event.type,
          actor: event.actor ?? 'test-admin',
          user_id: event.userId ?? null,
          request_id: `req-${ids[index]}`,
          client_address: '127.0.0.1',
          data: event.data ?? {},
        })),
      ),
    ],
  );
  return ids;
}
