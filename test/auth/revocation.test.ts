// Tokens end when they should, on every instance: logout ends the token it is called with; a
// change of password, email address or sign-in method ends every token issued to that user before
// it; other changes end none. Checked over REST and tRPC, and across two instances of the service
// sharing one database, each with its own token cache.
import assert from 'node:assert/strict';
import { createUsersClient, TRPCClientError } from '../../client';
import { newUserBody, uniqueSuffix } from '../support/fixtures';
import { restClient } from '../support/rest';
import { startTestService, type TestService } from '../support/service';

const USERS = '/api/v2/users';

describe('tokens that end', function () {
  this.timeout(60_000);
  let one: TestService;
  let two: TestService;

  before(async () => {
    one = await startTestService();
    // a second instance of the service on the same database
    two = await startTestService({}, { url: one.databaseUrl });
  });
  after(async () => {
    await two?.close();
    await one?.close();
  });

  async function signedInUser(service = one) {
    const body = newUserBody();
    const created = await restClient(service.baseUrl, service.adminToken).post(USERS, body);
    assert.equal(created.status, 200);
    const signIn = async () => {
      const response = await restClient(service.baseUrl).post('/api/v2/auth/token', {
        email: body.email.email,
        password: body.email.password,
      });
      assert.equal(response.status, 200);
      return String(response.body.token);
    };
    return { id: String(created.body.id), body, signIn };
  }

  const status = async (service: TestService, token: string, id: string) =>
    (await restClient(service.baseUrl, token).get(`${USERS}/${id}`)).status;
  const trpcCode = async (service: TestService, token: string, id: string) => {
    try {
      await createUsersClient({ url: `${service.baseUrl}/trpc`, token }).users.read.query({ id });
      return 'OK';
    } catch (error) {
      assert.ok(error instanceof TRPCClientError);
      return String(error.data?.code);
    }
  };

  it('logout over REST ends that token on every instance, and only that token', async () => {
    const user = await signedInUser();
    const [token, other] = [await user.signIn(), await user.signIn()];
    // both instances have seen (and cached) the token
    assert.equal(await status(one, token, user.id), 200);
    assert.equal(await status(two, token, user.id), 200);

    const logout = await restClient(one.baseUrl, token).post('/api/v2/auth/logout', undefined);
    assert.equal(logout.status, 204);
    for (const service of [one, two]) {
      const refused = await restClient(service.baseUrl, token).get(`${USERS}/${user.id}`);
      assert.equal(refused.status, 401);
      assert.deepEqual(refused.body, { code: 100001, msg: 'token has been revoked' });
      assert.equal(await trpcCode(service, token, user.id), 'UNAUTHORIZED');
      assert.equal(await status(service, other, user.id), 200, 'the other token of the user still works');
    }
    const again = await restClient(two.baseUrl, token).post('/api/v2/auth/logout', undefined);
    assert.equal(again.status, 401, 'a revoked token cannot log out again');
    const anonymous = await restClient(one.baseUrl).post('/api/v2/auth/logout', undefined);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.msg, 'missing bearer token');
  });

  it('logout over tRPC, seen by the other instance', async () => {
    const user = await signedInUser();
    const token = await user.signIn();
    await createUsersClient({ url: `${two.baseUrl}/trpc`, token }).auth.logout.mutate();
    assert.equal(await trpcCode(one, token, user.id), 'UNAUTHORIZED');
    assert.equal(await status(one, token, user.id), 401);
  });

  type EmailChange = Partial<{ email: string; authMethod: 0 | 1 | 2 | 3; password: string }>;
  const replacement = (user: { body: ReturnType<typeof newUserBody> }, email: EmailChange) => ({
    name: `changed_${uniqueSuffix()}`,
    age: 41,
    gender: 2 as const,
    email: { email: user.body.email.email, authMethod: 0 as const, ...email },
  });

  const changes: Array<[string, EmailChange]> = [
    ['a password', { password: 'a completely new password' }],
    ['an email address', { email: `moved.${uniqueSuffix()}@example.com` }],
    ['a sign-in method', { authMethod: 1 }],
  ];
  for (const [change, email] of changes) {
    it(`${change} change ends every earlier token of the user, on both instances (REST, by an admin)`, async () => {
      const user = await signedInUser();
      const tokens = [await user.signIn(), await user.signIn()];
      for (const token of tokens) assert.equal(await status(two, token, user.id), 200);
      const changed = await restClient(one.baseUrl, one.adminToken).put(
        `${USERS}/${user.id}`,
        replacement(user, email),
      );
      assert.equal(changed.status, 200);
      for (const service of [one, two]) {
        for (const token of tokens) {
          const refused = await restClient(service.baseUrl, token).get(`${USERS}/${user.id}`);
          assert.equal(refused.status, 401);
          assert.equal(refused.body.msg, 'token is no longer valid');
          assert.equal(await trpcCode(service, token, user.id), 'UNAUTHORIZED');
        }
      }
    });
  }

  it('a password change by the user itself over tRPC ends its tokens, and a new sign-in works', async () => {
    const user = await signedInUser();
    const token = await user.signIn();
    const self = createUsersClient({ url: `${one.baseUrl}/trpc`, token });
    await self.users.update.mutate({ id: user.id, ...replacement(user, { password: 'my new password 123' }) });
    assert.equal(await trpcCode(two, token, user.id), 'UNAUTHORIZED');
    const fresh = await restClient(two.baseUrl).post('/api/v2/auth/token', {
      email: user.body.email.email,
      password: 'my new password 123',
    });
    assert.equal(fresh.status, 200);
    assert.equal(await status(one, fresh.body.token, user.id), 200);
  });

  it('other changes end no token', async () => {
    const user = await signedInUser();
    const token = await user.signIn();
    const changed = await restClient(one.baseUrl, one.adminToken).put(
      `${USERS}/${user.id}`,
      replacement(user, { email: user.body.email.email.toUpperCase() }),
    );
    assert.equal(changed.status, 200);
    assert.equal(
      await status(two, token, user.id),
      200,
      'name, age, gender and the case of the address are no credentials',
    );
  });
});
