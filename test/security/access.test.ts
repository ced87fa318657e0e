// Who may touch whom, on both surfaces: a user reads, updates and deletes only itself (another
// user's id answers exactly like an unknown one), list and create need the admin role, and a
// token outlives neither its user nor a later user who takes the same id.
import assert from 'node:assert/strict';
import { createUsersClient, TRPCClientError, type UsersClient } from '../../client';
import type { User } from '../../router/users/user-schemas';
import { newUserBody, uniqueSuffix } from '../support/fixtures';
import { restClient } from '../support/rest';
import { startTestService, type TestService } from '../support/service';

const USERS = '/api/v2/users';

describe('access control', () => {
  let service: TestService;
  let admin: ReturnType<typeof restClient>;

  before(async () => {
    service = await startTestService();
    admin = restClient(service.baseUrl, service.adminToken);
  });
  after(() => service.close());

  async function createUser(id = `u-${uniqueSuffix()}`): Promise<{ user: User; password: string; token: string }> {
    const body = newUserBody({ id });
    const { status, body: user } = await admin.post<User>(USERS, body);
    assert.equal(status, 200);
    const login = await restClient(service.baseUrl).post('/api/v2/auth/token', {
      email: body.email.email,
      password: body.email.password,
    });
    assert.equal(login.status, 200);
    return { user, password: String(body.email.password), token: login.body.token };
  }

  const replacement = () => ({
    name: `changed_${uniqueSuffix()}`,
    age: 50,
    gender: 1 as const,
    email: { email: `changed.${uniqueSuffix()}@example.com`, authMethod: 1 as const },
    role: 'admin',
  });

  describe('over REST', () => {
    it('lets a user read, update and delete itself', async () => {
      const { user, token } = await createUser();
      const self = restClient(service.baseUrl, token);
      assert.deepEqual((await self.get(`${USERS}/${user.id}`)).body, user);
      // the same address and method, no new password: the token survives the update
      const updated = await self.put(`${USERS}/${user.id}`, {
        ...replacement(),
        email: { email: user.email.email, authMethod: 0 },
      });
      assert.equal(updated.status, 200);
      // the body sent a role; the same token is still a user's
      assert.equal((await self.get(USERS)).status, 403, 'no role can be set');
      assert.equal((await self.delete(`${USERS}/${user.id}`)).status, 204);
    });

    it('answers another user’s id exactly like an unknown one, and changes nothing', async () => {
      const [alice, bob] = [await createUser(), await createUser()];
      const asAlice = restClient(service.baseUrl, alice.token);
      const unknown = `nobody-${uniqueSuffix()}`;
      for (const [method, body] of [
        ['GET', undefined],
        ['PUT', replacement()],
        ['DELETE', undefined],
      ] as const) {
        const foreign = await asAlice.call(method, `${USERS}/${bob.user.id}`, { body });
        const missing = await asAlice.call(method, `${USERS}/${unknown}`, { body });
        assert.equal(foreign.status, 404, method);
        assert.deepEqual(foreign.body, missing.body, method);
      }
      assert.deepEqual((await admin.get(`${USERS}/${bob.user.id}`)).body, bob.user);
    });

    it('refuses list and create to a user with 403, writing nothing', async () => {
      const { token } = await createUser();
      const asUser = restClient(service.baseUrl, token);
      const list = await asUser.get(USERS);
      assert.equal(list.status, 403);
      assert.deepEqual(list.body, { code: 100001, msg: 'admin role required' });
      const body = newUserBody();
      const create = await asUser.post(USERS, body);
      assert.equal(create.status, 403);
      assert.deepEqual(await service.sql('select id from emails where address = ?', [body.email.email]), []);
    });

    it('stops honouring a token once its user is deleted, and for a new user with the same id', async () => {
      const id = `reused-${uniqueSuffix()}`;
      const first = await createUser(id);
      const stale = restClient(service.baseUrl, first.token);
      assert.equal((await admin.delete(`${USERS}/${id}`)).status, 204);
      const gone = await stale.get(`${USERS}/${id}`);
      assert.equal(gone.status, 401, 'a deleted user’s token ends with it');
      assert.deepEqual(gone.body, { code: 100001, msg: 'token is no longer valid' });

      // at once: the new user has a credential epoch of its own, which the old token does not carry
      const second = await createUser(id);
      const reused = await stale.get(`${USERS}/${id}`);
      assert.equal(reused.status, 401);
      assert.deepEqual(reused.body, { code: 100001, msg: 'token is no longer valid' });
      assert.equal((await stale.put(`${USERS}/${id}`, replacement())).status, 401);
      assert.equal((await stale.delete(`${USERS}/${id}`)).status, 401);
      assert.equal((await restClient(service.baseUrl, second.token).get(`${USERS}/${id}`)).status, 200);
    });
  });

  it('ends a deleted admin’s rights with the admin', async () => {
    const { user, token } = await createUser();
    // promoted in the database, as `npm run admin` does: a new role, a new epoch, a new sign-in
    await service.sql('update users set role = ?, token_epoch = gen_random_uuid() where id = ?', ['admin', user.id]);
    const signIn = await restClient(service.baseUrl).post('/api/v2/auth/token', {
      email: user.email.email,
      password: 'correct horse battery',
    });
    assert.equal(signIn.status, 200);
    const asAdmin = restClient(service.baseUrl, signIn.body.token);
    assert.equal((await asAdmin.get(USERS)).status, 200);
    assert.equal(
      (await restClient(service.baseUrl, token).get(`${USERS}/${user.id}`)).status,
      401,
      'the old token ended',
    );
    assert.equal((await admin.delete(`${USERS}/${user.id}`)).status, 204);
    const after = await asAdmin.get(USERS);
    assert.equal(after.status, 401);
    assert.equal(after.body.msg, 'token is no longer valid');
  });

  describe('over tRPC', () => {
    const client = (token: string): UsersClient => createUsersClient({ url: `${service.baseUrl}/trpc`, token });
    const rejectsWith = async (call: Promise<unknown>, code: string) =>
      assert.rejects(call, (error: unknown) => {
        assert.ok(error instanceof TRPCClientError);
        assert.equal(error.data?.code, code);
        return true;
      });

    it('applies the same rules', async () => {
      const [alice, bob] = [await createUser(), await createUser()];
      const asAlice = client(alice.token);
      assert.equal((await asAlice.users.read.query({ id: alice.user.id })).id, alice.user.id);
      await rejectsWith(asAlice.users.read.query({ id: bob.user.id }), 'NOT_FOUND');
      await rejectsWith(asAlice.users.update.mutate({ id: bob.user.id, ...replacement() }), 'NOT_FOUND');
      await rejectsWith(asAlice.users.delete.mutate({ id: bob.user.id }), 'NOT_FOUND');
      await rejectsWith(asAlice.users.list.query({}), 'FORBIDDEN');
      await rejectsWith(asAlice.users.create.mutate(newUserBody()), 'FORBIDDEN');
      assert.deepEqual((await admin.get(`${USERS}/${bob.user.id}`)).body, bob.user);
      await asAlice.users.delete.mutate({ id: alice.user.id });
      await rejectsWith(asAlice.users.read.query({ id: alice.user.id }), 'UNAUTHORIZED');
    });
  });
});
