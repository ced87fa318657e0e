// The benchmark's database: a dedicated `users_bench` database on the server DATABASE_URL names,
// or, without it, on a throwaway embedded PostgreSQL. The service's real migrations are applied
// through `openDatabase`, exactly as the service does at start-up.
//
// The embedded server is given the memory a production server of this machine would have:
// `shared_buffers` a quarter of the RAM, as PostgreSQL's documentation advises for a dedicated
// server, within 128 MB (initdb's default) and 4 GB. With initdb's 128 MB a 2,000,000-user database
// (about 1.5 GB) is read mostly through the operating system's cache, a copy per page, which is
// what a search that visits a page per match pays for (docs/performance.md, issue 20). The report
// states the setting of whichever server it ran on.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, totalmem } from 'node:os';
import pg from 'pg';
import path from 'node:path';
import { openDatabase } from '../server/database/open-database';
import { startEmbeddedPostgres } from '../dev/embedded-postgres/embedded-postgres';
import { ensureDatabase } from '../server/database/ensure-database';

export const BENCH_DATABASE = 'users_bench';

export interface BenchDatabase {
  url: string;
  /** Where it came from and its shared_buffers, for the report. */
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
      description: `PostgreSQL at ${host}, database ${BENCH_DATABASE}, shared_buffers ${await sharedBuffers(url)}`,
      other: (name) => migrated(serverUrl, name),
      close: async () => {},
    };
  }
  log('no DATABASE_URL: starting an embedded PostgreSQL (throwaway, seeded every run)');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'users-bench-pg-'));
  const embedded = await startEmbeddedPostgres({ dataDir, persistent: false, settings: serverMemory() });
  const url = await ensureDatabase(embedded.url, BENCH_DATABASE);
  await migrate(url);
  return {
    url,
    description: `embedded PostgreSQL on port ${embedded.port}, database ${BENCH_DATABASE}, shared_buffers ${await sharedBuffers(url)}`,
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

/** The embedded server's memory (see above): a quarter of the RAM, from 128 MB to 4 GB. */
export function serverMemory(): Record<string, string> {
  const quarterMb = Math.floor(totalmem() / 4 / 2 ** 20);
  return { shared_buffers: `${Math.min(4096, Math.max(128, quarterMb))}MB` };
}

async function sharedBuffers(url: string): Promise<string> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ shared_buffers: string }>('show shared_buffers');
    return rows[0]!.shared_buffers;
  });
}

/** `work` with a client of its own on `url`, closed after it whatever happens. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
