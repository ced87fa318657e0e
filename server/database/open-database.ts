// Opens the database: MikroORM on the given PostgreSQL, with the committed migrations applied.
// The service's connections fail fast when PostgreSQL is away (bounded connect and pool waits)
// and PostgreSQL cancels any statement that outlives the request timeout. Streaming replicas are
// MikroORM's `replicas`, each with a pool like the primary's; MikroORM itself never picks one
// (preferReadReplicas off): only the prepared reads marked 'read' use them (server/database/request-database).
import { MikroORM } from '@mikro-orm/postgresql';
import { ormConfig } from '../../mikro-orm.config';
import type { Config } from '../config/config';
import { quietMikroOrmStorages } from './async-context';

export interface DatabaseOptions {
  url: string;
  poolSize?: number;
  /** Longest a statement may run; 0 for none. */
  statementTimeoutMs?: number;
  /** Longest to wait for a new connection, or for a free one from the pool. */
  connectTimeoutMs?: number;
  /** Streaming replicas of `url`, in the order readyz names them (replica 1, 2, …). */
  replicaUrls?: string[];
}

export async function openDatabase({
  url,
  poolSize = 10,
  statementTimeoutMs = 0,
  connectTimeoutMs = 2000,
  replicaUrls = [],
}: DatabaseOptions): Promise<MikroORM> {
  // MikroORM's async context costs every promise nothing once its transactions have ended
  quietMikroOrmStorages();
  await migrate(url);
  return MikroORM.init(
    ormConfig(url, {
      // each replica gets the primary's pool and driver options (MikroORM copies them)
      replicas: replicaUrls.map((clientUrl, index) => ({ name: `replica-${index + 1}`, clientUrl })),
      preferReadReplicas: false,
      pool: { min: 0, max: poolSize, idleTimeoutMillis: 30_000 },
      driverOptions: {
        acquireConnectionTimeout: connectTimeoutMs,
        connection: {
          connectionTimeoutMillis: connectTimeoutMs,
          ...(statementTimeoutMs > 0 ? { statement_timeout: statementTimeoutMs } : {}),
          keepAlive: true,
        },
      },
    }),
  );
}

/** The database settings of the service's configuration. */
export function databaseSettings(
  config: Pick<Config, 'DB_POOL_SIZE' | 'REQUEST_TIMEOUT_MS' | 'DB_CONNECT_TIMEOUT_MS' | 'DATABASE_REPLICA_URLS'>,
): Omit<DatabaseOptions, 'url'> {
  return {
    poolSize: config.DB_POOL_SIZE,
    statementTimeoutMs: config.REQUEST_TIMEOUT_MS,
    connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
    replicaUrls: config.DATABASE_REPLICA_URLS,
  };
}

/** Migrations run on a connection of their own, without the service's statement timeout. */
async function migrate(url: string): Promise<void> {
  const orm = await MikroORM.init(ormConfig(url, { pool: { min: 0, max: 1 } }));
  try {
    await orm.getMigrator().up();
  } finally {
    await orm.close(true);
  }
}
