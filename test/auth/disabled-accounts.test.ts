// Disabled accounts (issue 22), against real PostgreSQL, a real SMTP server and a real OpenID
// provider: a disabled user is refused by every method (password, password + TOTP, email code,
// OAuth2), with exactly the answer anyone gets until its credential is proven right, and "this
// account is disabled" only after; its tokens end at once; `until` re-enables it by the clock; an
// admin cannot disable itself nor the last enabled admin; the state is read at /status, on both
// surfaces, and the published user shape does not change.
import assert from 'node:assert/strict';
import { TOTP, URI } from 'otpauth';
import { TRPCClientError } from '../../client';
import { TestBrowser, type Hop } from '../support/browser';
import { newUserBody, uniqueSuffix } from '../support/fixtures';
import type { OpenIdProvider } from '../support/test-openid-provider';
import { startWithOpenIdProvider } from '../support/provider-service';
import { restClient } from '../support/rest';
import { historyOf } from '../support/events';
import { ADMIN, type TestService } from '../support/service';
import { codeOf, startSmtpCapture, type SmtpCapture } from '../support/smtp';

const LOGIN = '/api/v2/auth/token';
const DISABLED = { code: 100001, msg: 'this account is disabled' };
const LOGIN_FAILED = { code: 100001, msg: 'invalid email or password' };
const CODE_FAILED = { code: 100001, msg: 'invalid or expired code' };
const CALLBACK = '/api/v2/auth/oauth2/callback';

describe('disabled accounts', function () {
  this.timeout(90_000);
  let smtp: SmtpCapture;
  let op: OpenIdProvider;
  let service: TestService;
  let api: ReturnType<typeof restClient>;
  let admin: ReturnType<typeof restClient>;

  before(async () => {
    smtp = await startSmtpCapture();
    ({ op, service } = await startWithOpenIdProvider({
      SMTP_URL: smtp.url,
    }));
    api = restClient(service.baseUrl);
    admin = restClient(service.baseUrl, service.adminToken);
  });
  afterEach(() => {
    service.clock.offsetMs = 0;
  });
  after(async () => {
    await service?.close();
    await op?.close();
    await smtp?.close();
  });

  async function newUser(authMethod: 0 | 1 | 2 | 3 = 0) {
    const body = newUserBody();
    if (authMethod === 1 || authMethod === 3) body.email = { email: body.email.email, authMethod };
    else body.email.authMethod = authMethod;
    const created = await admin.post('/api/v2/users', body);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    return { id: String(created.body.id), email: body.email.email, password: 'correct horse battery' };
  }

  const disable = (id: string, body: Record<string, unknown> = { reason: 'left the company' }) =>
    admin.post(`/api/v2/users/${id}/disable`, body);
  const login = (email: string, password: string) => api.post(LOGIN, { email, password });

  /** An admin that is a user (promoted as `npm run admin` would), and its token from a password sign-in. */
  async function adminUser() {
    const user = await newUser();
    await service.sql(`update users set role = 'admin' where id = ?`, [user.id]);
    const signedIn = await login(user.email, user.password);
    assert.equal(signedIn.status, 200);
    return { ...user, api: restClient(service.baseUrl, String(signedIn.body.token)) };
  }

  it('refuses a password sign-in: the same answer as anyone before the password is proven, then "disabled"', async () => {
    const enabled = await newUser();
    const user = await newUser();
    const token = String((await login(user.email, user.password)).body.token);
    assert.equal((await disable(user.id)).status, 200);

    const wrongEnabled = await login(enabled.email, 'wrong password!');
    const wrongDisabled = await login(user.email, 'wrong password!');
    const unknown = await login(`nobody.${uniqueSuffix()}@example.com`, 'wrong password!');
    assert.deepEqual([wrongDisabled.status, wrongDisabled.body], [401, LOGIN_FAILED]);
    assert.deepEqual([wrongDisabled.status, wrongDisabled.body], [wrongEnabled.status, wrongEnabled.body]);
    assert.deepEqual([wrongDisabled.status, wrongDisabled.body], [unknown.status, unknown.body]);

    const right = await login(user.email, user.password);
    assert.deepEqual([right.status, right.body], [403, DISABLED]);
    // the token it had before is refused at once
    const before = await api.get(`/api/v2/users/${user.id}`, { token });
    assert.equal(before.status, 401);
  });

  it('ends every session of the user when it is disabled (its token is refused)', async () => {
    const user = await newUser();
    const token = String((await login(user.email, user.password)).body.token);
    assert.equal((await api.get(`/api/v2/users/${user.id}`, { token })).status, 200);
    await disable(user.id);
    const refused = await api.get(`/api/v2/users/${user.id}`, { token });
    assert.deepEqual([refused.status, refused.body], [401, { code: 100001, msg: 'token is no longer valid' }]);
  });

  it('refuses password + TOTP at the password step, and at the code step once the code is proven', async () => {
    const user = await newUser(2);
    const first = await login(user.email, user.password);
    const totp = URI.parse(String(first.body.otpauthUrl)) as TOTP;
    const enrolled = await api.post('/api/v2/auth/totp', {
      challengeToken: first.body.challengeToken,
      code: totp.generate({ timestamp: service.clock.now() }),
    });
    assert.equal(enrolled.status, 200, JSON.stringify(enrolled.body));

    // a challenge issued before the account is disabled, as a disable racing the sign-in would leave
    // it (written directly: the procedure would also move the epoch, which ends the challenge)
    const challenge = await login(user.email, user.password);
    assert.equal(challenge.body.challenge, 'totp');
    await service.sql(`update users set disabled_at = now(), disabled_reason = 'x' where id = ?`, [user.id]);
    service.clock.advance(30_000); // the next step: the enrollment used this one
    const wrong = await api.post('/api/v2/auth/totp', {
      challengeToken: challenge.body.challengeToken,
      code: '000000',
    });
    assert.deepEqual([wrong.status, wrong.body], [401, { code: 100001, msg: 'invalid code' }]);
    const right = await api.post('/api/v2/auth/totp', {
      challengeToken: challenge.body.challengeToken,
      code: totp.generate({ timestamp: service.clock.now() }),
    });
    assert.deepEqual([right.status, right.body], [403, DISABLED]);

    assert.deepEqual((await login(user.email, 'wrong password!')).body, LOGIN_FAILED);
    const password = await login(user.email, user.password);
    assert.deepEqual([password.status, password.body], [403, DISABLED], 'no challenge for a disabled account');
  });

  it('refuses an email code: the request answers the same, a wrong code the same, the right one "disabled"', async () => {
    const enabled = await newUser(1);
    const user = await newUser(1);
    await disable(user.id);
    const request = async (email: string) => api.post('/api/v2/auth/otp', { email });
    const [forEnabled, forDisabled] = [await request(enabled.email), await request(user.email)];
    assert.deepEqual([forDisabled.status, forDisabled.body], [forEnabled.status, forEnabled.body]);
    const code = codeOf(await smtp.waitFor(user.email));
    const wrongCode = code === '000000' ? '111111' : '000000';
    const wrongEnabled = await api.post('/api/v2/auth/otp/verify', { email: enabled.email, code: wrongCode });
    const wrongDisabled = await api.post('/api/v2/auth/otp/verify', { email: user.email, code: wrongCode });
    assert.deepEqual([wrongDisabled.status, wrongDisabled.body], [401, CODE_FAILED]);
    assert.deepEqual([wrongDisabled.status, wrongDisabled.body], [wrongEnabled.status, wrongEnabled.body]);
    const right = await api.post('/api/v2/auth/otp/verify', { email: user.email, code });
    assert.deepEqual([right.status, right.body], [403, DISABLED]);
  });

  it('refuses an OAuth2 sign-in once the provider answered and the browser is proven', async () => {
    const user = await newUser(3);
    const login = `acct-${uniqueSuffix()}`;
    op.accounts.set(login, { email: user.email, email_verified: true });
    await disable(user.id);
    const browser = new TestBrowser();
    const start = await browser.request(
      `${service.baseUrl}/api/v2/auth/oauth2/authorize?returnTo=${encodeURIComponent('/')}`,
    );
    const backHere = (hop: Hop) => Boolean(hop.location?.startsWith(`${service.baseUrl}${CALLBACK}`));
    const loginPage = await browser.follow(String(start.location), backHere);
    const afterLogin = await browser.submit(loginPage, { login, password: 'any' }, backHere);
    const callback = backHere(afterLogin) ? afterLogin : await browser.submit(afterLogin, {}, backHere);
    const back = await browser.request(String(callback.location));
    const code = new URL(String(back.location), 'http://x').searchParams.get('code');
    assert.ok(code, `a one-time code: ${back.location}`);

    const bogus = await browser.request(`${service.baseUrl}/api/v2/auth/oauth2/token`, {
      json: { code: 'x'.repeat(43) },
    });
    assert.deepEqual(
      [bogus.status, JSON.parse(bogus.body)],
      [401, CODE_FAILED],
      'before the code is proven: as anyone',
    );
    const exchange = await browser.request(`${service.baseUrl}/api/v2/auth/oauth2/token`, { json: { code } });
    assert.deepEqual([exchange.status, JSON.parse(exchange.body)], [403, DISABLED]);
  });

  it('answers the state at /status, to admins and to the user itself, and enables again', async () => {
    const user = await newUser();
    const other = await newUser();
    const before = service.clock.now();
    const token = String((await login(user.email, user.password)).body.token);
    const self = restClient(service.baseUrl, token);
    const read = (await self.get(`/api/v2/users/${user.id}/status`)).body;
    // the status says when the account last signed in (test/auth/sign-in-activity.test.ts)
    const signedIn = { lastSignInAt: String(read.lastSignInAt), lastSignInMethod: 'password', signInCount: 1 };
    assert.ok(Date.parse(signedIn.lastSignInAt) >= before && Date.parse(signedIn.lastSignInAt) <= service.clock.now());
    assert.deepEqual(read, { state: 'enabled', ...signedIn });
    assert.equal((await self.get(`/api/v2/users/${other.id}/status`)).status, 404, 'another user looks absent');
    assert.equal((await self.post(`/api/v2/users/${other.id}/disable`, { reason: 'x' })).status, 403);

    const until = new Date(service.clock.now() + 3_600_000).toISOString();
    const disabled = await disable(user.id, { reason: '  on leave  ', until });
    assert.deepEqual(disabled.body, { state: 'disabled', reason: 'on leave', until, ...signedIn });
    assert.deepEqual((await admin.get(`/api/v2/users/${user.id}/status`)).body, disabled.body);
    // the published user shape is unchanged
    const published = await admin.get(`/api/v2/users/${user.id}`);
    assert.deepEqual(Object.keys(published.body).sort(), [
      'age',
      'createdAt',
      'email',
      'gender',
      'id',
      'name',
      'updatedAt',
    ]);

    assert.deepEqual((await admin.post(`/api/v2/users/${user.id}/enable`, {})).body, {
      state: 'enabled',
      ...signedIn,
    });
    assert.equal((await login(user.email, user.password)).status, 200);
    // both are in the user's history, by the admin; enabling an enabled account records nothing
    const again = (await admin.post(`/api/v2/users/${user.id}/enable`, {})).body;
    assert.deepEqual([again.state, again.signInCount], ['enabled', 2]);
    assert.deepEqual(await historyOf(service, user.id, ['user.disabled', 'user.enabled']), [
      { type: 'user.disabled', actor: ADMIN.id, data: { reason: 'on leave', until } },
      { type: 'user.enabled', actor: ADMIN.id, data: {} },
    ]);
  });

  it('works alike over tRPC', async () => {
    const user = await newUser();
    const caller = service.caller();
    const status = await caller.users.disable({ id: user.id, reason: 'suspicious activity' });
    assert.deepEqual(status, { state: 'disabled', reason: 'suspicious activity', signInCount: 0 });
    assert.deepEqual(await caller.users.status({ id: user.id }), status);
    assert.deepEqual(await caller.users.enable({ id: user.id }), { state: 'enabled', signInCount: 0 });
    await assert.rejects(caller.users.disable({ id: user.id, reason: '' }), (error: unknown) => {
      assert.ok(error instanceof Error && !(error instanceof TRPCClientError));
      assert.match(error.message, /reason/);
      return true;
    });
  });

  it('re-enables by itself when `until` passes (the clock at sign-in)', async () => {
    const user = await newUser();
    const until = new Date(service.clock.now() + 3_600_000).toISOString();
    await disable(user.id, { reason: 'a week off', until });
    assert.deepEqual((await login(user.email, user.password)).body, DISABLED);
    service.clock.advance(3_600_000 - 5_000);
    assert.equal((await login(user.email, user.password)).status, 403, 'still disabled just before');
    service.clock.advance(10_000);
    const after = await login(user.email, user.password);
    assert.equal(after.status, 200, JSON.stringify(after.body));
    // the refused sign-ins were none: the one that passed is the account's first
    const { state, signInCount } = (await admin.get(`/api/v2/users/${user.id}/status`)).body;
    assert.deepEqual([state, signInCount], ['enabled', 1]);
  });

  it('refuses bad input with a 400 that says what was wrong, and changes nothing', async () => {
    const user = await newUser();
    const past = await disable(user.id, { reason: 'x', until: new Date(service.clock.now() - 1000).toISOString() });
    assert.deepEqual([past.status, past.body], [400, { code: 100001, msg: 'until: must be in the future' }]);
    const noReason = await disable(user.id, {});
    assert.equal(noReason.status, 400);
    assert.match(String(noReason.body.msg), /reason/);
    const badDate = await disable(user.id, { reason: 'x', until: 'tomorrow' });
    assert.equal(badDate.status, 400);
    assert.match(String(badDate.body.msg), /until/);
    assert.equal((await disable(`nobody-${uniqueSuffix()}`)).status, 404);
    assert.deepEqual((await admin.get(`/api/v2/users/${user.id}/status`)).body, { state: 'enabled', signInCount: 0 });
  });

  it('does not let an admin disable itself, nor the last enabled admin', async () => {
    // only the admins of this test
    await service.sql(`update users set role = 'user' where role = 'admin'`);
    const a = await adminUser();
    const b = await adminUser();
    const self = await a.api.post(`/api/v2/users/${a.id}/disable`, { reason: 'x' });
    assert.deepEqual([self.status, self.body], [400, { code: 100001, msg: 'id: an admin cannot disable itself' }]);

    assert.equal((await a.api.post(`/api/v2/users/${b.id}/disable`, { reason: 'x' })).status, 200);
    // the operator token is no user: a is the last enabled admin
    const last = await disable(a.id);
    assert.equal(last.status, 409);
    assert.match(String(last.body.msg), /last enabled admin/);
    assert.equal((await admin.get(`/api/v2/users/${a.id}/status`)).body.state, 'enabled');

    // an admin whose `until` has passed counts as enabled again
    await service.sql(`update users set disabled_until = now() - interval '1 minute' where id = ?`, [b.id]);
    assert.equal((await disable(a.id)).status, 200);
  });

  it('of two admins disabling each other at once, one wins: an enabled admin is always left', async () => {
    await service.sql(`update users set role = 'user' where role = 'admin'`);
    const a = await adminUser();
    const b = await adminUser();
    const answers = await Promise.all([
      a.api.post(`/api/v2/users/${b.id}/disable`, { reason: 'x' }),
      b.api.post(`/api/v2/users/${a.id}/disable`, { reason: 'x' }),
    ]);
    const statuses = answers.map((answer) => answer.status).sort();
    // the loser's token is refused (the winner ended its sessions), or it finds the last admin
    assert.equal(statuses.filter((status) => status === 200).length, 1, JSON.stringify(answers.map((x) => x.body)));
    const [enabled] = await service.sql<{ n: number }>(
      `select count(*)::int as n from users where role = 'admin' and disabled_at is null`,
    );
    assert.equal(enabled?.n, 1);
  });
});
