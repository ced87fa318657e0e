// Sign-in with a code by email (authMethod 1), through a real SMTP server the test starts: the
// code arrives and signs in once; a new request replaces it; it expires (controlled clock); five
// wrong codes kill it; of two concurrent verifies exactly one wins; requests for unknown and
// non-code addresses get the same answer and no mail; the send limits hold; without a mail
// server the request answers 503; no code is stored or logged in the clear.
import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import { createUsersClient, TRPCClientError } from '../../client';
import { newUserBody, uniqueSuffix } from '../support/fixtures';
import { restClient } from '../support/rest';
import { startTestService, type TestService } from '../support/service';
import { codeOf, startSmtpCapture, type SmtpCapture } from '../support/smtp';

const REQUEST = '/api/v2/auth/otp';
const VERIFY = '/api/v2/auth/otp/verify';
const FAILED = { code: 100001, msg: 'invalid or expired code' };

describe('sign-in with a code by email', function () {
  this.timeout(60_000);
  let smtp: SmtpCapture;
  let service: TestService;
  let api: ReturnType<typeof restClient>;

  before(async () => {
    smtp = await startSmtpCapture();
    service = await startTestService({
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Users <no-reply@users.test>',
      LOG_LEVEL: 'trace',
    });
    api = restClient(service.baseUrl);
  });
  after(async () => {
    await service?.close();
    await smtp?.close();
  });

  async function codeUser() {
    const body = newUserBody();
    body.email = { email: body.email.email, authMethod: 1 };
    const created = await restClient(service.baseUrl, service.adminToken).post('/api/v2/users', body);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    return { id: String(created.body.id), email: body.email.email };
  }

  /** Requests a code and returns it, read out of the mail. */
  async function mailedCode(email: string): Promise<string> {
    const before = smtp.to(email).length;
    const response = await api.post(REQUEST, { email });
    assert.equal(response.status, 202, JSON.stringify(response.body));
    return codeOf(await smtp.waitFor(email, { after: before }));
  }

  it('mails a 6-digit code that signs in once, over REST', async () => {
    const user = await codeUser();
    const code = await mailedCode(user.email.toUpperCase());
    const mail = smtp.to(user.email).at(-1);
    assert.match(String(mail?.from), /^"?Users"? <no-reply@users\.test>$/, 'from MAIL_FROM');
    assert.match(String(mail?.subject), /sign-in code/);
    const signedIn = await api.post(VERIFY, { email: user.email, code });
    assert.equal(signedIn.status, 200);
    assert.equal((jwt.decode(signedIn.body.token) as jwt.JwtPayload).sub, user.id);
    assert.equal((await restClient(service.baseUrl, signedIn.body.token).get(`/api/v2/users/${user.id}`)).status, 200);
    const again = await api.post(VERIFY, { email: user.email, code });
    assert.equal(again.status, 401, 'single use');
    assert.deepEqual(again.body, FAILED);
  });

  it('and over tRPC', async () => {
    const user = await codeUser();
    const client = createUsersClient({ url: `${service.baseUrl}/trpc` });
    assert.equal((await client.auth.otp.request.mutate({ email: user.email })).status, 'accepted');
    const code = codeOf(await smtp.waitFor(user.email));
    const token = await client.auth.otp.verify.mutate({ email: user.email, code });
    assert.equal((jwt.decode(token.token) as jwt.JwtPayload).sub, user.id);
  });

  it('stores only a keyed hash of the code, and logs no code', async () => {
    const user = await codeUser();
    const code = await mailedCode(user.email);
    const [row] = await service.sql<{ code_hash: string }>(
      'select code_hash from email_codes c join emails e on e.id = c.email_id where lower(e.address) = lower(?)',
      [user.email],
    );
    assert.ok(row);
    assert.ok(!row.code_hash.includes(code));
    assert.notEqual(row.code_hash.length, 6);
    assert.ok(!JSON.stringify(service.logs).includes(code), 'the code is in a log line');
  });

  it('replaces the previous code with a new request', async () => {
    const user = await codeUser();
    const first = await mailedCode(user.email);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // one code per interval (1 s in tests)
    const second = await mailedCode(user.email);
    if (first !== second) assert.equal((await api.post(VERIFY, { email: user.email, code: first })).status, 401);
    assert.equal((await api.post(VERIFY, { email: user.email, code: second })).status, 200);
  });

  it('expires a code after 10 minutes', async () => {
    const user = await codeUser();
    const code = await mailedCode(user.email);
    service.clock.advance(10 * 60_000 + 1000);
    try {
      assert.deepEqual((await api.post(VERIFY, { email: user.email, code })).body, FAILED);
    } finally {
      service.clock.offsetMs = 0;
    }
    // just before its 10 minutes, a code still signs in
    const user2 = await codeUser();
    const fresh = await mailedCode(user2.email);
    service.clock.advance(9 * 60_000);
    try {
      assert.equal((await api.post(VERIFY, { email: user2.email, code: fresh })).status, 200, 'valid before 10 min');
    } finally {
      service.clock.offsetMs = 0;
    }
  });

  it('kills the code after 5 wrong ones, even if the right one follows', async () => {
    const user = await codeUser();
    const code = await mailedCode(user.email);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i += 1)
      assert.deepEqual((await api.post(VERIFY, { email: user.email, code: wrong })).body, FAILED);
    assert.deepEqual((await api.post(VERIFY, { email: user.email, code })).body, FAILED);
  });

  it('lets exactly one of two concurrent verifies of one code succeed', async () => {
    for (let round = 0; round < 3; round += 1) {
      const user = await codeUser();
      const code = await mailedCode(user.email);
      const results = await Promise.all(Array.from({ length: 6 }, () => api.post(VERIFY, { email: user.email, code })));
      assert.deepEqual(results.map((r) => r.status).sort(), [200, 401, 401, 401, 401, 401], `round ${round}`);
    }
  });

  it('answers the same for unknown and non-code addresses, and mails them nothing', async () => {
    const user = await codeUser();
    const password = newUserBody();
    assert.equal((await restClient(service.baseUrl, service.adminToken).post('/api/v2/users', password)).status, 200);
    const unknown = `nobody.${uniqueSuffix()}@example.com`;
    const answers = [];
    for (const email of [user.email, unknown, password.email.email]) {
      const response = await api.post(REQUEST, { email });
      answers.push({ status: response.status, body: response.body });
    }
    assert.deepEqual(answers[1], answers[0]);
    assert.deepEqual(answers[2], answers[0]);
    assert.equal(answers[0]?.status, 202);
    await service.background.idle();
    await smtp.waitFor(user.email);
    assert.equal(smtp.to(unknown).length, 0);
    assert.equal(smtp.to(password.email.email).length, 0);
    assert.deepEqual((await api.post(VERIFY, { email: unknown, code: '123456' })).body, FAILED);
  });

  it('validates the request like any other', async () => {
    const response = await api.post(VERIFY, { email: 'a@b.cd', code: '12345' });
    assert.equal(response.status, 400);
    assert.equal(response.body.msg, 'code: must be 6 digits');
  });
});

describe('email code limits', function () {
  this.timeout(60_000);
  let smtp: SmtpCapture;
  let service: TestService;

  before(async () => {
    smtp = await startSmtpCapture();
    service = await startTestService({
      SMTP_URL: smtp.url,
      CODE_SEND_INTERVAL_SECONDS: '1',
      CODE_SENDS_PER_HOUR: '3',
      CODE_SENDS_PER_CLIENT_PER_HOUR: '8',
      TRUST_PROXY: 'true',
    });
  });
  after(async () => {
    await service?.close();
    await smtp?.close();
  });

  const request = (email: string, address = '203.0.113.1') =>
    restClient(service.baseUrl).post(REQUEST, { email }, { headers: { 'x-forwarded-for': address } });

  it('sends at most one code per interval and a few per hour per address, the same for unknown ones', async () => {
    for (const email of [`known.${uniqueSuffix()}@example.com`, `unknown.${uniqueSuffix()}@example.com`]) {
      assert.equal((await request(email, '203.0.113.10')).status, 202);
      const tooSoon = await request(email, '203.0.113.11');
      assert.equal(tooSoon.status, 429, 'one per interval, from any client');
      assert.match(tooSoon.body.msg, /^too many sign-in codes requested; try again in \d+ s$/);
      assert.ok(Number(tooSoon.headers.get('retry-after')) >= 1);
      for (let i = 0; i < 2; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 1100));
        assert.equal((await request(email, '203.0.113.10')).status, 202);
      }
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const hourly = await request(email, '203.0.113.10');
      assert.equal(hourly.status, 429, 'at most 3 per hour');
      assert.ok(Number(hourly.headers.get('retry-after')) > 60);
    }
  });

  it('limits requests per client address', async () => {
    for (let i = 0; i < 8; i += 1)
      assert.equal((await request(`a${i}.${uniqueSuffix()}@example.com`, '203.0.113.50')).status, 202);
    assert.equal((await request(`b.${uniqueSuffix()}@example.com`, '203.0.113.50')).status, 429);
    assert.equal((await request(`b.${uniqueSuffix()}@example.com`, '203.0.113.51')).status, 202);
  });

  it('over tRPC too', async () => {
    const email = `t.${uniqueSuffix()}@example.com`;
    const client = createUsersClient({ url: `${service.baseUrl}/trpc` });
    await client.auth.otp.request.mutate({ email });
    await assert.rejects(client.auth.otp.request.mutate({ email }), (error) => {
      assert.ok(error instanceof TRPCClientError);
      assert.equal(error.data?.code, 'TOO_MANY_REQUESTS');
      return true;
    });
  });
});

describe('email codes without a mail server', () => {
  let service: TestService;
  before(async () => (service = await startTestService({ NODE_ENV: 'production' })));
  after(() => service.close());

  it('answers 503 with a clear message, for every address', async () => {
    const response = await restClient(service.baseUrl).post(REQUEST, { email: `x.${uniqueSuffix()}@example.com` });
    assert.equal(response.status, 503);
    assert.equal(
      response.body.msg,
      'sign-in codes by email are not available: this service has no mail server configured (SMTP_URL)',
    );
    assert.deepEqual(await createUsersClient({ url: `${service.baseUrl}/trpc` }).auth.methods.query(), {
      password: true,
      emailCode: false,
      oauth2: null,
      passkeys: { rpId: 'localhost' },
      signUp: null,
    });
  });
});
