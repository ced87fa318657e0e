// A one-test spec that test/ops/embedded-anywhere.test.ts runs with mocha inside a copy of the
// project: mocha's global setup (test/support/global.ts) must have started the embedded
// PostgreSQL there, and a test file can make its database on it. Not matched by .mocharc.json.
import assert from 'node:assert/strict';
import pg from 'pg';
import { createTestDatabase } from './test-database';

describe('the test database, set up from this folder', () => {
  it('is made on the embedded PostgreSQL', async () => {
    const database = await createTestDatabase();
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>('select current_database() as name');
      assert.match(rows[0]?.name ?? '', /^users_test_/);
    } finally {
      await client.end();
      await database.drop();
    }
  });
});
