// The bound on a native tRPC batch (TRPC_MAX_BATCH, default 10): one request may carry that many
// calls, by GET (queries) or POST (mutations); a longer batch is refused whole with a 400 that
// names the bound, before any call runs, so it changes nothing. The typed client splits its
// batches to fit.
import assert from 'node:assert/strict';
import { createUsersClient, TRPCClientError } from '../client';
import { newUserBody } from './support/fixtures';
import { startTestService, type TestService } from './support/service';

const names = (name: string, count: number) => Array.from({ length: count }, () => name).join(',');
const inputs = (count: number, input: (index: number) => unknown) =>
  Object.fromEntries(Array.from({ length: count }, (_, index) => [index, input(index)]));

describe('tRPC batches: at most TRPC_MAX_BATCH calls', () => {
  let service: TestService;
  before(async () => (service = await startTestService()));
  after(() => service.close());

  const userCount = async () => (await service.sql('select count(*)::int as n from users'))[0]?.n as number;
  const refusal = (count: number) => `a batch may hold at most 10 calls (TRPC_MAX_BATCH); this one has ${count}`;

  async function get(path: string) {
    const response = await fetch(`${service.baseUrl}/trpc/${path}`);
    return { status: response.status, body: await response.json() };
  }

  async function createBatch(count: number, pathNames = names('users.create', count)) {
    const response = await fetch(`${service.baseUrl}/trpc/${pathNames}?batch=1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${service.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(inputs(count, () => newUserBody())),
    });
    return { status: response.status, body: await response.json() };
  }

  it('answers a GET batch of 10 queries, and refuses one of 11 with a 400 that names the bound', async () => {
    assert.equal(service.config.TRPC_MAX_BATCH, 10, 'the default');
    const ten = await get(`${names('auth.methods', 10)}?batch=1&input=${encodeURIComponent('{}')}`);
    assert.equal(ten.status, 200);
    assert.equal(ten.body.length, 10);
    assert.deepEqual(ten.body[9].result.data, {
      password: true,
      emailCode: false,
      oauth2: null,
      passkeys: { rpId: 'localhost' },
      signUp: null,
    });

    for (const path of [names('auth.methods', 11), names('auth.methods', 11).replaceAll(',', '%2C')]) {
      const eleven = await get(`${path}?batch=1&input=${encodeURIComponent('{}')}`);
      assert.equal(eleven.status, 400, path);
      assert.equal(eleven.body.error.message, refusal(11));
      assert.equal(eleven.body.error.data.code, 'BAD_REQUEST');
    }
    // what the report replayed: 50 calls in one GET
    const fifty = await get(`${names('auth.oauth2.authorize', 50)}?batch=1&input=${encodeURIComponent('{}')}`);
    assert.equal(fifty.status, 400);
    assert.equal(fifty.body.error.message, refusal(50));
  });

  it('runs a POST batch of 10 mutations, and refuses one of 11 whole: nothing is written', async () => {
    const before = await userCount();
    for (const pathNames of [names('users.create', 11), names('users.create', 11).replaceAll(',', '%2c')]) {
      const eleven = await createBatch(11, pathNames);
      assert.equal(eleven.status, 400);
      assert.equal(eleven.body.error.message, refusal(11));
      assert.equal(await userCount(), before, 'no call of a refused batch ran');
    }
    // each call may wait for its client: one listener on the response for all of them, not one
    // each (ten and tRPC's own were past Node's bound: a MaxListenersExceededWarning per batch)
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const ten = await createBatch(10);
      assert.equal(ten.status, 200);
      assert.equal(ten.body.length, 10);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    assert.deepEqual(warnings, []);
    assert.equal(await userCount(), before + 10);
  });

  it('the typed client sends at most 10 calls a request; one told to send more gets the refusal', async () => {
    const client = createUsersClient({ url: `${service.baseUrl}/trpc` });
    const answers = await Promise.all(Array.from({ length: 25 }, () => client.auth.methods.query()));
    assert.equal(answers.length, 25);

    const greedy = createUsersClient({ url: `${service.baseUrl}/trpc`, maxBatch: 11 });
    const calls = Array.from({ length: 11 }, () => greedy.auth.methods.query());
    for (const call of calls) {
      await assert.rejects(call, (error) => {
        assert.ok(error instanceof TRPCClientError);
        assert.equal(error.data?.code, 'BAD_REQUEST');
        assert.equal(error.message, refusal(11));
        return true;
      });
    }
  });
});
