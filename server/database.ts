// Opens the database: MikroORM on the given PostgreSQL, with the committed migrations applied.
// The service's connections fail fast when PostgreSQL is away (bounded connect and pool waits)
// and PostgreSQL cancels any statement that outlives the request timeout.
import { MikroORM } from '@mikro-orm/postgresql';
import { ormConfig } from '../mikro-orm.config';
import type { Config } from './config';

export interface DatabaseOptions {
  url: string;
  poolSize?: number;
  /** Longest a statement may run; 0 for none. */
  statementTimeoutMs?: number;
  /** Longest to wait for a new connection, or for a free one from the pool. */
  connectTimeoutMs?: number;
}

export async function openDatabase({
  url,
  poolSize = 10,
  statementTimeoutMs = 0,
  connectTimeoutMs = 2000,
}: DatabaseOptions): Promise<MikroORM> {
  await migrate(url);
  return MikroORM.init(
    ormConfig(url, {
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
  config: Pick<Config, 'DB_POOL_SIZE' | 'REQUEST_TIMEOUT_MS' | 'DB_CONNECT_TIMEOUT_MS'>,
): Omit<DatabaseOptions, 'url'> {
  return {
    poolSize: config.DB_POOL_SIZE,
    statementTimeoutMs: config.REQUEST_TIMEOUT_MS,
    connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
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
