// PATCH /api/v2/users/{id} with a JSON merge patch (RFC 7396), and users.patch over tRPC: only the
// fields named change (the email's too), a null on a field every user has is refused by name, the
// password stays optional, and every rule of PUT holds, since a patch is merged into the user and
// written by PUT's own replacement: validation, unique addresses, the end of every token on a
// credential change, and what a user may touch. Concurrent patches of different fields all land.
import assert from 'node:assert/strict';
import { TRPCError } from '@trpc/server';
import { newUserBody, uniqueSuffix } from './support/fixtures';
import { restClient } from './support/rest';
import { startTestService, type TestService } from './support/service';

const USERS = '/api/v2/users';

describe('PATCH: JSON merge patch of a user', function () {
  this.timeout(60_000);
  let service: TestService;
  let api: ReturnType<typeof restClient>;

  before(async () => {
    service = await startTestService();
    api = restClient(service.baseUrl, service.adminToken);
  });
  after(() => service.close());

  async function created(overrides = {}) {
    const body = newUserBody({ gender: 1, ...overrides });
    const response = await api.post(USERS, body);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return { user: response.body, body };
  }

  const stored = async (id: string) =>
    (
      await service.sql<Record<string, unknown>>(
        `select u.name, u.age, u.gender, u.token_epoch, e.address, e.auth_method, e.password_hash
         from users u join emails e on e.id = u.email_id where u.id = ?`,
        [id],
      )
    )[0];

  const signIn = async (email: string, password: string) =>
    restClient(service.baseUrl).post('/api/v2/auth/token', { email, password });

  describe('changes only the fields it names', () => {
    // each field, the patch that changes it, and the columns that change with it (leaving the
    // password method drops the hash, as PUT does; the epoch moves with every credential change)
    const changes: Array<[string, (suffix: string) => Record<string, unknown>, string[]]> = [
      ['name', (suffix) => ({ name: `patched_${suffix}` }), ['name']],
      ['age', () => ({ age: 99 }), ['age']],
      ['gender', () => ({ gender: 2 }), ['gender']],
      ['email.email', (suffix) => ({ email: { email: `patched.${suffix}@example.com` } }), ['address', 'token_epoch']],
      ['email.authMethod', () => ({ email: { authMethod: 1 } }), ['auth_method', 'password_hash', 'token_epoch']],
      ['email.password', () => ({ email: { password: 'a brand new password' } }), ['password_hash', 'token_epoch']],
    ];
    const without = (row: Record<string, unknown>, columns: string[]) =>
      Object.fromEntries(Object.entries(row).filter(([key]) => !columns.includes(key)));
    for (const [field, patchOf, columns] of changes) {
      it(`${field}, over REST and over tRPC`, async () => {
        for (const surface of ['rest', 'trpc'] as const) {
          const { user } = await created();
          const before = (await stored(user.id))!;
          const patch = patchOf(uniqueSuffix());
          const answer =
            surface === 'rest'
              ? (await api.patch(`${USERS}/${user.id}`, patch)).body
              : await service.caller().users.patch({ id: user.id, ...patch });
          const after = (await stored(user.id))!;
          for (const column of columns) assert.notDeepEqual(after[column], before[column], `${surface}: ${column}`);
          assert.deepEqual(without(after, columns), without(before, columns), `${surface}: the other fields stay`);
          assert.equal(answer.id, user.id);
          assert.deepEqual(
            (await api.get(`${USERS}/${user.id}`)).body,
            answer,
            `${surface}: answers the user as stored`,
          );
        }
      });
    }

    it('merges the email: a new address keeps the sign-in method and the password', async () => {
      const { user, body } = await created();
      const address = `merged.${uniqueSuffix()}@example.com`;
      const response = await api.patch(`${USERS}/${user.id}`, { email: { email: address } });
      assert.equal(response.status, 200);
      assert.equal(response.body.email.email, address);
      assert.equal(response.body.email.authMethod, 0);
      assert.equal(response.body.email.id, user.email.id);
      assert.equal((await signIn(address, body.email.password!)).status, 200, 'the password is kept');
    });

    it('with an empty patch changes nothing but the version and updatedAt', async () => {
      const { user } = await created();
      const before = await stored(user.id);
      const response = await api.patch(`${USERS}/${user.id}`, {});
      assert.equal(response.status, 200);
      assert.deepEqual(await stored(user.id), before);
    });
  });

  describe('refuses what PUT refuses, and nulls', () => {
    it('a null on a field every user has: 400 naming it, nothing changed', async () => {
      const { user } = await created();
      const before = await stored(user.id);
      const refusals: Array<[unknown, string]> = [
        [{ name: null }, 'name: cannot be null: every user has a name (leave the field out to keep it)'],
        [
          { age: null, gender: null },
          'age: cannot be null: every user has an age (leave the field out to keep it); gender: cannot be null: every user has a gender (leave the field out to keep it)',
        ],
        [{ email: null }, 'email: cannot be null: every user has an email (leave the field out to keep it)'],
        [
          { email: { email: null } },
          'email.email: cannot be null: every user has an email address (leave the field out to keep it)',
        ],
        [
          { email: { authMethod: null } },
          'email.authMethod: cannot be null: every user has a sign-in method (leave the field out to keep it)',
        ],
        [{ email: { password: null } }, 'email.password: cannot be null: leave it out to keep the password'],
      ];
      for (const [patch, msg] of refusals) {
        const response = await api.patch(`${USERS}/${user.id}`, patch);
        assert.equal(response.status, 400, JSON.stringify(patch));
        assert.deepEqual(response.body, { code: 100001, msg });
      }
      await assert.rejects(service.caller().users.patch({ id: user.id, name: null } as never), (error: unknown) => {
        assert.ok(error instanceof TRPCError);
        assert.equal(error.code, 'BAD_REQUEST');
        return true;
      });
      assert.deepEqual(await stored(user.id), before);
    });

    it('invalid values, a taken address, a password for a method without one: the answers PUT gives', async () => {
      const { user } = await created();
      const other = await created();
      const before = await stored(user.id);
      const cases: Array<[unknown, number, string]> = [
        [{ age: 0 }, 400, 'age: must be at least 1'],
        [{ name: 'x' }, 400, 'name: must be at least 3 characters'],
        [{ gender: 7 }, 400, 'gender: must be one of 0 (secret), 1 (male), 2 (female)'],
        [{ email: { email: 'not an address' } }, 400, 'email.email: must be an email address such as name@example.com'],
        [
          { email: { email: other.body.email.email.toUpperCase() } },
          409,
          'a user with this email address already exists',
        ],
        [
          { email: { authMethod: 1, password: 'a password here' } },
          400,
          'email.password: can only be set when email.authMethod is 0 (password) or 2 (totp)',
        ],
        [{ id: 'someone-else' }, 400, 'id: must match the id in the path'],
      ];
      for (const [patch, status, msg] of cases) {
        const response = await api.patch(`${USERS}/${user.id}`, patch);
        assert.equal(response.status, status, JSON.stringify(patch));
        assert.deepEqual(response.body, { code: 100001, msg });
      }
      assert.deepEqual(await stored(user.id), before);
    });

    it('a method that needs a password, without one stored or sent: 400, as PUT', async () => {
      const { user } = await created({ email: { email: `otp.${uniqueSuffix()}@example.com`, authMethod: 1 } });
      const response = await api.patch(`${USERS}/${user.id}`, { email: { authMethod: 0 } });
      assert.equal(response.status, 400);
      assert.equal(response.body.msg, 'email.password: is required when email.authMethod is 0 (password) or 2 (totp)');
      const withPassword = await api.patch(`${USERS}/${user.id}`, {
        email: { authMethod: 0, password: 'now with a password' },
      });
      assert.equal(withPassword.status, 200);
    });

    it('takes only application/merge-patch+json: 415 with Accept-Patch otherwise', async () => {
      const { user } = await created();
      const response = await api.call('PATCH', `${USERS}/${user.id}`, { body: { age: 50 } });
      assert.equal(response.status, 415);
      assert.equal(response.headers.get('accept-patch'), 'application/merge-patch+json');
      assert.deepEqual(response.body, {
        code: 100001,
        msg: 'the request body must be a JSON merge patch (Content-Type: application/merge-patch+json, RFC 7396)',
      });
      const array = await api.patch(`${USERS}/${user.id}`, [{ op: 'replace', path: '/age', value: 50 }]);
      assert.equal(array.status, 400);
      assert.equal(array.body.msg, 'the request body must be a JSON object');
      // and a merge patch is no body for PUT
      const put = await api.call('PUT', `${USERS}/${user.id}`, {
        rawBody: JSON.stringify(newUserBody()),
        headers: { 'content-type': 'application/merge-patch+json' },
      });
      assert.equal(put.status, 415);
    });

    it('answers 404 for a user that is not there, and for another user to a user', async () => {
      assert.equal((await api.patch(`${USERS}/nobody-${uniqueSuffix()}`, { age: 3 })).status, 404);
      const { user, body } = await created();
      const other = await created();
      const token = (await signIn(body.email.email, body.email.password!)).body.token as string;
      const asUser = restClient(service.baseUrl, token);
      assert.equal((await asUser.patch(`${USERS}/${other.user.id}`, { age: 3 })).status, 404);
      assert.equal((await asUser.patch(`${USERS}/${user.id}`, { age: 3 })).status, 200, 'a user may patch itself');
    });
  });

  describe('ends sign-in state as PUT does', () => {
    it('a new password or address ends every token issued before; a new name ends none', async () => {
      const { user, body } = await created();
      const tokenOf = async (password = body.email.password!, email = body.email.email) =>
        (await signIn(email, password)).body.token as string;
      const readAs = async (token: string) =>
        (await restClient(service.baseUrl, token).get(`${USERS}/${user.id}`)).status;

      const first = await tokenOf();
      assert.equal((await api.patch(`${USERS}/${user.id}`, { name: `renamed_${uniqueSuffix()}` })).status, 200);
      assert.equal(await readAs(first), 200, 'a name is no credential');

      assert.equal((await api.patch(`${USERS}/${user.id}`, { email: { password: 'the next password' } })).status, 200);
      assert.equal(await readAs(first), 401, 'a new password ends the earlier token');

      const second = await tokenOf('the next password');
      const address = `moved.${uniqueSuffix()}@example.com`;
      assert.equal((await api.patch(`${USERS}/${user.id}`, { email: { email: address } })).status, 200);
      assert.equal(await readAs(second), 401, 'a new address ends the earlier token');
      assert.equal((await signIn(address, 'the next password')).status, 200);
    });
  });

  describe('concurrent patches', () => {
    it('of different fields all land: none overwrites another with what it read before', async () => {
      const { user } = await created();
      for (let round = 0; round < 5; round += 1) {
        const name = `round_${round}_${uniqueSuffix()}`;
        const age = 20 + round;
        const gender = round % 3;
        const [byName, byAge] = await Promise.all([
          api.patch(`${USERS}/${user.id}`, { name }),
          api.patch(`${USERS}/${user.id}`, { age }),
          service.caller().users.patch({ id: user.id, gender: gender as 0 | 1 | 2 }),
        ]);
        assert.deepEqual([byName.status, byAge.status], [200, 200]);
        const now = (await api.get(`${USERS}/${user.id}`)).body;
        assert.deepEqual([now.name, now.age, now.gender], [name, age, gender], `round ${round}`);
      }
    });
  });
});
