// Forgotten passwords (issue 22, OWASP Forgot Password cheat sheet), through a real SMTP server:
// the same 202 for every address, a mail only to a password user, with a 6-digit code and a link
// to the console's reset form; the code kept only as a keyed hash, single use, dead after 30
// minutes, replaced by a newer one, dead after 5 wrong tries however many arrive at once; a reset
// sets the password, ends every session and signs nobody in (TOTP still asked of authMethod 2);
// a disabled account cannot reset; bad input is a 400 that changes nothing.
import assert from 'node:assert/strict';
import { TOTP, URI } from 'otpauth';
import { newUserBody, uniqueSuffix } from '../support/fixtures';
import { restClient } from '../support/rest';
import { historyOf } from '../support/events';
import { startTestService, type TestService } from '../support/service';
import { startSmtpCapture, type ReceivedMail, type SmtpCapture } from '../support/smtp';

const FORGOT = '/api/v2/auth/password/forgot';
const RESET = '/api/v2/auth/password/reset';
const LOGIN = '/api/v2/auth/token';
const FAILED = { code: 100001, msg: 'invalid or expired code' };
const NEW_PASSWORD = 'a brand new passphrase';

describe('forgotten passwords', function () {
  this.timeout(60_000);
  let smtp: SmtpCapture;
  let service: TestService;
  let api: ReturnType<typeof restClient>;
  let admin: ReturnType<typeof restClient>;

  before(async () => {
    smtp = await startSmtpCapture();
    service = await startTestService({
      SMTP_URL: smtp.url,
      PUBLIC_URL: 'https://users.example.test',
      LOG_LEVEL: 'trace',
    });
    api = restClient(service.baseUrl);
    admin = restClient(service.baseUrl, service.adminToken);
  });
  afterEach(() => {
    service.clock.offsetMs = 0;
  });
  after(async () => {
    await service?.close();
    await smtp?.close();
  });

  async function newUser(authMethod: 0 | 1 | 2 = 0) {
    const body = newUserBody();
    if (authMethod === 1) body.email = { email: body.email.email, authMethod };
    else body.email.authMethod = authMethod;
    const created = await admin.post('/api/v2/users', body);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    return { id: String(created.body.id), email: body.email.email, password: 'correct horse battery' };
  }

  const resetCodeOf = (mail: ReceivedMail): string => {
    const match = /reset code is (\d{6})/.exec(mail.text);
    assert.ok(match?.[1], mail.text);
    return match[1];
  };

  /** Asks for a reset and returns the mailed code. */
  async function mailedCode(email: string): Promise<string> {
    const before = smtp.to(email).length;
    const response = await api.post(FORGOT, { email });
    assert.equal(response.status, 202, JSON.stringify(response.body));
    return resetCodeOf(await smtp.waitFor(email, { after: before }));
  }

  const wrongFor = (code: string) => (code === '000000' ? '111111' : '000000');

  it('answers 202 with the same body for every address, and mails only a password user', async () => {
    const user = await newUser(0);
    const codeUser = await newUser(1);
    const disabled = await newUser(0);
    await admin.post(`/api/v2/users/${disabled.id}/disable`, { reason: 'x' });
    const unknown = `nobody.${uniqueSuffix()}@example.com`;
    const answers = await Promise.all(
      [user.email, codeUser.email, disabled.email, unknown].map((email) => api.post(FORGOT, { email })),
    );
    for (const answer of answers)
      assert.deepEqual([answer.status, answer.body], [answers[0]?.status, answers[0]?.body]);
    assert.equal(answers[0]?.status, 202);
    assert.equal(answers[0]?.body.status, 'accepted');
    await smtp.waitFor(user.email);
    await service.background.idle();
    assert.equal(smtp.to(codeUser.email).length, 0, 'no mail to a user who signs in by code');
    assert.equal(smtp.to(disabled.email).length, 0, 'no mail to a disabled user');
    assert.equal(smtp.to(unknown).length, 0);
  });

  it('mails a code and a link to the reset form; the code is stored only as a keyed hash and never logged', async () => {
    const user = await newUser();
    const code = await mailedCode(user.email);
    const mail = smtp.to(user.email).at(-1);
    assert.match(String(mail?.subject), /Reset your .* password/);
    const link = /https:\/\/users\.example\.test\/reset-password\?\S+/.exec(String(mail?.text))?.[0];
    assert.ok(link, String(mail?.text));
    const url = new URL(link);
    assert.equal(url.searchParams.get('email'), user.email);
    assert.equal(url.searchParams.get('code'), code);
    const rows = await service.sql<{ code_hash: string }>(
      'select code_hash from password_resets r join emails e on e.id = r.email_id where e.address = ?',
      [user.email],
    );
    assert.equal(rows.length, 1);
    assert.ok(!rows[0]?.code_hash.includes(code));
    assert.ok(!JSON.stringify(service.logs).includes(code), 'the code is in a log line');
  });

  it('sets the password, ends every session, signs nobody in, and works once', async () => {
    const user = await newUser();
    const token = String((await api.post(LOGIN, { email: user.email, password: user.password })).body.token);
    assert.equal((await api.get(`/api/v2/users/${user.id}`, { token })).status, 200);
    const code = await mailedCode(user.email);

    const reset = await api.post(RESET, { email: user.email, code, newPassword: NEW_PASSWORD });
    assert.equal(reset.status, 200, JSON.stringify(reset.body));
    assert.equal(reset.body.status, 'reset');
    assert.equal(reset.body.token, undefined, 'no token: the reset signs nobody in');

    assert.equal((await api.get(`/api/v2/users/${user.id}`, { token })).status, 401, 'the old token is refused');
    assert.equal((await api.post(LOGIN, { email: user.email, password: user.password })).status, 401);
    assert.equal((await api.post(LOGIN, { email: user.email, password: NEW_PASSWORD })).status, 200);
    const again = await api.post(RESET, { email: user.email, code, newPassword: 'yet another passphrase' });
    assert.deepEqual([again.status, again.body], [401, FAILED], 'single use');
    // a credential change in the user's history, by the user, and no code or password in any event
    assert.deepEqual(await historyOf(service, user.id, ['auth.credentials_changed']), [
      { type: 'auth.credentials_changed', actor: user.id, data: { credentials: ['password'], by: 'password_reset' } },
    ]);
    const stored = JSON.stringify(await service.sql(`select * from events`));
    assert.ok(!stored.includes(code) && !stored.includes(NEW_PASSWORD), 'no code, no password');
  });

  it('still asks a TOTP user for its code at the next sign-in', async () => {
    const user = await newUser(2);
    const first = await api.post(LOGIN, { email: user.email, password: user.password });
    const totp = URI.parse(String(first.body.otpauthUrl)) as TOTP;
    const enrolled = await api.post('/api/v2/auth/totp', {
      challengeToken: first.body.challengeToken,
      code: totp.generate({ timestamp: service.clock.now() }),
    });
    assert.equal(enrolled.status, 200);
    const code = await mailedCode(user.email);
    assert.equal((await api.post(RESET, { email: user.email, code, newPassword: NEW_PASSWORD })).status, 200);
    const next = await api.post(LOGIN, { email: user.email, password: NEW_PASSWORD });
    assert.equal(next.status, 200);
    assert.equal(next.body.challenge, 'totp', 'the authenticator is kept and still asked');
  });

  it('expires a code after 30 minutes', async () => {
    const user = await newUser();
    const code = await mailedCode(user.email);
    service.clock.advance(29 * 60_000);
    const other = await newUser();
    const otherCode = await mailedCode(other.email);
    service.clock.advance(60_000 + 1000);
    const late = await api.post(RESET, { email: user.email, code, newPassword: NEW_PASSWORD });
    assert.deepEqual([late.status, late.body], [401, FAILED]);
    // 29 minutes into its life, a code still resets
    service.clock.advance(-2000);
    assert.equal(
      (await api.post(RESET, { email: other.email, code: otherCode, newPassword: NEW_PASSWORD })).status,
      200,
    );
  });

  it('replaces the previous code with a new request', async () => {
    const user = await newUser();
    const first = await mailedCode(user.email);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // one code per interval (1 s in tests)
    const second = await mailedCode(user.email);
    if (first !== second) {
      const old = await api.post(RESET, { email: user.email, code: first, newPassword: NEW_PASSWORD });
      assert.deepEqual([old.status, old.body], [401, FAILED]);
    }
    assert.equal((await api.post(RESET, { email: user.email, code: second, newPassword: NEW_PASSWORD })).status, 200);
  });

  it('kills a code after 5 wrong tries, however many arrive at once, even if the right one follows', async () => {
    const user = await newUser();
    const code = await mailedCode(user.email);
    const wrong = wrongFor(code);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => api.post(RESET, { email: user.email, code: wrong, newPassword: NEW_PASSWORD })),
    );
    for (const answer of answers) assert.deepEqual([answer.status, answer.body], [401, FAILED]);
    const [row] = await service.sql<{ failures: number }>(
      'select failures from password_resets r join emails e on e.id = r.email_id where e.address = ?',
      [user.email],
    );
    assert.equal(row?.failures, 5, 'exactly 5 wrong tries judged');
    const right = await api.post(RESET, { email: user.email, code, newPassword: NEW_PASSWORD });
    assert.deepEqual([right.status, right.body], [401, FAILED]);
    assert.equal((await api.post(LOGIN, { email: user.email, password: user.password })).status, 200, 'unchanged');
  });

  it('answers a wrong code, an unknown address and a disabled account alike', async () => {
    const user = await newUser();
    const disabled = await newUser();
    const code = await mailedCode(user.email);
    const disabledCode = await mailedCode(disabled.email);
    await admin.post(`/api/v2/users/${disabled.id}/disable`, { reason: 'x' });
    const answers = [
      await api.post(RESET, { email: user.email, code: wrongFor(code), newPassword: NEW_PASSWORD }),
      await api.post(RESET, { email: `nobody.${uniqueSuffix()}@example.com`, code, newPassword: NEW_PASSWORD }),
      await api.post(RESET, { email: disabled.email, code: disabledCode, newPassword: NEW_PASSWORD }),
    ];
    for (const answer of answers) assert.deepEqual([answer.status, answer.body], [401, FAILED]);
  });

  it('refuses a short new password with a 400 that says so, and keeps the code', async () => {
    const user = await newUser();
    const code = await mailedCode(user.email);
    const short = await api.post(RESET, { email: user.email, code, newPassword: 'short' });
    assert.equal(short.status, 400);
    assert.match(String(short.body.msg), /newPassword.*at least 8/);
    assert.equal((await api.post(RESET, { email: user.email, code, newPassword: NEW_PASSWORD })).status, 200);
  });

  it('works over tRPC', async () => {
    const user = await newUser();
    const caller = service.caller(null);
    assert.equal((await caller.auth.password.forgot({ email: user.email })).status, 'accepted');
    const code = resetCodeOf(await smtp.waitFor(user.email));
    assert.equal(
      (await caller.auth.password.reset({ email: user.email, code, newPassword: NEW_PASSWORD })).status,
      'reset',
    );
  });

  describe('sent by an admin', () => {
    const sendPath = (id: string) => `/api/v2/users/${id}/password-reset`;

    it('mails the user a code and a link it resets with; the admin never sees the code, and it is recorded', async () => {
      const user = await newUser(0);
      const sent = await admin.post(sendPath(user.id), {});
      assert.equal(sent.status, 202, JSON.stringify(sent.body));
      assert.deepEqual(sent.body, {
        status: 'sent',
        message: `A password reset code and link are on their way to ${user.email}; they work for 30 minutes.`,
      });
      const mail = await smtp.waitFor(user.email);
      assert.match(mail.text, /An administrator of .* sent you this email to choose a new password/);
      const code = resetCodeOf(mail);
      assert.ok(!JSON.stringify(sent.body).includes(code), 'not in the answer');

      const reset = await api.post(RESET, { email: user.email, code, newPassword: NEW_PASSWORD });
      assert.equal(reset.status, 200, JSON.stringify(reset.body));
      const signIn = await api.post(LOGIN, { email: user.email, password: NEW_PASSWORD });
      assert.equal(signIn.status, 200, JSON.stringify(signIn.body));
      assert.ok(signIn.body.token, 'signed in with the new password');

      const [event] = await historyOf(service, user.id, ['auth.password_reset_sent']);
      assert.deepEqual(event && { actor: event.actor, data: event.data }, { actor: 'test-admin', data: {} });
      const stored = JSON.stringify(await service.sql('select * from events where user_id = ?', [user.id]));
      assert.ok(!stored.includes(code) && !JSON.stringify(service.logs).includes(code), 'the code in no event or log');
    });

    it('refuses a user without a password or disabled (409), an unknown one (404), and a non-admin (403)', async () => {
      const byCode = await newUser(1);
      const refused = await admin.post(sendPath(byCode.id), {});
      assert.deepEqual(
        [refused.status, refused.body.msg],
        [409, 'this user signs in without a password: there is none to reset'],
      );
      const disabled = await newUser(0);
      assert.equal((await admin.post(`/api/v2/users/${disabled.id}/disable`, { reason: 'left' })).status, 200);
      const off = await admin.post(sendPath(disabled.id), {});
      assert.deepEqual([off.status, off.body.msg], [409, 'this user is disabled: enable it first']);
      assert.equal((await admin.post(sendPath(`nobody-${uniqueSuffix()}`), {})).status, 404);

      const user = await newUser(0);
      const token = (await api.post(LOGIN, { email: user.email, password: user.password })).body.token as string;
      assert.equal((await restClient(service.baseUrl, token).post(sendPath(user.id), {})).status, 403);
      assert.equal((await api.post(sendPath(user.id), {})).status, 401);
      assert.equal(smtp.to(user.email).length + smtp.to(byCode.email).length + smtp.to(disabled.email).length, 0);
    });
  });

  it('serves the reset form with no referrer, so the code in its URL goes nowhere else', async () => {
    const page = await fetch(`${service.baseUrl}/reset-password?email=a%40b.c&code=123456`);
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
  });
});
