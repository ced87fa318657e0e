// Plain GET queries are answered without tRPC's node adapter (server/trpc-native.ts); what a
// client receives must be exactly what the adapter sends. `connectionParams` in the URL makes a
// request take the adapter, so each request below is sent both ways and the answers compared.
import assert from 'node:assert/strict';
import { newUserBody } from './support/fixtures';
import { startTestService, type TestService } from './support/service';

describe('native tRPC queries without the adapter', () => {
  let service: TestService;
  let userId: string;

  before(async () => {
    service = await startTestService();
    userId = (await service.caller().users.create(newUserBody())).id;
  });
  after(() => service.close());

  const input = (value: unknown) => encodeURIComponent(JSON.stringify(value));
  const requests = (): Array<[string, string, string | null]> => [
    ['a read', `users.read?input=${input({ id: userId })}`, service.adminToken],
    ['an unknown id (404)', `users.read?input=${input({ id: 'nobody' })}`, service.adminToken],
    ['a bad input (400)', `users.read?input=${input({ id: 42 })}`, service.adminToken],
    ['no input', `users.list`, service.adminToken],
    ['no token (401)', `users.list?input=${input({})}`, null],
    [
      'a batch',
      `users.read,users.list?batch=1&input=${input({ 0: { id: userId }, 1: { limit: 1 } })}`,
      service.adminToken,
    ],
    [
      'a batch with an error (207)',
      `users.read,users.read?batch=1&input=${input({ 0: { id: userId }, 1: { id: 'x' } })}`,
      service.adminToken,
    ],
    [
      'a batch of errors',
      `users.read,users.read?batch=1&input=${input({ 0: { id: 'x' }, 1: { id: 'y' } })}`,
      service.adminToken,
    ],
    ['a batch without input', `users.list?batch=1`, service.adminToken],
  ];

  async function answer(path: string, token: string | null, viaAdapter: boolean) {
    const separator = path.includes('?') ? '&' : '?';
    const url = `${service.baseUrl}/trpc/${path}${viaAdapter ? `${separator}connectionParams=null` : ''}`;
    const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      vary: response.headers.get('vary'),
      body: await response.text(),
    };
  }

  it('answers every kind of query exactly as tRPC’s adapter does', async () => {
    for (const [what, path, token] of requests()) {
      const fast = await answer(path, token, false);
      const adapter = await answer(path, token, true);
      assert.deepEqual(fast, adapter, what);
    }
  });

  it('covers successes and failures alike', async () => {
    const statuses = await Promise.all(
      requests().map(async ([, path, token]) => (await answer(path, token, false)).status),
    );
    assert.deepEqual([...new Set(statuses)].sort(), [200, 207, 400, 401, 404]);
  });
});
