// Start-up: configuration (environment, then an optional .env), database (embedded when no
// DATABASE_URL), migrations, HTTP server, and an orderly stop on SIGTERM/SIGINT (server/start/shutdown).
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createApp } from '../http/koa-app';
import { ConfigError, loadConfig, publicUrl, type Config } from '../config/config';
import { databaseSettings, openDatabase } from '../database/open-database';
import { ensureDatabase } from '../database/ensure-database';
import {
  EmbeddedPostgresError,
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from '../../dev/embedded-postgres/embedded-postgres';
import { createLogger } from '../ops/logger';
import { createMailer } from '../mail/smtp-mailer';
import { connectRedis } from './redis-connection';
import { loadSecretKey } from './secret-key-file';
import { newSigningKey } from '../crypto/signing-keys';
import { createServices } from './services';
import { stopOnSignals } from './shutdown';
import { startRetention } from './retention';
import { startSearchUpkeep } from './search-upkeep';
import { deprioritiseThreadPool } from './threadpool';
import { startWebhookWorker } from './webhook-worker';
import { NOTICE_POLL_MS, startNoticeWorker } from './notice-worker';
import { checkSealedSecrets } from './sealed-secrets';

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

  // development without a configured secret: a random one for this run (production refuses, see
  // config), and a random signing key, so that the run publishes keys as a configured one would
  const secret = config.JWT_SECRET ?? randomBytes(32).toString('base64url');
  const signingKey = config.JWT_SIGNING_KEY ?? (config.JWT_SECRET ? undefined : newSigningKey().material);
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
    { ...config, JWT_SECRET: secret, JWT_SIGNING_KEY: signingKey },
    { logger, secretKey: secretKey.key, mail, redis },
  );
  // which keys sign and verify tokens here, by id, so a rotation's roll can be followed instance by instance
  const published = services.tokens.publicKeys.keys.map((key) => key.kid);
  if (published.length > 0) {
    logger.info(
      { signingKeyId: published[0], publishedKeyIds: published },
      'access tokens: ES256, keys published at /api/v2/auth/jwks',
    );
  } else {
    logger.info(
      'access tokens: HS256 under JWT_SECRET, verified by this service only (JWT_SIGNING_KEY publishes a key to verify them with)',
    );
  }
  // which keys this instance holds, by id, so a rotation's roll can be followed instance by instance
  logger.info(
    { keyId: services.secrets.keyId, previousKeyIds: services.secrets.previousKeyIds },
    'sign-in secrets at rest: sealed under the key keyId, opened under it and previousKeyIds',
  );
  // a secret this instance cannot open is said now, not at a sign-in (a rotation's step taken wrong)
  services.background.run('sealed secrets check', () => checkSealedSecrets(orm.em.fork(), services.secrets, logger));
  // every instance delivers webhooks; they share the work through the database
  const webhooks = startWebhookWorker(orm, services.secrets, config, logger);
  const lifecycle = { stopping: false };
  const app = createApp({ services, config, logger, lifecycle });
  if (config.DATABASE_REPLICA_URLS.length > 0 && !redis) {
    logger.warn(
      'DATABASE_REPLICA_URLS without REDIS_URL: a caller reads its own writes at once only on the instance that wrote; ' +
        `on the others, for up to REPLICA_MAX_LAG_MS (${config.REPLICA_MAX_LAG_MS} ms)`,
    );
  }

  const server = app.listen(config.PORT, config.HOST);
  // a client gets this long to send its whole request (slow senders hold no socket for ever)
  server.requestTimeout = config.REQUEST_TIMEOUT_MS;
  // a balancer's idle connection is closed by the balancer, never by us under its feet; Node's
  // header timer is kept above it (as the usual advice goes; requestTimeout cuts slow headers)
  server.keepAliveTimeout = config.KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = config.HEADERS_TIMEOUT_MS;
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info(`listening on http://${config.HOST}:${port} (REST /api/v2, tRPC /trpc, docs /docs)`);
  if (!config.JWT_SECRET) {
    const { token } = services.tokens.issue({ id: 'dev-admin', role: 'admin' });
    process.stdout.write(
      `\nDEVELOPMENT ONLY: no JWT_SECRET is set, so this run signs tokens with a random secret and key.\n` +
        `An admin token for this run (1 hour):\n\n  ${token}\n\n`,
    );
  }

  const retention = startRetention({
    orm,
    days: config.EVENT_RETENTION_DAYS,
    intervalMs: config.EVENT_RETENTION_INTERVAL_SECONDS * 1000,
    dormantDays: config.DORMANT_ACCOUNT_DAYS,
    // warned first while the service can mail; the console's sign-in page is where to sign in
    ...(mail ? { dormancyMail: { serviceName: config.SERVICE_NAME, signInUrl: `${publicUrl(config)}/` } } : {}),
    logger,
  });
  const searchUpkeep = startSearchUpkeep({ orm, intervalMs: config.SEARCH_UPKEEP_INTERVAL_SECONDS * 1000, logger });
  // every instance sends the security notices in the outbox; they share them through the database
  const notices = mail ? startNoticeWorker({ orm, mail, intervalMs: NOTICE_POLL_MS, logger }) : null;

  stopOnSignals({
    server,
    lifecycle,
    logger,
    drainDelayMs: config.SHUTDOWN_DRAIN_DELAY_MS,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    async close() {
      // mail a request already promised is still sent
      await services.background.idle();
      await retention.stop();
      await searchUpkeep.stop();
      await notices?.stop();
      // attempts in flight finish (each within WEBHOOK_TIMEOUT_MS); what is left is claimed later
      await webhooks?.stop();
      await services.replicas?.stop();
      await orm.close();
      redis?.disconnect();
      await embedded?.stop();
    },
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
