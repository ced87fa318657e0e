// `npm run admin`, run as a child process as an operator would: it creates an admin who signs in by
// password, promotes an existing user (ending the tokens it had, which still said `user`), refuses
// bad input with the API's own messages and changes nothing, and works on the embedded PostgreSQL
// of `npm start`, both before the service first ran and while it runs.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { newUserBody } from './support/fixtures';
import { envWithout, runScript } from './support/process';
import { startTestService, type TestService } from './support/service';

const SETTINGS = ['DATABASE_URL', 'JWT_SECRET', 'PORT', 'HOST', 'NODE_ENV', 'EMBEDDED_PG_DIR', 'LOG_LEVEL'];
const PASSWORD = 'correct horse battery';

async function admin(args: string[], env: NodeJS.ProcessEnv) {
  const run = runScript('server/cli/admin.ts', args, { ...envWithout(...SETTINGS), HASH_LOG_N: '10', ...env });
  const exit = await run.exited;
  return { ...exit, output: run.output() };
}

async function signIn(service: TestService, email: string, password = PASSWORD) {
  const result = await service.caller(null).auth.login({ email, password });
  assert.ok('token' in result, 'a token, not a TOTP step');
  return result.token;
}

async function sessionOf(service: TestService, token: string) {
  const response = await fetch(`${service.baseUrl}/trpc/auth.session`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: (await response.json()) as { result?: { data: { role: string } } } };
}

describe('npm run admin', function () {
  this.timeout(120_000);
  this.slow(10_000);

  describe('against DATABASE_URL', () => {
    let service: TestService;
    before(async () => {
      service = await startTestService();
    });
    after(() => service?.close());

    it('creates an admin who signs in by password', async () => {
      const run = await admin(['--email', 'Root@Example.com', '--password', PASSWORD], {
        DATABASE_URL: service.databaseUrl,
      });
      assert.equal(run.code, 0, run.output);
      assert.match(run.output, /created admin Root@Example\.com \(id [\w-]+\), who signs in by password/);
      assert.ok(!run.output.includes(PASSWORD.split(' ')[1]!), 'the password is not printed');

      const token = await signIn(service, 'root@example.com');
      const session = await sessionOf(service, token);
      assert.equal(session.body.result?.data.role, 'admin');
      const list = await fetch(`${service.baseUrl}/api/v2/users`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(list.status, 200);
      const { items } = (await list.json()) as {
        items: Array<{ name: string; age: number; gender: number; email: { email: string; authMethod: number } }>;
      };
      const made = items.find((user) => user.email.email === 'Root@Example.com');
      assert.deepEqual(
        made && { name: made.name, age: made.age, gender: made.gender, authMethod: made.email.authMethod },
        { name: 'Root', age: 30, gender: 0, authMethod: 0 },
        'the defaults: the name from the address, age 30, gender 0, by password',
      );
    });

    it('promotes a user: a new password, the admin role, and its earlier tokens end', async () => {
      const user = await service.caller().users.create(newUserBody());
      const before = await signIn(service, user.email.email);
      assert.equal((await sessionOf(service, before)).body.result?.data.role, 'user');

      const run = await admin(
        ['--email', user.email.email.toUpperCase(), '--password', 'a brand new password', '--age', '51'],
        { DATABASE_URL: service.databaseUrl },
      );
      assert.equal(run.code, 0, run.output);
      assert.match(run.output, new RegExp(`promoted .* \\(id ${user.id}\\) to admin`, 'i'));

      assert.equal((await sessionOf(service, before)).status, 401, 'the token that said `user` is refused');
      await assert.rejects(signIn(service, user.email.email), { code: 'UNAUTHORIZED' }, 'the old password is gone');
      const after = await signIn(service, user.email.email, 'a brand new password');
      assert.equal((await sessionOf(service, after)).body.result?.data.role, 'admin');
      const read = await service.caller().users.read({ id: user.id });
      assert.deepEqual([read.name, read.age, read.gender], [user.name, 51, user.gender], 'only --age changed');
    });

    it('promotes a user who signed in by email code to one who signs in by password', async () => {
      const user = await service
        .caller()
        .users.create(newUserBody({ email: { email: 'coder@example.com', authMethod: 1 } }));
      const run = await admin(['--email', 'coder@example.com', '--password', PASSWORD], {
        DATABASE_URL: service.databaseUrl,
      });
      assert.equal(run.code, 0, run.output);
      assert.equal((await service.caller().users.read({ id: user.id })).email.authMethod, 0);
      assert.equal(
        (await sessionOf(service, await signIn(service, 'coder@example.com'))).body.result?.data.role,
        'admin',
      );
    });

    it('refuses bad input with the API’s messages, and changes nothing', async () => {
      const { total } = await service.caller().users.list({ offset: 0, limit: 0 });
      const run = await admin(['--email', 'not-an-address', '--password', 'short', '--age', '200'], {
        DATABASE_URL: service.databaseUrl,
      });
      assert.equal(run.code, 2, run.output);
      assert.match(run.output, /age: must be at most 120/);
      assert.match(run.output, /email\.email: must be an email address/);
      assert.match(run.output, /email\.password: must be at least 8 characters/);
      assert.match(run.output, /usage: npm run admin/);
      const missing = await admin(['--email', 'x@example.com'], { DATABASE_URL: service.databaseUrl });
      assert.equal(missing.code, 2);
      assert.match(missing.output, /--password is required/);
      assert.equal((await service.caller().users.list({ offset: 0, limit: 0 })).total, total);
    });
  });

  describe('against the embedded PostgreSQL of npm start (no DATABASE_URL)', () => {
    let dataDir: string;
    before(() => {
      dataDir = mkdtempSync(path.join(tmpdir(), 'users-admin-'));
    });
    after(() => rmSync(dataDir, { recursive: true, force: true }));

    it('makes an admin before the first start, and another while the service runs, without stopping it', async () => {
      const env = { EMBEDDED_PG_DIR: dataDir };
      const first = await admin(['--email', 'first@example.com', '--password', PASSWORD], env);
      assert.equal(first.code, 0, first.output);
      assert.match(first.output, /created admin first@example\.com .* in the embedded PostgreSQL/);

      const service = runScript('server/start/main.ts', [], {
        ...envWithout(...SETTINGS),
        PORT: '0',
        HASH_LOG_N: '10',
        ...env,
      });
      try {
        const [, baseUrl] = await service.waitFor(/listening on (http:\/\/[\d.:]+)/, 60_000);
        const login = (email: string) =>
          fetch(`${baseUrl}/api/v2/auth/token`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email, password: PASSWORD }),
          });
        assert.equal((await login('first@example.com')).status, 200, 'the admin made before the start signs in');

        const second = await admin(['--email', 'second@example.com', '--password', PASSWORD], env);
        assert.equal(second.code, 0, second.output);
        assert.match(second.output, /in the running embedded PostgreSQL/);
        const response = await login('second@example.com');
        assert.equal(response.status, 200, 'the running service sees the new admin');
        const { token } = (await response.json()) as { token: string };
        const list = await fetch(`${baseUrl}/api/v2/users`, { headers: { authorization: `Bearer ${token}` } });
        assert.equal(list.status, 200, 'as an admin');
        assert.equal(((await list.json()) as { total: number }).total, 2);
      } finally {
        service.child.kill('SIGTERM');
      }
      assert.deepEqual(await service.exited, { code: 0, signal: null });
    });
  });
});
