// The tokens suite (bench/tokens.ts) against the real service on a migrated database: both servers
// (one with a signing key, one without, one whose tokens carry app metadata) and the introspection answer its refreshes and reads with 200 (a run with
// failures measures refusals), the rounds alternate, and it leaves no user behind. Speed is
// measured by `npm run bench -- --suites tokens`, not here.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { runTokens, tokensReport } from '../../bench/tokens';
import type { RunningServer, ServerSettings } from '../../bench/servers';
import { TokenService } from '../../server/crypto/token-service';
import { openDatabase } from '../../server/database/open-database';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { TEST_TOTP_KEY } from '../support/service';

describe('bench: ES256 tokens against HS256', function () {
  this.timeout(180_000);
  let database: TestDatabase;
  const totpKey = process.env.TOTP_KEY;

  before(async () => {
    database = await createTestDatabase();
    await (await openDatabase({ url: database.url, poolSize: 1 })).close(true);
    // the servers take the key of sign-in secrets from the environment they inherit, as in the bench
    process.env.TOTP_KEY = TEST_TOTP_KEY;
  });
  after(async () => {
    if (totpKey === undefined) delete process.env.TOTP_KEY;
    else process.env.TOTP_KEY = totpKey;
    await database?.drop();
  });

  it('signs, verifies, refreshes and reads with both, every answer a 200, and removes its users after', async () => {
    const secret = randomBytes(32).toString('base64url');
    const settings: ServerSettings = {
      databaseUrl: database.url,
      jwtSecret: secret,
      issuer: 'bench-test',
      audience: 'users-api',
      hashLogN: 10,
      hashR: 8,
      hashP: 1,
      poolSize: 4,
      cores: undefined,
    };
    const token = new TokenService({
      secret,
      issuer: 'bench-test',
      audience: 'users-api',
      ttlSeconds: 900,
      clockToleranceSeconds: 5,
    }).issue({ id: 'bench', role: 'admin' }, 900).token;
    const running = new Set<RunningServer>();
    const { measurements } = await runTokens({
      settings,
      token,
      rounds: 2,
      connections: 2,
      durationSeconds: 0.5,
      warmupSeconds: 0,
      log: () => {},
      track: (server) => running.add(server),
      untrack: (server) => running.delete(server),
    });
    assert.deepEqual(
      measurements.filter((m) => m.scenario === 'refresh').map(({ round, algorithm }) => `${round} ${algorithm}`),
      ['1 HS256', '1 ES256', '1 ES256 + app metadata', '2 ES256', '2 ES256 + app metadata', '2 HS256'],
      'alternating which goes first',
    );
    for (const m of measurements) {
      assert.equal(m.failures, 0, `${m.scenario} ${m.algorithm}: every answer 200`);
      assert.ok(m.perSecond > 0, `${m.scenario} ${m.algorithm} ran`);
    }
    const report = tokensReport(measurements);
    assert.match(report, /^\| read with a new token +\| +[\d,]+ \([\d,]+–[\d,]+\) \|/m);
    // the refreshes carrying metadata, beside ES256's, in a table of their own
    const [, metadataTable] = report.split('| ES256 + app metadata (range) |');
    assert.match(
      String(metadataTable),
      /^\| refresh +\| +[\d,]+ \([\d,]+–[\d,]+\) \| +[\d.]+ \| +[\d,]+ \([\d,]+–[\d,]+\) \| +[\d.]+ \| +[\d.]+× /m,
    );
    // introspection beside the session check, alternating, in a table of their own
    assert.deepEqual(
      measurements
        .filter((m) => m.scenario === 'introspect' || m.scenario === 'session check')
        .map(({ round, scenario }) => `${round} ${scenario}`),
      ['1 introspect', '1 session check', '2 session check', '2 introspect'],
    );
    const [, livenessTable] = report.split('| POST /auth/oauth2/introspect (range) |');
    assert.match(String(livenessTable), /^\| a live token +\| +[\d,]+ \([\d,]+–[\d,]+\) \|/m);
    assert.equal(running.size, 0, 'the servers were stopped');
    const db = await openDatabase({ url: database.url, poolSize: 1 });
    try {
      const [left] = await db.em
        .getConnection()
        .execute<Array<{ users: string }>>(`select count(*) as users from users`);
      assert.equal(Number(left?.users), 0, 'no user left behind');
      const [clients] = await db.em
        .getConnection()
        .execute<Array<{ clients: string }>>(`select count(*) as clients from api_clients`);
      assert.equal(Number(clients?.clients), 0, 'no client left behind');
    } finally {
      await db.close(true);
    }
  });
});
