// The session check folded into the reads (issue 23, router/trpc/session-check): a read by id and a
// page of the list are one statement each, carrying the check, while writes keep a check of their
// own; and a caller whose token no longer stands gets its 401 from every read, whatever else the
// read would have answered (a user, a 404, a 400, a stream), on both instances of the service.
// The statements are watched where the service sends them: node-postgres's Client.query.
import assert from 'node:assert/strict';
import pg from 'pg';
import { createUsersClient, TRPCClientError } from '../../client';
import { newUserBody } from '../support/fixtures';
import { restClient } from '../support/rest';
import { startTestService, type TestService } from '../support/service';

const USERS = '/api/v2/users';

/** The statements every pg client of this process sends while `work` runs: a name, or the text. */
async function statementsOf(work: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const query = prototype.query;
  prototype.query = function (this: pg.Client, config: unknown, ...rest: unknown[]) {
    const { name, text } = (typeof config === 'string' ? { text: config } : config) as { name?: string; text?: string };
    seen.push(name || (text ?? '').replace(/\s+/g, ' ').trim());
    return query.call(this, config, ...rest);
  };
  try {
    await work();
  } finally {
    prototype.query = query;
  }
  return seen;
}

describe('the session check folded into the reads', function () {
  this.timeout(60_000);
  let one: TestService;
  let two: TestService;

  before(async () => {
    // no webhook worker: every statement sent while a request runs is the request's
    one = await startTestService({ WEBHOOK_WORKER: 'false' });
    two = await startTestService({ WEBHOOK_WORKER: 'false' }, { url: one.databaseUrl });
  });
  after(async () => {
    await two?.close();
    await one?.close();
  });

  /** A user who signs in with a password; `admin` makes it one first. */
  async function signedIn(admin = false) {
    const body = newUserBody();
    const created = await restClient(one.baseUrl, one.adminToken).post(USERS, body);
    assert.equal(created.status, 200);
    const id = String(created.body.id);
    if (admin) await one.sql(`update users set role = 'admin' where id = ?`, [id]);
    const signIn = async () => {
      const answer = await restClient(one.baseUrl).post('/api/v2/auth/token', {
        email: body.email.email,
        password: body.email.password,
      });
      assert.equal(answer.status, 200);
      return String(answer.body.token);
    };
    return { id, body, signIn };
  }

  const trpcCode = async (call: () => Promise<unknown>) => {
    try {
      await call();
      return 'OK';
    } catch (error) {
      assert.ok(error instanceof TRPCClientError);
      return String(error.data?.code);
    }
  };

  it('a read by id and a page of the list are one statement each; a write checks on its own first', async () => {
    const admin = await signedIn(true);
    const token = await admin.signIn();
    const api = restClient(one.baseUrl, token);
    const trpc = createUsersClient({ url: `${one.baseUrl}/trpc`, token });
    // warm: the first call of a process may look things up once
    assert.equal((await api.get(`${USERS}/${admin.id}`)).status, 200);

    assert.deepEqual(
      await statementsOf(async () => assert.equal((await api.get(`${USERS}/${admin.id}`)).status, 200)),
      ['users_read_checked_1'],
    );
    assert.deepEqual(await statementsOf(() => trpc.users.read.query({ id: admin.id })), ['users_read_checked_1']);
    assert.deepEqual(await statementsOf(() => trpc.users.get.query({ id: admin.id })), ['users_read_checked_1']);
    assert.deepEqual(
      await statementsOf(async () => assert.equal((await api.get(`${USERS}?offset=0&limit=10`)).status, 200)),
      ['users_list_page_checked_1'],
    );
    // a search is a statement made for its request: the same check rides in it
    const search = await statementsOf(() => trpc.users.search.query({ q: 'ex', limit: 5 }));
    assert.equal(search.length, 1);
    assert.match(search[0]!, /^with caller as \(/);
    // a 404 is answered from the same one statement
    assert.deepEqual(
      await statementsOf(async () => assert.equal((await api.get(`${USERS}/no-such-user`)).status, 404)),
      ['users_read_checked_1'],
    );
    // a read that makes no statement (an id no user can have) makes the check on its own
    assert.deepEqual(
      await statementsOf(async () => assert.equal((await api.get(`${USERS}/${'x'.repeat(65)}`)).status, 404)),
      ['session_check_3'],
    );
    // a write: the separate check, then the write
    const write = await statementsOf(async () => {
      const answer = await api.put(`${USERS}/${admin.id}`, {
        name: 'renamed',
        age: 33,
        gender: 1,
        email: { email: admin.body.email.email, authMethod: 0 },
      });
      assert.equal(answer.status, 200);
    });
    assert.equal(write[0], 'session_check_3');
    assert.ok(write.length > 1);
  });

  it('a logged-out admin gets 401 from every read on both instances, never data, a 404 or a 400', async () => {
    const admin = await signedIn(true);
    const [token, other] = [await admin.signIn(), await admin.signIn()];
    const user = await signedIn();
    assert.equal((await restClient(two.baseUrl, token).get(`${USERS}/${user.id}`)).status, 200);
    assert.equal((await restClient(one.baseUrl, token).post('/api/v2/auth/logout', undefined)).status, 204);

    const reads = [
      `${USERS}/${user.id}`,
      `${USERS}/no-such-user`,
      `${USERS}/${'x'.repeat(65)}`,
      `${USERS}?offset=0&limit=10`,
      `${USERS}?offset=0&limit=0`,
      `${USERS}?offset=0&limit=20000`,
      `${USERS}?q=ex&limit=5`,
      `${USERS}?email=${encodeURIComponent(user.body.email.email)}`,
      `${USERS}?sort=name&limit=3`,
      `${USERS}?limit=-1`,
      `${USERS}?cursor=not-a-cursor`,
    ];
    for (const service of [one, two]) {
      for (const path of reads) {
        const refused = await restClient(service.baseUrl, token).get(path);
        assert.equal(refused.status, 401, path);
        assert.deepEqual(refused.body, { code: 100001, msg: 'token has been revoked' }, path);
      }
      const trpc = createUsersClient({ url: `${service.baseUrl}/trpc`, token });
      for (const call of [
        () => trpc.users.read.query({ id: user.id }),
        () => trpc.users.get.query({ id: 'no-such-user' }),
        () => trpc.users.search.query({ limit: 5 }),
        () => trpc.users.search.query({ q: 'ex', limit: 5 }),
        () => trpc.users.list.query({ offset: 0, limit: -1 }),
      ]) {
        assert.equal(await trpcCode(call), 'UNAUTHORIZED');
      }
      // the other token of the same admin reads on
      assert.equal((await restClient(service.baseUrl, other).get(`${USERS}/${user.id}`)).status, 200);
      assert.equal((await restClient(service.baseUrl, other).get(`${USERS}?offset=0&limit=10`)).status, 200);
    }
  });

  it('a user whose token outlived its credentials, or whose session ended, is refused by the folded read', async () => {
    const user = await signedIn();
    const [old, current] = [await user.signIn(), await user.signIn()];
    // another user's id looks absent to a valid user; to a refused one it is the 401
    const stranger = await signedIn();
    assert.equal((await restClient(two.baseUrl, old).get(`${USERS}/${stranger.id}`)).status, 404);

    // the session of `current` ends: its token is refused, with its own reason
    const sessions = await restClient(one.baseUrl, current).get('/api/v2/auth/sessions');
    const mine = (sessions.body as { items: Array<{ id: string; current: boolean }> }).items.find((s) => s.current);
    assert.ok(mine);
    assert.equal((await restClient(one.baseUrl, old).call('DELETE', `/api/v2/auth/sessions/${mine.id}`)).status, 204);
    for (const service of [one, two]) {
      for (const path of [`${USERS}/${user.id}`, `${USERS}/${stranger.id}`]) {
        const refused = await restClient(service.baseUrl, current).get(path);
        assert.equal(refused.status, 401, path);
        assert.equal(refused.body.msg, 'the session of this token has ended');
      }
    }

    // an admin changes the user's password: every earlier token is refused
    const changed = await restClient(one.baseUrl, one.adminToken).put(`${USERS}/${user.id}`, {
      name: user.body.name,
      age: user.body.age,
      gender: user.body.gender,
      email: { email: user.body.email.email, authMethod: 0, password: 'another password 123' },
    });
    assert.equal(changed.status, 200);
    for (const service of [one, two]) {
      for (const path of [`${USERS}/${user.id}`, `${USERS}/${stranger.id}`, `${USERS}/${'x'.repeat(65)}`]) {
        const refused = await restClient(service.baseUrl, old).get(path);
        assert.equal(refused.status, 401, path);
        assert.equal(refused.body.msg, 'token is no longer valid');
      }
      const trpc = createUsersClient({ url: `${service.baseUrl}/trpc`, token: old });
      assert.equal(await trpcCode(() => trpc.users.get.query({ id: user.id })), 'UNAUTHORIZED');
    }
  });

  it('a batch of a folding read and other calls: each call is checked, none waits on another’s refusal', async () => {
    const admin = await signedIn(true);
    const token = await admin.signIn();
    const trpc = createUsersClient({ url: `${one.baseUrl}/trpc`, token });
    // one HTTP request: the read, the list and auth.session share a context and its database
    const [read, list, session] = await Promise.all([
      trpc.users.read.query({ id: admin.id }),
      trpc.users.search.query({ limit: 2 }),
      trpc.auth.session.query(),
    ]);
    assert.equal(read.id, admin.id);
    assert.equal(list.items.length, 2);
    assert.equal(session.userId, admin.id);
    assert.equal((await restClient(one.baseUrl, token).post('/api/v2/auth/logout', undefined)).status, 204);
    const methods = createUsersClient({ url: `${one.baseUrl}/trpc`, token });
    const outcomes = await Promise.allSettled([
      methods.users.read.query({ id: admin.id }),
      methods.auth.methods.query(),
    ]);
    assert.equal(outcomes[0].status, 'rejected');
    // a public call in the same batch is answered as it would be alone
    assert.equal(outcomes[1].status, 'fulfilled');
  });
});
