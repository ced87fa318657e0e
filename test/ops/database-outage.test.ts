// PostgreSQL goes away mid-run: requests fail fast with 503 "service unavailable", /readyz
// turns 503, and once PostgreSQL is back the service recovers by itself, every acknowledged
// write still there. A PostgreSQL of this test's own is stopped and started for real.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../dev/embedded-postgres/embedded-postgres';
import { ensureDatabase } from '../../server/database/ensure-database';
import { newUserBody } from '../support/fixtures';
import { restClient } from '../support/rest';
import { startTestService, type TestService } from '../support/service';

describe('PostgreSQL outage', function () {
  this.timeout(120_000);
  let dataDir: string;
  let postgres: EmbeddedPostgres;
  let service: TestService;

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'users-outage-'));
    postgres = await startEmbeddedPostgres({ dataDir, persistent: true });
    const url = await ensureDatabase(postgres.url, 'users');
    service = await startTestService({ REQUEST_TIMEOUT_MS: '3000', DB_CONNECT_TIMEOUT_MS: '1000' }, { url });
  });
  after(async () => {
    await service?.close();
    await postgres?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 503 fast while it is down and recovers without a restart, losing no acknowledged write', async () => {
    const api = restClient(service.baseUrl, service.adminToken);
    const acknowledged: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const created = await api.post('/api/v2/users', newUserBody());
      assert.equal(created.status, 200);
      acknowledged.push(String(created.body.id));
    }
    assert.equal((await fetch(`${service.baseUrl}/readyz`)).status, 200);

    await postgres.stop();
    for (const call of [
      () => api.get('/api/v2/users'),
      () => api.get(`/api/v2/users/${acknowledged[0]}`),
      () => api.post('/api/v2/users', newUserBody()),
    ]) {
      const start = performance.now();
      const response = await call();
      const elapsed = performance.now() - start;
      assert.equal(response.status, 503, JSON.stringify(response.body));
      assert.deepEqual(response.body, { code: 100001, msg: 'service unavailable' });
      assert.ok(elapsed < 2500, `answered in ${Math.round(elapsed)} ms`);
    }
    const ready = await fetch(`${service.baseUrl}/readyz`);
    assert.equal(ready.status, 503);
    assert.equal(((await ready.json()) as { checks: { database: string } }).checks.database, 'unreachable');
    assert.equal((await fetch(`${service.baseUrl}/healthz`)).status, 200, 'the process itself is alive');

    const restartedAt = performance.now();
    postgres = await startEmbeddedPostgres({ dataDir, persistent: true, port: postgres.port });
    let recoveredAfter = -1;
    while (performance.now() - restartedAt < 30_000) {
      if ((await api.get('/api/v2/users?limit=0')).status === 200) {
        recoveredAfter = performance.now() - restartedAt;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(recoveredAfter >= 0, 'the service recovered');
    console.log(`      recovered ${Math.round(recoveredAfter)} ms after PostgreSQL was started again`);
    assert.equal((await fetch(`${service.baseUrl}/readyz`)).status, 200);
    const { body } = await api.get('/api/v2/users?limit=0');
    const ids = new Set(body.items.map((user: { id: string }) => user.id));
    for (const id of acknowledged) assert.ok(ids.has(id), `acknowledged user ${id} is still there`);
  });
});
