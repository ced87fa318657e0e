// When a user last signed in, how, and how many times, over REST on a real socket and over tRPC,
// with a real SMTP receiver for the codes: each sign-in by any method counts (a password, a code by
// email), and nothing else does (a refused sign-in, a session's renewal, an admin acting as the
// user); the account's status shows it to admins and to the user; the list finds users by it
// (`signedInSince` and its complement `notSignedInSince`, which takes in those who never signed in),
// its next page's link keeps the filter, bad values are refused by name; a user deleted takes its
// record along, so a later user under the same id starts at none.
import assert from 'node:assert/strict';
import { createUsersClient } from '../../client';
import { newUserBody, uniqueSuffix } from '../support/fixtures';
import { restClient } from '../support/rest';
import { startTestService, type TestService } from '../support/service';
import { codeOf, startSmtpCapture, type SmtpCapture } from '../support/smtp';

const DAY_MS = 86_400_000;

describe('the last sign-in of each user', function () {
  this.slow(5_000);
  let smtp: SmtpCapture;
  let service: TestService;
  let admin: ReturnType<typeof restClient>;
  const api = () => restClient(service.baseUrl);

  before(async () => {
    smtp = await startSmtpCapture();
    service = await startTestService({ SMTP_URL: smtp.url, MAIL_FROM: 'Users <no-reply@users.test>' });
    admin = restClient(service.baseUrl, service.adminToken);
  });
  after(async () => {
    await service?.close();
    await smtp?.close();
  });
  afterEach(() => service.clock.set(Date.now()));

  async function newUser(overrides: Parameters<typeof newUserBody>[0] = {}) {
    const body = newUserBody(overrides);
    const created = await admin.post('/api/v2/users', body);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    return { id: String(created.body.id), email: body.email.email, password: String(body.email.password) };
  }

  async function signIn(email: string, password: string) {
    const signedIn = await api().post('/api/v2/auth/token', { email, password });
    assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
    return { token: String(signedIn.body.token), refreshToken: String(signedIn.body.refreshToken) };
  }

  /** The code of the first sign-in code mail after the first `after` mails (notices come too). */
  async function signInCode(email: string, after: number): Promise<string> {
    for (let seen = after; ; seen++) {
      const mail = await smtp.waitFor(email, { after: seen });
      if (/sign-in code/.test(mail.subject)) return codeOf(mail);
    }
  }

  const statusOf = async (id: string, token = service.adminToken) => {
    const read = await restClient(service.baseUrl, token).get(`/api/v2/users/${id}/status`);
    assert.equal(read.status, 200, JSON.stringify(read.body));
    return read.body as Record<string, unknown>;
  };

  it('counts each sign-in by any method, and no refused sign-in, renewal or impersonation', async () => {
    const user = await newUser();
    assert.deepEqual(await statusOf(user.id), { state: 'enabled', signInCount: 0 }, 'never signed in');
    const wrong = await api().post('/api/v2/auth/token', { email: user.email, password: 'not the password' });
    assert.equal(wrong.status, 401);
    assert.deepEqual(await statusOf(user.id), { state: 'enabled', signInCount: 0 }, 'a refused sign-in is none');

    // a day ago, by password: its time is the time its session began
    service.clock.set(Date.now() - DAY_MS);
    const first = await signIn(user.email, user.password);
    service.clock.set(Date.now());
    const sessions = await restClient(service.baseUrl, first.token).get('/api/v2/auth/sessions');
    const began = String((sessions.body.items as Array<{ createdAt: string }>)[0]!.createdAt);
    assert.ok(Date.now() - Date.parse(began) > DAY_MS - 60_000, 'a day ago, by the service clock');
    const once = { state: 'enabled', lastSignInAt: began, lastSignInMethod: 'password', signInCount: 1 };
    assert.deepEqual(await statusOf(user.id), once);
    assert.deepEqual(await statusOf(user.id, first.token), once, 'the user reads its own');

    // renewing the session, and an admin acting as the user, are not the user signing in
    const renewed = await api().post('/api/v2/auth/refresh', { refreshToken: first.refreshToken });
    assert.equal(renewed.status, 200, JSON.stringify(renewed.body));
    const acting = await admin.post(`/api/v2/users/${user.id}/impersonate`, { reason: 'ticket 17' });
    assert.equal(acting.status, 200, JSON.stringify(acting.body));
    assert.deepEqual(await statusOf(user.id), once);

    // an admin moves the user to codes by email; its next sign-in is by a mailed code
    const moved = await admin.patch(`/api/v2/users/${user.id}`, { email: { authMethod: 1 } });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    const mailsBefore = smtp.to(user.email).length;
    assert.equal((await api().post('/api/v2/auth/otp', { email: user.email })).status, 202);
    const code = await signInCode(user.email, mailsBefore);
    const before = Date.now();
    const byCode = await api().post('/api/v2/auth/otp/verify', { email: user.email, code });
    assert.equal(byCode.status, 200, JSON.stringify(byCode.body));
    const twice = await statusOf(user.id);
    assert.deepEqual(
      { ...twice, lastSignInAt: undefined },
      {
        state: 'enabled',
        lastSignInAt: undefined,
        lastSignInMethod: 'email_code',
        signInCount: 2,
      },
    );
    const at = Date.parse(String(twice.lastSignInAt));
    assert.ok(at >= before - 1 && at <= Date.now(), `${String(twice.lastSignInAt)} is the sign-in's time`);

    // over tRPC, alike
    assert.deepEqual(await service.caller().users.status({ id: user.id }), twice);
  });

  it('finds users who signed in since a time, and those who did not (the dormant, the never signed in)', async () => {
    const tag = `act${uniqueSuffix()}`;
    const active = await newUser({ name: `${tag}_active` });
    const dormant = await newUser({ name: `${tag}_dormant` });
    const never = await newUser({ name: `${tag}_never` });
    service.clock.set(Date.now() - 40 * DAY_MS);
    await signIn(dormant.email, dormant.password);
    service.clock.set(Date.now());
    await signIn(active.email, active.password);

    const thirtyDaysAgo = Math.floor((Date.now() - 30 * DAY_MS) / 1000);
    const names = async (query: string) => {
      const page = await admin.get(`/api/v2/users?q=${tag}&sort=name&${query}`);
      assert.equal(page.status, 200, JSON.stringify(page.body));
      const items = (page.body.items as Array<{ name: string }>).map((item) => item.name.slice(tag.length + 1));
      return { items, total: page.body.total as number, link: page.headers.get('link') };
    };
    const since = await names(`signedInSince=${thirtyDaysAgo}`);
    assert.deepEqual([since.items, since.total], [['active'], 1]);
    const not = await names(`notSignedInSince=${thirtyDaysAgo}`);
    assert.deepEqual([not.items, not.total], [['dormant', 'never'], 2], 'the complement: the dormant and the never');
    const longAgo = await names(`signedInSince=${thirtyDaysAgo - 20 * 86_400}`);
    assert.deepEqual(longAgo.items, ['active', 'dormant'], 'fifty days back, both that signed in');
    assert.deepEqual((await names(`signedInSince=${thirtyDaysAgo}&notSignedInSince=${thirtyDaysAgo}`)).items, []);

    // page by page: the next page's link keeps the filter
    const first = await names(`notSignedInSince=${thirtyDaysAgo}&limit=1`);
    assert.deepEqual(first.items, ['dormant']);
    const next = /<([^>]+)>; rel="next"/.exec(String(first.link))?.[1];
    assert.ok(next !== undefined && next.includes(`notSignedInSince=${thirtyDaysAgo}`), String(first.link));
    const second = await admin.get(next);
    assert.deepEqual(
      (second.body.items as Array<{ id: string }>).map((item) => item.id),
      [never.id],
    );

    // typed, over tRPC
    const client = createUsersClient({ url: `${service.baseUrl}/trpc`, token: service.adminToken });
    const found = await client.users.search.query({ q: tag, signedInSince: thirtyDaysAgo });
    assert.deepEqual(
      found.items.map((item) => item.id),
      [active.id],
    );
  });

  it('refuses a bad time by name, as every list filter', async () => {
    for (const [query, msg] of [
      ['signedInSince=yesterday', 'signedInSince: must be an integer (unix seconds) from -2147483648 to 2147483647'],
      ['notSignedInSince=1.5', 'notSignedInSince: must be an integer (unix seconds) from -2147483648 to 2147483647'],
    ] as const) {
      const refused = await admin.get(`/api/v2/users?${query}`);
      assert.deepEqual([refused.status, refused.body], [400, { code: 100001, msg }], query);
    }
  });

  it('goes with its user: a later user under the same id has signed in never', async () => {
    const id = `reused-${uniqueSuffix()}`;
    const first = await newUser({ id });
    await signIn(first.email, first.password);
    assert.equal((await statusOf(id)).signInCount, 1);
    assert.equal((await admin.delete(`/api/v2/users/${id}`)).status, 204);
    const [left] = await service.sql<{ n: number }>('select count(*)::int as n from user_sign_ins where user_id = ?', [
      id,
    ]);
    assert.equal(left?.n, 0, 'no record of a deleted user is kept');
    await newUser({ id });
    assert.deepEqual(await statusOf(id), { state: 'enabled', signInCount: 0 });
  });
});
