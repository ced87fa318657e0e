// `npm run bench:last-sign-in` (bench/last-sign-in.ts), run small against a real PostgreSQL: both
// databases answer every last sign-in filter with the total the load holds (the bench checks each
// answer and fails otherwise), the session statement is measured with its activity row and without,
// the dormant accounts' step beside a retention round, and the report puts each pair side by side.
// Speed is measured by the bench itself, not here.
import assert from 'node:assert/strict';
import { runScript } from '../support/process';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('bench: the last sign-in, found by the list and written by a sign-in', function () {
  this.timeout(180_000);
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database?.drop());

  it('answers every filter on both databases with the load’s own count, and measures the statement both ways', async () => {
    const run = runScript(
      'bench/last-sign-in.ts',
      ['--users', '12000', '--rounds', '1', '--requests', '1', '--seconds', '1', '--write-connections', '2'],
      { ...process.env, DATABASE_URL: database.url },
    );
    const exit = await run.exited;
    assert.equal(exit.code, 0, run.output());
    // every 1,000th user signed in within the day; 30% of the others within 30 days
    assert.match(run.output(), /round 1 never analyzed: signed in within a day \(0\.1%\): [\d.]+ ms \(12 matches\)/);
    assert.match(run.output(), /round 1 analyzed: signed in within 30 days \(about 30%\): [\d.]+ ms \(3600 matches\)/);
    assert.match(
      run.output(),
      /round 1 analyzed: not within 30 days, or never \(about 70%\): [\d.]+ ms \(8400 matches\)/,
    );
    for (const filter of ['the same, sort=name', 'baseline: status=enabled \\(every user\\)']) {
      assert.match(
        run.output(),
        new RegExp(
          `\\| ${filter} +\\| +\\d+ \\| +[\\d.]+ \\([\\d.]+–[\\d.]+\\) \\| +[\\d.]+ \\([\\d.]+–[\\d.]+\\) \\| +[\\d.]+× \\(`,
        ),
      );
    }
    assert.match(run.output(), /round 1, 2 connections, sign-in: \d+ sessions\/s/);
    assert.match(run.output(), /round 1, 2 connections, no activity row: \d+ sessions\/s/);
    assert.match(run.output(), /\| 2 +\| +\d+ \(\d+–\d+\) \| +\d+ \(\d+–\d+\) \| +[\d.]+× \(/);
    // the dormant accounts' step beside the retention round, nobody due
    assert.match(run.output(), /round 1, dormant accounts step: \d+ ms/);
    assert.match(run.output(), /\| +\d+ \(\d+–\d+\) +\| +\d+ \(\d+–\d+\) \|\n/);
  });
});
