// Sign-in: a token for the right password; one generic 401, after the same work, for an unknown
// email, a wrong password or an email that does not sign in by password (even when the hasher
// failed once); weak hashes upgraded on success, never over a password changed meanwhile; and the
// per-address and per-email limits triggering and recovering.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import jwt from 'jsonwebtoken';
import Scrypt from 'scrypt-kdf';
import { createUsersClient, TRPCClientError } from '../../client';
import { PasswordHasher } from '../../server/crypto/password-hasher';
import { newUserBody, uniqueSuffix } from '../support/fixtures';
import { restClient } from '../support/rest';
import { startTestService, type TestService } from '../support/service';

const TOKEN = '/api/v2/auth/token';
const FAILED = { code: 100001, msg: 'invalid email or password' };

async function createUser(service: TestService, overrides: Parameters<typeof newUserBody>[0] = {}) {
  const body = newUserBody(overrides);
  const response = await restClient(service.baseUrl, service.adminToken).post('/api/v2/users', body);
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return { id: String(response.body.id), email: body.email.email, password: String(body.email.password) };
}

describe('sign-in', () => {
  describe('tokens for passwords', () => {
    let service: TestService;
    let api: ReturnType<typeof restClient>;

    before(async () => {
      service = await startTestService();
      api = restClient(service.baseUrl);
    });
    after(() => service.close());

    it('exchanges the right password for a user token, over REST', async () => {
      const user = await createUser(service);
      const { status, body } = await api.post(TOKEN, { email: user.email.toUpperCase(), password: user.password });
      assert.equal(status, 200);
      assert.equal(body.tokenType, 'Bearer');
      assert.equal(body.expiresIn, 3600);
      const claims = jwt.decode(body.token) as jwt.JwtPayload;
      assert.equal(claims.sub, user.id);
      assert.equal(claims.role, 'user');
      const self = await restClient(service.baseUrl, body.token).get(`/api/v2/users/${user.id}`);
      assert.equal(self.status, 200);
    });

    it('and over tRPC, without a token', async () => {
      const user = await createUser(service);
      const client = createUsersClient({ url: `${service.baseUrl}/trpc` });
      const result = await client.auth.login.mutate({ email: user.email, password: user.password });
      assert.ok('token' in result);
      const { token } = result;
      assert.equal((jwt.decode(token) as jwt.JwtPayload).sub, user.id);
    });

    it('gives one answer for an unknown email, a wrong password and a non-password email', async () => {
      const user = await createUser(service);
      const otp = newUserBody();
      otp.email = { email: otp.email.email, authMethod: 1 };
      const created = await restClient(service.baseUrl, service.adminToken).post('/api/v2/users', otp);
      assert.equal(created.status, 200, JSON.stringify(created.body));
      for (const attempt of [
        { email: `nobody.${uniqueSuffix()}@example.com`, password: user.password },
        { email: user.email, password: `${user.password}!` },
        { email: otp.email.email, password: user.password },
      ]) {
        const response = await api.post(TOKEN, attempt);
        assert.equal(response.status, 401, JSON.stringify(attempt));
        assert.deepEqual(response.body, FAILED);
      }
      const client = createUsersClient({ url: `${service.baseUrl}/trpc` });
      await assert.rejects(client.auth.login.mutate({ email: user.email, password: 'wrong password' }), (error) => {
        assert.ok(error instanceof TRPCClientError);
        assert.equal(error.data?.code, 'UNAUTHORIZED');
        assert.equal(error.message, FAILED.msg);
        return true;
      });
    });

    it('validates the request like any other', async () => {
      const response = await api.post(TOKEN, { email: 'a@b.cd' });
      assert.equal(response.status, 400);
      assert.equal(response.body.msg, 'password: is required');
    });
  });

  describe('timing', () => {
    let service: TestService;

    // a realistic share of the time in scrypt, so the comparison is about the hashing path
    before(async () => (service = await startTestService({ HASH_LOG_N: '13' })));
    after(() => service.close());

    it('spends about the same time on an unknown email as on a wrong password', async function () {
      this.timeout(60_000);
      const user = await createUser(service);
      const api = restClient(service.baseUrl);
      const time = async (email: string) => {
        const start = performance.now();
        const response = await api.post(TOKEN, { email, password: 'not the password' });
        assert.equal(response.status, 401);
        return performance.now() - start;
      };
      const known: number[] = [];
      const unknown: number[] = [];
      await time(`warm.${uniqueSuffix()}@example.com`); // the dummy hash is made on first use
      for (let i = 0; i < 20; i += 1) {
        known.push(await time(user.email));
        unknown.push(await time(`nobody.${uniqueSuffix()}@example.com`));
      }
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
      const ratio = median(unknown) / median(known);
      console.log(
        `      login timing (median of 20, scrypt logN 13): known email ${median(known).toFixed(1)} ms, ` +
          `unknown email ${median(unknown).toFixed(1)} ms, ratio ${ratio.toFixed(2)}`,
      );
      assert.ok(ratio > 0.6 && ratio < 1.6, `ratio ${ratio}`);
    });
  });

  describe('hash upgrades', () => {
    let service: TestService;

    before(async () => (service = await startTestService({ HASH_LOG_N: '11' })));
    after(() => service.close());

    it('re-hashes a weaker stored hash at the configured cost on a successful login', async () => {
      const user = await createUser(service);
      const weak = await new PasswordHasher({ logN: 10, r: 8, p: 1 }).hash(user.password);
      await service.sql('update emails set password_hash = ? where lower(address) = lower(?)', [weak, user.email]);
      const api = restClient(service.baseUrl);

      assert.equal((await api.post(TOKEN, { email: user.email, password: 'wrong password' })).status, 401);
      const stored = async () =>
        String(
          (await service.sql('select password_hash from emails where lower(address) = lower(?)', [user.email]))[0]
            ?.password_hash,
        );
      assert.equal(await stored(), weak, 'a failed login changes nothing');

      assert.equal((await api.post(TOKEN, { email: user.email, password: user.password })).status, 200);
      const upgraded = await stored();
      assert.notEqual(upgraded, weak);
      assert.equal(Scrypt.viewParams(Buffer.from(upgraded, 'base64')).logN, 11);
      assert.equal((await api.post(TOKEN, { email: user.email, password: user.password })).status, 200);
    });
  });

  describe('a password changed while a sign-in upgrades its hash', () => {
    /** Our hasher, whose next hash waits until the test lets it go (the seam between verify and rehash). */
    class HeldHasher extends PasswordHasher {
      private held: { reached: () => void; release: Promise<void> } | undefined;
      holdNextHash(): { reached: Promise<void>; release: () => void } {
        let reached = () => {};
        let release = () => {};
        const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
        this.held = { reached, release: new Promise<void>((resolve) => (release = resolve)) };
        return { reached: reachedPromise, release };
      }
      override async hash(password: string, signal?: AbortSignal): Promise<string> {
        const held = this.held;
        this.held = undefined;
        if (held) {
          held.reached();
          await held.release;
        }
        return super.hash(password, signal);
      }
    }
    const hasher = new HeldHasher({ logN: 11, r: 8, p: 1 });
    let service: TestService;

    before(async () => (service = await startTestService({ HASH_LOG_N: '11' }, { passwords: hasher })));
    after(() => service.close());

    it('keeps the new password: the upgrade writes only over the hash it verified', async () => {
      const user = await createUser(service);
      const weak = await new PasswordHasher({ logN: 10, r: 8, p: 1 }).hash(user.password);
      await service.sql('update emails set password_hash = ? where lower(address) = lower(?)', [weak, user.email]);
      const api = restClient(service.baseUrl);

      // the sign-in has verified the old password and is hashing it anew
      const held = hasher.holdNextHash();
      const signingIn = api.post(TOKEN, { email: user.email, password: user.password });
      await held.reached;
      // meanwhile the password changes
      const body = newUserBody({ email: { email: user.email, authMethod: 0, password: 'the new password' } });
      const changed = await restClient(service.baseUrl, service.adminToken).put(`/api/v2/users/${user.id}`, body);
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      held.release();
      await signingIn;

      assert.equal((await api.post(TOKEN, { email: user.email, password: user.password })).status, 401);
      assert.equal((await api.post(TOKEN, { email: user.email, password: 'the new password' })).status, 200);
    });
  });

  describe('a throwaway hash that fails', () => {
    /** Our hasher, whose next hash fails once when told to (as one would when memory runs out). */
    class FailingHasher extends PasswordHasher {
      failNext = false;
      override async hash(password: string, signal?: AbortSignal): Promise<string> {
        if (this.failNext) {
          this.failNext = false;
          throw new Error('scrypt: memory limit exceeded');
        }
        return super.hash(password, signal);
      }
    }
    const hasher = new FailingHasher({ logN: 10, r: 8, p: 1 });
    let service: TestService;

    before(async () => (service = await startTestService({}, { passwords: hasher })));
    after(() => service.close());

    it('leaves unknown emails with the same 401 as known ones', async () => {
      const user = await createUser(service);
      const api = restClient(service.baseUrl);
      hasher.failNext = true;
      for (const email of [
        `nobody.${uniqueSuffix()}@example.com`,
        user.email,
        `nobody.${uniqueSuffix()}@example.com`,
      ]) {
        const response = await api.post(TOKEN, { email, password: 'not the password' });
        assert.equal(response.status, 401, email);
        assert.deepEqual(response.body, FAILED);
      }
    });
  });

  describe('rate limits (the login recipe)', () => {
    let service: TestService;

    before(
      async () =>
        (service = await startTestService({
          LOGIN_MAX_CONSECUTIVE_FAILS: '3',
          LOGIN_BLOCK_SECONDS: '2',
          TRUST_PROXY: 'true',
        })),
    );
    after(() => service.close());

    const pause = () => new Promise((resolve) => setTimeout(resolve, 2100));
    /** A client that signs in from `address` (the service trusts X-Forwarded-For here). */
    const from = (address: string) => ({
      signIn: (email: string, password: string) =>
        restClient(service.baseUrl).post(TOKEN, { email, password }, { headers: { 'x-forwarded-for': address } }),
    });
    let next = 0;
    const newAddress = () => `198.51.100.${(next += 1)}`;

    it('blocks an email from an address after consecutive failures, with Retry-After, then recovers', async () => {
      const user = await createUser(service);
      const client = from(newAddress());
      for (let i = 0; i < 3; i += 1) assert.equal((await client.signIn(user.email, 'guess')).status, 401);
      const limited = await client.signIn(user.email, user.password);
      assert.equal(limited.status, 429, 'even the right password, while blocked');
      assert.match(limited.body.msg, /^too many sign-in attempts; try again in \d+ s$/);
      assert.ok(Number(limited.headers.get('retry-after')) >= 1);
      // another email from the same address, and this email from another address, still count as usual
      assert.equal((await client.signIn(`other.${uniqueSuffix()}@example.com`, 'x')).status, 401);
      assert.equal((await from(newAddress()).signIn(user.email, user.password)).status, 200);

      await pause();
      assert.equal((await client.signIn(user.email, user.password)).status, 200);
    });

    it('counts consecutive failures only: a success starts the count again', async () => {
      await pause();
      const user = await createUser(service);
      const client = from(newAddress());
      for (let round = 0; round < 3; round += 1) {
        for (let i = 0; i < 2; i += 1) assert.equal((await client.signIn(user.email, 'guess')).status, 401);
        assert.equal((await client.signIn(user.email, user.password)).status, 200, `round ${round}`);
      }
    });

    it('limits failures per client address, on tRPC too; successes do not count', async () => {
      const strict = await startTestService({
        LOGIN_MAX_FAILS_PER_ADDRESS: '6',
        LOGIN_ADDRESS_WINDOW_SECONDS: '2',
        TRUST_PROXY: 'true',
      });
      try {
        const address = newAddress();
        const signIn = (email: string, password: string) =>
          restClient(strict.baseUrl).post(TOKEN, { email, password }, { headers: { 'x-forwarded-for': address } });
        const user = await createUser(strict);
        for (let i = 0; i < 5; i += 1) {
          assert.equal((await signIn(`spray.${uniqueSuffix()}@example.com`, 'x')).status, 401);
          assert.equal((await signIn(user.email, user.password)).status, 200);
        }
        assert.equal((await signIn(`spray.${uniqueSuffix()}@example.com`, 'x')).status, 401, 'the 6th failure');
        assert.equal((await signIn(`spray.${uniqueSuffix()}@example.com`, 'x')).status, 429);
        const elsewhere = await restClient(strict.baseUrl).post(
          TOKEN,
          { email: user.email, password: user.password },
          { headers: { 'x-forwarded-for': newAddress() } },
        );
        assert.equal(elsewhere.status, 200, 'other addresses are not limited');

        let retryAfter: string | null = null;
        const native = createUsersClient({
          url: `${strict.baseUrl}/trpc`,
          fetch: async (input, init) => {
            const response = await fetch(input, {
              ...init,
              headers: { ...(init?.headers as Record<string, string>), 'x-forwarded-for': address },
            });
            retryAfter = response.headers.get('retry-after');
            return response;
          },
        });
        await assert.rejects(native.auth.login.mutate({ email: 'a@b.cd', password: 'x' }), (error) => {
          assert.ok(error instanceof TRPCClientError);
          assert.equal(error.data?.code, 'TOO_MANY_REQUESTS');
          return true;
        });
        assert.ok(Number(retryAfter) >= 1);

        await pause();
        assert.equal((await signIn('a@b.cd', 'x')).status, 401);
      } finally {
        await strict.close();
      }
    });

    it('counts a refused attempt as no failure anywhere else', async () => {
      const strict = await startTestService({
        LOGIN_MAX_CONSECUTIVE_FAILS: '2',
        LOGIN_MAX_FAILS_PER_EMAIL: '4',
        TRUST_PROXY: 'true',
      });
      try {
        const user = await createUser(strict);
        const signIn = (address: string, password: string) =>
          restClient(strict.baseUrl).post(
            TOKEN,
            { email: user.email, password },
            { headers: { 'x-forwarded-for': address } },
          );
        const blocked = newAddress();
        for (let i = 0; i < 2; i += 1) assert.equal((await signIn(blocked, 'guess')).status, 401);
        // refused without a look at the password: these are not failures of the email
        for (let i = 0; i < 3; i += 1) assert.equal((await signIn(blocked, 'guess')).status, 429);
        assert.equal((await signIn(newAddress(), 'guess')).status, 401, 'the 3rd failure of the email');
        assert.equal((await signIn(newAddress(), user.password)).status, 200, 'within its 4');
      } finally {
        await strict.close();
      }
    });

    it('limits failures per email from any number of addresses', async () => {
      const strict = await startTestService({
        LOGIN_MAX_FAILS_PER_EMAIL: '4',
        LOGIN_EMAIL_WINDOW_SECONDS: '2',
        TRUST_PROXY: 'true',
      });
      try {
        const user = await createUser(strict);
        const signIn = (password: string) =>
          restClient(strict.baseUrl).post(
            TOKEN,
            { email: user.email, password },
            { headers: { 'x-forwarded-for': newAddress() } },
          );
        for (let i = 0; i < 4; i += 1) assert.equal((await signIn('guess')).status, 401);
        assert.equal((await signIn(user.password)).status, 429);
        await pause();
        assert.equal((await signIn(user.password)).status, 200);
      } finally {
        await strict.close();
      }
    });
  });
});
