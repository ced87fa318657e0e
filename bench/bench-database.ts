// The benchmark's database: a dedicated `users_bench` database on the server DATABASE_URL names,
// or, without it, on a throwaway embedded PostgreSQL. The service's real migrations are applied
// through `openDatabase`, exactly as the service does at start-up.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../server/database/open-database';
import { startEmbeddedPostgres } from '../dev/embedded-postgres/embedded-postgres';
import { ensureDatabase } from '../server/database/ensure-database';

export const BENCH_DATABASE = 'users_bench';

export interface BenchDatabase {
  url: string;
  /** Where it came from, for the report. */
  description: string;
  /** Another database on the same server, with the migrations applied (created if missing). */
  other(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function openBenchDatabase(log: (line: string) => void): Promise<BenchDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const url = await ensureDatabase(serverUrl, BENCH_DATABASE);
    await migrate(url);
    const { host } = new URL(url);
    return {
      url,
      description: `PostgreSQL at ${host}, database ${BENCH_DATABASE}`,
      other: (name) => migrated(serverUrl, name),
      close: async () => {},
    };
  }
  log('no DATABASE_URL: starting an embedded PostgreSQL (throwaway, seeded every run)');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'users-bench-pg-'));
  const embedded = await startEmbeddedPostgres({ dataDir, persistent: false });
  const url = await ensureDatabase(embedded.url, BENCH_DATABASE);
  await migrate(url);
  return {
    url,
    description: `embedded PostgreSQL on port ${embedded.port}, database ${BENCH_DATABASE}`,
    other: (name) => migrated(embedded.url, name),
    async close() {
      await embedded.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Database `name` on the server `serverUrl` names, created if missing, with the migrations applied. */
export async function migrated(serverUrl: string, name: string): Promise<string> {
  const url = await ensureDatabase(serverUrl, name);
  await migrate(url);
  return url;
}

async function migrate(url: string): Promise<void> {
  const orm = await openDatabase({ url, poolSize: 1 });
  await orm.close(true);
}
