// `npm start` as a newcomer runs it: with no DATABASE_URL it brings up its own PostgreSQL,
// applies the migrations, prints where it listens and a development admin token, serves
// requests, and stops cleanly on SIGTERM. Bad configuration stops it with a clear message.
import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase } from './support/test-database';
import { envWithout, runScript } from './support/process';
import { SecretBox } from '../server/crypto/secret-box';

const SETTINGS = [
  'DATABASE_URL',
  'JWT_SECRET',
  'JWT_SIGNING_KEY',
  'JWT_VERIFY_KEYS',
  'PORT',
  'HOST',
  'NODE_ENV',
  'EMBEDDED_PG_DIR',
  'LOG_LEVEL',
  'TOTP_KEY',
  'TOTP_KEY_FILE',
  'SMTP_URL',
  'REDIS_URL',
];

describe('npm start', function () {
  this.timeout(90_000);

  it('runs on an embedded PostgreSQL when no DATABASE_URL is given, and stops on SIGTERM', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'users-start-'));
    try {
      const service = runScript('server/start/main.ts', [], {
        ...envWithout(...SETTINGS),
        PORT: '0',
        EMBEDDED_PG_DIR: dataDir,
      });
      try {
        const [, baseUrl] = await service.waitFor(/listening on (http:\/\/[\d.:]+)/, 60_000);
        const [, token] = await service.waitFor(/admin token[^\n]*\n\s*\n\s*(\S+)/);
        assert.match(service.output(), /DEVELOPMENT ONLY/);

        const unauthorized = await fetch(`${baseUrl}/api/v2/users`);
        assert.equal(unauthorized.status, 401);
        const response = await fetch(`${baseUrl}/api/v2/users`, { headers: { authorization: `Bearer ${token}` } });
        assert.equal(response.status, 200);
        assert.deepEqual(await response.json(), { items: [], total: 0, offset: 0, limit: 10 });
        // a random signing key for the run too, published, which signed that token
        const { keys } = (await (await fetch(`${baseUrl}/api/v2/auth/jwks`)).json()) as {
          keys: Array<{ kid: string }>;
        };
        assert.equal(keys.length, 1);
        assert.deepEqual(jwt.decode(token!, { complete: true })?.header, {
          alg: 'ES256',
          typ: 'at+jwt',
          kid: keys[0]!.kid,
        });
      } finally {
        service.child.kill('SIGTERM');
      }
      assert.deepEqual(await service.exited, { code: 0, signal: null });
      assert.equal(existsSync(path.join(dataDir, 'postmaster.pid')), false, 'the embedded PostgreSQL stopped too');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to start in production without JWT_SECRET or TOTP_KEY', async () => {
    const service = runScript('server/start/main.ts', [], { ...envWithout(...SETTINGS), NODE_ENV: 'production' });
    assert.deepEqual(await service.exited, { code: 1, signal: null });
    assert.match(service.output(), /JWT_SECRET: is required when NODE_ENV is production/);
    assert.match(service.output(), /TOTP_KEY: is required when NODE_ENV is production/);
  });

  it('prints sign-in emails marked DEVELOPMENT when no SMTP_URL is set, and keeps its TOTP key', async () => {
    const database = await createTestDatabase();
    const keyDir = mkdtempSync(path.join(tmpdir(), 'users-key-'));
    const keyFile = path.join(keyDir, 'totp.key');
    const env = { ...envWithout(...SETTINGS), PORT: '0', DATABASE_URL: database.url, TOTP_KEY_FILE: keyFile };
    try {
      const service = runScript('server/start/main.ts', [], env);
      try {
        const [, baseUrl] = await service.waitFor(/listening on (http:\/\/[\d.:]+)/, 60_000);
        const [, token] = await service.waitFor(/admin token[^\n]*\n\s*\n\s*(\S+)/);
        const email = `dev.${Date.now()}@example.com`;
        const created = await fetch(`${baseUrl}/api/v2/users`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'dev_user', age: 30, gender: 1, email: { email, authMethod: 1 } }),
        });
        assert.equal(created.status, 200);
        const requested = await fetch(`${baseUrl}/api/v2/auth/otp`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email }),
        });
        assert.equal(requested.status, 202);
        const [, code] = await service.waitFor(
          new RegExp(
            `DEVELOPMENT ONLY: no SMTP_URL[^\\n]*\\n(?:.*\\n)*?To: ${email.replace(/\./g, '\\.')}\\n(?:.*\\n)*?.*sign-in code is (\\d{6})`,
          ),
        );
        const verified = await fetch(`${baseUrl}/api/v2/auth/otp/verify`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, code }),
        });
        assert.equal(verified.status, 200);
      } finally {
        service.child.kill('SIGTERM');
      }
      assert.deepEqual(await service.exited, { code: 0, signal: null });
      const key = readFileSync(keyFile, 'utf8');
      assert.equal(Buffer.from(key.trim(), 'base64').length, 32);
      assert.equal(statSync(keyFile).mode & 0o777, 0o600, 'readable by its owner only');
      // a second start uses the same key, so TOTP enrollments survive restarts
      const again = runScript('server/start/main.ts', [], env);
      try {
        await again.waitFor(/listening on/, 60_000);
      } finally {
        again.child.kill('SIGTERM');
      }
      await again.exited;
      assert.equal(readFileSync(keyFile, 'utf8'), key);
    } finally {
      rmSync(keyDir, { recursive: true, force: true });
      await database.drop();
    }
  });

  it('warns in production that without SMTP_URL no sign-in code can be sent, and never prints one', async () => {
    const database = await createTestDatabase();
    try {
      const service = runScript('server/start/main.ts', [], {
        ...envWithout(...SETTINGS),
        NODE_ENV: 'production',
        PORT: '0',
        DATABASE_URL: database.url,
        JWT_SECRET: 'a-production-secret-that-is-long-enough-0123456789',
        TOTP_KEY: Buffer.alloc(32, 7).toString('base64'),
        TOTP_PREVIOUS_KEYS: Buffer.alloc(32, 8).toString('base64'),
      });
      try {
        await service.waitFor(/no SMTP_URL: sign-in codes by email cannot be sent/, 60_000);
        // the keys it holds, by their ids (a one-way hash), never the keys
        const [keys] = await service.waitFor(/\{[^\n]*"msg":"sign-in secrets at rest[^\n]*\}/);
        const logged = JSON.parse(keys) as { keyId: string; previousKeyIds: string[] };
        assert.equal(logged.keyId, new SecretBox(Buffer.alloc(32, 7)).keyId);
        assert.deepEqual(logged.previousKeyIds, [new SecretBox(Buffer.alloc(32, 8)).keyId]);
        for (const fill of [7, 8]) assert.ok(!service.output().includes(Buffer.alloc(32, fill).toString('base64')));
        const [, baseUrl] = await service.waitFor(/listening on (http:\/\/[\d.:]+)/);
        const requested = await fetch(`${baseUrl}/api/v2/auth/otp`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'someone@example.com' }),
        });
        assert.equal(requested.status, 503);
        assert.doesNotMatch(service.output(), /DEVELOPMENT|sign-in code is/);
      } finally {
        service.child.kill('SIGTERM');
      }
      await service.exited;
    } finally {
      await database.drop();
    }
  });

  it('names each bad setting and what it expects', async () => {
    const service = runScript('server/start/main.ts', [], {
      ...envWithout(...SETTINGS),
      PORT: 'eighty',
      JWT_SECRET: 'too-short',
      DATABASE_URL: 'mysql://nope',
    });
    assert.deepEqual(await service.exited, { code: 1, signal: null });
    const output = service.output();
    assert.match(output, /PORT: /);
    assert.match(output, /JWT_SECRET: must be at least 32 bytes/);
    assert.match(output, /DATABASE_URL: must be a postgres:\/\/ URL/);
    assert.ok(!output.includes('too-short'), 'the secret is not echoed');
  });
});
