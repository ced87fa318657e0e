// Step-up before a credential change (RFC 9470; ASVS 2.1.6, 3.7.1), on both surfaces over real
// sockets: a user changing its own password, email address or sign-in method, or deleting itself,
// needs a sign-in within REAUTH_MAX_AGE_SECONDS (the service's clock, which the test moves); older,
// it gets 401 with `WWW-Authenticate: Bearer error="insufficient_user_authentication"` and
// `max_age`, a message that says to sign in again, and nothing changes in the database. A token
// without `auth_time` counts as old. Admins changing other users, operator tokens and changes of
// name, age or gender are not asked. Every sign-in method's token carries the time of its own
// sign-in: the TOTP code's, not the password's before it; the email code's verification.
import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import { type TOTP, URI } from 'otpauth';
import { createUsersClient, TRPCClientError } from '../../client';
import { newUserBody, uniqueSuffix, type UserBody } from '../support/fixtures';
import { restClient } from '../support/rest';
import { startTestService, type TestService } from '../support/service';
import { codeOf, startSmtpCapture, type SmtpCapture } from '../support/smtp';
import { makeAdmin } from '../../server/cli/admin-account';

const USERS = '/api/v2/users';
const MAX_AGE = 300;
const CHALLENGE =
  'Bearer error="insufficient_user_authentication", ' +
  'error_description="A more recent sign-in is required: sign in again", max_age=300';
const SIGN_IN_AGAIN = /needs a sign-in within the last 300 seconds: sign in again, then retry$/;

describe('step-up: a recent sign-in before a user changes its own credentials', function () {
  this.timeout(60_000);
  let smtp: SmtpCapture;
  let service: TestService;
  let admin: ReturnType<typeof restClient>;

  before(async () => {
    smtp = await startSmtpCapture();
    service = await startTestService({ SMTP_URL: smtp.url });
    admin = restClient(service.baseUrl, service.adminToken);
  });
  afterEach(() => {
    service.clock.offsetMs = 0;
  });
  after(async () => {
    await service?.close();
    await smtp?.close();
  });

  async function passwordUser(authMethod: 0 | 2 = 0) {
    const body = newUserBody();
    body.email.authMethod = authMethod;
    const created = await admin.post(USERS, body);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    return { id: String(created.body.id), body, email: body.email.email, password: String(body.email.password) };
  }

  async function signIn(email: string, password: string): Promise<string> {
    const response = await restClient(service.baseUrl).post('/api/v2/auth/token', { email, password });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.ok(response.body.token, 'a token, not a TOTP step');
    return String(response.body.token);
  }

  /** Moves the service's clock on: a sign-in made before is `seconds` older. */
  const later = (seconds: number) => service.clock.advance(seconds * 1000);

  /** What the database holds of how the user signs in (and its name), to show a refusal changed nothing. */
  async function stored(id: string) {
    const [row] = await service.sql(
      `select u.name, u.token_epoch, e.address, e.auth_method, e.password_hash
         from users u join emails e on e.id = u.email_id where u.id = ?`,
      [id],
    );
    return row;
  }

  const replacement = (user: { body: UserBody }, email: Partial<UserBody['email']>, name = user.body.name) => ({
    name,
    age: user.body.age,
    gender: user.body.gender,
    email: { email: user.body.email.email, authMethod: user.body.email.authMethod, ...email },
  });

  describe('over REST', () => {
    it('lets a fresh sign-in change its password, and the new password signs in', async () => {
      const user = await passwordUser();
      const token = await signIn(user.email, user.password);
      later(MAX_AGE - 20);
      const changed = await restClient(service.baseUrl, token).put(
        `${USERS}/${user.id}`,
        replacement(user, { password: 'a brand new passphrase' }),
      );
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      await signIn(user.email, 'a brand new passphrase');
    });

    const credentialChanges: Array<[string, Partial<UserBody['email']>]> = [
      ['its password', { password: 'a brand new passphrase' }],
      ['its sign-in method', { authMethod: 1 }],
    ];
    for (const [what, email] of credentialChanges) {
      it(`refuses an old sign-in changing ${what}: 401, the step-up challenge, and nothing changes`, async () => {
        const user = await passwordUser();
        const token = await signIn(user.email, user.password);
        later(MAX_AGE + 5);
        const before = await stored(user.id);
        const refused = await restClient(service.baseUrl, token).put(
          `${USERS}/${user.id}`,
          replacement(user, email, `renamed_${uniqueSuffix()}`),
        );
        assert.equal(refused.status, 401);
        assert.equal(refused.headers.get('www-authenticate'), CHALLENGE);
        assert.equal(refused.body.code, 100001);
        assert.match(refused.body.msg, SIGN_IN_AGAIN);
        assert.match(refused.body.msg, /^changing your (password|email address|sign-in method) needs/);
        assert.deepEqual(await stored(user.id), before, 'nothing changed, not even the name sent with it');
        // the token itself still stands for everything else
        assert.equal((await restClient(service.baseUrl, token).get(`${USERS}/${user.id}`)).status, 200);

        // signing in again is what it takes
        const fresh = await signIn(user.email, user.password);
        const changed = await restClient(service.baseUrl, fresh).put(`${USERS}/${user.id}`, replacement(user, email));
        assert.equal(changed.status, 200, JSON.stringify(changed.body));
      });
    }

    it('refuses an old sign-in asking for a new email address: 401, the step-up challenge, and no mail', async () => {
      // a person's own address moves only with a code mailed to the new one (router/auth/email-change)
      const user = await passwordUser();
      const token = await signIn(user.email, user.password);
      later(MAX_AGE + 5);
      const moved = `moved.${uniqueSuffix()}@example.com`;
      const refused = await restClient(service.baseUrl, token).post('/api/v2/auth/email-change', { email: moved });
      assert.equal(refused.status, 401);
      assert.equal(refused.headers.get('www-authenticate'), CHALLENGE);
      assert.match(refused.body.msg, /^changing your email address needs/);
      assert.match(refused.body.msg, SIGN_IN_AGAIN);
      const fresh = await signIn(user.email, user.password);
      const asked = await restClient(service.baseUrl, fresh).post('/api/v2/auth/email-change', { email: moved });
      assert.equal(asked.status, 202, JSON.stringify(asked.body));
      await smtp.waitFor(moved);
      assert.equal(smtp.to(moved).length, 1, 'one code, for the fresh sign-in');
    });

    it('lets an old sign-in change name, age and gender, and the address only in case', async () => {
      const user = await passwordUser();
      const token = await signIn(user.email, user.password);
      later(MAX_AGE + 60);
      const changed = await restClient(service.baseUrl, token).put(`${USERS}/${user.id}`, {
        ...replacement(user, { email: user.email.toUpperCase() }, 'renamed_by_old_token'),
        age: 77,
        gender: 2,
      });
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      assert.equal(changed.body.name, 'renamed_by_old_token');
      assert.equal(changed.body.age, 77);
    });

    it('refuses an old sign-in deleting itself, and lets a fresh one', async () => {
      const user = await passwordUser();
      const token = await signIn(user.email, user.password);
      later(MAX_AGE + 1);
      const refused = await restClient(service.baseUrl, token).delete(`${USERS}/${user.id}`);
      assert.equal(refused.status, 401);
      assert.equal(refused.headers.get('www-authenticate'), CHALLENGE);
      assert.match(refused.body.msg, /^deleting your account needs a sign-in within the last 300 seconds/);
      assert.equal((await admin.get(`${USERS}/${user.id}`)).status, 200, 'still there');

      const fresh = await signIn(user.email, user.password);
      assert.equal((await restClient(service.baseUrl, fresh).delete(`${USERS}/${user.id}`)).status, 204);
      assert.equal((await admin.get(`${USERS}/${user.id}`)).status, 404);
    });

    it('counts a token without auth_time (issued before the claim) as old', async () => {
      const user = await passwordUser();
      const [row] = await service.sql<{ token_epoch: string }>('select token_epoch from users where id = ?', [user.id]);
      const legacy = service.tokens.issue({ id: user.id, role: 'user', epoch: row!.token_epoch }).token;
      assert.equal((jwt.decode(legacy) as jwt.JwtPayload).auth_time, undefined);
      const refused = await restClient(service.baseUrl, legacy).put(
        `${USERS}/${user.id}`,
        replacement(user, { password: 'a brand new passphrase' }),
      );
      assert.equal(refused.status, 401);
      assert.equal(refused.headers.get('www-authenticate'), CHALLENGE);
    });

    it('does not ask an admin changing another user, nor an operator token; an admin changing itself, it does', async () => {
      const user = await passwordUser();
      const adminUser = await passwordUser();
      await makeAdmin(
        service.orm.em.fork(),
        service.passwords,
        { email: adminUser.email, password: adminUser.password, name: 'stepup_admin', age: 40, gender: 0 },
        new Set(),
      );
      const adminToken = await signIn(adminUser.email, adminUser.password);
      later(MAX_AGE + 60);
      const byAdmin = restClient(service.baseUrl, adminToken);
      const changes = [
        { password: 'set by the admin' },
        { email: `moved.${uniqueSuffix()}@example.com`, authMethod: 1 as const, password: undefined },
      ];
      for (const email of changes) {
        const changed = await byAdmin.put(`${USERS}/${user.id}`, replacement(user, email));
        assert.equal(changed.status, 200, JSON.stringify(changed.body));
      }
      // the operator token of this test service (no user epoch, no auth_time)
      const byOperator = await admin.put(`${USERS}/${user.id}`, replacement(user, { password: 'set by an operator' }));
      assert.equal(byOperator.status, 200, JSON.stringify(byOperator.body));
      assert.equal((await admin.delete(`${USERS}/${user.id}`)).status, 204);

      const self = await byAdmin.put(
        `${USERS}/${adminUser.id}`,
        replacement(adminUser, { password: 'its own new one' }),
      );
      assert.equal(self.status, 401, 'an admin changing its own password is asked too');
      assert.equal(self.headers.get('www-authenticate'), CHALLENGE);
    });

    it('keeps the default 401 challenges for other refusals', async () => {
      const user = await passwordUser();
      const none = await restClient(service.baseUrl).put(`${USERS}/${user.id}`, replacement(user, {}));
      assert.equal(none.headers.get('www-authenticate'), 'Bearer');
      const bad = await restClient(service.baseUrl, 'not.a.token').put(`${USERS}/${user.id}`, replacement(user, {}));
      assert.equal(bad.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
    });
  });

  describe('over tRPC', () => {
    const client = (token: string) => createUsersClient({ url: `${service.baseUrl}/trpc`, token });

    /** The refusal a console recognises: UNAUTHORIZED, the message, and `data.reauthenticate`. */
    const stepUpRefusal = (error: unknown) => {
      assert.ok(error instanceof TRPCClientError);
      assert.equal(error.data?.code, 'UNAUTHORIZED');
      assert.equal(error.data?.httpStatus, 401);
      assert.match(error.message, SIGN_IN_AGAIN);
      assert.deepEqual(error.data?.reauthenticate, { maxAgeSeconds: MAX_AGE });
      return true;
    };

    it('lets a fresh sign-in change its password, refuses an old one and changes nothing', async () => {
      const user = await passwordUser();
      const token = await signIn(user.email, user.password);
      const users = client(token);
      await users.users.update.mutate({ id: user.id, ...replacement(user, { password: 'fresh and allowed' }) });

      const again = await signIn(user.email, 'fresh and allowed');
      later(MAX_AGE + 1);
      const before = await stored(user.id);
      await assert.rejects(
        client(again).users.update.mutate({ id: user.id, ...replacement(user, { password: 'too late for this' }) }),
        stepUpRefusal,
      );
      await assert.rejects(
        client(again).auth.emailChange.start.mutate({ email: `moved.${uniqueSuffix()}@example.com` }),
        stepUpRefusal,
      );
      assert.deepEqual(await stored(user.id), before);
      const renamed = await client(again).users.update.mutate({ id: user.id, ...replacement(user, {}, 'only_a_name') });
      assert.equal(renamed.name, 'only_a_name', 'a name-only change passes');
    });

    it('needs a recent sign-in to delete itself', async () => {
      const user = await passwordUser();
      const token = await signIn(user.email, user.password);
      later(MAX_AGE + 1);
      await assert.rejects(client(token).users.delete.mutate({ id: user.id }), stepUpRefusal);
      assert.equal((await admin.get(`${USERS}/${user.id}`)).status, 200);
      const fresh = await signIn(user.email, user.password);
      await client(fresh).users.delete.mutate({ id: user.id });
      assert.equal((await admin.get(`${USERS}/${user.id}`)).status, 404);
    });

    it('does not ask an admin deleting another user', async () => {
      const user = await passwordUser();
      later(MAX_AGE * 10);
      await client(service.adminToken).users.delete.mutate({ id: user.id });
      assert.equal((await admin.get(`${USERS}/${user.id}`)).status, 404);
    });
  });

  describe('the time of the sign-in, for each method', () => {
    const authTime = (token: string) => (jwt.decode(token) as jwt.JwtPayload).auth_time as number;
    const now = () => Math.floor(service.clock.now() / 1000);

    it('password: the time of the password', async () => {
      const user = await passwordUser();
      const token = await signIn(user.email, user.password);
      assert.ok(Math.abs(authTime(token) - now()) <= 2, 'auth_time is the sign-in');
    });

    it('TOTP: the time of the code, not of the password before it', async () => {
      const user = await passwordUser(2);
      const api = restClient(service.baseUrl);
      const challenge = (await api.post('/api/v2/auth/token', { email: user.email, password: user.password })).body;
      assert.equal(challenge.challenge, 'totp_enroll');
      const totp = URI.parse(String(challenge.otpauthUrl)) as TOTP;
      // the password was proven 250 s before the code
      later(250);
      const enrolled = await api.post('/api/v2/auth/totp', {
        challengeToken: challenge.challengeToken,
        code: totp.generate({ timestamp: service.clock.now() }),
      });
      assert.equal(enrolled.status, 200, JSON.stringify(enrolled.body));
      const token = String(enrolled.body.token);
      assert.ok(Math.abs(authTime(token) - now()) <= 2);
      // 100 s on, the password is 350 s old but the sign-in (the code) only 100 s
      later(100);
      const changed = await restClient(service.baseUrl, token).put(
        `${USERS}/${user.id}`,
        replacement(user, { password: 'changed after the code' }),
      );
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
    });

    it('email code: the time the code is verified', async () => {
      const body = newUserBody();
      body.email = { email: body.email.email, authMethod: 1 };
      const created = await admin.post(USERS, body);
      assert.equal(created.status, 200);
      const api = restClient(service.baseUrl);
      assert.equal((await api.post('/api/v2/auth/otp', { email: body.email.email })).status, 202);
      const code = codeOf(await smtp.waitFor(body.email.email));
      later(250);
      const verified = await api.post('/api/v2/auth/otp/verify', { email: body.email.email, code });
      assert.equal(verified.status, 200, JSON.stringify(verified.body));
      const token = String(verified.body.token);
      assert.ok(Math.abs(authTime(token) - now()) <= 2);
      later(100);
      const moved = await restClient(service.baseUrl, token).post('/api/v2/auth/email-change', {
        email: `moved.${uniqueSuffix()}@example.com`,
      });
      assert.equal(moved.status, 202, JSON.stringify(moved.body));
      later(MAX_AGE);
      const late = await restClient(service.baseUrl, token).delete(`${USERS}/${String(created.body.id)}`);
      assert.equal(late.status, 401, 'the same token, 400 s after its sign-in');
    });
  });

  it('takes the age from REAUTH_MAX_AGE_SECONDS', async () => {
    const strict = await startTestService({ REAUTH_MAX_AGE_SECONDS: '60' });
    try {
      const body = newUserBody();
      const created = await restClient(strict.baseUrl, strict.adminToken).post(USERS, body);
      const id = String(created.body.id);
      const token = String(
        (
          await restClient(strict.baseUrl).post('/api/v2/auth/token', {
            email: body.email.email,
            password: body.email.password,
          })
        ).body.token,
      );
      strict.clock.advance(61_000);
      const refused = await restClient(strict.baseUrl, token).delete(`${USERS}/${id}`);
      assert.equal(refused.status, 401);
      assert.match(String(refused.headers.get('www-authenticate')), /, max_age=60$/);
      assert.match(refused.body.msg, /within the last 60 seconds/);
    } finally {
      await strict.close();
    }
  });
});
