// A sign-in from where the account never signed in is mailed to its owner (OWASP ASVS 5.0 6.3.5),
// through a real SMTP server, with client addresses as a trusted proxy names them: not the account's
// first sign-in, not again from an address it signed in from, not from a browser known for the
// address (its device cookie), and not with SIGN_IN_NOTICES=false; the notice says when, from where
// and how, and holds no password or code; the sign-in's event says it was unusual.
import assert from 'node:assert/strict';
import { newUserBody } from '../support/fixtures';
import { restClient } from '../support/rest';
import { startTestService, type TestService } from '../support/service';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';

const LOGIN = '/api/v2/auth/token';

describe('notices of unusual sign-ins', function () {
  this.timeout(60_000);
  let smtp: SmtpCapture;
  let service: TestService;
  let quiet: TestService;

  before(async () => {
    smtp = await startSmtpCapture();
    [service, quiet] = await Promise.all([
      startTestService({ SMTP_URL: smtp.url, TRUST_PROXY: 'true', SERVICE_NAME: 'Acme Cloud' }),
      startTestService({ SMTP_URL: smtp.url, TRUST_PROXY: 'true', SIGN_IN_NOTICES: 'false' }),
    ]);
  });
  after(async () => {
    await Promise.all([service?.close(), quiet?.close()]);
    await smtp?.close();
  });

  async function newUser(on: TestService, authMethod: 0 | 1 = 0) {
    const body = newUserBody();
    if (authMethod === 1) body.email = { email: body.email.email, authMethod };
    const created = await restClient(on.baseUrl, on.adminToken).post('/api/v2/users', body);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    return { id: String(created.body.id), email: body.email.email, password: 'correct horse battery' };
  }

  /** Signs in by password from `from`, with `cookie` if given; the answer. */
  function signIn(on: TestService, user: { email: string; password: string }, from: string, cookie?: string) {
    return restClient(on.baseUrl).post(
      LOGIN,
      { email: user.email, password: user.password },
      { headers: { 'x-forwarded-for': from, ...(cookie ? { cookie } : {}) } },
    );
  }

  /** Whether each of the user's sign-ins, oldest first, was unusual. */
  const unusual = async (on: TestService, userId: string) =>
    (
      await on.sql<{ unusual: boolean }>(
        `select coalesce((data->>'unusual')::boolean, false) as unusual from events
          where type = 'auth.signed_in' and user_id = ? order by id`,
        [userId],
      )
    ).map((row) => row.unusual);

  it('tells the owner of a sign-in from a new address, once, and not of the first or a familiar one', async () => {
    const user = await newUser(service);
    assert.equal((await signIn(service, user, '203.0.113.1')).status, 200);
    assert.equal((await signIn(service, user, '203.0.113.1')).status, 200);
    const elsewhere = await signIn(service, user, '198.51.100.7');
    assert.equal(elsewhere.status, 200);
    assert.equal((await signIn(service, user, '198.51.100.7')).status, 200);
    assert.deepEqual(await unusual(service, user.id), [false, false, true, false]);

    const mail = await smtp.waitFor(user.email);
    assert.equal(mail.subject, 'A new sign-in to your Acme Cloud account');
    assert.match(mail.text, /from the address 198\.51\.100\.7, with a password, from an address and a browser/);
    assert.match(mail.text, /If not: end that session under Your sessions, then reset your password/);
    assert.ok(!mail.text.includes(user.password));
    await service.background.idle();
    assert.equal(smtp.to(user.email).length, 1, 'one notice');
  });

  it('does not tell of a sign-in from a browser known for the address, wherever it is', async () => {
    const user = await newUser(service);
    const first = await signIn(service, user, '203.0.113.2');
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    assert.match(cookie, /^users_device=/, 'the sign-in made the browser known');
    assert.equal((await signIn(service, user, '192.0.2.50', cookie)).status, 200);
    assert.deepEqual(await unusual(service, user.id), [false, false]);
    // the same address without the cookie is unusual
    assert.equal((await signIn(service, user, '192.0.2.51')).status, 200);
    assert.deepEqual(await unusual(service, user.id), [false, false, true]);
  });

  it('tells of an email-code sign-in too, saying how', async () => {
    const user = await newUser(service, 1);
    const api = restClient(service.baseUrl);
    const byCode = async (from: string) => {
      const before = smtp.to(user.email).filter((mail) => /sign-in code/.test(mail.subject)).length;
      await api.post('/api/v2/auth/otp', { email: user.email }, { headers: { 'x-forwarded-for': from } });
      let code = '';
      while (!code) {
        const mails = smtp.to(user.email).filter((mail) => /sign-in code/.test(mail.subject));
        if (mails.length > before) code = /(\d{6})/.exec(mails.at(-1)!.text)![1]!;
        else await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const answer = await api.post(
        '/api/v2/auth/otp/verify',
        { email: user.email, code },
        { headers: { 'x-forwarded-for': from } },
      );
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
    };
    await byCode('203.0.113.3');
    await new Promise((resolve) => setTimeout(resolve, 1100)); // one code per interval (1 s in tests)
    await byCode('198.51.100.9');
    assert.deepEqual(await unusual(service, user.id), [false, true]);
    const notice = await new Promise<string>((resolve) => {
      const look = () => {
        const found = smtp.to(user.email).find((mail) => mail.subject.startsWith('A new sign-in'));
        if (found) resolve(found.text);
        else setTimeout(look, 20);
      };
      look();
    });
    assert.match(notice, /with a code sent by email/);
  });

  it('tells nobody with SIGN_IN_NOTICES=false', async () => {
    const user = await newUser(quiet);
    assert.equal((await signIn(quiet, user, '203.0.113.4')).status, 200);
    assert.equal((await signIn(quiet, user, '198.51.100.4')).status, 200);
    assert.deepEqual(await unusual(quiet, user.id), [false, false]);
    await quiet.background.idle();
    assert.equal(smtp.to(user.email).length, 0);
  });
});
