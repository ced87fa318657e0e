// Sign-up (SIGN_UP=open): a person makes its own account by proving an address with a mailed code,
// through a real SMTP server. The same 202 for every address, and a notice instead of a code to one
// that has an account; nothing of a person kept before the code; the account a `user` whatever the
// request says, signed in at once (or its authenticator set up first); the code single use, dead
// after 10 minutes or 5 wrong tries however many arrive at once, spent only with the account; bad
// input a 400 that changes nothing; closed by default; SIGN_UP_EMAIL_DOMAINS.
import assert from 'node:assert/strict';
import { TOTP, URI } from 'otpauth';
import { newUserBody, uniqueSuffix } from '../support/fixtures';
import { restClient } from '../support/rest';
import { historyOf } from '../support/events';
import { removeExpired } from '../../server/start/retention';
import { startTestService, type TestService } from '../support/service';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';

const START = '/api/v2/auth/sign-up';
const COMPLETE = '/api/v2/auth/sign-up/complete';
const FAILED = { code: 100001, msg: 'invalid or expired code' };
const PASSWORD = 'a long and unusual passphrase';
const MINUTE = 60_000;

describe('sign-up', function () {
  this.timeout(60_000);
  let smtp: SmtpCapture;
  let service: TestService;
  let api: ReturnType<typeof restClient>;
  let admin: ReturnType<typeof restClient>;

  before(async () => {
    smtp = await startSmtpCapture();
    service = await startTestService({ SMTP_URL: smtp.url, PUBLIC_URL: 'https://users.example.test', SIGN_UP: 'open' });
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

  const newAddress = () => `new.${uniqueSuffix()}@example.com`;

  /** Starts a sign-up for `email` and answers the mailed code. */
  async function mailedCode(email: string): Promise<string> {
    const before = smtp.to(email).length;
    const answer = await api.post(START, { email });
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    const mail = await smtp.waitFor(email, { after: before });
    const code = /account is (\d{6})/.exec(mail.text)?.[1];
    assert.ok(code, mail.text);
    return code;
  }

  /** A completion body: a person's fields, for `email` and `code`. */
  function completion(
    email: string,
    code: string,
    method: 0 | 1 | 2 = 0,
  ): { code: string; name: string; age: number; gender: number; email: Record<string, unknown> } {
    const { name, age, gender } = newUserBody();
    return {
      code,
      name,
      age,
      gender,
      email: { email, authMethod: method, ...(method === 1 ? {} : { password: PASSWORD }) },
    };
  }

  const usersWith = async (email: string) =>
    await service.sql<{ id: string; role: string }>(
      'select u.id, u.role from users u join emails e on e.id = u.email_id where e.address = ?',
      [email],
    );

  const wrongFor = (code: string) => (code === '000000' ? '111111' : '000000');

  it('answers the same 202 for every address; a free one gets a code, one with an account a notice', async () => {
    const taken = newUserBody();
    assert.equal((await admin.post('/api/v2/users', taken)).status, 200);
    const free = newAddress();
    const answers = await Promise.all([free, taken.email.email].map((email) => api.post(START, { email })));
    assert.deepEqual([answers[0]?.status, answers[0]?.body], [answers[1]?.status, answers[1]?.body]);
    assert.equal(answers[0]?.status, 202);
    assert.equal(answers[0]?.body.status, 'accepted');

    const code = await smtp.waitFor(free);
    assert.match(code.subject, /sign-up code/);
    assert.match(code.text, /account is \d{6}/);
    // and a link to the console's form, with the address and the code
    const link = new URL(/https:\/\/users\.example\.test\/sign-up\?\S+/.exec(code.text)?.[0] ?? 'https://x/');
    assert.deepEqual(
      [link.searchParams.get('email'), link.searchParams.get('code')],
      [free, /account is (\d{6})/.exec(code.text)?.[1]],
    );
    const notice = await smtp.waitFor(taken.email.email);
    assert.match(notice.subject, /tried to create .* account with your address/);
    assert.match(notice.text, /You already have one/);
    assert.doesNotMatch(notice.text, /\d{6}/, 'no code to an address that has an account');
    await service.background.idle();
    const stored = await service.sql<{ address_key: string; code_hash: string }>(
      'select address_key, code_hash from sign_up_codes where address_key in (?, ?)',
      [free, taken.email.email.toLowerCase()],
    );
    assert.deepEqual(
      stored.map((row) => row.address_key),
      [free],
      'a code kept for the free address only',
    );
    const sent = /account is (\d{6})/.exec(code.text)?.[1] ?? '';
    assert.ok(!stored[0]?.code_hash.includes(sent), 'kept as a keyed hash');
  });

  it('makes a user with the fields sent, signed in at once, and records who made it', async () => {
    const email = newAddress();
    const code = await mailedCode(email);
    // a role or an id in the request is dropped, not taken
    const body = { ...completion(email, code), role: 'admin', id: `chosen-${uniqueSuffix()}` };
    const made = await api.post(COMPLETE, body);
    assert.equal(made.status, 200, JSON.stringify(made.body));
    assert.equal(made.body.tokenType, 'Bearer');
    assert.ok(made.body.refreshToken, 'a session, with its refresh token');

    const [user] = await usersWith(email);
    assert.ok(user, 'the account exists');
    assert.equal(user.role, 'user');
    assert.notEqual(user.id, body.id);
    const own = await api.get(`/api/v2/users/${user.id}`, { token: String(made.body.token) });
    assert.equal(own.status, 200, 'the token is the new user’s');
    assert.deepEqual(
      { name: own.body.name, age: own.body.age, gender: own.body.gender, email: own.body.email.email },
      { name: body.name, age: body.age, gender: body.gender, email },
    );
    assert.equal((await api.get('/api/v2/users?offset=0&limit=1', { token: String(made.body.token) })).status, 403);
    // the password chosen signs in afterwards
    assert.equal((await api.post('/api/v2/auth/token', { email, password: PASSWORD })).status, 200);

    const history = await historyOf(service, user.id, ['user.created', 'auth.signed_in']);
    assert.deepEqual(history[0]?.type, 'user.created');
    assert.equal(history[0]?.actor, user.id, 'the person made its own account');
    assert.deepEqual(history[1], { type: 'auth.signed_in', actor: user.id, data: { method: 'email_code' } });
    const events = JSON.stringify(await service.sql('select * from events'));
    assert.ok(!events.includes(code) && !events.includes(PASSWORD), 'no code, no password in any event');
    assert.ok(!JSON.stringify(service.logs).includes(code), 'the code is in no log line');

    const again = await api.post(COMPLETE, completion(email, code));
    assert.deepEqual([again.status, again.body], [401, FAILED], 'the code served once');
    assert.equal((await usersWith(email)).length, 1);
  });

  it('makes an account that signs in by code, and one that sets up its authenticator first', async () => {
    const byCode = newAddress();
    const made = await api.post(COMPLETE, completion(byCode, await mailedCode(byCode), 1));
    assert.equal(made.status, 200, JSON.stringify(made.body));
    assert.ok(made.body.token);

    const withTotp = newAddress();
    const enrolling = await api.post(COMPLETE, completion(withTotp, await mailedCode(withTotp), 2));
    assert.equal(enrolling.status, 200, JSON.stringify(enrolling.body));
    assert.equal(enrolling.body.challenge, 'totp_enroll', 'no token before the second factor is set up');
    assert.equal(enrolling.body.token, undefined);
    const totp = URI.parse(String(enrolling.body.otpauthUrl)) as TOTP;
    const enrolled = await api.post('/api/v2/auth/totp', {
      challengeToken: enrolling.body.challengeToken,
      code: totp.generate({ timestamp: service.clock.now() }),
    });
    assert.equal(enrolled.status, 200, JSON.stringify(enrolled.body));
    assert.equal((enrolled.body.recoveryCodes as string[]).length, 10);
    const next = await api.post('/api/v2/auth/token', { email: withTotp, password: PASSWORD });
    assert.equal(next.body.challenge, 'totp', 'the next sign-in asks for the authenticator');
  });

  it('refuses bad input with a 400 that names the field, makes nothing and spends no try', async () => {
    const email = newAddress();
    const code = await mailedCode(email);
    const good = completion(email, code);
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...good, email: { email, authMethod: 3 } }, /email\.authMethod: must be 0 \(password\), 1 .* or 2/],
      [{ ...good, email: { email, authMethod: 0 } }, /email\.password: is required/],
      [{ ...good, email: { email, authMethod: 1, password: PASSWORD } }, /email\.password: can only be set/],
      [{ ...good, name: 'a b' }, /name: must contain only/],
      [{ ...good, age: 0 }, /age: must be at least 1/],
      [{ ...good, code: '12345' }, /code: must be 6 digits/],
      [
        { ...good, email: { email, authMethod: 0, password: 'password123' } },
        /email\.password: is a commonly used password/,
      ],
    ];
    // with a wrong code too: the password is judged first, so fixing it costs no try of the code
    cases.push([
      { ...good, code: wrongFor(code), email: { email, authMethod: 0, password: 'password123' } },
      /email\.password: is a commonly used password/,
    ]);
    for (const [body, message] of cases) {
      const answer = await api.post(COMPLETE, body);
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.match(String(answer.body.msg), message);
    }
    assert.equal((await usersWith(email)).length, 0, 'nothing made');
    const [row] = await service.sql<{ failures: number }>('select failures from sign_up_codes where address_key = ?', [
      email,
    ]);
    assert.equal(row?.failures, 0, 'no try spent');
    assert.equal((await api.post(COMPLETE, good)).status, 200, 'the code still makes the account');
  });

  it('kills a code after 5 wrong tries, however many arrive at once, even if the right one follows', async () => {
    const email = newAddress();
    const code = await mailedCode(email);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => api.post(COMPLETE, completion(email, wrongFor(code)))),
    );
    for (const answer of answers) assert.deepEqual([answer.status, answer.body], [401, FAILED]);
    const [row] = await service.sql<{ failures: number }>('select failures from sign_up_codes where address_key = ?', [
      email,
    ]);
    assert.equal(row?.failures, 5, 'exactly 5 wrong tries judged');
    const right = await api.post(COMPLETE, completion(email, code));
    assert.deepEqual([right.status, right.body], [401, FAILED]);
    assert.equal((await usersWith(email)).length, 0);
  });

  it('makes one account of concurrent completions with the right code', async () => {
    const email = newAddress();
    const code = await mailedCode(email);
    const answers = await Promise.all(Array.from({ length: 5 }, () => api.post(COMPLETE, completion(email, code))));
    const statuses = answers.map((answer) => answer.status).sort();
    assert.equal(statuses.filter((status) => status === 200).length, 1, JSON.stringify(statuses));
    for (const status of statuses) assert.ok(status === 200 || status === 401 || status === 409, String(status));
    assert.equal((await usersWith(email)).length, 1);
  });

  it('expires a code after 10 minutes, and a newer code replaces it', async () => {
    const email = newAddress();
    const first = await mailedCode(email);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // one code per interval (1 s in tests)
    const second = await mailedCode(email);
    if (first !== second) {
      assert.deepEqual((await api.post(COMPLETE, completion(email, first))).status, 401, 'replaced');
    }
    service.clock.advance(10 * MINUTE + 1000);
    const late = await api.post(COMPLETE, completion(email, second));
    assert.deepEqual([late.status, late.body], [401, FAILED]);
    service.clock.advance(-2000);
    assert.equal((await api.post(COMPLETE, completion(email, second))).status, 200, 'within 10 minutes it works');
  });

  it('answers 409 when the address got an account after its code was mailed, and makes nothing', async () => {
    const email = newAddress();
    const code = await mailedCode(email);
    const made = newUserBody({ email: { email: email.toUpperCase(), authMethod: 1 } });
    assert.equal((await admin.post('/api/v2/users', made)).status, 200);
    const late = await api.post(COMPLETE, completion(email, code));
    assert.equal(late.status, 409, JSON.stringify(late.body));
    assert.equal((await usersWith(email.toUpperCase())).length, 1, 'only the admin’s');
  });

  it('does not let an address be taken without its code (someone else’s address)', async () => {
    const victim = newAddress();
    await mailedCode(victim); // the attacker asks; the code goes to the victim's mailbox
    const guesses = await Promise.all(
      ['123456', '654321', '000001'].map((code) => api.post(COMPLETE, completion(victim, code))),
    );
    for (const guess of guesses) assert.equal(guess.status, 401);
    assert.equal((await usersWith(victim)).length, 0);
    // the victim signs up later with a code of its own
    await new Promise((resolve) => setTimeout(resolve, 1100)); // one code per interval (1 s in tests)
    const code = await mailedCode(victim);
    assert.equal((await api.post(COMPLETE, completion(victim, code, 1))).status, 200);
  });

  it('says sign-up is open in the sign-in methods, and removes expired codes with the retention round', async () => {
    const methods = await api.get('/api/v2/auth/methods');
    assert.deepEqual(methods.body.signUp, { domains: [] });
    const email = newAddress();
    await mailedCode(email);
    const removed = await removeExpired(service.orm, 90, Date.now() + 11 * MINUTE);
    assert.ok(removed.codes >= 1);
    assert.deepEqual(await service.sql('select 1 from sign_up_codes where address_key = ?', [email]), []);
  });
});

describe('sign-up, closed or kept to some domains', function () {
  this.timeout(60_000);
  let smtp: SmtpCapture;
  let closed: TestService;
  let company: TestService;
  let noMail: TestService;

  before(async () => {
    smtp = await startSmtpCapture();
    [closed, company, noMail] = await Promise.all([
      startTestService({ SMTP_URL: smtp.url }),
      startTestService({ SMTP_URL: smtp.url, SIGN_UP: 'open', SIGN_UP_EMAIL_DOMAINS: 'Example.COM, corp.example.org' }),
      startTestService({ SIGN_UP: 'open' }),
    ]);
  });
  after(async () => {
    await Promise.all([closed?.close(), company?.close(), noMail?.close()]);
    await smtp?.close();
  });

  it('is closed by default: 403 and no mail, and the sign-in methods say so', async () => {
    const api = restClient(closed.baseUrl);
    const email = `closed.${uniqueSuffix()}@example.com`;
    const start = await api.post(START, { email });
    assert.deepEqual(
      [start.status, start.body.msg],
      [403, 'this service does not take sign-ups: an administrator makes accounts'],
    );
    const complete = await api.post(COMPLETE, {
      code: '123456',
      ...newUserBody({ email: { email, authMethod: 1 } }),
    });
    assert.equal(complete.status, 403);
    assert.equal((await api.get('/api/v2/auth/methods')).body.signUp, null);
    await closed.background.idle();
    assert.equal(smtp.to(email).length, 0);
  });

  it('answers 503 without a mail server, and the sign-in methods offer no sign-up', async () => {
    const api = restClient(noMail.baseUrl);
    const answer = await api.post(START, { email: `someone.${uniqueSuffix()}@example.com` });
    assert.deepEqual(
      [answer.status, answer.body.msg],
      [503, 'sign-ups are not available: this service has no mail server configured (SMTP_URL)'],
    );
    assert.equal((await api.get('/api/v2/auth/methods')).body.signUp, null);
    assert.deepEqual(await noMail.sql('select 1 from sign_up_codes'), []);
  });

  it('takes only the domains of SIGN_UP_EMAIL_DOMAINS, in any case', async () => {
    const api = restClient(company.baseUrl);
    const outsider = `someone.${uniqueSuffix()}@elsewhere.example`;
    const refused = await api.post(START, { email: outsider });
    assert.deepEqual(
      [refused.status, refused.body.msg],
      [400, 'email: sign-up is open to addresses at example.com, corp.example.org only'],
    );
    const insider = `someone.${uniqueSuffix()}@CORP.example.org`;
    assert.equal((await api.post(START, { email: insider })).status, 202);
    await smtp.waitFor(insider);
    assert.deepEqual((await api.get('/api/v2/auth/methods')).body.signUp, {
      domains: ['example.com', 'corp.example.org'],
    });
    await company.background.idle();
    assert.equal(smtp.to(outsider).length, 0);
  });
});
