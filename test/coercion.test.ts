// One rule on both surfaces: JSON bodies are strict, and only query parameters turn strings of
// digits into numbers. (trpc-to-openapi's own handler switched coercion on in the shared schemas
// at run time; the service dispatches REST itself.) The same input is checked before and after
// REST traffic, on both surfaces.
import assert from 'node:assert/strict';
import { TRPCError } from '@trpc/server';
import { newUserBody } from './support/fixtures';
import { restClient } from './support/rest';
import { startTestService, type TestService } from './support/service';

describe('coercion rules', () => {
  let service: TestService;
  let api: ReturnType<typeof restClient>;

  before(async () => {
    service = await startTestService();
    api = restClient(service.baseUrl, service.adminToken);
  });
  after(() => service.close());

  const stringly = () => ({ ...newUserBody(), age: '30', gender: '1' });

  async function assertRejectedEverywhere(): Promise<void> {
    const rest = await api.post('/api/v2/users', stringly());
    assert.equal(rest.status, 400);
    assert.equal(rest.body.msg, 'age: must be an integer; gender: must be one of 0 (secret), 1 (male), 2 (female)');
    await assert.rejects(service.caller().users.create(stringly() as never), (error: unknown) => {
      assert.ok(error instanceof TRPCError);
      assert.equal(error.code, 'BAD_REQUEST');
      return true;
    });
    const user = (await api.post('/api/v2/users', newUserBody())).body;
    const update = await api.put(`/api/v2/users/${user.id}`, {
      ...stringly(),
      email: { email: 'x@y.zz', authMethod: '1' },
    });
    assert.equal(update.status, 400);
  }

  it('refuses numbers sent as strings in bodies, before any REST traffic', async () => {
    await assertRejectedEverywhere();
  });

  it('still refuses them after REST calls with query parameters', async () => {
    assert.equal((await api.get('/api/v2/users?offset=0&limit=5')).status, 200);
    assert.equal((await api.get('/api/v2/users?offset=1')).status, 200);
    await assertRejectedEverywhere();
  });

  it('reads list parameters from query strings over REST and from numbers over tRPC', async () => {
    const rest = await api.get('/api/v2/users?offset=2&limit=3');
    assert.equal(rest.body.offset, 2);
    assert.equal(rest.body.limit, 3);
    const native = await service.caller().users.list({ offset: 2, limit: 3 });
    assert.equal(native.offset, 2);
    assert.equal(native.limit, 3);
  });

  it('refuses the same malformed list parameters on both surfaces', async () => {
    for (const offset of ['-1', '1.5', 'abc', String(2 ** 32), 'true']) {
      const rest = await api.get(`/api/v2/users?offset=${offset}`);
      assert.equal(rest.status, 400, offset);
      assert.match(rest.body.msg, /^offset: /, offset);
    }
    for (const offset of [-1, 1.5, 2 ** 32, true]) {
      await assert.rejects(
        service.caller().users.list({ offset } as never),
        (error: unknown) => error instanceof TRPCError && error.code === 'BAD_REQUEST',
        String(offset),
      );
    }
  });

  it('reads an empty query parameter as absent, so its default applies', async () => {
    const rest = await api.get('/api/v2/users?offset=&limit=');
    assert.equal(rest.status, 200);
    assert.equal(rest.body.offset, 0);
    assert.equal(rest.body.limit, 10);
  });
});
