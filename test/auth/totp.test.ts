// TOTP (RFC 6238) as the second factor of a password sign-in (authMethod 2), with codes computed
// here from the enrolled secret at times the test sets (the service's clock is the test's):
// enrollment, ±1 step passing and ±2 failing, a code accepted once, recovery codes once each,
// the attempt caps, challenge and Bearer tokens kept apart, and the secret kept secret.
import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import { Secret, TOTP, URI } from 'otpauth';
import { createUsersClient, TRPCClientError } from '../../client';
import { newUserBody, uniqueSuffix } from '../support/fixtures';
import { restClient } from '../support/rest';
import { startTestService, TEST_TOTP_KEY, type TestService } from '../support/service';

const LOGIN = '/api/v2/auth/token';
const TOTP_PATH = '/api/v2/auth/totp';
const STEP = 30_000;
/** A time in the middle of a 30-second step, so ±1 step is unambiguous. */
const T0 = Math.floor(Date.parse('2026-12-01T12:00:00Z') / STEP) * STEP + STEP / 2;

describe('TOTP as a second factor', function () {
  this.timeout(60_000);
  let service: TestService;
  let api: ReturnType<typeof restClient>;
  let admin: ReturnType<typeof restClient>;

  before(async () => {
    service = await startTestService({ LOG_LEVEL: 'trace', SERVICE_NAME: 'Users Test' });
    api = restClient(service.baseUrl);
    admin = restClient(service.baseUrl, service.adminToken);
  });
  beforeEach(() => service.clock.set(T0));
  after(() => service.close());

  async function totpUser() {
    const body = newUserBody();
    body.email.authMethod = 2;
    const created = await admin.post('/api/v2/users', body);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    return { id: String(created.body.id), email: body.email.email, password: String(body.email.password) };
  }

  const login = async (user: { email: string; password: string }) => {
    const response = await api.post(LOGIN, { email: user.email, password: user.password });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body;
  };

  /** Signs in for the first time and enrolls: the secret (as an authenticator app would read it) and the answer. */
  async function enroll(user: { email: string; password: string }) {
    const challenge = await login(user);
    assert.equal(challenge.challenge, 'totp_enroll');
    const totp = URI.parse(challenge.otpauthUrl) as TOTP;
    const answer = await api.post(TOTP_PATH, {
      challengeToken: challenge.challengeToken,
      code: totp.generate({ timestamp: T0 }),
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return { totp, challenge, answer: answer.body };
  }

  const codeAt = (totp: TOTP, ms: number) => totp.generate({ timestamp: ms });

  it('answers a password with an enrollment challenge, then the first code with a token and 10 recovery codes', async () => {
    const user = await totpUser();
    const challenge = await login(user);
    assert.deepEqual(Object.keys(challenge).sort(), ['challenge', 'challengeToken', 'expiresIn', 'otpauthUrl']);
    assert.equal(challenge.expiresIn, 300);
    const url = new URL(challenge.otpauthUrl);
    assert.equal(url.protocol, 'otpauth:');
    assert.equal(url.host, 'totp');
    assert.equal(decodeURIComponent(url.pathname), `/Users Test:${user.email}`);
    assert.equal(url.searchParams.get('issuer'), 'Users Test');
    assert.equal(url.searchParams.get('algorithm'), 'SHA1');
    assert.equal(url.searchParams.get('digits'), '6');
    assert.equal(url.searchParams.get('period'), '30');
    const secret = String(url.searchParams.get('secret'));
    assert.ok(Secret.fromBase32(secret).bytes.length >= 20, 'at least 160 bits');

    const totp = URI.parse(challenge.otpauthUrl) as TOTP;
    const answer = await api.post(TOTP_PATH, { challengeToken: challenge.challengeToken, code: codeAt(totp, T0) });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.tokenType, 'Bearer');
    assert.equal((jwt.decode(answer.body.token) as jwt.JwtPayload).sub, user.id);
    assert.equal(answer.body.recoveryCodes.length, 10);
    assert.equal(new Set(answer.body.recoveryCodes).size, 10);
    for (const code of answer.body.recoveryCodes) assert.match(code, /^[a-z2-9]{5}-[a-z2-9]{5}$/);

    // the secret was shown only to whoever proved the password: not to an admin, not at rest, not in logs
    const read = await admin.get(`/api/v2/users/${user.id}`);
    assert.equal(read.body.email.token, '');
    assert.ok(!JSON.stringify(read.body).includes(secret));
    const rows = JSON.stringify(await service.sql('select * from totp_credentials'));
    assert.ok(!rows.includes(secret), 'the secret is stored sealed');
    const codes = JSON.stringify(await service.sql('select * from recovery_codes'));
    for (const code of answer.body.recoveryCodes)
      assert.ok(!codes.includes(code) && !codes.includes(code.replace('-', '')));
    const logs = JSON.stringify(service.logs);
    assert.ok(!logs.includes(secret), 'the secret is in a log line');
    assert.ok(!logs.includes(TEST_TOTP_KEY));
    for (const code of answer.body.recoveryCodes) assert.ok(!logs.includes(code), 'a recovery code is in a log line');
  });

  it('asks an enrolled user for a code, and accepts one step of drift either way, not two', async () => {
    const user = await totpUser();
    const { totp } = await enroll(user);
    const attempt = async (ms: number) => {
      const challenge = await login(user);
      assert.deepEqual(Object.keys(challenge).sort(), ['challenge', 'challengeToken', 'expiresIn']);
      assert.equal(challenge.challenge, 'totp');
      return (await api.post(TOTP_PATH, { challengeToken: challenge.challengeToken, code: codeAt(totp, ms) })).status;
    };
    // later steps only (a code is accepted once, and an older one after a newer is a replay)
    service.clock.set(T0 + 10 * STEP);
    assert.equal(await attempt(T0 + 8 * STEP), 401, '2 steps behind');
    assert.equal(await attempt(T0 + 12 * STEP), 401, '2 steps ahead');
    assert.equal(await attempt(T0 + 9 * STEP), 200, '1 step behind');
    assert.equal(await attempt(T0 + 10 * STEP), 200, 'this step');
    assert.equal(await attempt(T0 + 11 * STEP), 200, '1 step ahead');
  });

  it('accepts a code once: a replay fails, even with a fresh challenge, and so does the enrollment code', async () => {
    const user = await totpUser();
    const { totp, challenge: enrollment } = await enroll(user);
    const enrollmentCode = codeAt(totp, T0);
    const again = await api.post(TOTP_PATH, { challengeToken: enrollment.challengeToken, code: enrollmentCode });
    assert.equal(again.status, 401, 'the enrollment challenge and code do not work a second time');
    const fresh = await login(user);
    const replayed = await api.post(TOTP_PATH, { challengeToken: fresh.challengeToken, code: enrollmentCode });
    assert.equal(replayed.status, 401);
    assert.deepEqual(replayed.body, { code: 100001, msg: 'invalid code' });

    service.clock.set(T0 + STEP);
    const code = codeAt(totp, T0 + STEP);
    const first = await api.post(TOTP_PATH, { challengeToken: (await login(user)).challengeToken, code });
    assert.equal(first.status, 200);
    const second = await api.post(TOTP_PATH, { challengeToken: (await login(user)).challengeToken, code });
    assert.equal(second.status, 401);
  });

  it('lets two concurrent uses of one code sign in once', async () => {
    const user = await totpUser();
    const { totp } = await enroll(user);
    service.clock.set(T0 + 3 * STEP);
    const code = codeAt(totp, T0 + 3 * STEP);
    const challenges = await Promise.all(Array.from({ length: 4 }, () => login(user)));
    const answers = await Promise.all(
      challenges.map((c) => api.post(TOTP_PATH, { challengeToken: c.challengeToken, code })),
    );
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 401, 401, 401]);
  });

  it('signs in with each recovery code once, and not on an enrollment challenge', async () => {
    const user = await totpUser();
    const enrollment = await login(user);
    const early = await api.post(TOTP_PATH, { challengeToken: enrollment.challengeToken, recoveryCode: 'abcde-fghjk' });
    assert.equal(early.status, 401);
    const totp = URI.parse(enrollment.otpauthUrl) as TOTP;
    const done = await api.post(TOTP_PATH, { challengeToken: enrollment.challengeToken, code: codeAt(totp, T0) });
    const [first, second] = done.body.recoveryCodes as string[];
    const use = async (recoveryCode: string) =>
      api.post(TOTP_PATH, { challengeToken: (await login(user)).challengeToken, recoveryCode });
    const signedIn = await use(String(first).toUpperCase().replace('-', ' '));
    assert.equal(signedIn.status, 200, 'case, spaces and dashes do not matter');
    assert.equal((jwt.decode(signedIn.body.token) as jwt.JwtPayload).sub, user.id);
    assert.equal(signedIn.body.recoveryCodes, undefined, 'recovery codes are shown only at enrollment');
    assert.equal((await use(String(first))).status, 401, 'used up');
    assert.equal((await use(String(second))).status, 200);
    assert.equal((await use('zzzzz-zzzzz')).status, 401);
    const [left] = await service.sql<{ n: number }>(
      'select count(*)::int as n from recovery_codes r join emails e on e.id = r.email_id where lower(e.address) = lower(?)',
      [user.email],
    );
    assert.equal(left?.n, 8);
  });

  it('allows at most 5 wrong codes per challenge, and a challenge signs in once', async () => {
    const user = await totpUser();
    const { totp } = await enroll(user);
    service.clock.set(T0 + 5 * STEP);
    const right = codeAt(totp, T0 + 5 * STEP);
    const wrong = right === '000000' ? '111111' : '000000';
    const challenge = (await login(user)).challengeToken;
    for (let i = 0; i < 5; i += 1)
      assert.equal((await api.post(TOTP_PATH, { challengeToken: challenge, code: wrong })).status, 401);
    const sixth = await api.post(TOTP_PATH, { challengeToken: challenge, code: right });
    assert.equal(sixth.status, 401);
    assert.match(sixth.body.msg, /^this challenge can no longer be used/);
    // a new challenge still works, and once it has signed in it is used up
    const fresh = (await login(user)).challengeToken;
    assert.equal((await api.post(TOTP_PATH, { challengeToken: fresh, code: right })).status, 200);
    service.clock.set(T0 + 6 * STEP);
    const reuse = await api.post(TOTP_PATH, { challengeToken: fresh, code: codeAt(totp, T0 + 6 * STEP) });
    assert.equal(reuse.status, 401);
    assert.match(reuse.body.msg, /^this challenge can no longer be used/);
  });

  it('refuses a challenge token as a Bearer token, a Bearer token as a challenge, and a stale challenge', async () => {
    const user = await totpUser();
    const { totp, answer } = await enroll(user);
    const challenge = (await login(user)).challengeToken;
    const asBearer = await restClient(service.baseUrl, challenge).get(`/api/v2/users/${user.id}`);
    assert.equal(asBearer.status, 401);
    // refused for its audience and for its type (each is tested alone in test/security/tokens.test.ts)
    assert.match(asBearer.body.msg, /^token is invalid: (wrong audience|not an access token)$/);
    const asChallenge = await api.post(TOTP_PATH, { challengeToken: answer.token, code: codeAt(totp, T0 + STEP) });
    assert.equal(asChallenge.status, 401);
    assert.match(asChallenge.body.msg, /^invalid challenge: token is invalid: (not a TOTP challenge|wrong audience)/);
    // a password change after the challenge was issued makes it worthless
    const stale = (await login(user)).challengeToken;
    const change = await admin.put(`/api/v2/users/${user.id}`, {
      name: `n_${uniqueSuffix()}`,
      age: 30,
      gender: 1,
      email: { email: user.email, authMethod: 2, password: 'another password here' },
    });
    assert.equal(change.status, 200);
    service.clock.set(T0 + 2 * STEP);
    const late = await api.post(TOTP_PATH, { challengeToken: stale, code: codeAt(totp, T0 + 2 * STEP) });
    assert.equal(late.status, 401);
    assert.equal(late.body.msg, 'the challenge is no longer valid; sign in again');
  });

  it('ends earlier tokens when an enrollment completes', async () => {
    const user = await totpUser();
    const [row] = await service.sql<{ token_epoch: string }>('select token_epoch from users where id = ?', [user.id]);
    const earlier = service.tokens.issue({ id: user.id, role: 'user', epoch: row?.token_epoch }).token;
    assert.equal((await restClient(service.baseUrl, earlier).get(`/api/v2/users/${user.id}`)).status, 200);
    const { answer } = await enroll(user);
    const after = await restClient(service.baseUrl, earlier).get(`/api/v2/users/${user.id}`);
    assert.equal(after.status, 401);
    assert.equal(after.body.msg, 'token is no longer valid');
    assert.equal((await restClient(service.baseUrl, answer.token).get(`/api/v2/users/${user.id}`)).status, 200);
  });

  it('forgets the secret and recovery codes when the user stops signing in by TOTP; back on it, it enrolls again', async () => {
    const user = await totpUser();
    await enroll(user);
    const put = (authMethod: number, password?: string) =>
      admin.put(`/api/v2/users/${user.id}`, {
        name: `n_${uniqueSuffix()}`,
        age: 30,
        gender: 1,
        email: { email: user.email, authMethod, ...(password ? { password } : {}) },
      });
    assert.equal((await put(0)).status, 200);
    const count = async (table: string) =>
      (
        await service.sql<{ n: number }>(
          `select count(*)::int as n from ${table} t join emails e on e.id = t.email_id where lower(e.address) = lower(?)`,
          [user.email],
        )
      )[0]?.n;
    assert.equal(await count('totp_credentials'), 0);
    assert.equal(await count('recovery_codes'), 0);
    const plain = await login(user);
    assert.equal(plain.tokenType, 'Bearer', 'a password user gets a token');
    assert.equal((await put(2)).status, 200);
    assert.equal((await login(user)).challenge, 'totp_enroll');
  });

  it('works through the typed tRPC client', async () => {
    const user = await totpUser();
    const client = createUsersClient({ url: `${service.baseUrl}/trpc` });
    const challenge = await client.auth.login.mutate({ email: user.email, password: user.password });
    assert.ok('challenge' in challenge && challenge.challenge === 'totp_enroll');
    const totp = URI.parse(challenge.otpauthUrl) as TOTP;
    const enrolled = await client.auth.totp.mutate({
      challengeToken: challenge.challengeToken,
      code: codeAt(totp, T0),
    });
    assert.equal(enrolled.recoveryCodes?.length, 10);
    const next = await client.auth.login.mutate({ email: user.email, password: user.password });
    assert.ok('challenge' in next && next.challenge === 'totp');
    await assert.rejects(
      client.auth.totp.mutate({ challengeToken: next.challengeToken, code: codeAt(totp, T0) }),
      (error) => {
        assert.ok(error instanceof TRPCClientError);
        assert.equal(error.data?.code, 'UNAUTHORIZED');
        return true;
      },
    );
    await assert.rejects(
      client.auth.totp.mutate({ challengeToken: next.challengeToken }),
      /send either code or recoveryCode/,
    );
  });
});

describe('TOTP lock across challenges', function () {
  this.timeout(60_000);
  let service: TestService;
  before(async () => (service = await startTestService({ TOTP_LOCK_AFTER_FAILS: '7', TOTP_LOCK_SECONDS: '60' })));
  after(() => service.close());

  it('locks the account’s TOTP after repeated failures across challenges, with Retry-After', async () => {
    service.clock.set(T0);
    const body = newUserBody();
    body.email.authMethod = 2;
    assert.equal((await restClient(service.baseUrl, service.adminToken).post('/api/v2/users', body)).status, 200);
    const api = restClient(service.baseUrl);
    const login = async () => (await api.post(LOGIN, { email: body.email.email, password: body.email.password })).body;
    const enrollment = await login();
    const totp = URI.parse(enrollment.otpauthUrl) as TOTP;
    assert.equal(
      (await api.post(TOTP_PATH, { challengeToken: enrollment.challengeToken, code: totp.generate({ timestamp: T0 }) }))
        .status,
      200,
    );
    service.clock.set(T0 + STEP);
    const right = totp.generate({ timestamp: T0 + STEP });
    const wrong = right === '000000' ? '111111' : '000000';
    for (const tries of [5, 2]) {
      const challenge = (await login()).challengeToken;
      for (let i = 0; i < tries; i += 1)
        assert.equal((await api.post(TOTP_PATH, { challengeToken: challenge, code: wrong })).status, 401);
    }
    const locked = await api.post(TOTP_PATH, { challengeToken: (await login()).challengeToken, code: right });
    assert.equal(locked.status, 429, 'even the right code, while locked');
    assert.match(locked.body.msg, /^too many wrong codes: TOTP sign-in is locked; try again in \d+ s$/);
    assert.ok(Number(locked.headers.get('retry-after')) > 30);
  });
});
