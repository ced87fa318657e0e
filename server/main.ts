// Start-up: configuration, database (embedded when no DATABASE_URL), migrations, HTTP server,
// and an orderly stop on SIGTERM/SIGINT.
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createApp } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import { databaseSettings, openDatabase } from './database';
import { ensureDatabase } from './ensure-database';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';
import { createLogger, type Logger } from './logger';
import { createServices } from './services';

async function main(): Promise<void> {
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
    embedded = await startEmbeddedPostgres({ dataDir: config.EMBEDDED_PG_DIR, persistent: true });
    url = await ensureDatabase(embedded.url, 'users');
  }
  const orm = await openDatabase({ url, ...databaseSettings(config) });

  // development without a configured secret: a random one for this run (production refuses, see config)
  const secret = config.JWT_SECRET ?? randomBytes(32).toString('base64url');
  const services = createServices(orm, { ...config, JWT_SECRET: secret });
  const app = createApp({ services, config, logger });

  const server = app.listen(config.PORT, config.HOST);
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info(`listening on http://${config.HOST}:${port} (REST /api/v2, tRPC /trpc)`);
  if (!config.JWT_SECRET) {
    const { token } = services.tokens.issue({ id: 'dev-admin', role: 'admin' });
    process.stdout.write(
      `\nDEVELOPMENT ONLY: no JWT_SECRET is set, so this run signs tokens with a random secret.\n` +
        `An admin token for this run (1 hour):\n\n  ${token}\n\n`,
    );
  }

  stopOnSignals({ server, orm, embedded, logger });
}

function stopOnSignals(parts: { server: Server; orm: MikroORM; embedded?: EmbeddedPostgres; logger: Logger }): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    parts.logger.info({ signal }, 'shutting down');
    await new Promise<void>((resolve) => parts.server.close(() => resolve()));
    await parts.orm.close();
    await parts.embedded?.stop();
    process.exit(0);
  };
  process.once('SIGTERM', (signal) => void stop(signal));
  process.once('SIGINT', (signal) => void stop(signal));
}

main().catch((error: unknown) => {
  process.stderr.write(`start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
