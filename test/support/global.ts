// Mocha global fixture: the PostgreSQL server every test file makes its own database on.
// DATABASE_URL when given (CI), otherwise an embedded PostgreSQL in a throwaway folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../server/embedded-postgres';

let embedded: EmbeddedPostgres | undefined;
let dataDir: string | undefined;

export async function mochaGlobalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env.TEST_PG_URL = process.env.DATABASE_URL;
    return;
  }
  dataDir = mkdtempSync(path.join(tmpdir(), 'users-test-pg-'));
  embedded = await startEmbeddedPostgres({ dataDir, persistent: false });
  process.env.TEST_PG_URL = embedded.url;
}

export async function mochaGlobalTeardown(): Promise<void> {
  await embedded?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
