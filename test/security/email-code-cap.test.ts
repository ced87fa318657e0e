// The cap of 5 wrong email codes holds under concurrency (issue 19, point 6): a try is judged and,
// if wrong, counted in one statement, so however many guesses arrive at once, no more than 5 wrong
// ones are ever judged against a code, and once 5 are counted the right code fails too. Real
// PostgreSQL, a real SMTP server, every guess over a real socket. The per-email and per-address
// limits are set out of the way (as test/support/service.ts does), so only the cap decides.
import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import { AuthMethod } from '../../entities';
import { newUserBody } from '../support/fixtures';
import { restClient } from '../support/rest';
import { startTestService, type TestService } from '../support/service';
import { codeOf, startSmtpCapture, type SmtpCapture } from '../support/smtp';

const REQUEST = '/api/v2/auth/otp';
const VERIFY = '/api/v2/auth/otp/verify';
const FAILED = { code: 100001, msg: 'invalid or expired code' };

/** `n` distinct 6-digit codes, none of them `right`. */
function wrongCodes(right: string, n: number): string[] {
  const codes: string[] = [];
  for (let i = 0; codes.length < n; i += 1) {
    const code = String((Number(right) + 1 + i * 7919) % 1_000_000).padStart(6, '0');
    if (code !== right) codes.push(code);
  }
  return codes;
}

describe('the cap of wrong email codes, under concurrent guesses', function () {
  this.timeout(60_000);
  let smtp: SmtpCapture;
  let service: TestService;
  let api: ReturnType<typeof restClient>;

  before(async () => {
    smtp = await startSmtpCapture();
    service = await startTestService({ SMTP_URL: smtp.url });
    api = restClient(service.baseUrl);
  });
  after(async () => {
    await service?.close();
    await smtp?.close();
  });

  /** A user who signs in by email code, with a code mailed to it. */
  async function userWithCode() {
    const body = newUserBody();
    body.email = { email: body.email.email, authMethod: AuthMethod.otp };
    const created = await restClient(service.baseUrl, service.adminToken).post('/api/v2/users', body);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const email = body.email.email;
    assert.equal((await api.post(REQUEST, { email })).status, 202);
    return { id: String(created.body.id), email, code: codeOf(await smtp.waitFor(email)) };
  }

  /** How many wrong tries the pending code of `email` has counted (null: none pending). */
  async function failures(email: string): Promise<number | null> {
    const [row] = await service.sql<{ failures: number }>(
      'select c.failures from email_codes c join emails e on e.id = c.email_id where e.address = ?',
      [email],
    );
    return row ? row.failures : null;
  }

  it('of 40 wrong guesses at once, 5 are judged and counted; the right code then fails', async () => {
    const user = await userWithCode();
    const answers = await Promise.all(
      wrongCodes(user.code, 40).map((code) => api.post(VERIFY, { email: user.email, code })),
    );
    for (const answer of answers) {
      assert.equal(answer.status, 401);
      assert.deepEqual(answer.body, FAILED, 'a guess past the cap gets the same answer as a wrong one');
    }
    assert.equal(await failures(user.email), 5, 'never more than 5 wrong guesses judged against one code');
    const right = await api.post(VERIFY, { email: user.email, code: user.code });
    assert.equal(right.status, 401);
    assert.deepEqual(right.body, FAILED);
  });

  it('while the database is slow, guesses in flight do not let the right code past 5 wrong ones', async () => {
    const user = await userWithCode();
    // A slow database, as under load: every UPDATE of email_codes waits 1.5 s before it touches a
    // row (a statement trigger, on this test's own database). Six wrong guesses go first and are all
    // held there; the right code follows. Judging and counting are one statement, so the six are
    // judged when they are counted, five of them count, and the right code, judged after them, fails.
    // Were a guess judged first and counted later, all six would be judged at once with nothing
    // counted yet, and the right code, judged before any count landed, would sign in.
    await service.sql(`create function slow_email_codes() returns trigger language plpgsql as $$
      begin perform pg_sleep(1.5); return null; end $$`);
    await service.sql(`create trigger slow_email_codes before update on email_codes
      for each statement execute function slow_email_codes()`);
    try {
      const guesses = wrongCodes(user.code, 6).map((code) => api.post(VERIFY, { email: user.email, code }));
      const held = async () =>
        (
          await service.sql<{ n: number }>(
            `select count(*)::int as n from pg_stat_activity
              where datname = current_database() and wait_event = 'PgSleep'`,
          )
        )[0]?.n ?? 0;
      for (const start = Date.now(); (await held()) < 6;) {
        assert.ok(Date.now() - start < 10_000, 'the six guesses reach the database');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      const right = await api.post(VERIFY, { email: user.email, code: user.code });
      for (const answer of await Promise.all(guesses)) assert.deepEqual(answer.body, FAILED);
      assert.equal(right.status, 401, 'the right code, judged after 6 wrong ones, signed in');
      assert.deepEqual(right.body, FAILED);
      assert.equal(await failures(user.email), 5);
    } finally {
      await service.sql('drop trigger slow_email_codes on email_codes');
      await service.sql('drop function slow_email_codes()');
    }
  });

  it('fewer than 5 wrong guesses at once leave the right code working, once', async () => {
    const user = await userWithCode();
    const answers = await Promise.all(
      wrongCodes(user.code, 4).map((code) => api.post(VERIFY, { email: user.email, code })),
    );
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [401, 401, 401, 401],
    );
    assert.equal(await failures(user.email), 4);
    const [first, second] = await Promise.all([
      api.post(VERIFY, { email: user.email, code: user.code }),
      api.post(VERIFY, { email: user.email, code: user.code }),
    ]);
    assert.deepEqual([first?.status, second?.status].sort(), [200, 401], 'the right code signs in once');
    const token = (first?.status === 200 ? first : second)?.body.token;
    assert.equal((jwt.decode(token) as jwt.JwtPayload).sub, user.id);
    assert.equal(await failures(user.email), null, 'the code is used up');
  });
});
