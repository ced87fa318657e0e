// The whole service for a test file: its own database with migrations applied, the Koa app on
// a real socket (port 0), and a tRPC caller over the same router. `close()` undoes all of it.
// With REDIS_URL (and DATABASE_REPLICA_URLS) it connects them as start-up does.
// Settings go through the service's own configuration schema, as environment strings.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import type { MikroORM } from '@mikro-orm/postgresql';
import { appRouter } from '../../router/app-router';
import { createContextInner, type Services } from '../../router/trpc/context';
import { RequestDatabase } from '../../server/database/request-database';
import type { Principal } from '../../server/crypto/token-service';
import { createCallerFactory } from '../../router/trpc/procedures';
import { createApp } from '../../server/http/koa-app';
import { loadConfig, type Config } from '../../server/config/config';
import { databaseSettings, openDatabase } from '../../server/database/open-database';
import { createLogger } from '../../server/ops/logger';
import { createMailer } from '../../server/mail/smtp-mailer';
import { connectRedis } from '../../server/start/redis-connection';
import { loadSecretKey } from '../../server/start/secret-key-file';
import { createServices } from '../../server/start/services';
import { startWebhookWorker } from '../../server/start/webhook-worker';
import { startNoticeWorker } from '../../server/start/notice-worker';
import type { Clock } from '../../router/trpc/clock';
import type { PasswordHasher } from '../../server/crypto/password-hasher';
import { createTestDatabase, type TestDatabase } from './test-database';

export const TEST_JWT_SECRET = 'test-secret-that-is-at-least-32-bytes-long!';
/** A fixed key of sign-in secrets at rest (32 bytes, base64), so tests can look for its traces. */
export const TEST_TOTP_KEY = Buffer.from('test-key-of-sign-in-secrets-32b!').toString('base64');

/** Test defaults: a hash cost cheap enough for many creates per test, limits no test trips by accident. */
const TEST_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  JWT_SECRET: TEST_JWT_SECRET,
  HASH_LOG_N: '10',
  TOKEN_CLOCK_TOLERANCE_SECONDS: '5',
  LOGIN_MAX_CONSECUTIVE_FAILS: '1000',
  LOGIN_MAX_FAILS_PER_ADDRESS: '100000',
  LOGIN_MAX_FAILS_PER_EMAIL: '100000',
  CODE_SEND_INTERVAL_SECONDS: '1',
  CODE_SENDS_PER_HOUR: '1000',
  CODE_SENDS_PER_CLIENT_PER_HOUR: '100000',
  TOTP_LOCK_AFTER_FAILS: '1000',
  OAUTH2_AUTHORIZE_PER_ADDRESS_PER_HOUR: '100000',
  PASSKEY_CHALLENGES_PER_ADDRESS_PER_HOUR: '100000',
  TOTP_KEY: TEST_TOTP_KEY,
};

/** The time the sign-in rules see: the real time, moved by `offsetMs` (to expire a code, to reach a TOTP step). */
export class TestClock implements Clock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  /** Sets the time to `ms` since the epoch (it keeps running from there). */
  set(ms: number): void {
    this.offsetMs = ms - Date.now();
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

const createCaller = createCallerFactory(appRouter);
type Caller = ReturnType<typeof createCaller>;

export interface TestService extends Services {
  clock: TestClock;
  config: Config & { JWT_SECRET: string };
  /** The URL of the service's database, for tests that act on it directly. */
  databaseUrl: string;
  baseUrl: string;
  /** Every log line the service wrote, as parsed JSON. */
  logs: Record<string, unknown>[];
  /**
   * The URL of every request that reached Koa, in order: the reads the fast lane answers never do
   * (server/http/fast-lane.ts). A test may empty it.
   */
  reachedKoa: string[];
  adminToken: string;
  /** A procedure caller with a fresh unit of work per call, as the HTTP adapters make. */
  caller(principal?: Principal | null): Caller;
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export const ADMIN: Principal = { id: 'test-admin', role: 'admin', issuedAt: Math.floor(Date.now() / 1000) };

export interface TestServiceOptions {
  /** An existing database to use instead of a fresh one on the test server (left in place). */
  url?: string;
  /** A fixed port (e.g. one an OpenID provider's redirect URI names); a free one by default. */
  port?: number;
  /** A password hasher of the test's own (one that fails or waits on cue) instead of the configured one. */
  passwords?: PasswordHasher;
  /** Every request through Koa, the reads too (server/http/fast-lane.ts is left out). */
  koaOnly?: boolean;
}

export async function startTestService(
  env: Record<string, string> = {},
  options: TestServiceOptions = {},
): Promise<TestService> {
  const config = loadConfig({ ...TEST_ENV, ...env }) as Config & { JWT_SECRET: string };
  const database: TestDatabase = options.url
    ? { url: options.url, drop: () => Promise.resolve() }
    : await createTestDatabase();
  const orm: MikroORM = await openDatabase({ url: database.url, ...databaseSettings(config) });
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({
    level: config.LOG_LEVEL,
    pretty: false,
    destination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
          logs.push(JSON.parse(line) as Record<string, unknown>);
        }
        done();
      },
    }),
  });
  const clock = new TestClock();
  const redis = config.REDIS_URL ? connectRedis(config.REDIS_URL, logger) : undefined;
  const services = createServices(orm, config, {
    logger,
    secretKey: loadSecretKey(config).key,
    mail: createMailer(config),
    redis,
    clock,
    passwords: options.passwords,
  });
  const app = createApp({ services, config, logger, fastLane: !options.koaOnly });
  const webhooks = startWebhookWorker(orm, services.secrets, config, logger);
  // the security notices' outbox, looked at often so that a test waits little for its mail
  const notices = services.mail ? startNoticeWorker({ orm, mail: services.mail, intervalMs: 50, logger }) : null;
  // first in Koa's chain, put there before the chain is composed (at listen)
  const reachedKoa: string[] = [];
  app.middleware.unshift(async (ctx, next) => {
    reachedKoa.push(ctx.url);
    await next();
  });
  const server: Server = app.listen(options.port ?? 0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;

  return {
    ...services,
    clock,
    config,
    databaseUrl: database.url,
    baseUrl: `http://127.0.0.1:${port}`,
    logs,
    reachedKoa,
    adminToken: services.tokens.issue(ADMIN).token,
    caller: (principal = ADMIN) =>
      createCaller(() =>
        createContextInner({
          ...services,
          db: new RequestDatabase(orm, services.replicas, principal),
          principal,
          authProblem: 'missing bearer token',
          clientAddress: '127.0.0.1',
          requestHeaders: {},
        }),
      ),
    sql: (query, params = []) => orm.em.getConnection().execute(query, params),
    async close() {
      await services.background.idle();
      await webhooks?.stop();
      await notices?.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services.replicas?.stop();
      await orm.close(true);
      redis?.disconnect();
      await database.drop();
    },
  };
}
