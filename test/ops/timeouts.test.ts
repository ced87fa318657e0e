// A request that hangs (here: an update waiting on a row another transaction holds) is cut at
// the request timeout with a clean 503, on both surfaces, and does not write afterwards.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createUsersClient, TRPCClientError } from '../../client';
import { newUserBody } from '../support/fixtures';
import { restClient } from '../support/rest';
import { startTestService, type TestService } from '../support/service';

describe('request timeout', () => {
  let service: TestService;
  let locker: pg.Client;

  before(async () => {
    service = await startTestService({ REQUEST_TIMEOUT_MS: '600' });
    locker = new pg.Client({ connectionString: service.databaseUrl });
    await locker.connect();
  });
  after(async () => {
    await locker.end();
    await service.close();
  });

  /** Holds the user's row locked, as a long transaction elsewhere would, while `work` runs. */
  async function whileLocked<T>(id: string, work: () => Promise<T>): Promise<T> {
    await locker.query('begin');
    await locker.query('select 1 from users where id = $1 for update', [id]);
    try {
      return await work();
    } finally {
      await locker.query('rollback');
    }
  }

  it('cuts a hanging REST request with 503 and leaves the user as it was', async () => {
    const api = restClient(service.baseUrl, service.adminToken);
    const user = (await api.post('/api/v2/users', newUserBody())).body;
    const change = { ...newUserBody(), email: { email: user.email.email, authMethod: 1 } };
    const start = performance.now();
    const response = await whileLocked(user.id, () => api.put(`/api/v2/users/${user.id}`, change));
    const elapsed = performance.now() - start;
    assert.equal(response.status, 503);
    assert.deepEqual(response.body, { code: 100001, msg: 'request timed out' });
    assert.ok(elapsed >= 550 && elapsed < 2000, `cut after ${Math.round(elapsed)} ms`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual((await api.get(`/api/v2/users/${user.id}`)).body, user, 'nothing was written later');
  });

  it('cuts a hanging tRPC call with SERVICE_UNAVAILABLE', async () => {
    const user = await service.caller().users.create(newUserBody());
    const client = createUsersClient({ url: `${service.baseUrl}/trpc`, token: service.adminToken });
    await whileLocked(user.id, () =>
      assert.rejects(client.users.delete.mutate({ id: user.id }), (error: unknown) => {
        assert.ok(error instanceof TRPCClientError);
        assert.equal(error.data?.code, 'SERVICE_UNAVAILABLE');
        assert.equal(error.message, 'request timed out');
        return true;
      }),
    );
    // long enough for a delete that was not stopped to have committed
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal((await service.caller().users.read({ id: user.id })).id, user.id, 'the user was not deleted');
  });
});
