// The published REST API, /api/v2/users, over a real socket: each operation, each error status
// with its exact body, validation at and beyond every bound, paging, and what gets stored.
import assert from 'node:assert/strict';
import { newUserBody, uniqueSuffix } from './support/fixtures';
import { restClient } from './support/rest';
import { startTestService, type TestService } from './support/service';

const USERS = '/api/v2/users';

describe('REST /api/v2/users', () => {
  let service: TestService;
  let api: ReturnType<typeof restClient>;

  before(async () => {
    service = await startTestService();
    api = restClient(service.baseUrl, service.adminToken);
  });
  after(() => service.close());

  const countRows = async (table: 'users' | 'emails') =>
    Number((await service.sql<{ n: string }>(`select count(*) as n from ${table}`))[0]?.n);
  const emailRows = (address: string) => service.sql('select * from emails where lower(address) = lower(?)', [address]);

  async function create(overrides = {}) {
    const response = await api.post(USERS, newUserBody(overrides));
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body;
  }

  describe('create', () => {
    it('stores the user and answers the published User shape', async () => {
      const body = newUserBody({ name: 'alice_1', age: 41, gender: 2 });
      const before = Math.floor(Date.now() / 1000);
      const { status, body: user } = await api.post(USERS, body);
      assert.equal(status, 200);
      assert.match(user.id, /^[0-9a-f-]{36}$/, 'a UUID when the client sends no id');
      assert.equal(user.name, 'alice_1');
      assert.equal(user.age, 41);
      assert.equal(user.gender, 2);
      assert.equal(user.email.email, body.email.email);
      assert.equal(user.email.authMethod, 0);
      assert.equal(user.email.token, '');
      assert.ok(user.createdAt >= before && user.createdAt <= before + 5);
      assert.equal(user.updatedAt, user.createdAt);
      assert.deepEqual((await api.get(`${USERS}/${user.id}`)).body, user);
    });

    it('keeps an id the client chooses', async () => {
      const id = `Chosen-${uniqueSuffix()}_x`;
      const user = await create({ id });
      assert.equal(user.id, id);
    });

    it('ignores the server-owned fields a client sends', async () => {
      const body = newUserBody({ createdAt: 5, updatedAt: 6 });
      body.email = { ...body.email, id: 4_000_000_000, createdAt: 7, updatedAt: 8 };
      const { body: user } = await api.post(USERS, body);
      assert.ok(user.createdAt > 1_700_000_000);
      assert.ok(user.updatedAt > 1_700_000_000);
      assert.notEqual(user.email.id, 4_000_000_000);
      assert.ok(user.email.createdAt > 1_700_000_000);
    });

    it('ignores unknown fields: a role sent with the user grants it nothing', async () => {
      const body = newUserBody({ role: 'admin', isAdmin: true });
      const created = await api.post(USERS, body);
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const signIn = await restClient(service.baseUrl).post('/api/v2/auth/token', {
        email: body.email.email,
        password: body.email.password,
      });
      assert.equal(signIn.status, 200);
      const asCreated = restClient(service.baseUrl, signIn.body.token);
      assert.equal((await asCreated.get(`${USERS}/${created.body.id}`)).status, 200);
      assert.equal((await asCreated.get(USERS)).status, 403, 'the user is no admin');
    });

    it('stores the password only as a scrypt hash, and never shows it', async () => {
      const body = newUserBody();
      const response = await api.post(USERS, body);
      const [row] = await emailRows(body.email.email);
      const hash = String(row?.password_hash);
      assert.equal(Buffer.from(hash, 'base64').subarray(0, 6).toString(), 'scrypt');
      assert.ok(!hash.includes(String(body.email.password)));
      const text = JSON.stringify(response.body);
      assert.ok(!text.includes(hash) && !text.includes(String(body.email.password)));
      const listed = JSON.stringify((await api.get(`${USERS}?limit=0`)).body);
      assert.ok(!listed.includes(hash) && !listed.includes('scrypt'));
    });

    it('accepts Content-Type: application/json; charset=utf-8', async () => {
      const body = newUserBody();
      const response = await api.call('POST', USERS, {
        rawBody: JSON.stringify(body),
        headers: { 'content-type': 'application/json; charset=utf-8' },
      });
      assert.equal(response.status, 200);
      assert.equal(response.body.email.email, body.email.email);
    });

    it('answers 409 for an id that exists, writing nothing (not even the email)', async () => {
      const existing = await create();
      const body = newUserBody({ id: existing.id });
      const users = await countRows('users');
      const response = await api.post(USERS, body);
      assert.equal(response.status, 409);
      assert.deepEqual(response.body, { code: 100001, msg: 'a user with this id already exists' });
      assert.equal(await countRows('users'), users);
      // the email row is inserted before the user row fails: the transaction takes it back
      assert.deepEqual(await emailRows(body.email.email), []);
    });

    it('answers 409 for an email that exists, in any letter case', async () => {
      const existing = await create();
      const emails = await countRows('emails');
      const body = newUserBody();
      body.email.email = existing.email.email.toUpperCase();
      const response = await api.post(USERS, body);
      assert.equal(response.status, 409);
      assert.deepEqual(response.body, { code: 100001, msg: 'a user with this email address already exists' });
      assert.equal(await countRows('emails'), emails);
    });

    it('requires a password for password and TOTP sign-in (0, 2) and refuses one for codes and OAuth2 (1, 3)', async () => {
      for (const authMethod of [0, 2] as const) {
        const withoutPassword = newUserBody();
        withoutPassword.email = { email: withoutPassword.email.email, authMethod };
        const missing = await api.post(USERS, withoutPassword);
        assert.equal(missing.status, 400, `authMethod ${authMethod}`);
        assert.deepEqual(missing.body, {
          code: 100001,
          msg: 'email.password: is required when email.authMethod is 0 (password) or 2 (totp)',
        });
        assert.deepEqual(await emailRows(withoutPassword.email.email), [], 'nothing was written');
        const withPassword = newUserBody();
        withPassword.email.authMethod = authMethod;
        assert.equal((await api.post(USERS, withPassword)).status, 200, `authMethod ${authMethod}`);
        const [row] = await emailRows(withPassword.email.email);
        assert.match(String(row?.password_hash), /^c2NyeXB0/, 'stored as an scrypt hash');
      }
      for (const authMethod of [1, 3] as const) {
        const withPassword = newUserBody();
        withPassword.email.authMethod = authMethod;
        const stray = await api.post(USERS, withPassword);
        assert.equal(stray.status, 400, `authMethod ${authMethod}`);
        assert.equal(
          stray.body.msg,
          'email.password: can only be set when email.authMethod is 0 (password) or 2 (totp)',
        );
        assert.deepEqual(await emailRows(withPassword.email.email), [], 'nothing was written');
        const withoutPassword = newUserBody();
        withoutPassword.email = { email: withoutPassword.email.email, authMethod };
        assert.equal((await api.post(USERS, withoutPassword)).status, 200);
        const [row] = await emailRows(withoutPassword.email.email);
        assert.equal(row?.password_hash, null);
      }
    });
  });

  describe('validation', () => {
    // [field path, value, accepted?]
    const cases: Array<[string, unknown, boolean]> = [
      ['name', 'ab', false],
      ['name', 'abc', true],
      ['name', 'a'.repeat(32), true],
      ['name', 'a'.repeat(33), false],
      ['name', 'bad name', false],
      ['name', 'ünïcode', false],
      ['name', 42, false],
      ['age', 0, false],
      ['age', 1, true],
      ['age', 120, true],
      ['age', 121, false],
      ['age', 30.5, false],
      ['age', '30', false],
      ['age', null, false],
      ['gender', -1, false],
      ['gender', 0, true],
      ['gender', 2, true],
      ['gender', 3, false],
      ['gender', '1', false],
      ['email.authMethod', 3, true],
      ['email.authMethod', 4, false],
      ['email.email', 'not-an-email', false],
      ['email.email', 'a@b', false],
      ['email.email', `${'a'.repeat(250)}@example.com`, false],
      ['email.password', 'short', false],
      ['email.password', 'x'.repeat(257), false],
      ['id', '', false],
      ['id', 'a'.repeat(64), true],
      ['id', 'a'.repeat(65), false],
      ['id', "1' OR '1'='1", false],
      ['id', 'has/slash', false],
      ['createdAt', 2 ** 31, false],
      ['email.id', -1, false],
    ];

    for (const [field, value, accepted] of cases) {
      it(`${accepted ? 'accepts' : 'refuses'} ${field} = ${JSON.stringify(value)?.slice(0, 40)}`, async () => {
        const body = newUserBody() as Record<string, any>;
        const [head, tail] = field.split('.') as [string, string | undefined];
        if (tail) body[head][tail] = value;
        else body[head] = value;
        if (field === 'email.authMethod' && value !== 0) delete body.email.password;
        if (field === 'id' && accepted)
          body.id = `${String(value).slice(0, 58)}${uniqueSuffix()}`.slice(-String(value).length);
        const users = await countRows('users');
        const response = await api.post(USERS, body);
        if (accepted) {
          assert.equal(response.status, 200, JSON.stringify(response.body));
        } else {
          assert.equal(response.status, 400, JSON.stringify(response.body));
          assert.equal(response.body.code, 100001);
          assert.ok(response.body.msg.startsWith(`${field}: `), `"${response.body.msg}" names ${field}`);
          assert.equal(await countRows('users'), users, 'nothing written');
        }
      });
    }

    it('names every missing required field', async () => {
      const response = await api.post(USERS, { email: {} });
      assert.equal(response.status, 400);
      for (const field of ['name', 'age', 'gender', 'email.email', 'email.authMethod']) {
        assert.ok(response.body.msg.includes(`${field}: is required`), `${field} in "${response.body.msg}"`);
      }
    });

    it('refuses a body that is not an object', async () => {
      for (const body of [[1, 2], 'text', 42, null]) {
        const response = await api.post(USERS, body);
        assert.equal(response.status, 400, JSON.stringify(body));
        assert.equal(response.body.msg, 'the request body must be a JSON object');
      }
    });
  });

  describe('read', () => {
    it('answers the user', async () => {
      const user = await create();
      const { status, body } = await api.get(`${USERS}/${user.id}`);
      assert.equal(status, 200);
      assert.deepEqual(body, user);
    });

    it('answers 404 for an unknown id, and for ids no user can have', async () => {
      for (const id of ['does-not-exist', "1'%20OR%20'1'='1", '%00', 'a'.repeat(65)]) {
        const response = await api.get(`${USERS}/${id}`);
        assert.equal(response.status, 404, id);
        assert.deepEqual(response.body, { code: 100001, msg: 'user not found' });
      }
    });
  });

  describe('list', () => {
    let ids: string[];

    before(async () => {
      // a fresh table: a database of this describe's own would cost more than a cleanup
      await service.sql('delete from users');
      await service.sql('delete from emails');
      ids = [];
      for (let i = 0; i < 12; i += 1) ids.push((await create({ id: `list-${String(i).padStart(2, '0')}` })).id);
      // the same creation instant for two users: the id breaks the tie
      await service.sql(`update users set created_at = '2020-01-01T00:00:00Z' where id in ('list-05', 'list-03')`);
      ids = ['list-03', 'list-05', ...ids.filter((id) => id !== 'list-03' && id !== 'list-05')];
    });

    it('pages with offset 0 and limit 10 by default, ordered by creation then id', async () => {
      const { status, body } = await api.get(USERS);
      assert.equal(status, 200);
      assert.equal(body.total, 12);
      assert.equal(body.offset, 0);
      assert.equal(body.limit, 10);
      assert.deepEqual(
        body.items.map((u: { id: string }) => u.id),
        ids.slice(0, 10),
      );
    });

    it('returns every user for limit=0', async () => {
      const { body } = await api.get(`${USERS}?limit=0`);
      assert.equal(body.limit, 0);
      assert.deepEqual(
        body.items.map((u: { id: string }) => u.id),
        ids,
      );
    });

    it('continues where a page ended', async () => {
      const { body } = await api.get(`${USERS}?offset=10&limit=10`);
      assert.deepEqual(
        body.items.map((u: { id: string }) => u.id),
        ids.slice(10),
      );
      assert.equal(body.total, 12);
    });

    it('answers an empty page past the end, with the total', async () => {
      const { body } = await api.get(`${USERS}?offset=500&limit=5`);
      assert.deepEqual(body, { items: [], total: 12, offset: 500, limit: 5 });
    });

    it('accepts the largest uint32 and refuses anything else', async () => {
      assert.equal((await api.get(`${USERS}?offset=4294967295`)).status, 200);
      for (const query of ['offset=-1', 'offset=abc', 'limit=1.5', 'limit=4294967296', 'limit=1e3', 'offset=0x10']) {
        const response = await api.get(`${USERS}?${query}`);
        assert.equal(response.status, 400, query);
        assert.ok(response.body.msg.startsWith(query.split('=')[0]), response.body.msg);
      }
    });
  });

  describe('update', () => {
    const replacement = () => ({
      name: `renamed_${uniqueSuffix()}`,
      age: 77,
      gender: 0,
      email: { email: `new.${uniqueSuffix()}@example.org`, authMethod: 0 },
    });

    it('replaces name, age, gender and email; moves updatedAt, keeps createdAt', async () => {
      const user = await create();
      await service.sql(`update users set created_at = '2021-01-01Z', updated_at = '2021-01-01Z' where id = ?`, [
        user.id,
      ]);
      const body = replacement();
      const { status, body: updated } = await api.put(`${USERS}/${user.id}`, body);
      assert.equal(status, 200, JSON.stringify(updated));
      assert.equal(updated.id, user.id);
      assert.equal(updated.name, body.name);
      assert.equal(updated.age, 77);
      assert.equal(updated.gender, 0);
      assert.equal(updated.email.email, body.email.email);
      assert.equal(updated.email.id, user.email.id);
      assert.equal(updated.createdAt, Date.UTC(2021, 0, 1) / 1000);
      assert.ok(updated.updatedAt >= user.createdAt);
      assert.deepEqual((await api.get(`${USERS}/${user.id}`)).body, updated);
    });

    it("moves the email's updatedAt only when the email changes, and then writes no row of it", async () => {
      const user = await create();
      const longAgo = Date.UTC(2021, 0, 1) / 1000;
      await service.sql(`update emails set updated_at = '2021-01-01Z' where id = ?`, [user.email.id]);
      const emailXmin = async () =>
        (await service.sql<{ xmin: string }>('select xmin::text from emails where id = ?', [user.email.id]))[0]?.xmin;
      const untouched = await emailXmin();
      const same = { name: 'renamed', age: 40, gender: 1, email: { email: user.email.email, authMethod: 0 } };
      const kept = await api.put(`${USERS}/${user.id}`, same);
      assert.equal(kept.status, 200, JSON.stringify(kept.body));
      assert.equal(kept.body.name, 'renamed');
      assert.equal(kept.body.email.updatedAt, longAgo, 'the email did not change');
      assert.ok(kept.body.updatedAt > longAgo, 'the user did');
      assert.equal(await emailXmin(), untouched, 'no row of the email was written');
      for (const email of [
        { email: `moved.${uniqueSuffix()}@example.org`, authMethod: 0 },
        { email: user.email.email, authMethod: 0, password: 'a new password here' },
        { email: user.email.email, authMethod: 1 },
      ]) {
        await service.sql(`update emails set updated_at = '2021-01-01Z' where id = ?`, [user.email.id]);
        const changed = await api.put(`${USERS}/${user.id}`, { ...same, email });
        assert.equal(changed.status, 200, JSON.stringify(changed.body));
        assert.ok(changed.body.email.updatedAt > longAgo, JSON.stringify(email));
        assert.deepEqual((await api.get(`${USERS}/${user.id}`)).body.email, changed.body.email);
      }
    });

    it('keeps the stored hash without a password, and replaces it with one', async () => {
      const user = await create();
      const hashOf = async () =>
        (
          await service.sql('select e.password_hash from emails e join users u on u.email_id = e.id where u.id = ?', [
            user.id,
          ])
        )[0]?.password_hash;
      const original = await hashOf();
      const body = replacement();
      const kept = await api.put(`${USERS}/${user.id}`, body);
      assert.equal(kept.status, 200, JSON.stringify(kept.body));
      assert.equal(kept.body.email.email, body.email.email);
      assert.equal(await hashOf(), original);
      const replaced = await api.put(`${USERS}/${user.id}`, {
        ...body,
        email: { ...body.email, password: 'another password' },
      });
      assert.equal(replaced.status, 200, JSON.stringify(replaced.body));
      const changed = await hashOf();
      assert.notEqual(changed, original);
      assert.ok(await service.passwords.verify(String(changed), 'another password'));
    });

    it('drops the hash when the email stops signing in with a password, and then needs a new one', async () => {
      const user = await create();
      const body = replacement();
      const away = await api.put(`${USERS}/${user.id}`, { ...body, email: { ...body.email, authMethod: 3 } });
      assert.equal(away.status, 200);
      assert.equal((await emailRows(body.email.email))[0]?.password_hash, null);
      for (const authMethod of [0, 2] as const) {
        const back = await api.put(`${USERS}/${user.id}`, { ...body, email: { ...body.email, authMethod } });
        assert.equal(back.status, 400);
        assert.equal(back.body.msg, 'email.password: is required when email.authMethod is 0 (password) or 2 (totp)');
      }
    });

    it('keeps the hash when a password user moves to password + TOTP', async () => {
      const user = await create();
      const [before] = await emailRows(user.email.email);
      const body = { ...replacement(), email: { email: user.email.email, authMethod: 2 } };
      assert.equal((await api.put(`${USERS}/${user.id}`, body)).status, 200);
      const [after] = await emailRows(user.email.email);
      assert.equal(after?.password_hash, before?.password_hash);
    });

    it('accepts a body id equal to the path id and refuses a different one', async () => {
      const user = await create();
      assert.equal((await api.put(`${USERS}/${user.id}`, { ...replacement(), id: user.id })).status, 200);
      const other = await api.put(`${USERS}/${user.id}`, { ...replacement(), id: 'someone-else' });
      assert.equal(other.status, 400);
      assert.deepEqual(other.body, { code: 100001, msg: 'id: must match the id in the path' });
    });

    it('answers 404 for an unknown id', async () => {
      const response = await api.put(`${USERS}/nobody-${uniqueSuffix()}`, replacement());
      assert.equal(response.status, 404);
      assert.deepEqual(response.body, { code: 100001, msg: 'user not found' });
    });

    it('answers 409 for an email another user has, changing nothing', async () => {
      const [first, second] = [await create(), await create()];
      const body = { ...replacement(), email: { email: first.email.email.toUpperCase(), authMethod: 1 } };
      const response = await api.put(`${USERS}/${second.id}`, body);
      assert.equal(response.status, 409);
      assert.deepEqual((await api.get(`${USERS}/${second.id}`)).body, second);
    });

    it('validates like create', async () => {
      const user = await create();
      const response = await api.put(`${USERS}/${user.id}`, { ...replacement(), age: 121 });
      assert.equal(response.status, 400);
      assert.equal(response.body.msg, 'age: must be at most 120');
      assert.deepEqual((await api.get(`${USERS}/${user.id}`)).body, user);
    });
  });

  describe('delete', () => {
    it('answers 204 without a body and removes the user with its email', async () => {
      const user = await create();
      const response = await api.delete(`${USERS}/${user.id}`);
      assert.equal(response.status, 204);
      assert.equal(response.body, undefined);
      assert.equal((await api.get(`${USERS}/${user.id}`)).status, 404);
      assert.deepEqual(await emailRows(user.email.email), []);
    });

    it('answers 404 for an unknown id', async () => {
      const response = await api.delete(`${USERS}/nobody-${uniqueSuffix()}`);
      assert.equal(response.status, 404);
      assert.deepEqual(response.body, { code: 100001, msg: 'user not found' });
    });
  });

  describe('errors', () => {
    it('answers 401 with WWW-Authenticate without a token', async () => {
      const response = await api.get(USERS, { token: null });
      assert.equal(response.status, 401);
      assert.equal(response.headers.get('www-authenticate'), 'Bearer');
      assert.deepEqual(response.body, { code: 100001, msg: 'missing bearer token' });
    });

    it('answers 401 for a token that is not valid', async () => {
      const response = await api.get(USERS, { token: 'not.a.jwt' });
      assert.equal(response.status, 401);
      assert.equal(response.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
      assert.deepEqual(response.body, { code: 100001, msg: 'token is invalid: malformed' });
      const basic = await api.get(USERS, { headers: { authorization: 'Basic dXNlcjpwYXNz' }, token: null });
      assert.equal(basic.status, 401);
      assert.equal(basic.body.msg, 'authorization must be a Bearer token');
    });

    it('refuses an unauthenticated write, writing nothing', async () => {
      const users = await countRows('users');
      const response = await api.post(USERS, newUserBody(), { token: null });
      assert.equal(response.status, 401);
      assert.equal(await countRows('users'), users);
    });

    it('answers 404 for any unknown path under /api/v2', async () => {
      for (const path of ['/api/v2/nope', '/api/v2/users/a/b', '/api/v2']) {
        const response = await api.get(path);
        assert.equal(response.status, 404, path);
        assert.deepEqual(response.body, { code: 100001, msg: `no such endpoint: GET ${path}` });
      }
    });

    it('answers 405 with Allow for a method the path does not have', async () => {
      const response = await api.call('POST', `${USERS}/x`, { body: {} });
      assert.equal(response.status, 405);
      // PATCH since 2.1.0
      assert.equal(response.headers.get('allow'), 'GET, PUT, PATCH, DELETE');
      assert.equal(response.body.code, 100001);
    });

    it('answers 415 for a body that is not JSON', async () => {
      const response = await api.call('POST', USERS, {
        rawBody: 'name=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(response.status, 415);
      assert.deepEqual(response.body, {
        code: 100001,
        msg: 'the request body must be JSON (Content-Type: application/json)',
      });
    });

    it('answers 400 for malformed JSON and for an empty body', async () => {
      const headers = { 'content-type': 'application/json' };
      const malformed = await api.call('POST', USERS, { rawBody: '{"name": ', headers });
      assert.equal(malformed.status, 400);
      assert.deepEqual(malformed.body, { code: 100001, msg: 'the request body is not valid JSON' });
      const empty = await api.call('POST', USERS, { rawBody: '', headers });
      assert.equal(empty.status, 400);
      assert.deepEqual(empty.body, { code: 100001, msg: 'the request body is required' });
    });

    it('answers 413 for a body over the limit, writing nothing', async () => {
      const users = await countRows('users');
      const body = newUserBody({ padding: 'x'.repeat(200 * 1024) });
      const response = await api.post(USERS, body);
      assert.equal(response.status, 413);
      assert.deepEqual(response.body, { code: 100001, msg: 'the request body must be at most 102400 bytes' });
      assert.equal(await countRows('users'), users);
    });

    it('answers 500 without internals when the database fails', async () => {
      await service.sql('alter table emails rename to emails_gone');
      try {
        const response = await api.get(USERS);
        assert.equal(response.status, 500);
        assert.deepEqual(response.body, { code: 100001, msg: 'internal server error' });
      } finally {
        await service.sql('alter table emails_gone rename to emails');
      }
      const logged = service.logs.find((line) => line.msg === 'request failed' && line.route === '/api/v2/users');
      assert.ok(logged, 'the failure is logged');
      assert.equal((logged.err as { type?: string } | undefined)?.type, 'TableNotFoundException');
      assert.ok(!JSON.stringify(logged).includes('select'), 'without SQL');
    });

    it('serves the OpenAPI document without auth', async () => {
      const response = await fetch(`${service.baseUrl}/api/v2/openapi.json`);
      assert.equal(response.status, 200);
      const document = (await response.json()) as { paths: Record<string, unknown> };
      assert.deepEqual(Object.keys(document.paths), [
        '/api/v2/users',
        '/api/v2/users/import',
        '/api/v2/users/{id}',
        ...['status', 'disable', 'enable', 'totp/reset'].map((path) => `/api/v2/users/{id}/${path}`),
        '/api/v2/users/{id}/metadata',
        ...[
          'token',
          'totp',
          'otp',
          'otp/verify',
          'oauth2/authorize',
          'oauth2/callback',
          'oauth2/token',
          'oauth2/sign-up/lookup',
          'oauth2/sign-up',
          'oauth2/link',
        ].map((path) => `/api/v2/auth/${path}`),
        '/api/v2/users/{id}/oauth2-link',
        ...['password/forgot', 'password/reset'].map((path) => `/api/v2/auth/${path}`),
        '/api/v2/users/{id}/password-reset',
        ...['', '/registration-options', '/{id}'].map((path) => `/api/v2/auth/passkeys${path}`),
        ...['', '/{passkeyId}'].map((path) => `/api/v2/users/{id}/passkeys${path}`),
        ...['/sign-in-options', '/sign-in'].map((path) => `/api/v2/auth/passkeys${path}`),
        ...['sign-up', 'sign-up/complete', 'email-change', 'email-change/confirm'].map(
          (path) => `/api/v2/auth/${path}`,
        ),
        '/api/v2/auth/logout',
        '/api/v2/users/{id}/impersonate',
        ...['session', 'jwks', 'methods', 'refresh', 'sessions', 'sessions/{id}'].map((path) => `/api/v2/auth/${path}`),
        '/api/v2/users/{id}/sessions',
        '/api/v2/events',
        '/api/v2/users/{id}/events',
        ...[
          '',
          '/{id}',
          '/{id}/pause',
          '/{id}/resume',
          '/{id}/rotate-secret',
          '/{id}/deliveries',
          '/{id}/redeliver',
          '/{id}/test',
        ].map((path) => `/api/v2/webhooks${path}`),
        ...['', '/{id}/rotate-secret', '/{id}'].map((path) => `/api/v2/clients${path}`),
        '/api/v2/auth/client-token',
        '/api/v2/auth/oauth2/client-token',
        '/api/v2/auth/oauth2/introspect',
        ...['', '/{id}/resend', '/{id}'].map((path) => `/api/v2/invitations${path}`),
        ...['lookup', 'accept'].map((path) => `/api/v2/auth/invitations/${path}`),
        '/api/v2/users/{id}/export',
      ]);
      // machine clients under their own tag, each needing a token (their exchange is under Auth)
      for (const [path, methods] of Object.entries(document.paths).filter(([path]) =>
        path.startsWith('/api/v2/clients'),
      )) {
        for (const [method, operation] of Object.entries(
          methods as Record<string, { tags: string[]; security?: unknown[] }>,
        )) {
          assert.deepEqual(operation.tags, ['Clients'], `${method} ${path}`);
          assert.deepEqual(operation.security, [{ BearerAuth: [] }], `${method} ${path}`);
        }
      }
      // the events beside it too, under their own tag, each needing a token
      for (const path of ['/api/v2/events', '/api/v2/users/{id}/events']) {
        const get = (document.paths[path] as Record<string, { tags: string[]; security?: unknown[] }>).get!;
        assert.deepEqual(get.tags, ['Events'], path);
        assert.deepEqual(get.security, [{ BearerAuth: [] }], path);
      }
      // sign-in lives beside the published part, under its own tag; only logout, session, a
      // person's own new address and its link to the OpenID provider need a token; the sessions (and an admin's impersonation, which begins one) have a tag of their own,
      // and every one of them needs a token
      const operations = document.paths as Record<string, Record<string, { tags: string[]; security?: unknown[] }>>;
      for (const [path, methods] of Object.entries(operations).filter(
        ([path]) => path.includes('/sessions') || path.endsWith('/impersonate'),
      )) {
        for (const [method, operation] of Object.entries(methods)) {
          assert.deepEqual(operation.tags, ['Sessions'], `${method} ${path}`);
          assert.deepEqual(operation.security, [{ BearerAuth: [] }], `${method} ${path}`);
        }
      }
      const signIn = Object.entries(operations).filter(
        ([path]) =>
          path.startsWith('/api/v2/auth/') &&
          !path.includes('/sessions') &&
          !path.includes('/passkeys') &&
          !path.includes('/invitations'),
      );
      for (const [path, methods] of signIn) {
        for (const [method, operation] of Object.entries(methods)) {
          assert.deepEqual(operation.tags, ['Auth'], `${method} ${path}`);
          const protectedPath =
            path.endsWith('/logout') ||
            path.endsWith('/session') ||
            path.includes('/auth/email-change') ||
            path.endsWith('/oauth2/link');
          assert.deepEqual(operation.security, protectedPath ? [{ BearerAuth: [] }] : [], `${method} ${path}`);
        }
      }
      // passkeys under their own tag: managing them needs a token, signing in with one does not
      for (const [path, methods] of Object.entries(operations).filter(([path]) => path.includes('/passkeys'))) {
        for (const [method, operation] of Object.entries(methods)) {
          assert.deepEqual(operation.tags, ['Passkeys'], `${method} ${path}`);
          const open = path.endsWith('/sign-in-options') || path.endsWith('/sign-in');
          assert.deepEqual(operation.security, open ? [] : [{ BearerAuth: [] }], `${method} ${path}`);
        }
      }
      // invitations under their own tag: managing them needs a token, looking one up and accepting it do not
      for (const [path, methods] of Object.entries(operations).filter(([path]) => path.includes('/invitations'))) {
        for (const [method, operation] of Object.entries(methods)) {
          assert.deepEqual(operation.tags, ['Invitations'], `${method} ${path}`);
          const open = path.startsWith('/api/v2/auth/');
          assert.deepEqual(operation.security, open ? [] : [{ BearerAuth: [] }], `${method} ${path}`);
        }
      }
      // an account's state and a user's metadata too, each under its own tag, every operation with a token
      for (const [path, methods] of Object.entries(operations).filter(
        ([path]) =>
          path.startsWith('/api/v2/users/{id}/') &&
          !path.includes('/sessions') &&
          !path.endsWith('/events') &&
          !path.includes('/passkeys') &&
          !path.endsWith('/impersonate'),
      )) {
        for (const [method, operation] of Object.entries(methods)) {
          assert.deepEqual(operation.tags, [path.endsWith('/metadata') ? 'Metadata' : 'Accounts'], `${method} ${path}`);
          assert.notDeepEqual(operation.security, [], `${method} ${path}`);
        }
      }
    });
  });
});
