// Reads on a real streaming replica: a PostgreSQL primary and a hot standby this file sets up
// itself (initdb, pg_basebackup -R) and a redis-server of its own, with two instances of the
// service on them. It shows that reads and access checks reach the replica (the replica's own
// statistics count them); that a write is visible to its writer at once, on either instance, even
// while the replica is behind (read-your-writes), and so are a logout and a credential change;
// that a replica lagging past REPLICA_MAX_LAG_MS is skipped and used again once it catches up;
// and that stopping the replica in the middle of a load changes nothing for clients.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { newUserBody } from '../support/fixtures';
import { describeLoad, startLoad } from '../support/load';
import { eventually } from '../support/eventually';
import { POSTGRESQL_SERVER, REDIS_SERVER, requireProgram } from '../support/prerequisites';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { startReplicatedPostgres, type ReplicatedPostgres } from '../../dev/testing/replicated-postgres';
import { restClient } from '../support/rest';
import { startTestService, type TestService } from '../support/service';

const USERS = '/api/v2/users';

describe('reads on a streaming replica', function () {
  this.timeout(240_000);
  let cluster: ReplicatedPostgres | undefined;
  let redis: RedisServer | undefined;
  let one: TestService;
  let two: TestService;
  const extra: TestService[] = [];
  let env: Record<string, string>;
  /** An admin that writes nothing here: what it reads may come from the replica. */
  let reader: string;

  before(async function () {
    const binaries = requireProgram(this, POSTGRESQL_SERVER);
    const redisServer = requireProgram(this, REDIS_SERVER);
    [cluster, redis] = await Promise.all([startReplicatedPostgres(binaries, 1), startRedisServer(redisServer)]);
    await cluster.primary.query('create database users');
    env = {
      DATABASE_URL: cluster.primary.url('users'),
      DATABASE_REPLICA_URLS: cluster.replicas[0]!.url('users'),
      REDIS_URL: redis.url,
      // long enough that a replica held back on purpose is still used by those who may
      REPLICA_MAX_LAG_MS: '60000',
    };
    one = await startTestService(env, { url: env.DATABASE_URL });
    two = await startTestService(env, { url: env.DATABASE_URL });
    reader = one.tokens.issue({ id: 'reading-admin', role: 'admin' }).token;
    // a token is served by a replica only once the replica is known current as of its issue
    await sleep(1100);
    await caughtUp();
  });
  after(async () => {
    for (const service of [...extra, two, one]) await service?.close();
    await cluster?.close();
    await redis?.close();
  });

  const replica = () => cluster!.replicas[0]!;
  /** The replica has replayed everything, and both instances have seen it do so. */
  async function caughtUp() {
    await cluster!.caughtUp();
    await Promise.all([one, two, ...extra].map((service) => service.replicas!.checked()));
  }
  /** Index scans of `users` on a server, by its own statistics (the service's reads use the primary key). */
  async function usersScans(server = replica()): Promise<number> {
    const [row] = await server.query<{ scans: string }>(
      `select coalesce(idx_scan, 0) as scans from pg_stat_user_tables where relname = 'users'`,
      [],
      'users',
    );
    return Number(row?.scans ?? 0);
  }
  async function newUser(service = one) {
    const body = newUserBody();
    const created = await restClient(service.baseUrl, service.adminToken).post(USERS, body);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    return { id: String(created.body.id), body };
  }
  const rename = (service: TestService, token: string, user: Awaited<ReturnType<typeof newUser>>, name: string) =>
    restClient(service.baseUrl, token).put(`${USERS}/${user.id}`, {
      name,
      age: user.body.age,
      gender: user.body.gender,
      email: { email: user.body.email.email, authMethod: 0 },
    });
  async function readyz(service: TestService) {
    const response = await fetch(`${service.baseUrl}/readyz`);
    return { status: response.status, body: await response.json() };
  }
  const nameOf = async (service: TestService, token: string, id: string) =>
    (await restClient(service.baseUrl, token).get(`${USERS}/${id}`)).body.name as string;

  it('sends reads and access checks to the replica, which counts them itself', async () => {
    const users = await Promise.all([newUser(), newUser(), newUser()]);
    await caughtUp();
    assert.deepEqual((await readyz(one)).body.checks.replicas, { 'replica 1': 'ok' });
    const before = await usersScans();
    for (let i = 0; i < 30; i += 1) {
      const service = i % 2 === 0 ? one : two;
      const read = await restClient(service.baseUrl, reader).get(`${USERS}/${users[i % 3]!.id}`);
      assert.equal(read.status, 200);
    }
    // a read by id and its access check (the caller's credential epoch) are index scans each;
    // the replica's statistics reach its view within PostgreSQL's flush interval (at most 10 s)
    await eventually('the replica counting the reads', async () => (await usersScans()) - before >= 60, 20_000);
  });

  it('shows a writer its own write at once, on either instance, while the replica is behind', async () => {
    const user = await newUser();
    await caughtUp();
    await replica().query('select pg_wal_replay_pause()');
    try {
      const renamed = await rename(one, one.adminToken, user, 'renamed_while_behind');
      assert.equal(renamed.status, 200);
      assert.equal(await nameOf(one, one.adminToken, user.id), 'renamed_while_behind', 'the writer, here');
      assert.equal(await nameOf(two, one.adminToken, user.id), 'renamed_while_behind', 'the writer, elsewhere');
      // the replica really is behind, and really is used: a reader that did not write sees its state
      assert.equal(await nameOf(one, reader, user.id), user.body.name);
      assert.equal(await nameOf(two, reader, user.id), user.body.name);
    } finally {
      await replica().query('select pg_wal_replay_resume()');
    }
    await caughtUp();
    assert.equal(await nameOf(two, reader, user.id), 'renamed_while_behind');
  });

  it('ends a logged-out token and the tokens of a changed credential at once, on both instances', async () => {
    const user = await newUser();
    const signIn = async () => {
      const response = await restClient(two.baseUrl).post('/api/v2/auth/token', {
        email: user.body.email.email,
        password: user.body.email.password,
      });
      assert.equal(response.status, 200);
      return String(response.body.token);
    };
    const [loggedOut, kept] = [await signIn(), await signIn()];
    await sleep(1100);
    await caughtUp();
    await replica().query('select pg_wal_replay_pause()');
    try {
      assert.equal((await restClient(one.baseUrl, loggedOut).post('/api/v2/auth/logout', undefined)).status, 204);
      for (const service of [one, two]) {
        const refused = await restClient(service.baseUrl, loggedOut).get(`${USERS}/${user.id}`);
        assert.equal(refused.status, 401);
        assert.equal(refused.body.msg, 'token has been revoked');
        assert.equal((await restClient(service.baseUrl, kept).get(`${USERS}/${user.id}`)).status, 200);
      }
      // an admin changes the password: the user's own token ends, though the replica has not seen it
      const changed = await restClient(two.baseUrl, two.adminToken).put(`${USERS}/${user.id}`, {
        name: user.body.name,
        age: user.body.age,
        gender: user.body.gender,
        email: { email: user.body.email.email, authMethod: 0, password: 'a brand new password' },
      });
      assert.equal(changed.status, 200);
      for (const service of [one, two]) {
        const refused = await restClient(service.baseUrl, kept).get(`${USERS}/${user.id}`);
        assert.equal(refused.status, 401);
        assert.equal(refused.body.msg, 'token is no longer valid');
      }
    } finally {
      await replica().query('select pg_wal_replay_resume()');
    }
  });

  it('skips a replica lagging past REPLICA_MAX_LAG_MS, says so in /readyz, and uses it again once it catches up', async () => {
    const strict = await startTestService({ ...env, REPLICA_MAX_LAG_MS: '1000' }, { url: env.DATABASE_URL });
    extra.push(strict);
    const user = await newUser();
    await sleep(1100);
    await caughtUp();
    assert.equal(await nameOf(strict, reader, user.id), user.body.name);
    await replica().query('select pg_wal_replay_pause()');
    try {
      assert.equal((await rename(one, one.adminToken, user, 'renamed_past_the_lag')).status, 200);
      await eventually('the replica judged behind', async () => {
        const ready = await readyz(strict);
        return ready.status === 200 && ready.body.status === 'degraded';
      });
      assert.match((await readyz(strict)).body.checks.replicas['replica 1'], /^lagging \(\d+ ms\)$/);
      assert.equal(await nameOf(strict, reader, user.id), 'renamed_past_the_lag', 'the primary served it');
      assert.equal(await nameOf(one, reader, user.id), user.body.name, 'with 60 s allowed, the replica still serves');
    } finally {
      await replica().query('select pg_wal_replay_resume()');
    }
    await caughtUp();
    assert.deepEqual((await readyz(strict)).body, {
      status: 'ready',
      checks: { database: 'ok', migrations: 'ok', limits: 'redis', replicas: { 'replica 1': 'ok' } },
    });
    const before = await usersScans();
    for (let i = 0; i < 10; i += 1) assert.equal(await nameOf(strict, reader, user.id), 'renamed_past_the_lag');
    await eventually('the replica serving again', async () => (await usersScans()) - before >= 20, 20_000);
  });

  it('changes nothing for clients when the replica stops in the middle of a load, and uses it again when it is back', async () => {
    const users = await Promise.all([newUser(), newUser(), newUser(), newUser()]);
    await caughtUp();
    const load = startLoad(4, async (worker, n) => {
      const service = n % 2 === 0 ? one : two;
      const path = n % 5 === 0 ? `${USERS}?offset=0&limit=5` : `${USERS}/${users[(worker + n) % users.length]!.id}`;
      const response = await fetch(`${service.baseUrl}${path}`, { headers: { authorization: `Bearer ${reader}` } });
      await response.arrayBuffer();
      return response.status;
    });
    await eventually('reads on the replica', () => Promise.resolve(load.count > 100));
    await replica().stop();
    const stoppedAt = load.count;
    await eventually('reads with the replica down', () => Promise.resolve(load.count > stoppedAt + 200));
    for (const service of [one, two]) {
      const ready = await readyz(service);
      assert.equal(ready.status, 200, 'a replica down takes no instance out of the balancer');
      assert.equal(ready.body.status, 'degraded');
      assert.deepEqual(ready.body.checks.replicas, { 'replica 1': 'unreachable' });
    }
    // an instance that starts while the replica is down starts as usual, on the primary
    const late = await startTestService(env, { url: env.DATABASE_URL });
    extra.push(late);
    await late.replicas!.checked();
    assert.deepEqual((await readyz(late)).body.checks.replicas, { 'replica 1': 'unreachable' });
    assert.equal((await restClient(late.baseUrl, reader).get(`${USERS}/${users[0].id}`)).status, 200);

    await replica().start();
    for (const service of [one, two, late]) {
      await eventually('the replica back in /readyz', async () => (await readyz(service)).body.status === 'ready');
    }
    const backAt = load.count;
    await eventually('reads after the replica is back', () => Promise.resolve(load.count > backAt + 100));
    const result = await load.stop();
    console.log(describeLoad('reads on two instances, the replica stopped and started in the middle', result));
    assert.deepEqual(result.failures, [], 'no read failed');
    assert.deepEqual(Object.keys(result.statuses), ['200']);

    const before = await usersScans();
    for (let i = 0; i < 10; i += 1)
      assert.equal((await restClient(late.baseUrl, reader).get(`${USERS}/${users[1].id}`)).status, 200);
    await eventually('the replica serving again', async () => (await usersScans()) - before >= 20, 20_000);
  });
});
