// The sign-in suite (bench/sign-in.ts) against the real service on a migrated database: its users
// sign in by password and by their passkeys, every answer a 200 (a run with failures measures
// refusals, not sign-ins), and it leaves no user behind. Speed is measured by
// `npm run bench -- --suites sign-in`, not here.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { runSignIns, signInReport } from '../../bench/sign-in';
import type { RunningServer, ServerSettings } from '../../bench/servers';
import { TokenService } from '../../server/crypto/token-service';
import { openDatabase } from '../../server/database/open-database';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { TEST_TOTP_KEY } from '../support/service';

describe('bench: sign-ins by password and by passkey', function () {
  this.timeout(120_000);
  let database: TestDatabase;
  const totpKey = process.env.TOTP_KEY;

  before(async () => {
    database = await createTestDatabase();
    await (await openDatabase({ url: database.url, poolSize: 1 })).close(true);
    // the server takes the key of sign-in secrets from the environment it inherits, as in the bench
    process.env.TOTP_KEY = TEST_TOTP_KEY;
  });
  after(async () => {
    if (totpKey === undefined) delete process.env.TOTP_KEY;
    else process.env.TOTP_KEY = totpKey;
    await database?.drop();
  });

  it('signs its users in both ways, every answer a 200, and removes them after', async () => {
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
      env: { PASSKEY_CHALLENGES_PER_ADDRESS_PER_HOUR: '1000000' },
    };
    const token = new TokenService({
      secret,
      issuer: 'bench-test',
      audience: 'users-api',
      ttlSeconds: 900,
      clockToleranceSeconds: 5,
    }).issue({ id: 'bench', role: 'admin' }, 900).token;
    const running = new Set<RunningServer>();
    const { measurements } = await runSignIns({
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
      measurements.map(({ round, method }) => `${round} ${method}`),
      ['1 password', '1 passkey', '2 passkey', '2 password'],
      'alternating which goes first',
    );
    for (const measurement of measurements) {
      assert.equal(measurement.failures, 0, `${measurement.method}: every sign-in answered 200`);
      assert.ok(measurement.perSecond > 0, `${measurement.method} signed in`);
    }
    assert.match(signInReport(measurements), /^\| passkey +\| +\d+ \(\d+–\d+\) \|/m);
    assert.equal(running.size, 0, 'the server was stopped');
    const db = await openDatabase({ url: database.url, poolSize: 1 });
    try {
      const [left] = await db.em
        .getConnection()
        .execute<Array<{ users: string; passkeys: string }>>(
          `select (select count(*) from users) as users, (select count(*) from passkeys) as passkeys`,
        );
      assert.deepEqual(left, { users: '0', passkeys: '0' }, 'its users, and their passkeys, are gone');
    } finally {
      await db.close(true);
    }
  });
});
