// Start-up: configuration (environment, then an optional .env), database (embedded when no
// DATABASE_URL), migrations, HTTP server, and an orderly stop on SIGTERM/SIGINT.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Server, ServerResponse } from 'node:http';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import { createApp } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import { databaseSettings, openDatabase } from './database';
import { ensureDatabase } from './ensure-database';
import { EmbeddedPostgresError, startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';
import { createLogger, type Logger } from './logger';
import { createMailer } from './mail';
import { connectRedis } from './redis';
import { loadSecretKey } from './secret-key';
import { createServices } from './services';
import { deprioritiseThreadPool } from './threadpool';

async function main(): Promise<void> {
  // variables already in the environment win over the file
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const logger = createLogger({
    level: config.LOG_LEVEL,
    pretty: config.NODE_ENV === 'development' && process.stdout.isTTY,
  });

  let embedded: EmbeddedPostgres | undefined;
  let url = config.DATABASE_URL;
  if (!url) {
    logger.info({ dataDir: config.EMBEDDED_PG_DIR }, 'no DATABASE_URL: starting the embedded PostgreSQL');
    // any failure here is an EmbeddedPostgresError: one line (what, why, the way out), exit 1 below
    embedded = await startEmbeddedPostgres({
      dataDir: config.EMBEDDED_PG_DIR,
      persistent: true,
      log: (line) => logger.info(line),
    });
    url = await ensureDatabase(embedded.url, 'users').catch((error: unknown) => {
      throw new EmbeddedPostgresError(
        'could not create its "users" database',
        error instanceof Error ? error.message : String(error),
      );
    });
  }
  const orm = await openDatabase({ url, ...databaseSettings(config) });
  const lowered = await deprioritiseThreadPool(config.HASH_THREAD_NICE);
  logger.info({ threads: lowered, nice: config.HASH_THREAD_NICE }, 'hashing threads run at a lower priority');

  // development without a configured secret: a random one for this run (production refuses, see config)
  const secret = config.JWT_SECRET ?? randomBytes(32).toString('base64url');
  const secretKey = loadSecretKey(config);
  if (secretKey.source === 'new file' || secretKey.source === 'file') {
    logger.info({ file: config.TOTP_KEY_FILE }, 'development: sign-in secrets at rest use the key kept in this file');
  }
  const mail = createMailer(config);
  if (!config.SMTP_URL) {
    if (config.NODE_ENV === 'production') {
      logger.warn('no SMTP_URL: sign-in codes by email cannot be sent (requests for them answer 503)');
    } else {
      logger.info('no SMTP_URL: sign-in emails are printed to this console, marked DEVELOPMENT');
    }
  }
  const redis = config.REDIS_URL ? connectRedis(config.REDIS_URL, logger) : undefined;
  const services = createServices(
    orm,
    { ...config, JWT_SECRET: secret },
    { logger, secretKey: secretKey.key, mail, redis },
  );
  const app = createApp({ services, config, logger });

  const server = app.listen(config.PORT, config.HOST);
  // a client gets this long to send its whole request (slow senders hold no socket for ever)
  server.requestTimeout = config.REQUEST_TIMEOUT_MS;
  server.headersTimeout = Math.min(config.REQUEST_TIMEOUT_MS, 60_000);
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info(`listening on http://${config.HOST}:${port} (REST /api/v2, tRPC /trpc, docs /docs)`);
  if (!config.JWT_SECRET) {
    const { token } = services.tokens.issue({ id: 'dev-admin', role: 'admin' });
    process.stdout.write(
      `\nDEVELOPMENT ONLY: no JWT_SECRET is set, so this run signs tokens with a random secret.\n` +
        `An admin token for this run (1 hour):\n\n  ${token}\n\n`,
    );
  }

  stopOnSignals({
    server,
    orm,
    embedded,
    redis,
    background: services.background,
    logger,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  });
}

/**
 * SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish (for at most
 * `timeoutMs`, then cut the rest), close the database and the embedded PostgreSQL, exit 0.
 */
function stopOnSignals(parts: {
  server: Server;
  orm: MikroORM;
  embedded?: EmbeddedPostgres;
  redis?: Redis;
  background: { idle(): Promise<void> };
  logger: Logger;
  timeoutMs: number;
}): void {
  const { server, logger } = parts;
  let stopping = false;
  // keep-alive connections must close after the response they are serving, not wait for more
  const inFlight = new Set<ServerResponse>();
  server.on('request', (_req, res: ServerResponse) => {
    if (stopping) res.shouldKeepAlive = false;
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    const cut = setTimeout(() => {
      logger.warn('shutdown timeout: closing the connections still open');
      server.closeAllConnections();
    }, parts.timeoutMs);
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    clearTimeout(cut);
    // mail a request already promised is still sent
    await parts.background.idle();
    await parts.orm.close();
    parts.redis?.disconnect();
    await parts.embedded?.stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', (signal) => void stop(signal));
  process.once('SIGINT', (signal) => void stop(signal));
}

main().catch((error: unknown) => {
  process.stderr.write(`start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
