// The sign-in history part of the sign-in suite (bench/sign-in-history.ts) on a migrated database
// with two users: it times the service's own statement with the sign-ins' index and without, each
// answer checked (a long history, from a known and from a new address; a short one), the rounds
// alternating, and it leaves the index and no event of its own behind. Speed is measured by
// `npm run bench -- --suites sign-in`, not here.
import assert from 'node:assert/strict';
import { runSignInHistory, signInHistoryReport } from '../../bench/sign-in-history';
import { newUserBody } from '../support/fixtures';
import { restClient } from '../support/rest';
import { startTestService, type TestService } from '../support/service';

describe('bench: a sign-in’s look at its user’s history', function () {
  this.timeout(120_000);
  let service: TestService;

  before(async () => {
    service = await startTestService();
    for (let i = 0; i < 2; i++) {
      const created = await restClient(service.baseUrl, service.adminToken).post('/api/v2/users', newUserBody());
      assert.equal(created.status, 200);
    }
  });
  after(() => service.close());

  it('answers each case as expected with the index and without, and removes what it added', async () => {
    const eventsBefore = await service.sql<{ count: string }>('select count(*) from events');
    const { measurements } = await runSignInHistory(service.databaseUrl, 2, () => {});
    assert.deepEqual(
      [...new Set(measurements.map((m) => `${m.round} ${m.variant}`))],
      ['1 with the index', '1 without', '2 without', '2 with the index'],
      'alternating which goes first',
    );
    assert.equal(measurements.length, 12);
    assert.ok(measurements.every((m) => m.ms > 0));
    assert.match(
      signInHistoryReport(measurements),
      /^\| long history, a new address +\| +[\d.]+ \([\d.]+–[\d.]+\) \|/m,
    );
    assert.deepEqual(await service.sql('select count(*) from events'), eventsBefore, 'its events removed');
    const index = await service.sql<{ indexname: string }>(
      `select indexname from pg_indexes where indexname = 'events_signed_in_user_address_index'`,
    );
    assert.equal(index.length, 1, 'the index is still there');
  });
});
