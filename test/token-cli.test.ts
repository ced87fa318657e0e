// `npm run token`, run as a child process as an operator would: a token lives TOKEN_TTL_SECONDS
// or --ttl, never longer than OPERATOR_TOKEN_MAX_TTL_SECONDS (a longer --ttl is refused with a
// message that says so, and no token); `--revoke <jti>` takes one back through revoked_tokens, and
// the running service (two instances on one database) refuses it from the next call on, for good.
import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import { createUsersClient, TRPCClientError } from '../client';
import { parseSigningKey } from '../server/crypto/signing-keys';
import { envWithout, runScript } from './support/process';
import { restClient } from './support/rest';
import { startTestService, TEST_JWT_SECRET, type TestService } from './support/service';

const SETTINGS = [
  'DATABASE_URL',
  'JWT_SECRET',
  'JWT_SIGNING_KEY',
  'JWT_VERIFY_KEYS',
  'NODE_ENV',
  'TOKEN_TTL_SECONDS',
  'OPERATOR_TOKEN_MAX_TTL_SECONDS',
];

async function tokenCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const run = runScript('server/cli/token.ts', args, {
    ...envWithout(...SETTINGS),
    NODE_ENV: 'test',
    JWT_SECRET: TEST_JWT_SECRET,
    ...env,
  });
  let stdout = '';
  run.child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  const exit = await run.exited;
  return { ...exit, stdout, output: run.output() };
}

const lifetime = (token: string) => {
  const claims = jwt.decode(token) as jwt.JwtPayload;
  return Number(claims.exp) - Number(claims.iat);
};

describe('npm run token', function () {
  this.timeout(60_000);
  this.slow(5_000);

  it('refuses a --ttl above OPERATOR_TOKEN_MAX_TTL_SECONDS (a day by default), and prints no token', async () => {
    const run = await tokenCli(['--sub', 'ops', '--role', 'admin', '--ttl', '31536000']);
    assert.equal(run.code, 2, run.output);
    assert.equal(run.stdout, '', 'no token');
    assert.match(
      run.output,
      /--ttl 31536000 is refused: operator tokens live at most 86400 seconds \(OPERATOR_TOKEN_MAX_TTL_SECONDS\)/,
    );
    const capped = await tokenCli(['--sub', 'ops', '--role', 'admin', '--ttl', '601'], {
      OPERATOR_TOKEN_MAX_TTL_SECONDS: '600',
    });
    assert.equal(capped.code, 2);
    assert.match(capped.output, /--ttl 601 is refused: operator tokens live at most 600 seconds/);
  });

  it('makes tokens of TOKEN_TTL_SECONDS, of --ttl up to the cap, and of the cap when it is below TOKEN_TTL_SECONDS', async () => {
    const plain = await tokenCli(['--sub', 'ops', '--role', 'admin']);
    assert.equal(plain.code, 0, plain.output);
    assert.equal(lifetime(plain.stdout.trim()), 3600);
    const day = await tokenCli(['--sub', 'ops', '--role', 'admin', '--ttl', '86400']);
    assert.equal(day.code, 0, day.output);
    assert.equal(lifetime(day.stdout.trim()), 86400);
    const capped = await tokenCli(['--sub', 'ops', '--role', 'admin'], { OPERATOR_TOKEN_MAX_TTL_SECONDS: '600' });
    assert.equal(capped.code, 0, capped.output);
    assert.equal(lifetime(capped.stdout.trim()), 600);
    const { jti } = jwt.decode(day.stdout.trim()) as jwt.JwtPayload;
    assert.match(day.output, new RegExp(`revoke it with: npm run token -- --revoke ${String(jti)}`));
  });

  it('makes a new signing key, and signs with JWT_SIGNING_KEY as a service holding it does', async () => {
    const made = await tokenCli(['--new-signing-key']);
    assert.equal(made.code, 0, made.output);
    const material = made.stdout.trim();
    const kid = /kid (\S+):/.exec(made.output)?.[1];
    assert.equal(kid, parseSigningKey(material).kid);
    assert.notEqual((await tokenCli(['--new-signing-key'])).stdout.trim(), material, 'a new key each time');

    const minted = await tokenCli(['--sub', 'ops', '--role', 'admin'], { JWT_SIGNING_KEY: material });
    assert.equal(minted.code, 0, minted.output);
    const token = minted.stdout.trim();
    assert.deepEqual(jwt.decode(token, { complete: true })?.header, { alg: 'ES256', typ: 'at+jwt', kid });
    const service = await startTestService({ JWT_SIGNING_KEY: material });
    try {
      assert.equal((await restClient(service.baseUrl, token).get('/api/v2/users?limit=1')).status, 200);
    } finally {
      await service.close();
    }
  });

  describe('--revoke', () => {
    let one: TestService;
    let two: TestService;
    before(async () => {
      one = await startTestService();
      two = await startTestService({}, { url: one.databaseUrl });
    });
    after(async () => {
      await two?.close();
      await one?.close();
    });

    it('revokes one token: both instances refuse it from the next call on, for good, and others still work', async () => {
      const made = await tokenCli(['--sub', 'ops-revoked', '--role', 'admin']);
      const other = await tokenCli(['--sub', 'ops-kept', '--role', 'admin']);
      const token = made.stdout.trim();
      const { jti } = jwt.decode(token) as jwt.JwtPayload;
      for (const service of [one, two]) {
        assert.equal((await restClient(service.baseUrl, token).get('/api/v2/users')).status, 200);
      }

      const revoked = await tokenCli(['--revoke', String(jti)], { DATABASE_URL: one.databaseUrl });
      assert.equal(revoked.code, 0, revoked.output);
      assert.match(revoked.stdout, new RegExp(`^revoked token ${String(jti)}: every instance refuses it from now on`));
      for (const service of [one, two]) {
        const refused = await restClient(service.baseUrl, token).get('/api/v2/users');
        assert.equal(refused.status, 401);
        assert.deepEqual(refused.body, { code: 100001, msg: 'token has been revoked' });
        assert.equal(refused.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
        await assert.rejects(
          createUsersClient({ url: `${service.baseUrl}/trpc`, token }).users.list.query({ offset: 0, limit: 1 }),
          (error) => error instanceof TRPCClientError && error.data?.code === 'UNAUTHORIZED',
        );
        assert.equal((await restClient(service.baseUrl, other.stdout.trim()).get('/api/v2/users')).status, 200);
      }

      // a later logout sweeps the revocations of expired tokens; this one's expiry is unknown, so it stays
      const logout = await restClient(one.baseUrl, other.stdout.trim()).post('/api/v2/auth/logout', undefined);
      assert.equal(logout.status, 204);
      assert.equal((await restClient(one.baseUrl, token).get('/api/v2/users')).status, 401);

      const again = await tokenCli(['--revoke', String(jti)], { DATABASE_URL: one.databaseUrl });
      assert.equal(again.code, 0, again.output);
      assert.match(again.stdout, /was revoked already/);
      // recorded once, by `cli`, with the token's id and never the token
      const events = await one.sql<{ actor: string; data: { tokenId: string }; row: string }>(
        `select actor, data, e::text as row from events e where type = 'auth.token_revoked'`,
      );
      assert.deepEqual(
        events.map(({ actor, data }) => ({ actor, data })),
        [{ actor: 'cli', data: { tokenId: String(jti).toLowerCase() } }],
      );
      assert.ok(!events[0]!.row.includes(token), 'the token itself is in the event');
    });

    it('refuses what is not a jti, and --revoke with a token to make', async () => {
      const rows = async () => Number((await one.sql<{ n: string }>('select count(*) as n from revoked_tokens'))[0]?.n);
      const before = await rows();
      const bad = await tokenCli(['--revoke', 'eyJhbGciOiJIUzI1NiJ9'], { DATABASE_URL: one.databaseUrl });
      assert.equal(bad.code, 2);
      assert.match(bad.output, /--revoke takes the token’s jti, a UUID/);
      const mixed = await tokenCli(['--revoke', '00000000-0000-4000-8000-000000000000', '--sub', 'x'], {
        DATABASE_URL: one.databaseUrl,
      });
      assert.equal(mixed.code, 2);
      assert.match(mixed.output, /--revoke takes no --sub/);
      assert.equal(await rows(), before, 'nothing revoked');
    });
  });
});
