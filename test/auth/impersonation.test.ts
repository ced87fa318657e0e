// Impersonation: an admin acts as one of its users, over REST on a real socket and over tRPC. The
// token names the admin in `act` (RFC 8693 §4.1) and may do what the user may and no more; every
// event under it names the admin as the actor and the user it acted as; the user sees the session
// and the event, and can end it; the user's credentials and its deletion stay the user's own; it
// ends with the admin's session and with the user's credentials; refusals change nothing.
import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import { createUsersClient, TRPCClientError } from '../../client';
import { historyOf } from '../support/events';
import { newUserBody, uniqueSuffix } from '../support/fixtures';
import { restClient } from '../support/rest';
import { startTestService, type TestService } from '../support/service';
import { makeAdmin } from '../../server/cli/admin-account';

const USERS = '/api/v2/users';
const impersonatePath = (id: string) => `${USERS}/${id}/impersonate`;

describe('impersonation: an admin acting as a user', function () {
  this.timeout(60_000);
  let service: TestService;
  let operator: ReturnType<typeof restClient>;

  before(async () => {
    service = await startTestService();
    operator = restClient(service.baseUrl, service.adminToken);
  });
  after(async () => {
    await service?.close();
  });

  async function signIn(email: string, password: string): Promise<string> {
    const response = await restClient(service.baseUrl).post('/api/v2/auth/token', { email, password });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return String(response.body.token);
  }

  async function newUser() {
    const body = newUserBody();
    const created = await operator.post(USERS, body);
    assert.equal(created.status, 200);
    const email = body.email.email;
    const password = String(body.email.password);
    return { id: String(created.body.id), body, email, password, signIn: () => signIn(email, password) };
  }

  /** An admin account that signs in with a password: its tokens belong to a session. */
  async function newAdmin() {
    const email = `admin.${uniqueSuffix()}@example.com`;
    const password = 'a long admin passphrase';
    const made = await makeAdmin(
      service.orm.em.fork(),
      service.passwords,
      { email, password, name: `admin_${uniqueSuffix()}`, age: 40, gender: 0 },
      new Set(),
    );
    const token = await signIn(email, password);
    return { id: made.id, token, rest: restClient(service.baseUrl, token) };
  }

  const sessionRows = (userId: string) =>
    service.sql<{ method: string; impersonator: string | null }>(
      `select method, impersonator from sessions where user_id = ?`,
      [userId],
    );

  it('answers a token of the user that names the admin as its actor, for the time asked, with no refresh token', async () => {
    const admin = await newAdmin();
    const user = await newUser();
    const started = await admin.rest.post(impersonatePath(user.id), { reason: 'ticket 4711', expiresIn: 600 });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    assert.deepEqual(Object.keys(started.body as object).sort(), [
      'expiresIn',
      'sessionId',
      'token',
      'tokenType',
      'userId',
    ]);
    assert.equal(started.body.tokenType, 'Bearer');
    assert.equal(started.body.expiresIn, 600);
    assert.equal(started.body.userId, user.id);
    const claims = jwt.decode(String(started.body.token)) as Record<string, unknown>;
    assert.equal(claims.sub, user.id);
    assert.equal(claims.role, 'user');
    assert.deepEqual(claims.act, { sub: admin.id });
    assert.equal(claims.sid, started.body.sessionId);
    assert.equal(claims.auth_time, undefined, 'the user signed nothing in');
    assert.equal(Number(claims.exp) - Number(claims.iat), 600);

    const asUser = restClient(service.baseUrl, String(started.body.token));
    const session = await asUser.get('/api/v2/auth/session');
    assert.equal(session.status, 200);
    assert.deepEqual(
      { userId: session.body.userId, role: session.body.role, impersonator: session.body.impersonator },
      { userId: user.id, role: 'user', impersonator: admin.id },
    );
    // what the user may: its own record; what it may not: anyone else's, and the admin's routes
    assert.equal((await asUser.get(`${USERS}/${user.id}`)).status, 200);
    assert.equal((await asUser.get(`${USERS}/${admin.id}`)).status, 404);
    assert.equal((await asUser.get(`${USERS}?offset=0&limit=10`)).status, 403);
    assert.equal((await asUser.post(impersonatePath((await newUser()).id), { reason: 'chain' })).status, 403);
    // a user's own token says nothing of an actor
    const own = await restClient(service.baseUrl, await user.signIn()).get('/api/v2/auth/session');
    assert.equal(own.body.impersonator, undefined);
  });

  it('every event under it names the admin as the actor and the user it acted as; the user sees the start', async () => {
    const admin = await newAdmin();
    const user = await newUser();
    const started = await admin.rest.post(impersonatePath(user.id), { reason: 'the user asked for help' });
    assert.equal(started.status, 200);
    assert.equal(started.body.expiresIn, 900, 'fifteen minutes unless asked');
    const token = String(started.body.token);
    const asUser = restClient(service.baseUrl, token);
    const renamed = await asUser.patch(`${USERS}/${user.id}`, { name: `renamed_${uniqueSuffix()}` });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    assert.equal((await asUser.post('/api/v2/auth/logout', {})).status, 204);

    const events = await historyOf(service, user.id, ['auth.impersonated', 'user.updated', 'auth.signed_out']);
    const byType = new Map(events.map((event) => [event.type, event]));
    const begun = byType.get('auth.impersonated');
    assert.ok(begun, 'auth.impersonated recorded');
    assert.equal(begun.actor, admin.id);
    assert.equal(begun.data.reason, 'the user asked for help');
    assert.equal(begun.data.sessionId, started.body.sessionId);
    assert.equal(begun.data.impersonating, undefined, 'the admin began it as itself');
    for (const type of ['user.updated', 'auth.signed_out']) {
      const event = byType.get(type);
      assert.ok(event, `${type} recorded`);
      assert.equal(event.actor, admin.id, `${type}: the admin did it`);
      assert.equal(event.data.impersonating, user.id, `${type}: as the user`);
    }
    // the user, signed in itself, sees in its own history that an admin acted as it, and why
    const own = await restClient(service.baseUrl, await user.signIn()).get(`${USERS}/${user.id}/events`);
    assert.equal(own.status, 200);
    const seen = (own.body.items as Array<{ type: string; actor: string; data: Record<string, unknown> }>).find(
      (event) => event.type === 'auth.impersonated',
    );
    assert.deepEqual(seen && { actor: seen.actor, reason: seen.data.reason }, {
      actor: admin.id,
      reason: 'the user asked for help',
    });
    // and, whatever their kind, what the admin did as the user: the rename too
    const asIt = (own.body.items as Array<{ type: string; data: Record<string, unknown> }>).filter(
      (event) => event.data.impersonating === user.id,
    );
    assert.deepEqual(asIt.map((event) => event.type).sort(), ['auth.signed_out', 'user.updated']);
    // the token is in no event
    const dump = JSON.stringify(await service.sql(`select * from events where user_id = ?`, [user.id]));
    assert.ok(!dump.includes(token), 'no token in the events');
  });

  it("is listed among the user's sessions with the admin's id, and the user can end it", async () => {
    const admin = await newAdmin();
    const user = await newUser();
    const started = await admin.rest.post(impersonatePath(user.id), { reason: 'checking the settings page' });
    const asUser = restClient(service.baseUrl, String(started.body.token));
    const userRest = restClient(service.baseUrl, await user.signIn());
    const listed = await userRest.get('/api/v2/auth/sessions');
    assert.equal(listed.status, 200);
    const items = listed.body.items as Array<{ id: string; method: string; impersonator?: string }>;
    const impersonation = items.find((item) => item.method === 'impersonation');
    assert.deepEqual(impersonation && { id: impersonation.id, impersonator: impersonation.impersonator }, {
      id: started.body.sessionId,
      impersonator: admin.id,
    });
    assert.ok(
      items.filter((item) => item.method !== 'impersonation').every((item) => item.impersonator === undefined),
      'the user’s own sessions name no impersonator',
    );
    // an admin sees it in the user's sessions too
    const ofUser = await admin.rest.get(`${USERS}/${user.id}/sessions`);
    assert.ok((ofUser.body.items as Array<{ id: string }>).some((item) => item.id === started.body.sessionId));

    assert.equal((await asUser.get(`${USERS}/${user.id}`)).status, 200);
    assert.equal((await userRest.delete(`/api/v2/auth/sessions/${String(started.body.sessionId)}`)).status, 204);
    const refused = await asUser.get(`${USERS}/${user.id}`);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.msg, 'the session of this token has ended');
  });

  it("refuses the user's credential changes and its deletion under it (403), and changes nothing", async () => {
    const admin = await newAdmin();
    const user = await newUser();
    const started = await admin.rest.post(impersonatePath(user.id), { reason: 'support' });
    const asUser = restClient(service.baseUrl, String(started.body.token));
    const before = await service.sql(
      `select u.token_epoch, e.address, e.auth_method, e.password_hash from users u join emails e on e.id = u.email_id where u.id = ?`,
      [user.id],
    );
    const password = await asUser.put(`${USERS}/${user.id}`, {
      ...user.body,
      email: { ...user.body.email, password: 'a new password chosen by someone else' },
    });
    assert.equal(password.status, 403);
    assert.equal(
      password.body.msg,
      "changing the user's password is for the user alone: not while acting as the user (impersonation)",
    );
    const address = await asUser.patch(`${USERS}/${user.id}`, {
      email: { email: `elsewhere.${uniqueSuffix()}@example.com` },
    });
    assert.equal(address.status, 403);
    assert.match(String(address.body.msg), /^changing the user's email address is for the user alone/);
    const deleted = await asUser.delete(`${USERS}/${user.id}`);
    assert.equal(deleted.status, 403);
    assert.equal(
      deleted.body.msg,
      "deleting the user's account is for the user alone: not while acting as the user (impersonation)",
    );
    const after = await service.sql(
      `select u.token_epoch, e.address, e.auth_method, e.password_hash from users u join emails e on e.id = u.email_id where u.id = ?`,
      [user.id],
    );
    assert.deepEqual(after, before);
    // and the user's own sign-in still works with its own password
    await user.signIn();
    // what is not a credential, the admin may change as the user: its own metadata part
    const metadata = await asUser.patch(`${USERS}/${user.id}/metadata`, { user: { theme: 'dark' } });
    assert.equal(metadata.status, 200);
  });

  it("ends with the admin's session: the admin's logout refuses its impersonations' tokens", async () => {
    const admin = await newAdmin();
    const user = await newUser();
    const started = await admin.rest.post(impersonatePath(user.id), { reason: 'support' });
    const asUser = restClient(service.baseUrl, String(started.body.token));
    assert.equal((await asUser.get(`${USERS}/${user.id}`)).status, 200);
    assert.equal((await admin.rest.post('/api/v2/auth/logout', {})).status, 204);
    const refused = await asUser.get(`${USERS}/${user.id}`);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.msg, 'the session of this token has ended');
    assert.deepEqual(
      (await sessionRows(user.id)).filter((row) => row.method === 'impersonation'),
      [],
      'the session went with the admin’s',
    );
  });

  it("its end leaves the browser's refresh cookie alone: that is the admin's session, which goes on", async () => {
    const admin = await newAdmin();
    const user = await newUser();
    // the admin in a browser: signed in with the refresh token in the cookie
    const cookieHeaders = { 'x-refresh-cookie': '1' };
    const row = (
      await service.sql<{ address: string }>(
        `select e.address from users u join emails e on e.id = u.email_id where u.id = ?`,
        [admin.id],
      )
    )[0];
    const signedIn = await restClient(service.baseUrl).post(
      '/api/v2/auth/token',
      { email: row?.address, password: 'a long admin passphrase' },
      { headers: cookieHeaders },
    );
    assert.equal(signedIn.status, 200);
    const cookie =
      signedIn.headers
        .getSetCookie()
        .map((line) => line.split(';')[0] ?? '')
        .find((pair) => pair.startsWith('users_refresh=')) ?? '';
    assert.match(cookie, /^users_refresh=.+/);
    const browser = restClient(service.baseUrl, String(signedIn.body.token));
    const started = await browser.post(impersonatePath(user.id), { reason: 'support' }, { headers: cookieHeaders });
    assert.equal(started.status, 200);
    assert.deepEqual(started.headers.getSetCookie(), [], 'an impersonation sets no cookie');
    const ended = await restClient(service.baseUrl, String(started.body.token)).post(
      '/api/v2/auth/logout',
      {},
      { headers: { ...cookieHeaders, cookie } },
    );
    assert.equal(ended.status, 204);
    assert.deepEqual(ended.headers.getSetCookie(), [], "the admin's cookie is not cleared");
    // the admin's session goes on: its cookie renews it
    const renewed = await restClient(service.baseUrl).post(
      '/api/v2/auth/refresh',
      {},
      { headers: { ...cookieHeaders, cookie } },
    );
    assert.equal(renewed.status, 200);
  });

  it("ends with the user's credentials: the user's own password change refuses it", async () => {
    const admin = await newAdmin();
    const user = await newUser();
    const started = await admin.rest.post(impersonatePath(user.id), { reason: 'support' });
    const asUser = restClient(service.baseUrl, String(started.body.token));
    const changed = await restClient(service.baseUrl, await user.signIn()).put(`${USERS}/${user.id}`, {
      ...user.body,
      email: { ...user.body.email, password: 'the user changed its own password' },
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    const refused = await asUser.get(`${USERS}/${user.id}`);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.msg, 'token is no longer valid');
  });

  it('an operator token may impersonate (its subject is the actor); over tRPC too', async () => {
    const user = await newUser();
    const client = createUsersClient({ url: `${service.baseUrl}/trpc`, token: service.adminToken });
    const started = await client.auth.impersonate.mutate({ id: user.id, reason: 'from the ops desk', expiresIn: 60 });
    assert.equal(started.userId, user.id);
    assert.equal(started.expiresIn, 60);
    const asUser = createUsersClient({ url: `${service.baseUrl}/trpc`, token: started.token });
    assert.deepEqual(await asUser.auth.session.query(), {
      userId: user.id,
      role: 'user',
      expiresAt: (jwt.decode(started.token) as { exp: number }).exp,
      impersonator: 'test-admin',
    });
    const [event] = await historyOf(service, user.id, ['auth.impersonated']);
    assert.equal(event?.actor, 'test-admin');
    const sessions = await sessionRows(user.id);
    assert.deepEqual(sessions, [{ method: 'impersonation', impersonator: 'test-admin' }]);
  });

  it('refuses, with a reason and nothing written: a user, an admin as target, itself, a disabled user, an unknown id, bad input', async () => {
    const admin = await newAdmin();
    const otherAdmin = await newAdmin();
    const user = await newUser();
    const disabled = await newUser();
    assert.equal((await operator.post(`${USERS}/${disabled.id}/disable`, { reason: 'left' })).status, 200);
    const written = async () => ({
      sessions: (await service.sql(`select id from sessions where method = 'impersonation' order by id`)).length,
      events: (await service.sql(`select id from events where type = 'auth.impersonated'`)).length,
    });
    const before = await written();

    const asPlainUser = restClient(service.baseUrl, await (await newUser()).signIn());
    const cases: Array<[string, Promise<{ status: number; body: { msg?: string } }>, number, string | RegExp]> = [
      ['a user', asPlainUser.post(impersonatePath(user.id), { reason: 'x' }), 403, 'admin role required'],
      [
        'an admin as target',
        admin.rest.post(impersonatePath(otherAdmin.id), { reason: 'x' }),
        403,
        'an admin cannot be impersonated',
      ],
      [
        'itself',
        admin.rest.post(impersonatePath(admin.id), { reason: 'x' }),
        400,
        'id: an admin cannot impersonate itself',
      ],
      [
        'a disabled user',
        admin.rest.post(impersonatePath(disabled.id), { reason: 'x' }),
        403,
        'this account is disabled',
      ],
      ['an unknown id', admin.rest.post(impersonatePath('no-such-user'), { reason: 'x' }), 404, /not found/],
      ['no reason', admin.rest.post(impersonatePath(user.id), {}), 400, /^reason: /],
      ['a blank reason', admin.rest.post(impersonatePath(user.id), { reason: '   ' }), 400, /^reason: must say why/],
      [
        'too short',
        admin.rest.post(impersonatePath(user.id), { reason: 'x', expiresIn: 30 }),
        400,
        'expiresIn: must be at least 60 seconds',
      ],
      [
        'too long',
        admin.rest.post(impersonatePath(user.id), { reason: 'x', expiresIn: 7200 }),
        400,
        'expiresIn: must be at most 3600 seconds',
      ],
    ];
    for (const [name, call, status, message] of cases) {
      const response = await call;
      assert.equal(response.status, status, `${name}: ${JSON.stringify(response.body)}`);
      if (typeof message === 'string') assert.equal(response.body.msg, message, name);
      else assert.match(String(response.body.msg), message, name);
    }
    assert.deepEqual(await written(), before, 'no impersonation began, none recorded');
  });

  it('refuses a token whose actor is changed: the signature covers `act`', async () => {
    const admin = await newAdmin();
    const user = await newUser();
    const started = await admin.rest.post(impersonatePath(user.id), { reason: 'support' });
    const [header, , signature] = String(started.body.token).split('.');
    const claims = jwt.decode(String(started.body.token)) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, act: { sub: 'someone-else' } })).toString('base64url');
    const refused = await restClient(service.baseUrl, `${header}.${forged}.${signature}`).get(`${USERS}/${user.id}`);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.msg, 'token is invalid: bad signature');
  });

  it('a tRPC caller gets the same refusals, as tRPC errors', async () => {
    const admin = await newAdmin();
    const client = createUsersClient({ url: `${service.baseUrl}/trpc`, token: admin.token });
    await assert.rejects(
      client.auth.impersonate.mutate({ id: admin.id, reason: 'x' }),
      (error: unknown) =>
        error instanceof TRPCClientError &&
        error.data?.code === 'BAD_REQUEST' &&
        error.message === 'id: an admin cannot impersonate itself',
    );
  });
});
