// Nobody can make the service hash for ever: at most HASH_QUEUE_MAX hashes wait, and the next
// request that needs one is answered 503 with Retry-After at once, with nothing hashed for it; a
// waiting hash whose request has ended (timed out, or the client hung up) is dropped before it
// runs; and a write bound to fail (another user's address, an unknown id) is refused before its
// password is hashed. Each is measured with the hasher's own count of the hashes it ran.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { createUsersClient, TRPCClientError } from '../../client';
import { newUserBody, uniqueSuffix } from '../support/fixtures';
import { restClient } from '../support/rest';
import { startTestService, type TestService } from '../support/service';

const TOKEN = '/api/v2/auth/token';
const USERS = '/api/v2/users';

const until = async (condition: () => boolean, what: string, timeoutMs = 20_000) => {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
};

const stranger = () => ({ email: `nobody.${uniqueSuffix()}@example.com`, password: 'a guess' });

describe('the password hashing queue', function () {
  this.timeout(120_000);

  describe('a full queue', () => {
    let service: TestService;

    // one hash at a time, two may wait, and each takes long enough (scrypt 2^17, 128 MiB) to watch
    before(
      async () =>
        (service = await startTestService({
          HASH_CONCURRENCY: '1',
          HASH_QUEUE_MAX: '2',
          HASH_LOG_N: '17',
          REQUEST_TIMEOUT_MS: '60000',
        })),
    );
    after(() => service.close());
    const idle = () => until(() => service.passwords.stats.running === 0, 'the hasher to be idle');

    it('answers the next sign-in 503 with Retry-After at once, and hashes nothing for it', async () => {
      const api = restClient(service.baseUrl);
      const before = service.passwords.stats;
      // one hashing, two waiting: the queue is full
      const queued = [stranger(), stranger(), stranger()].map((login) => api.post(TOKEN, login));
      await until(
        () => service.passwords.stats.running === 1 && service.passwords.stats.waiting === 2,
        'the queue to fill',
      );
      const started = performance.now();
      const refused = await api.post(TOKEN, stranger());
      const tookMs = performance.now() - started;
      assert.equal(refused.status, 503, JSON.stringify(refused.body));
      assert.match(refused.body.msg, /^too many passwords to check right now; try again in \d+ s$/);
      assert.ok(Number(refused.headers.get('retry-after')) >= 1, 'Retry-After');
      assert.equal(service.passwords.stats.completed, before.completed, 'answered before any queued hash finished');
      assert.ok(tookMs < 1000, `answered in ${tookMs.toFixed(0)} ms`);

      // the same over native tRPC
      let retryAfter: string | null = null;
      const native = createUsersClient({
        url: `${service.baseUrl}/trpc`,
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          retryAfter = response.headers.get('retry-after');
          return response;
        },
      });
      await assert.rejects(native.auth.login.mutate(stranger()), (error) => {
        assert.ok(error instanceof TRPCClientError);
        assert.equal(error.data?.code, 'SERVICE_UNAVAILABLE');
        return true;
      });
      assert.ok(Number(retryAfter) >= 1);

      for (const response of await Promise.all(queued)) assert.equal(response.status, 401);
      await idle();
      const after = service.passwords.stats;
      assert.equal(after.completed - before.completed, 3, 'only the three queued sign-ins were hashed');
      assert.equal(after.refused - before.refused, 2);
      const metrics = await (await fetch(`${service.baseUrl}/metrics`)).text();
      assert.match(metrics, new RegExp(`^password_hashes_total\\{outcome="refused"\\} ${after.refused}$`, 'm'));
    });

    it('drops a waiting hash whose client hung up', async () => {
      const before = service.passwords.stats;
      // the test's own hash holds the one slot
      const blocker = service.passwords.hash('blocker');
      const hangUp = new AbortController();
      const abandoned = fetch(`${service.baseUrl}${TOKEN}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(stranger()),
        signal: hangUp.signal,
      });
      await until(() => service.passwords.stats.waiting === 1, 'the sign-in to wait');
      hangUp.abort();
      await assert.rejects(abandoned, { name: 'AbortError' });
      await until(() => service.passwords.stats.dropped === before.dropped + 1, 'the waiting hash to be dropped');
      await blocker;
      await idle();
      assert.equal(service.passwords.stats.completed - before.completed, 1, 'only the blocker was hashed');
    });
  });

  describe('a request that timed out', () => {
    let service: TestService;

    before(
      async () =>
        (service = await startTestService({
          HASH_CONCURRENCY: '1',
          HASH_QUEUE_MAX: '8',
          HASH_LOG_N: '17',
          REQUEST_TIMEOUT_MS: '100',
        })),
    );
    after(() => service.close());

    it('has its waiting hash dropped before it runs', async () => {
      const before = service.passwords.stats;
      // two hashes of the test's own (no request, no deadline) hold the queue for well over 100 ms
      const blockers = [service.passwords.hash('one'), service.passwords.hash('two')];
      const api = restClient(service.baseUrl);
      const answers = await Promise.all([api.post(TOKEN, stranger()), api.post(TOKEN, stranger())]);
      for (const answer of answers) {
        assert.equal(answer.status, 503);
        assert.equal(answer.body.msg, 'request timed out');
      }
      await until(() => service.passwords.stats.dropped === before.dropped + 2, 'both hashes to be dropped');
      assert.equal(service.passwords.stats.running, 1, 'the blockers were still hashing when the requests ended');
      await Promise.all(blockers);
      await until(() => service.passwords.stats.running === 0, 'the hasher to be idle');
      assert.equal(service.passwords.stats.completed - before.completed, 2, 'only the blockers were hashed');
    });
  });

  describe('writes bound to fail', () => {
    let service: TestService;
    let admin: ReturnType<typeof restClient>;

    before(async () => {
      service = await startTestService();
      admin = restClient(service.baseUrl, service.adminToken);
    });
    after(() => service.close());

    async function createUser() {
      const body = newUserBody();
      const created = await admin.post(USERS, body);
      assert.equal(created.status, 200, JSON.stringify(created.body));
      return { id: String(created.body.id), body };
    }

    it("answers 409 to a move onto another user's address with a password, without hashing", async () => {
      const [self, other] = [await createUser(), await createUser()];
      const login = await restClient(service.baseUrl).post(TOKEN, {
        email: self.body.email.email,
        password: self.body.email.password,
      });
      assert.equal(login.status, 200);
      const asSelf = restClient(service.baseUrl, String(login.body.token));
      const hashed = service.passwords.stats.completed;
      for (let i = 0; i < 3; i += 1) {
        // by an admin: the address is taken
        const taken = await admin.put(`${USERS}/${self.id}`, {
          ...self.body,
          email: { email: other.body.email.email.toUpperCase(), authMethod: 0, password: `new password ${i}` },
        });
        assert.equal(taken.status, 409);
        assert.deepEqual(taken.body, { code: 100001, msg: 'a user with this email address already exists' });
        // by the user itself: a new address of its own is proven by a mailed code, never written
        const own = await asSelf.put(`${USERS}/${self.id}`, {
          ...self.body,
          email: { email: other.body.email.email, authMethod: 0, password: `new password ${i}` },
        });
        assert.equal(own.status, 403);
      }
      assert.equal(service.passwords.stats.completed, hashed, 'no hash for a write that cannot succeed');
      // the user's own address with a new password is still a write that hashes
      const kept = await asSelf.put(`${USERS}/${self.id}`, {
        ...self.body,
        email: { ...self.body.email, password: 'a new password' },
      });
      assert.equal(kept.status, 200, JSON.stringify(kept.body));
      assert.equal(service.passwords.stats.completed, hashed + 1);
    });

    it('answers 404 to a replacement of an unknown user, and 409 to a duplicate create, without hashing', async () => {
      const existing = await createUser();
      const hashed = service.passwords.stats.completed;
      const missing = await admin.put(`${USERS}/no-such-user-${uniqueSuffix()}`, newUserBody());
      assert.equal(missing.status, 404);
      const sameAddress = newUserBody({ email: { ...newUserBody().email, email: existing.body.email.email } });
      assert.equal((await admin.post(USERS, sameAddress)).status, 409);
      const sameId = await admin.post(USERS, newUserBody({ id: existing.id }));
      assert.equal(sameId.status, 409);
      assert.equal(sameId.body.msg, 'a user with this id already exists');
      assert.equal(service.passwords.stats.completed, hashed);
    });
  });
});
