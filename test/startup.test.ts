// `npm start` as a newcomer runs it: with no DATABASE_URL it brings up its own PostgreSQL,
// applies the migrations, prints where it listens and a development admin token, serves
// requests, and stops cleanly on SIGTERM. Bad configuration stops it with a clear message.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { envWithout, runScript } from './support/process';

const SETTINGS = ['DATABASE_URL', 'JWT_SECRET', 'PORT', 'HOST', 'NODE_ENV', 'EMBEDDED_PG_DIR', 'LOG_LEVEL'];

describe('npm start', function () {
  this.timeout(90_000);

  it('runs on an embedded PostgreSQL when no DATABASE_URL is given, and stops on SIGTERM', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'users-start-'));
    try {
      const service = runScript('server/main.ts', [], {
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
      } finally {
        service.child.kill('SIGTERM');
      }
      assert.deepEqual(await service.exited, { code: 0, signal: null });
      assert.equal(existsSync(path.join(dataDir, 'postmaster.pid')), false, 'the embedded PostgreSQL stopped too');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to start in production without JWT_SECRET', async () => {
    const service = runScript('server/main.ts', [], { ...envWithout(...SETTINGS), NODE_ENV: 'production' });
    assert.deepEqual(await service.exited, { code: 1, signal: null });
    assert.match(service.output(), /JWT_SECRET: is required when NODE_ENV is production/);
  });

  it('names each bad setting and what it expects', async () => {
    const service = runScript('server/main.ts', [], {
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
