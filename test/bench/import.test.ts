// `npm run bench:import` (bench/import.ts), run small against a real PostgreSQL: both ways make
// every user they send (the bench checks the count after each measurement and fails otherwise),
// and the report compares them. Speed is measured by the bench itself, not here.
import assert from 'node:assert/strict';
import { runScript } from '../support/process';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('bench: importing users beside creating them one by one', function () {
  this.timeout(120_000);
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database?.drop());

  it('imports and creates the same number of users, and reports both with their ratio', async () => {
    const run = runScript('bench/import.ts', ['--users', '150', '--rounds', '2', '--callers', '2'], {
      ...process.env,
      DATABASE_URL: database.url,
    });
    const exit = await run.exited;
    assert.equal(exit.code, 0, run.output());
    assert.match(run.output(), /round 2 import: 150 users in [\d.]+ s/);
    assert.match(run.output(), /round 2 create: 150 users in [\d.]+ s/);
    assert.match(
      run.output(),
      /\| POST \/api\/v2\/users\/import, 100 a call \| +\d+ \(\d+–\d+\) \| +[\d.]+× \([\d.]+–[\d.]+\) \|/,
    );
    assert.match(
      run.output(),
      /\| POST \/api\/v2\/users, one a call +\| +\d+ \(\d+–\d+\) \| +1× \| +\d+ \(\d+–\d+\) \|/,
    );
  });
});
