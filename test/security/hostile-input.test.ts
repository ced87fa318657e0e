// Hostile input: SQL-looking ids, oversized and deeply nested bodies, unicode edge cases. Each is
// answered with a 4xx and leaves the database exactly as it was; the service keeps serving.
import assert from 'node:assert/strict';
import { newUserBody } from '../support/fixtures';
import { restClient } from '../support/rest';
import { startTestService, type TestService } from '../support/service';

const USERS = '/api/v2/users';

describe('hostile input', () => {
  let service: TestService;
  let api: ReturnType<typeof restClient>;
  let snapshot: () => Promise<string>;
  let before_: string;

  before(async () => {
    service = await startTestService();
    api = restClient(service.baseUrl, service.adminToken);
    for (let i = 0; i < 3; i += 1) assert.equal((await api.post(USERS, newUserBody())).status, 200);
    snapshot = async () =>
      JSON.stringify([
        await service.sql('select * from users order by id'),
        await service.sql('select * from emails order by id'),
      ]);
  });
  beforeEach(async () => (before_ = await snapshot()));
  afterEach(async () => {
    assert.equal(await snapshot(), before_, 'the database is unchanged');
    assert.equal((await api.get(USERS)).status, 200, 'the service still answers');
  });
  after(() => service.close());

  const assertClientError = (status: number, what: string) =>
    assert.ok(status >= 400 && status < 500, `${what} answered ${status}`);

  it('treats SQL-looking ids as ids', async () => {
    for (const id of ["1' OR '1'='1", "x'; drop table users; --", '1 OR 1=1', '%', '_']) {
      const path = `${USERS}/${encodeURIComponent(id)}`;
      assert.equal((await api.get(path)).status, 404, id);
      assert.equal((await api.delete(path)).status, 404, id);
      const body = { ...newUserBody(), email: { email: 'x@y.zz', authMethod: 1 } };
      assert.equal((await api.put(path, body)).status, 404, id);
      // `_` is a valid id to create; it must still not act as a LIKE wildcard above
      if (id !== '_') assertClientError((await api.post(USERS, newUserBody({ id }))).status, id);
    }
    assertClientError((await api.get(`${USERS}?offset=1;drop%20table%20users`)).status, 'offset');
    const byEmail = newUserBody();
    byEmail.email.email = "a'--@example.com";
    assertClientError((await api.post(USERS, byEmail)).status, 'email');
  });

  it('refuses a 10 MB body', async () => {
    const response = await api.call('POST', USERS, {
      rawBody: JSON.stringify({ ...newUserBody(), name: 'x'.repeat(10 * 1024 * 1024) }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(response.status, 413);
  });

  it('refuses deeply nested JSON', async () => {
    const depth = 20_000;
    for (const rawBody of ['['.repeat(depth) + ']'.repeat(depth), '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)]) {
      const response = await api.call('POST', USERS, { rawBody, headers: { 'content-type': 'application/json' } });
      assertClientError(response.status, 'nested');
      assert.equal(response.body.code, 100001);
    }
    const nestedField = await api.post(USERS, { ...newUserBody(), name: { a: { b: { c: {} } } } });
    assert.equal(nestedField.status, 400);
  });

  it('refuses unicode edge cases in constrained fields', async () => {
    const names = ['😀😀😀', 'zero\u200bwidth', 'rtl\u202eabc', 'nul\u0000byte', 'ｆｕｌｌ', 'e\u0301e\u0301e'];
    for (const name of names) {
      const response = await api.post(USERS, newUserBody({ name }));
      assert.equal(response.status, 400, JSON.stringify(name));
      assert.match(response.body.msg, /^name: /);
    }
    for (const email of ['ü@example.com', 'a@exämple.com', 'a@example.com\u0000', '\ud800@example.com']) {
      const body = newUserBody();
      body.email.email = email;
      assert.equal((await api.post(USERS, body)).status, 400, JSON.stringify(email));
    }
    const nulId = await api.get(`${USERS}/%00`);
    assert.equal(nulId.status, 404);
  });

  it('refuses U+0000 in any text, on both surfaces, naming where, before PostgreSQL sees it', async () => {
    // no text or jsonb holds it: these were answered 500 (22021, 22P05) or 503 (08P01, read as a
    // lost connection) before every call's input was checked for it (router/trpc/storable-text.ts)
    const [user] = await service.sql<{ id: string }>('select id from users limit 1');
    const anonymous = restClient(service.baseUrl);
    const refusals: Array<[string, () => Promise<{ status: number; body: { msg: string } }>]> = [
      ['email', () => api.get(`${USERS}?email=a%00b`)],
      ['reason', () => api.post(`${USERS}/${user!.id}/disable`, { reason: 'a\u0000b' })],
      ['userId', () => api.get(`/api/v2/events?userId=a%00`)],
      ['email', () => anonymous.post('/api/v2/auth/token', { email: 'a\u0000@example.com', password: 'pw' })],
      ['q', () => api.get(`${USERS}?q=ab%00`)],
    ];
    for (const [where, ask] of refusals) {
      const response = await ask();
      assert.equal(response.status, 400, `${where}: ${JSON.stringify(response.body)}`);
      assert.deepEqual(response.body, { code: 100001, msg: `${where}: must not contain the NUL character (U+0000)` });
    }
    await assert.rejects(service.caller().users.list({ email: 'a\u0000b' }), {
      code: 'BAD_REQUEST',
      message: 'email: must not contain the NUL character (U+0000)',
    });
  });

  it('refuses numbers that are not what they claim to be', async () => {
    for (const age of [1e308, -0.5, 2 ** 53, Number.MAX_SAFE_INTEGER]) {
      assert.equal((await api.post(USERS, newUserBody({ age }))).status, 400, String(age));
    }
    const huge = await api.call('POST', USERS, {
      rawBody: JSON.stringify(newUserBody()).replace('"age":30', `"age":1${'0'.repeat(400)}`),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(huge.status, 400);
  });
});
