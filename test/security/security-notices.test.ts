// Security notices by email (router/auth/security-notices.ts; OWASP ASVS 4.0 2.2.3, 5.0 6.3.7),
// through a real SMTP server: a change to how a user signs in (its password, address or method,
// by itself or by an admin; a password reset; a recovery code used; an authenticator reset), and an
// administrator beginning to act as the user, is mailed to the user from an outbox written with the change, saying what, when, from where and by
// whom; a new address is told at both the new and the old one. No notice holds a password, a code
// or the new address; a change that is refused, or that touches no credential, sends none; a
// notice the mail server refuses is kept and sent once it takes mail again.
import assert from 'node:assert/strict';
import { TOTP, URI } from 'otpauth';
import { SoftAuthenticator } from '../../dev/testing/soft-authenticator';
import { newUserBody } from '../support/fixtures';
import { restClient } from '../support/rest';
import { startTestService, type TestService } from '../support/service';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';

const LOGIN = '/api/v2/auth/token';
const TOTP_PATH = '/api/v2/auth/totp';
const PASSKEYS = '/api/v2/auth/passkeys';
const STEP = 30_000;
const T0 = Math.floor(Date.parse('2026-12-01T12:00:00Z') / STEP) * STEP + STEP / 2;
const WHEN = 'on 2026-12-01 12:00 UTC, from the address 127.0.0.1';

describe('security notices by email', function () {
  this.timeout(60_000);
  let smtp: SmtpCapture;
  let service: TestService;
  let api: ReturnType<typeof restClient>;
  let admin: ReturnType<typeof restClient>;

  before(async () => {
    smtp = await startSmtpCapture();
    service = await startTestService({ SMTP_URL: smtp.url, SERVICE_NAME: 'Acme Cloud', LOG_LEVEL: 'trace' });
    api = restClient(service.baseUrl);
    admin = restClient(service.baseUrl, service.adminToken);
  });
  beforeEach(() => service.clock.set(T0));
  after(async () => {
    await service?.close();
    await smtp?.close();
  });

  async function newUser(authMethod: 0 | 2 = 0) {
    const body = newUserBody();
    body.email.authMethod = authMethod;
    const created = await admin.post('/api/v2/users', body);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    return { id: String(created.body.id), email: body.email.email, password: String(body.email.password) };
  }

  const queued = async (address?: string) =>
    Number(
      (
        await service.sql<{ n: string }>(
          `select count(*) as n from security_notices${address ? ' where address = ?' : ''}`,
          address ? [address] : [],
        )
      )[0]?.n,
    );

  /** The mails `address` got after the first `after`, once the outbox has sent every notice in it. */
  async function mailsTo(address: string, after = 0) {
    for (let tries = 0; (await queued()) > 0; tries += 1) {
      assert.ok(tries < 400, 'the outbox drains');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return smtp.to(address).slice(after);
  }

  it('tells a user who changed its own password, by itself, and holds no password', async () => {
    const user = await newUser();
    const { token } = (await api.post(LOGIN, { email: user.email, password: user.password })).body;
    const changed = await api.patch(
      `/api/v2/users/${user.id}`,
      { email: { password: 'lanterns over the harbour' } },
      { token },
    );
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    const [notice, ...more] = await mailsTo(user.email);
    assert.equal(more.length, 0);
    assert.equal(notice?.subject, 'Your Acme Cloud password changed');
    assert.match(
      String(notice?.text),
      new RegExp(
        `^The password of your Acme Cloud account changed, by you, ${WHEN}\\. Every other session has ended\\.`,
      ),
    );
    assert.match(
      String(notice?.text),
      /If you made this change or asked for it, there is nothing to do\. If not: reset your password/,
    );
    for (const secret of ['lanterns over the harbour', user.password, token]) {
      assert.ok(!String(notice?.text).includes(secret), 'no password or token in the notice');
    }
  });

  it('tells both addresses of a new address set by an admin, without naming the new one to the old', async () => {
    const user = await newUser();
    const newAddress = user.email.replace('@', '.moved@');
    const changed = await admin.patch(`/api/v2/users/${user.id}`, { email: { email: newAddress } });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));

    const [atNew] = await mailsTo(newAddress);
    assert.equal(atNew?.subject, 'Your Acme Cloud email address changed');
    assert.match(String(atNew?.text), new RegExp(`by an administrator, ${WHEN}\\. Every session has ended\\.`));
    const [atOld] = await mailsTo(user.email);
    assert.equal(atOld?.subject, 'The email address of your Acme Cloud account was changed');
    assert.match(String(atOld?.text), /This address no longer signs in to the account/);
    assert.ok(!String(atOld?.text).includes(newAddress), 'the old address is not told the new one');
  });

  it('names every credential one change changed, and sends nothing for a change of no credential or a refused one', async () => {
    const user = await newUser();
    const path = `/api/v2/users/${user.id}`;
    assert.equal((await admin.patch(path, { name: 'renamed_only', age: 44 })).status, 200);
    assert.equal((await admin.patch(path, { email: { password: 'Password2026!' } })).status, 400);
    assert.deepEqual(await mailsTo(user.email), [], 'no notice');

    const changed = await admin.patch(path, { email: { authMethod: 2, password: 'seven quiet harbour lights' } });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    const [notice] = await mailsTo(user.email);
    assert.equal(notice?.subject, 'Your Acme Cloud password and sign-in method changed');
  });

  it('tells a user its password was reset, after the reset', async () => {
    const user = await newUser();
    assert.equal((await api.post('/api/v2/auth/password/forgot', { email: user.email })).status, 202);
    const code = /reset code is (\d{6})/.exec(String((await smtp.waitFor(user.email)).text))?.[1];
    const reset = await api.post('/api/v2/auth/password/reset', {
      email: user.email,
      code,
      newPassword: 'tiger lily walks at noon',
    });
    assert.equal(reset.status, 200, JSON.stringify(reset.body));
    const [, notice] = await mailsTo(user.email);
    assert.equal(notice?.subject, 'Your Acme Cloud password was reset');
    assert.match(String(notice?.text), new RegExp(`reset with a code mailed to this address, ${WHEN}\\.`));
    assert.ok(!String(notice?.text).includes(String(code)), 'not the code');
  });

  it('tells a user an administrator began acting as it: why, until when, and how to end it; no token in it', async () => {
    const user = await newUser();
    const started = await admin.post(`/api/v2/users/${user.id}/impersonate`, {
      reason: 'ticket 4711: the settings page is empty',
      expiresIn: 1800,
    });
    assert.equal(started.status, 200);
    const [notice, ...more] = await mailsTo(user.email);
    assert.deepEqual(more, [], 'one notice');
    assert.equal(notice?.subject, 'An administrator is acting as you in Acme Cloud');
    assert.equal(
      notice?.text.split('\n')[0],
      `An administrator began acting as you in your Acme Cloud account ${WHEN}, until 2026-12-01 12:30 UTC, to: ticket 4711: the settings page is empty`,
    );
    assert.match(String(notice?.text), /end the session "An admin acting as the user" under Your sessions/);
    assert.ok(!String(notice?.text).includes(String(started.body.token)), 'no token');
    // refused, it tells nobody
    const other = await newUser();
    await admin.post(`/api/v2/users/${other.id}/disable`, { reason: 'left' });
    assert.equal((await admin.post(`/api/v2/users/${other.id}/impersonate`, { reason: 'x' })).status, 403);
    assert.equal(await queued(other.email), 0);
  });

  it('tells a user a passkey was added to its account, and removed; nothing for a refused one', async () => {
    const user = await newUser();
    const { token } = (await api.post(LOGIN, { email: user.email, password: user.password })).body;
    const authenticator = new SoftAuthenticator(service.passkeys.origins[0]!);
    const options = async () => (await api.post(`${PASSKEYS}/registration-options`, {}, { token })).body;
    const refused = await api.post(
      PASSKEYS,
      { credential: authenticator.create(await options(), { userVerified: false }) },
      { token },
    );
    assert.equal(refused.status, 400);
    const added = await api.post(
      PASSKEYS,
      { name: 'work laptop', credential: authenticator.create(await options()) },
      { token },
    );
    assert.equal(added.status, 200, JSON.stringify(added.body));
    const [notice, ...more] = await mailsTo(user.email);
    assert.deepEqual(more, [], 'one notice: none for the refused one');
    assert.equal(notice?.subject, 'A passkey was added to your Acme Cloud account');
    assert.equal(
      notice?.text.split('\n')[0],
      `A passkey named "work laptop" was added to your Acme Cloud account, by you, ${WHEN}. It signs in to the account without a password.`,
    );
    assert.match(
      String(notice?.text),
      /If not: sign in and remove the passkey \(under Passkeys\), then reset your password/,
    );
    assert.equal((await api.delete(`${PASSKEYS}/${String(added.body.id)}`, { token })).status, 204);
    const [removal] = await mailsTo(user.email, 1);
    assert.equal(removal?.subject, 'A passkey was removed from your Acme Cloud account');
  });

  it('tells a two-step user each recovery code used, with how many are left, and an admin reset of its authenticator', async () => {
    const user = await newUser(2);
    const enroll = await api.post(LOGIN, { email: user.email, password: user.password });
    const totp = URI.parse(String(enroll.body.otpauthUrl)) as TOTP;
    const enrolled = await api.post(TOTP_PATH, {
      challengeToken: enroll.body.challengeToken,
      code: totp.generate({ timestamp: T0 }),
    });
    assert.equal(enrolled.status, 200, JSON.stringify(enrolled.body));
    assert.deepEqual(await mailsTo(user.email), [], 'an enrollment is no change to tell');

    const challenge = await api.post(LOGIN, { email: user.email, password: user.password });
    const recoveryCode = String((enrolled.body.recoveryCodes as string[])[0]);
    const signedIn = await api.post(TOTP_PATH, { challengeToken: challenge.body.challengeToken, recoveryCode });
    assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
    const [used] = await mailsTo(user.email);
    assert.equal(used?.subject, 'A recovery code signed in to your Acme Cloud account');
    assert.match(String(used?.text), /instead of your authenticator, .* 9 codes are left\./);
    assert.ok(!String(used?.text).includes(recoveryCode), 'not the code');

    assert.equal((await admin.post(`/api/v2/users/${user.id}/totp/reset`, {})).status, 204);
    const [, reset] = await mailsTo(user.email);
    assert.equal(reset?.subject, 'The authenticator of your Acme Cloud account was reset');
  });

  it('keeps a notice the mail server refuses, and sends it once the server takes mail again', async () => {
    const user = await newUser();
    smtp.refuse(true);
    try {
      const changed = await admin.patch(`/api/v2/users/${user.id}`, {
        email: { password: 'lanterns over the harbour' },
      });
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      // the worker tried, was refused (it says so), and kept it for later
      const refused = () => service.logs.some((line) => line.msg === 'a security notice could not be sent yet');
      for (let tries = 0; !refused(); tries += 1) {
        assert.ok(tries < 400, 'a refused send is logged');
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const [row] = await service.sql<{ attempts: number }>('select attempts from security_notices where address = ?', [
        user.email,
      ]);
      assert.ok((row?.attempts ?? 0) >= 1, 'still in the outbox, tried');
      assert.equal(smtp.to(user.email).length, 0);
      assert.ok(!JSON.stringify(service.logs).includes(user.email), 'the log names no address');
    } finally {
      smtp.refuse(false);
    }
    // its next try is 30 s away: the test brings it forward
    await service.sql('update security_notices set next_at = now() where address = ?', [user.email]);
    const notice = await smtp.waitFor(user.email);
    assert.equal(notice.subject, 'Your Acme Cloud password changed');
    // and, the server having taken it, it leaves the outbox
    assert.deepEqual(await mailsTo(user.email), [notice]);
  });

  it("leaves a notice alone while another instance's claim holds it, and sends it once the claim runs out", async () => {
    const user = await newUser();
    // a notice as a claim leaves it (its next try pushed on): claimed by an instance killed before it sent it
    const [claimed] = await service.sql<{ id: string }>(
      `insert into security_notices (address, subject, body, next_at) values (?, 'Claimed elsewhere', 'x', now() + interval '1 hour') returning id::text as id`,
      [user.email],
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(smtp.to(user.email).length, 0, 'not while the claim holds');
    // the claim runs out
    await service.sql('update security_notices set next_at = now() where id = ?', [claimed?.id]);
    const notice = await smtp.waitFor(user.email);
    assert.equal(notice.subject, 'Claimed elsewhere');
    assert.deepEqual(await mailsTo(user.email), [notice], 'once');
  });

  it('changes credentials as before without a mail server, telling nobody', async () => {
    const quiet = await startTestService();
    try {
      const body = newUserBody();
      const created = await restClient(quiet.baseUrl, quiet.adminToken).post('/api/v2/users', body);
      const changed = await restClient(quiet.baseUrl, quiet.adminToken).patch(`/api/v2/users/${created.body.id}`, {
        email: { password: 'lanterns over the harbour' },
      });
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      const rows = await quiet.sql('select 1 from security_notices');
      assert.equal(rows.length, 0, 'nothing is written for a mail nobody would send');
      assert.equal(smtp.to(body.email.email).length, 0);
    } finally {
      await quiet.close();
    }
  });
});
