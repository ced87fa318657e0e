// Mocha global fixture: the PostgreSQL server every test file makes its own database on.
// DATABASE_URL when given (CI), otherwise an embedded PostgreSQL in a throwaway folder. When that
// cannot start, the run ends with the one line that says why (and how to run without it), exit 1.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../dev/embedded-postgres/embedded-postgres';

let embedded: EmbeddedPostgres | undefined;
let dataDir: string | undefined;

export async function mochaGlobalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env.TEST_PG_URL = process.env.DATABASE_URL;
    return;
  }
  try {
    dataDir = mkdtempSync(path.join(tmpdir(), 'users-test-pg-'));
    embedded = await startEmbeddedPostgres({ dataDir, persistent: false });
  } catch (error) {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    process.stderr.write(`[mocha] no test database: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  process.env.TEST_PG_URL = embedded.url;
}

export async function mochaGlobalTeardown(): Promise<void> {
  await embedded?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
