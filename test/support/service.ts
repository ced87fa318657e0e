// The whole service for a test file: its own database with migrations applied, the Koa app on
// a real socket (port 0), and a tRPC caller over the same router. `close()` undoes all of it.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import type { MikroORM } from '@mikro-orm/postgresql';
import pino from 'pino';
import { appRouter } from '../../router/app';
import { createContextInner } from '../../router/context';
import { PasswordHasher, type HashCost } from '../../router/passwords';
import { TokenService, type Principal } from '../../router/tokens';
import { createCallerFactory } from '../../router/trpc';
import { createApp } from '../../server/app';
import { openDatabase } from '../../server/database';
import { createTestDatabase, type TestDatabase } from './database';

/** Cheap enough for many creates per test; the default cost is exercised where it matters. */
export const TEST_HASH_COST: HashCost = { logN: 10, r: 8, p: 1 };
export const TEST_JWT_SECRET = 'test-secret-that-is-at-least-32-bytes-long!';

export interface TestService {
  orm: MikroORM;
  baseUrl: string;
  tokens: TokenService;
  passwords: PasswordHasher;
  /** Every log line the service wrote, as parsed JSON. */
  logs: Record<string, unknown>[];
  adminToken: string;
  /** A procedure caller with a fresh unit of work per call, as the HTTP adapters make. */
  caller(principal?: Principal | null): Caller;
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

const createCaller = createCallerFactory(appRouter);
type Caller = ReturnType<typeof createCaller>;

export interface TestServiceOptions {
  hashCost?: HashCost;
  bodyLimit?: number;
}

export async function startTestService(options: TestServiceOptions = {}): Promise<TestService> {
  const database: TestDatabase = await createTestDatabase();
  const orm = await openDatabase({ url: database.url, poolSize: 10 });
  const tokens = new TokenService({
    secret: TEST_JWT_SECRET,
    issuer: 'users-service',
    audience: 'users-api',
    ttlSeconds: 3600,
    clockToleranceSeconds: 5,
  });
  const passwords = new PasswordHasher(options.hashCost ?? TEST_HASH_COST);
  const logs: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
          logs.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    }),
  );
  const app = createApp({
    services: { orm, tokens, passwords },
    config: { BODY_LIMIT_BYTES: options.bodyLimit ?? 100 * 1024 },
    logger,
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const admin: Principal = { id: 'test-admin', role: 'admin' };

  return {
    orm,
    baseUrl: `http://127.0.0.1:${port}`,
    tokens,
    passwords,
    logs,
    adminToken: tokens.issue(admin).token,
    caller: (principal = admin) =>
      createCaller(() =>
        createContextInner({ em: orm.em.fork(), passwords, principal, authProblem: 'missing bearer token' }),
      ),
    sql: (query, params = []) => orm.em.getConnection().execute(query, params),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await orm.close(true);
      await database.drop();
    },
  };
}
