// The outbox through the service (bench/service-writes.ts) against a real migrated and seeded
// database: the baseline server (bench/without-events.ts, which replaces the events store's
// `recordEvent` through Node's module cache) is the real service recording no events, while the
// service started the usual way records them; the suite's writes (a create by email code, a PUT of
// a seeded user) are requests the service accepts, and do what they say; the load generator sends
// them without a refusal. Speed is measured by `npm run bench -- --suites writes`, not here.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { seedRow, seededUserId, CREATE_DOMAIN } from '../../bench/dataset';
import { runLoad } from '../../bench/loader';
import { seed } from '../../bench/seed';
import { startServer, type RunningServer, type ServerSettings } from '../../bench/servers';
import { createByCodeBody, updateRequest, updatedIndex, CREATE_PATH, type Workload } from '../../bench/workload';
import { TokenService } from '../../server/crypto/token-service';
import { openDatabase } from '../../server/database/open-database';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { TEST_TOTP_KEY } from '../support/service';

const USERS = 20;
const ISSUER = 'bench-test';
const AUDIENCE = 'users-api';

describe('bench: the outbox through the service, beside the same service recording no events', function () {
  this.timeout(120_000);
  let database: TestDatabase;
  let client: pg.Client;
  let token: string;
  const servers: Partial<Record<'outbox' | 'without', RunningServer>> = {};
  const totpKey = process.env.TOTP_KEY;

  before(async () => {
    database = await createTestDatabase();
    await (await openDatabase({ url: database.url, poolSize: 1 })).close(true);
    await seed({ url: database.url, users: USERS, hashCost: { logN: 10, r: 8, p: 1 }, force: true, log: () => {} });
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const secret = randomBytes(32).toString('base64url');
    token = new TokenService({
      secret,
      issuer: ISSUER,
      audience: AUDIENCE,
      ttlSeconds: 900,
      clockToleranceSeconds: 5,
    }).issue({ id: 'bench', role: 'admin' }, 900).token;
    // the servers take the key of sign-in secrets from the environment they inherit, as in the bench
    process.env.TOTP_KEY = TEST_TOTP_KEY;
    const settings: ServerSettings = {
      databaseUrl: database.url,
      jwtSecret: secret,
      issuer: ISSUER,
      audience: AUDIENCE,
      hashLogN: 10,
      hashR: 8,
      hashP: 1,
      poolSize: 4,
      cores: undefined,
    };
    [servers.outbox, servers.without] = await Promise.all([
      startServer('service', settings),
      startServer('service', { ...settings, withoutEvents: true }),
    ]);
  });
  after(async () => {
    if (totpKey === undefined) delete process.env.TOTP_KEY;
    else process.env.TOTP_KEY = totpKey;
    await Promise.all(Object.values(servers).map((server) => server.stop()));
    await client?.end();
    await database?.drop();
  });
  beforeEach(() => client.query('truncate events restart identity'));

  const server = (name: 'outbox' | 'without') => servers[name]!;
  const send = (name: 'outbox' | 'without', method: string, path: string, body: string) =>
    fetch(`${server(name).baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
    });
  const events = async () =>
    (await client.query<{ type: string; user_id: string }>('select type, user_id from events order by id')).rows;

  it('a create by email code: the service records user.created, the baseline the same create and no event', async () => {
    const created: Record<string, string> = {};
    for (const name of ['outbox', 'without'] as const) {
      const response = await send(name, 'POST', CREATE_PATH, createByCodeBody(`test-${name}`, 1));
      // the published contract answers a create with 200
      assert.equal(response.status, 200, await response.clone().text());
      const user = (await response.json()) as { id: string; email: { email: string; authMethod: number } };
      assert.deepEqual(
        { address: user.email.email, authMethod: user.email.authMethod },
        { address: `test-${name}-1@${CREATE_DOMAIN}`, authMethod: 1 },
      );
      created[name] = user.id;
    }
    const { rows } = await client.query<{ id: string; password_hash: string | null }>(
      `select u.id, e.password_hash from users u join emails e on e.id = u.email_id where u.id = any($1)`,
      [Object.values(created)],
    );
    assert.equal(rows.length, 2, 'both users are stored');
    assert.deepEqual(
      rows.map((row) => row.password_hash),
      [null, null],
      'no password, so no hash is made',
    );
    assert.deepEqual(await events(), [{ type: 'user.created', user_id: created.outbox }]);
  });

  it('a PUT of a seeded user: a new name and age, its address kept; the event from the service only', async () => {
    for (const [name, index] of [
      ['outbox', 3],
      ['without', 4],
    ] as const) {
      const seeded = seedRow(index);
      const request = updateRequest(index);
      const response = await send(name, 'PUT', request.path, request.body);
      assert.equal(response.status, 200, await response.clone().text());
      const sent = JSON.parse(request.body) as { name: string; age: number };
      const user = (await response.json()) as { name: string; age: number; email: { email: string } };
      assert.deepEqual(
        { name: user.name, age: user.age, address: user.email.email },
        { name: sent.name, age: sent.age, address: seeded.address },
      );
    }
    assert.deepEqual(await events(), [{ type: 'user.updated', user_id: seededUserId(3) }]);
  });

  it('never picks the first or the last seeded user to update (the seed is checked by them)', () => {
    assert.equal(
      updatedIndex(USERS, () => 0),
      1,
    );
    assert.equal(
      updatedIndex(USERS, () => 0.999_999),
      USERS - 2,
    );
  });

  for (const workload of ['create-by-code', 'update'] as const satisfies readonly Workload[]) {
    it(`the load generator's ${workload} is answered 2xx, every request, by both`, async () => {
      for (const name of ['outbox', 'without'] as const) {
        const result = await runLoad(
          {
            baseUrl: server(name).baseUrl,
            token,
            workload,
            users: USERS,
            connections: 2,
            durationSeconds: 1,
            warmupSeconds: 0,
            tag: `load-${name}`,
          },
          'autocannon',
          undefined,
        );
        assert.ok(result.ok > 0, `${name}: some requests answered`);
        assert.equal(result.non2xx + result.errors, 0, `${name}: no refusal or error`);
      }
      const recorded = await events();
      assert.ok(recorded.length > 0, 'the service recorded the load’s events');
      const type = workload === 'update' ? 'user.updated' : 'user.created';
      assert.deepEqual(new Set(recorded.map((event) => event.type)), new Set([type]));
    });
  }
});
