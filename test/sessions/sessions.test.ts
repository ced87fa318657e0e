// Sessions (issue 22): every sign-in begins one; its refresh token is spent by its use (rotation),
// a spent one presented again ends the whole session (reuse), two refreshes racing with one token
// give exactly one new token, sessions end when idle or old (the service's clock is moved), and an
// ended session's access tokens are refused at once on every instance. Over REST on real sockets,
// on two instances sharing one PostgreSQL database, and over tRPC.
import assert from 'node:assert/strict';
import { createUsersClient } from '../../client';
import { historyOf } from '../support/events';
import { newUserBody } from '../support/fixtures';
import { restClient } from '../support/rest';
import { ADMIN, startTestService, type TestService } from '../support/service';
import { removeExpired } from '../../server/start/retention';
import { assertReadsIndex } from '../support/plans';

const USERS = '/api/v2/users';
const REFRESH = '/api/v2/auth/refresh';
const SESSIONS = '/api/v2/auth/sessions';
const HOUR = 3600_000;
const DAY = 24 * HOUR;

describe('sessions', function () {
  this.timeout(60_000);
  let one: TestService;
  let two: TestService;

  before(async () => {
    one = await startTestService();
    two = await startTestService({}, { url: one.databaseUrl });
  });
  after(async () => {
    await two?.close();
    await one?.close();
  });
  afterEach(() => {
    one.clock.offsetMs = 0;
    two.clock.offsetMs = 0;
  });

  interface SignedIn {
    token: string;
    refreshToken: string;
  }

  async function newUser(service = one) {
    const body = newUserBody();
    const created = await restClient(service.baseUrl, service.adminToken).post(USERS, body);
    assert.equal(created.status, 200);
    const signIn = async (on = service, userAgent?: string): Promise<SignedIn> => {
      const response = await restClient(on.baseUrl).post(
        '/api/v2/auth/token',
        { email: body.email.email, password: body.email.password },
        userAgent ? { headers: { 'user-agent': userAgent } } : {},
      );
      assert.equal(response.status, 200);
      assert.equal(typeof response.body.refreshToken, 'string');
      return { token: String(response.body.token), refreshToken: String(response.body.refreshToken) };
    };
    return { id: String(created.body.id), body, signIn };
  }

  const refresh = (service: TestService, refreshToken: string) =>
    restClient(service.baseUrl).post(REFRESH, { refreshToken });
  const readStatus = async (service: TestService, token: string, id: string) =>
    (await restClient(service.baseUrl, token).get(`${USERS}/${id}`)).status;

  it('a sign-in answers a refresh token that is stored only as a keyed hash', async () => {
    const user = await newUser();
    const { refreshToken } = await user.signIn();
    assert.match(refreshToken, /^[\w-]{43}$/, '256 random bits, base64url');
    const rows = await one.sql<{ hash: string }>(
      `select t.hash from session_tokens t join sessions s on s.id = t.session_id where s.user_id = ?`,
      [user.id],
    );
    assert.equal(rows.length, 1);
    assert.notEqual(rows[0]?.hash, refreshToken);
    const dump = JSON.stringify(await one.sql(`select * from sessions s join session_tokens t on t.session_id = s.id`));
    assert.ok(!dump.includes(refreshToken), 'the token itself is nowhere in the tables');
  });

  it('rotation: a refresh answers a new access token and a new refresh token; the old one is spent', async () => {
    const user = await newUser();
    const first = await user.signIn();
    const renewed = await refresh(one, first.refreshToken);
    assert.equal(renewed.status, 200);
    assert.equal(renewed.body.tokenType, 'Bearer');
    assert.notEqual(renewed.body.refreshToken, first.refreshToken);
    assert.equal(await readStatus(one, renewed.body.token, user.id), 200);
    assert.equal(await readStatus(two, renewed.body.token, user.id), 200);
    // the next one rotates again, on the other instance
    const again = await refresh(two, renewed.body.refreshToken);
    assert.equal(again.status, 200);
    assert.equal(await readStatus(one, again.body.token, user.id), 200);
  });

  it('reuse of a spent token after a legitimate rotation ends the whole session', async () => {
    const user = await newUser();
    const stolen = await user.signIn();
    const legit = await refresh(one, stolen.refreshToken);
    assert.equal(legit.status, 200);
    // later (past the moment a racing refresh may take), the spent token comes back
    one.clock.advance(60_000);
    const reuse = await refresh(one, stolen.refreshToken);
    assert.equal(reuse.status, 401);
    assert.match(reuse.body.msg, /used already: its session has ended/);
    // every token of the family has ended: the legitimate refresh token, and the access tokens
    const next = await refresh(two, legit.body.refreshToken);
    assert.equal(next.status, 401);
    assert.equal(await readStatus(two, legit.body.token, user.id), 401);
    assert.equal(await readStatus(one, stolen.token, user.id), 401);
    const refused = await restClient(one.baseUrl, legit.body.token).get(`${USERS}/${user.id}`);
    assert.deepEqual(refused.body, { code: 100001, msg: 'the session of this token has ended' });
    // the reuse is in the user's history, naming the session, with no token in it
    const [session] = await historyOf(one, user.id, ['auth.refresh_token_reused']);
    assert.ok(session, 'auth.refresh_token_reused recorded');
    assert.equal(session.actor, 'anonymous', 'whoever presented it proved nothing');
    assert.match(String(session.data.sessionId), /^[0-9a-f-]{36}$/);
    const dump = JSON.stringify(await one.sql(`select * from events where user_id = ?`, [user.id]));
    assert.ok(!dump.includes(stolen.refreshToken) && !dump.includes(legit.body.refreshToken), 'no refresh token');
  });

  it('an unknown refresh token is refused and changes nothing; none at all is a 400', async () => {
    const unknown = await refresh(one, 'x'.repeat(43));
    assert.equal(unknown.status, 401);
    assert.deepEqual(unknown.body, { code: 100001, msg: 'invalid or expired refresh token' });
    const none = await restClient(one.baseUrl).post(REFRESH, {});
    assert.equal(none.status, 400);
    assert.match(none.body.msg, /refreshToken: required/);
  });

  it('two concurrent refreshes with one token: exactly one wins, on two instances', async () => {
    for (let round = 0; round < 5; round++) {
      const user = await newUser();
      const { refreshToken } = await user.signIn();
      const answers = await Promise.all([refresh(one, refreshToken), refresh(two, refreshToken)]);
      const statuses = answers.map((answer) => answer.status).sort();
      assert.deepEqual(statuses, [200, 401]);
      // the loser lost a race, it did not reuse: the winner's session lives on
      const winner = answers.find((answer) => answer.status === 200);
      assert.equal(await readStatus(one, String(winner?.body.token), user.id), 200);
      assert.equal((await refresh(one, String(winner?.body.refreshToken))).status, 200);
    }
  });

  it('a session idle for SESSION_IDLE_SECONDS ends; one refreshed in time lives on', async () => {
    const user = await newUser();
    const kept = await user.signIn();
    const idle = await user.signIn();
    one.clock.advance(6 * DAY);
    const renewed = await refresh(one, kept.refreshToken);
    assert.equal(renewed.status, 200);
    one.clock.advance(2 * DAY);
    assert.equal((await refresh(one, idle.refreshToken)).status, 401, 'idle 8 days');
    assert.equal((await refresh(one, renewed.body.refreshToken)).status, 200, 'idle 2 days');
  });

  it('a session ends SESSION_MAX_SECONDS after its sign-in however often it is refreshed', async () => {
    const user = await newUser();
    const signedInAt = one.clock.now();
    let { refreshToken } = await user.signIn();
    for (const day of [5, 10, 15, 20, 25, 29]) {
      one.clock.set(signedInAt + day * DAY);
      const renewed = await refresh(one, refreshToken);
      assert.equal(renewed.status, 200, `day ${day}`);
      refreshToken = String(renewed.body.refreshToken);
    }
    one.clock.set(signedInAt + 30 * DAY + 60_000);
    const ended = await refresh(one, refreshToken);
    assert.equal(ended.status, 401, 'day 31');
    assert.equal(ended.body.msg, 'invalid or expired refresh token');
  });

  it('removes the sessions of users who never sign in again once expired, in the retention round', async () => {
    const gone = await newUser();
    const tokens: SignedIn[] = [];
    for (let i = 0; i < 3; i += 1) tokens.push(await gone.signIn());
    one.clock.advance(31 * DAY);
    // signed in after the others expired: its session lives
    const stays = await newUser();
    const live = await stays.signIn();
    const sessionsOf = async (id: string) =>
      Number((await one.sql<{ n: string }>(`select count(*) as n from sessions where user_id = ?`, [id]))[0]!.n);
    assert.equal(await sessionsOf(gone.id), 3, 'nobody signing in leaves them be');

    const removed = await removeExpired(one.orm, 90, one.clock.now());
    assert.ok(removed.sessions >= 3, JSON.stringify(removed));
    assert.equal(
      await sessionsOf(gone.id),
      0,
      'every expired session of the user is gone, with its address and browser',
    );
    assert.equal(await sessionsOf(stays.id), 1, 'a live session stays');
    // and it still works: its refresh token renews it
    const renewed = await refresh(one, live.refreshToken);
    assert.equal(renewed.status, 200, JSON.stringify(renewed.body));
    for (const token of tokens) assert.equal((await refresh(one, token.refreshToken)).status, 401);
  });

  it('finds the expired sessions it removes through an index, not by reading the table', async () => {
    const user = await newUser();
    await one.sql(
      `insert into sessions (user_id, epoch, method, auth_time, created_at, last_used_at, expires_at, client_address, user_agent)
       select ?, gen_random_uuid(), 'password', now(), now(), now(),
              now() + case when i % 100 = 0 then interval '-1 hour' else interval '1 hour' end, '192.0.2.1', 'bulk'
         from generate_series(1, 20000) as i`,
      [user.id],
    );
    try {
      // the retention round's subselect (router/sessions/sessions-store.ts removeExpiredSessions)
      await assertReadsIndex(
        one,
        'sessions',
        `select id from sessions where expires_at <= now() limit 1000 for update skip locked`,
        'sessions_expires_at_index',
      );
    } finally {
      await one.sql(`delete from sessions where user_agent = 'bulk'`);
    }
  });

  it('a refreshed access token keeps the sign-in time and its session id', async () => {
    const user = await newUser();
    const first = await user.signIn();
    one.clock.advance(HOUR);
    const renewed = await refresh(one, first.refreshToken);
    const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
    assert.equal(claims(renewed.body.token).auth_time, claims(first.token).auth_time);
    assert.equal(claims(renewed.body.token).sid, claims(first.token).sid);
    // so it never satisfies the step-up: a password change still asks for a fresh sign-in
    const change = await restClient(one.baseUrl, renewed.body.token).put(`${USERS}/${user.id}`, {
      ...user.body,
      email: { ...user.body.email, password: 'another horse battery' },
    });
    assert.equal(change.status, 401);
  });

  it('lists the caller’s sessions, ends one, and all but the current; others’ look absent', async () => {
    const user = await newUser();
    const laptop = await user.signIn(one, 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0');
    const phone = await user.signIn(two, 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile');
    const tablet = await user.signIn(one);
    const list = await restClient(one.baseUrl, laptop.token).get(SESSIONS);
    assert.equal(list.status, 200);
    assert.equal(list.body.items.length, 3);
    const current = list.body.items.filter((item: { current: boolean }) => item.current);
    assert.equal(current.length, 1);
    assert.equal(current[0].userAgent, 'Firefox on Linux');
    assert.equal(current[0].method, 'password');
    assert.equal(current[0].clientAddress, '127.0.0.1');
    const phoneSession = list.body.items.find((item: { userAgent: string }) => item.userAgent === 'Chrome on Android');
    assert.ok(phoneSession);

    // another user cannot end it, nor see it
    const stranger = await (await newUser()).signIn();
    const foreign = await restClient(one.baseUrl, stranger.token).delete(`${SESSIONS}/${phoneSession.id}`);
    assert.deepEqual(foreign, { ...foreign, status: 404, body: { code: 100001, msg: 'session not found' } });
    assert.equal((await restClient(one.baseUrl, stranger.token).delete(`${SESSIONS}/not-a-uuid`)).status, 404);
    assert.equal(await readStatus(two, phone.token, user.id), 200);

    // signed out of the phone from the laptop, on the other instance at once
    const ended = await restClient(one.baseUrl, laptop.token).delete(`${SESSIONS}/${phoneSession.id}`);
    assert.equal(ended.status, 204);
    assert.equal(await readStatus(two, phone.token, user.id), 401);
    assert.equal((await refresh(two, phone.refreshToken)).status, 401);

    const others = await restClient(two.baseUrl, laptop.token).delete(SESSIONS);
    assert.deepEqual(others.body, { ended: 1 });
    assert.equal(await readStatus(one, tablet.token, user.id), 401);
    assert.equal(await readStatus(one, laptop.token, user.id), 200, 'the current session stays');
    const left = await restClient(one.baseUrl, laptop.token).get(SESSIONS);
    assert.equal(left.body.items.length, 1);
    // each ending is in the history the user reads of itself, done by the user
    const own = await restClient(one.baseUrl, laptop.token).get(`${USERS}/${user.id}/events?after=0&limit=100`);
    const endings = (own.body.items as Array<{ type: string; actor: string; data: { sessionIds: string[] } }>).filter(
      (event) => event.type === 'auth.sessions_ended',
    );
    assert.deepEqual(
      endings.map((event) => [event.actor, event.data.sessionIds.length]),
      [
        [user.id, 1],
        [user.id, 1],
      ],
    );
    assert.deepEqual(endings[0]?.data.sessionIds, [phoneSession.id]);
  });

  it('logout ends the session: its refresh token and other access tokens too', async () => {
    const user = await newUser();
    const signedIn = await user.signIn();
    const renewed = await refresh(one, signedIn.refreshToken);
    const logout = await restClient(two.baseUrl, renewed.body.token).post('/api/v2/auth/logout', undefined);
    assert.equal(logout.status, 204);
    assert.equal((await refresh(one, renewed.body.refreshToken)).status, 401);
    assert.equal(await readStatus(one, signedIn.token, user.id), 401, 'the earlier access token of the session');
  });

  it('a credential change ends every other session of the user; the caller’s own lives on', async () => {
    const user = await newUser();
    const here = await user.signIn();
    const elsewhere = await user.signIn(two);
    const change = await restClient(one.baseUrl, here.token).put(`${USERS}/${user.id}`, {
      ...user.body,
      email: { ...user.body.email, password: 'a brand new password' },
    });
    assert.equal(change.status, 200);
    // the caller's own session renews under the new epoch (its access token ended with the epoch)
    assert.equal(await readStatus(one, here.token, user.id), 401);
    const renewed = await refresh(one, here.refreshToken);
    assert.equal(renewed.status, 200);
    assert.equal(await readStatus(two, renewed.body.token, user.id), 200);
    // the other session is gone, not only unusable
    const { items } = (await restClient(two.baseUrl, renewed.body.token).get(SESSIONS)).body;
    assert.equal(items.length, 1);
    assert.equal(items[0].current, true);
    // its access token and refresh token are refused
    assert.equal(await readStatus(two, elsewhere.token, user.id), 401);
    assert.equal((await refresh(two, elsewhere.refreshToken)).status, 401);
  });

  it('a refresh fails once the user’s credential epoch has moved, whatever moved it', async () => {
    const user = await newUser();
    const signedIn = await user.signIn();
    // as a completed TOTP enrollment does, without ending sessions itself
    await one.sql(`update users set token_epoch = gen_random_uuid() where id = ?`, [user.id]);
    const refused = await refresh(two, signedIn.refreshToken);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.msg, 'invalid or expired refresh token');
  });

  it('an admin’s change of a user’s credentials ends all of the user’s sessions', async () => {
    const user = await newUser();
    const signedIn = await user.signIn();
    const change = await restClient(one.baseUrl, one.adminToken).put(`${USERS}/${user.id}`, {
      ...user.body,
      email: { ...user.body.email, password: 'set by the admin' },
    });
    assert.equal(change.status, 200);
    assert.equal((await refresh(one, signedIn.refreshToken)).status, 401);
  });

  it('a deletion ends every session of the user', async () => {
    const user = await newUser();
    const a = await user.signIn();
    const b = await user.signIn(two);
    assert.equal((await restClient(one.baseUrl, one.adminToken).delete(`${USERS}/${user.id}`)).status, 204);
    assert.equal((await refresh(one, a.refreshToken)).status, 401);
    assert.equal((await refresh(two, b.refreshToken)).status, 401);
    const [row] = await one.sql<{ n: number }>(`select count(*)::int as n from sessions where user_id = ?`, [user.id]);
    assert.equal(row?.n, 0);
  });

  it('an admin lists a user’s sessions and signs the user out everywhere; a user may not', async () => {
    const user = await newUser();
    const a = await user.signIn();
    await user.signIn(two);
    const admin = restClient(one.baseUrl, one.adminToken);
    const list = await admin.get(`${USERS}/${user.id}/sessions`);
    assert.equal(list.status, 200);
    assert.equal(list.body.items.length, 2);
    assert.equal((await restClient(one.baseUrl, a.token).get(`${USERS}/${user.id}/sessions`)).status, 403);
    assert.equal((await restClient(one.baseUrl, a.token).delete(`${USERS}/${user.id}/sessions`)).status, 403);
    const ended = await admin.delete(`${USERS}/${user.id}/sessions`);
    assert.deepEqual(ended.body, { ended: 2 });
    assert.equal(await readStatus(two, a.token, user.id), 401);
    assert.deepEqual((await admin.get(`${USERS}/${user.id}/sessions`)).body, { items: [] });
    const [signedOut] = await historyOf(one, user.id, ['auth.sessions_ended']);
    assert.equal(signedOut?.actor, ADMIN.id, 'done by the admin');
    assert.deepEqual((signedOut?.data.sessionIds as string[]).length, 2);
    // nothing ended, nothing recorded
    assert.deepEqual((await admin.delete(`${USERS}/${user.id}/sessions`)).body, { ended: 0 });
    assert.equal((await historyOf(one, user.id, ['auth.sessions_ended'])).length, 1);
  });

  it('a browser asks for the cookie: HttpOnly, SameSite=Strict, the refresh path, no JSON field; read only with the header', async () => {
    const user = await newUser();
    const signIn = await fetch(`${one.baseUrl}/api/v2/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-refresh-cookie': '1' },
      body: JSON.stringify({ email: user.body.email.email, password: user.body.email.password }),
    });
    const answer = (await signIn.json()) as Record<string, unknown>;
    assert.equal(answer.refreshToken, undefined, 'not in the JSON');
    const line = signIn.headers.getSetCookie().find((value) => value.startsWith('users_refresh='));
    assert.ok(line);
    const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
    // http on loopback: no Secure (the browser would never send it back)
    assert.deepEqual(attributes.sort(), [
      'HttpOnly',
      'Max-Age=2592000',
      'Path=/api/v2/auth/refresh',
      'SameSite=Strict',
    ]);
    const refreshWith = (headers: Record<string, string>) =>
      fetch(`${one.baseUrl}${REFRESH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: pair, ...headers },
        body: '{}',
      });
    // without the header (what a form of another site could send) the cookie is not read
    assert.equal((await refreshWith({})).status, 400);
    const renewed = await refreshWith({ 'x-refresh-cookie': '1' });
    assert.equal(renewed.status, 200);
    assert.equal(((await renewed.json()) as Record<string, unknown>).refreshToken, undefined);
    assert.ok(renewed.headers.getSetCookie().some((value) => value.startsWith('users_refresh=') && value !== line));
  });

  it('the refresh cookie is Secure when the service is not reached over http on loopback', async () => {
    const https = await startTestService({ PUBLIC_URL: 'https://users.example.com' }, { url: one.databaseUrl });
    try {
      const user = await newUser();
      const signIn = await fetch(`${https.baseUrl}/api/v2/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-refresh-cookie': '1' },
        body: JSON.stringify({ email: user.body.email.email, password: user.body.email.password }),
      });
      const line = signIn.headers.getSetCookie().find((value) => value.startsWith('users_refresh='));
      assert.match(line ?? '', /; Secure$/);
    } finally {
      await https.close();
    }
  });

  it('the same over tRPC: refresh, list, end', async () => {
    const user = await newUser();
    const client = createUsersClient({ url: `${one.baseUrl}/trpc` });
    const signedIn = await client.auth.login.mutate({
      email: user.body.email.email,
      password: 'correct horse battery',
    });
    assert.ok('refreshToken' in signedIn && signedIn.refreshToken);
    const renewed = await client.sessions.refresh.mutate({ refreshToken: signedIn.refreshToken });
    assert.ok(renewed.refreshToken);
    const mine = createUsersClient({ url: `${two.baseUrl}/trpc`, token: renewed.token });
    const { items } = await mine.sessions.list.query();
    assert.equal(items.length, 1);
    assert.equal(items[0]?.current, true);
    await assert.rejects(mine.sessions.end.mutate({ id: '00000000-0000-4000-8000-000000000000' }), /not found/i);
    assert.deepEqual(await mine.sessions.endOthers.mutate(), { ended: 0 });
    await mine.sessions.end.mutate({ id: items[0]?.id ?? '' });
    await assert.rejects(mine.sessions.list.query(), /session of this token has ended/);
  });
});
