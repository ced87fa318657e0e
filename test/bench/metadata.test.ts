// `npm run bench:metadata` (bench/metadata.ts), run small against a real PostgreSQL: both databases
// answer every metadata filter with the total the load holds (the bench checks each answer and
// fails otherwise), and the report puts them side by side. Speed is measured by the bench itself,
// not here.
import assert from 'node:assert/strict';
import { runScript } from '../support/process';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('bench: finding users by metadata, analyzed and never analyzed', function () {
  this.timeout(180_000);
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database?.drop());

  it('answers every filter on both databases with the load’s own count, and reports them side by side', async () => {
    const run = runScript('bench/metadata.ts', ['--users', '12000', '--rounds', '1', '--requests', '1'], {
      ...process.env,
      DATABASE_URL: database.url,
    });
    const exit = await run.exited;
    assert.equal(exit.code, 0, run.output());
    assert.match(run.output(), /round 1 never analyzed: one CRM id \(admin part\): [\d.]+ ms \(1 matches\)/);
    assert.match(run.output(), /round 1 analyzed: plan enterprise \(0\.1%\): [\d.]+ ms \(12 matches\)/);
    for (const filter of ['one CRM id \\(admin part\\)', 'plan free \\(about 54%\\)', 'a plan nobody has']) {
      assert.match(
        run.output(),
        new RegExp(
          `\\| ${filter} +\\| +\\d+ \\| +[\\d.]+ \\([\\d.]+–[\\d.]+\\) \\| +[\\d.]+ \\([\\d.]+–[\\d.]+\\) \\| +[\\d.]+× \\(`,
        ),
      );
    }
  });
});
