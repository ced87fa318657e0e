// A lost second factor (issue 22): an admin resets a user's authenticator, which deletes its TOTP
// secret and recovery codes and ends its sessions, so its next password sign-in enrolls a new one;
// only admins may, and only for authMethod 2; a sign-in that leaves fewer than 3 recovery codes
// says how many are left.
import assert from 'node:assert/strict';
import { TOTP, URI } from 'otpauth';
import { newUserBody } from '../support/fixtures';
import { restClient } from '../support/rest';
import { historyOf } from '../support/events';
import { ADMIN, startTestService, type TestService } from '../support/service';

const LOGIN = '/api/v2/auth/token';
const TOTP_PATH = '/api/v2/auth/totp';
const STEP = 30_000;
const T0 = Math.floor(Date.parse('2026-12-01T12:00:00Z') / STEP) * STEP + STEP / 2;

describe('a lost second factor', function () {
  this.timeout(60_000);
  let service: TestService;
  let api: ReturnType<typeof restClient>;
  let admin: ReturnType<typeof restClient>;

  before(async () => {
    service = await startTestService();
    api = restClient(service.baseUrl);
    admin = restClient(service.baseUrl, service.adminToken);
  });
  beforeEach(() => service.clock.set(T0));
  after(() => service.close());

  async function newUser(authMethod: 0 | 2) {
    const body = newUserBody();
    body.email.authMethod = authMethod;
    const created = await admin.post('/api/v2/users', body);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    return { id: String(created.body.id), email: body.email.email, password: String(body.email.password) };
  }

  /** Enrolls a TOTP user: its authenticator, its token and recovery codes. */
  async function enrolled() {
    const user = await newUser(2);
    const challenge = await api.post(LOGIN, { email: user.email, password: user.password });
    assert.equal(challenge.body.challenge, 'totp_enroll');
    const totp = URI.parse(String(challenge.body.otpauthUrl)) as TOTP;
    const answer = await api.post(TOTP_PATH, {
      challengeToken: challenge.body.challengeToken,
      code: totp.generate({ timestamp: T0 }),
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return { ...user, totp, token: String(answer.body.token), recoveryCodes: answer.body.recoveryCodes as string[] };
  }

  it('deletes the secret and recovery codes, ends the sessions, and the next sign-in enrolls again', async () => {
    const user = await enrolled();
    assert.equal((await api.get(`/api/v2/users/${user.id}`, { token: user.token })).status, 200);

    const reset = await admin.post(`/api/v2/users/${user.id}/totp/reset`, {});
    assert.equal(reset.status, 204, JSON.stringify(reset.body));

    assert.equal((await api.get(`/api/v2/users/${user.id}`, { token: user.token })).status, 401, 'token ended');
    const rows = await service.sql<{ n: number }>(
      `select (select count(*) from totp_credentials t join emails e on e.id = t.email_id where e.address = ?)
            + (select count(*) from recovery_codes r join emails e on e.id = r.email_id where e.address = ?) as n`,
      [user.email, user.email],
    );
    assert.equal(Number(rows[0]?.n), 0);

    const next = await api.post(LOGIN, { email: user.email, password: user.password });
    assert.equal(next.status, 200);
    assert.equal(next.body.challenge, 'totp_enroll', 'a new authenticator is set up');
    assert.notEqual(next.body.otpauthUrl, undefined);
    const fresh = URI.parse(String(next.body.otpauthUrl)) as TOTP;
    assert.notEqual(fresh.secret.base32, user.totp.secret.base32, 'a new secret');
    const old = await api.post(TOTP_PATH, {
      challengeToken: next.body.challengeToken,
      recoveryCode: user.recoveryCodes[0],
    });
    assert.equal(old.status, 401, 'the old recovery codes are gone');
    assert.deepEqual(await historyOf(service, user.id, ['auth.totp_reset']), [
      { type: 'auth.totp_reset', actor: ADMIN.id, data: {} },
    ]);
  });

  it('is for admins only, for authMethod 2 only, and alike over tRPC', async () => {
    const user = await enrolled();
    const self = await api.post(`/api/v2/users/${user.id}/totp/reset`, {}, { token: user.token });
    assert.equal(self.status, 403);
    const passwordUser = await newUser(0);
    const wrongMethod = await admin.post(`/api/v2/users/${passwordUser.id}/totp/reset`, {});
    assert.deepEqual(
      [wrongMethod.status, wrongMethod.body],
      [400, { code: 100001, msg: 'id: this user does not sign in with an authenticator (authMethod 2)' }],
    );
    assert.equal((await admin.post(`/api/v2/users/nobody-here/totp/reset`, {})).status, 404);
    assert.equal(await service.caller().users.resetTotp({ id: user.id }), undefined);
    const next = await api.post(LOGIN, { email: user.email, password: user.password });
    assert.equal(next.body.challenge, 'totp_enroll');
  });

  it('tells a user with fewer than 3 recovery codes left how many are left', async () => {
    const user = await enrolled();
    const signInWith = async (recoveryCode: string) => {
      const challenge = await api.post(LOGIN, { email: user.email, password: user.password });
      const answer = await api.post(TOTP_PATH, { challengeToken: challenge.body.challengeToken, recoveryCode });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      return answer.body;
    };
    for (const code of user.recoveryCodes.slice(0, 7)) {
      assert.equal((await signInWith(code)).recoveryCodesLeft, undefined, 'not while 3 or more are left');
    }
    assert.equal((await signInWith(String(user.recoveryCodes[7]))).recoveryCodesLeft, 2);
    // a code from the app says it too
    service.clock.advance(STEP);
    const challenge = await api.post(LOGIN, { email: user.email, password: user.password });
    const byCode = await api.post(TOTP_PATH, {
      challengeToken: challenge.body.challengeToken,
      code: user.totp.generate({ timestamp: service.clock.now() }),
    });
    assert.equal(byCode.body.recoveryCodesLeft, 2);
    assert.equal((await signInWith(String(user.recoveryCodes[8]))).recoveryCodesLeft, 1);
  });
});
