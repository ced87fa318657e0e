// The database as one request sees it: a MikroORM unit of work, forked only when the request
// writes, and prepared reads that go through MikroORM's own connection pool as named
// statements, which PostgreSQL parses and plans once per connection.
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';

/** A read PostgreSQL plans once per connection; the name must be unique to the text. */
export interface PreparedStatement {
  name: string;
  text: string;
}

interface PooledConnection {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

interface KnexClient {
  acquireConnection(): Promise<PooledConnection>;
  releaseConnection(connection: PooledConnection): Promise<void>;
}

export class RequestDatabase {
  private unitOfWork: EntityManager | undefined;

  constructor(private readonly orm: MikroORM) {}

  /** This request's unit of work, forked on first use: most reads never need one. */
  get em(): EntityManager {
    return (this.unitOfWork ??= this.orm.em.fork());
  }

  async prepared<T>(statement: PreparedStatement, values: unknown[]): Promise<T[]> {
    const client = knexClient(this.orm);
    const connection = await client.acquireConnection();
    try {
      const { rows } = await connection.query({ ...statement, values });
      return rows as T[];
    } catch (error) {
      // the same exception classes as MikroORM's own queries, so errors map the same way
      throw this.convert(error);
    } finally {
      await client.releaseConnection(connection);
    }
  }

  private convert(error: unknown): unknown {
    if (!(error instanceof Error)) return error;
    return this.orm.em.getPlatform().getExceptionConverter().convertException(error);
  }
}

const clients = new WeakMap<MikroORM, KnexClient>();

/** The pool MikroORM queries through (looked up once per ORM: this is on every read's path). */
function knexClient(orm: MikroORM): KnexClient {
  let client = clients.get(orm);
  if (!client) clients.set(orm, (client = orm.em.getConnection().getKnex().client as KnexClient));
  return client;
}
