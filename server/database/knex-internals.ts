// The one reach into knex, the query builder under MikroORM (test/knex-internals.test.ts names
// it): the service sends some statements as named prepared statements on node-postgres's own
// connections, which PostgreSQL parses and plans once per connection, and which skip knex's
// query building (a large share of what a statement costs the service, docs/performance.md).
// MikroORM offers no way to send one; knex's client has the connection:
// - `client.acquireConnection()` / `releaseConnection()` lend a pooled connection;
// - the client of a transaction (knex's `makeTxClient`, what MikroORM's `getTransactionContext()`
//   is the client of) lends the transaction's own connection from `acquireConnection()` and
//   releases nothing, so a statement sent on it commits or rolls back with the transaction.
// Read off knex 3.2.10, which @mikro-orm/knex 6.6.16 (pinned exactly in package.json) pins exactly.
import type { AbstractSqlConnection, EntityManager } from '@mikro-orm/postgresql';

/** The knex version this seam was read off. */
export const CHECKED_KNEX_VERSION = '3.2.10';

/** A node-postgres connection, as knex lends it. */
export interface PooledConnection {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/** What of knex's client the service uses. */
export interface KnexClient {
  acquireConnection(): Promise<PooledConnection>;
  releaseConnection(connection: PooledConnection): Promise<void>;
}

interface TransactionClient extends KnexClient {
  /** Set by knex on a transaction's client only. */
  transacting?: boolean;
}

const clients = new WeakMap<AbstractSqlConnection, KnexClient>();

/** The knex client of a MikroORM connection (the primary's or a replica's), whose pool lends connections. */
export function knexClient(connection: AbstractSqlConnection): KnexClient {
  let client = clients.get(connection);
  if (!client) clients.set(connection, (client = connection.getKnex().client as KnexClient));
  return client;
}

/**
 * The connection of the transaction `tx` is in (from `em.transactional`): what is sent on it is
 * part of the transaction. Throws outside a transaction, or when knex's transaction client is not
 * what this file expects (a new knex? see this file), rather than send a statement elsewhere.
 */
export async function transactionConnection(tx: EntityManager): Promise<PooledConnection> {
  if (!tx.isInTransaction()) throw new Error('transactionConnection: not inside a transaction');
  const context = tx.getTransactionContext<{ client?: TransactionClient }>();
  const client = context?.client;
  if (client?.transacting !== true || typeof client.acquireConnection !== 'function') {
    throw new Error(
      "knex's transaction client does not lend its connection as server/database/knex-internals.ts expects " +
        '(a new knex? see that file)',
    );
  }
  return client.acquireConnection();
}
