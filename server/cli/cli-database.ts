// The database the command-line tools work on: DATABASE_URL, or else the embedded PostgreSQL that
// `npm start` uses: the running one when `npm start` is up, else started for the command and
// stopped after it.
import type { Config } from '../config/config';
import { runningEmbeddedCluster, startEmbeddedPostgres } from '../../dev/embedded-postgres/embedded-postgres';
import { ensureDatabase } from '../database/ensure-database';

export interface CliDatabase {
  url: string;
  /** Where it is, in words for the command's output. */
  where: string;
  close(): Promise<void>;
}

/** The database a command works on, and how to let go of it. */
export async function cliDatabase(config: Config): Promise<CliDatabase> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, where: 'DATABASE_URL', close: () => Promise.resolve() };
  const running = runningEmbeddedCluster(config.EMBEDDED_PG_DIR);
  if (running) {
    const url = await ensureDatabase(running, 'users');
    return {
      url,
      where: `the running embedded PostgreSQL (${config.EMBEDDED_PG_DIR})`,
      close: () => Promise.resolve(),
    };
  }
  const embedded = await startEmbeddedPostgres({ dataDir: config.EMBEDDED_PG_DIR, persistent: true });
  try {
    const url = await ensureDatabase(embedded.url, 'users');
    return { url, where: `the embedded PostgreSQL (${config.EMBEDDED_PG_DIR})`, close: () => embedded.stop() };
  } catch (error) {
    await embedded.stop();
    throw error;
  }
}
