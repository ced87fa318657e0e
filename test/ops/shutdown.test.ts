// SIGTERM while a slow request is in flight: the request completes (its write lands), new
// connections are refused, and the process exits 0 after closing the database.
import assert from 'node:assert/strict';
import { tokenService } from '../../server/start/services';
import { loadConfig } from '../../server/config/config';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { newUserBody } from '../support/fixtures';
import { envWithout, runScript } from '../support/process';
import { TEST_JWT_SECRET } from '../support/service';
import pg from 'pg';

describe('graceful shutdown', function () {
  this.timeout(60_000);
  let database: TestDatabase;

  before(async () => (database = await createTestDatabase()));
  after(() => database.drop());

  it('finishes a slow request in flight, then exits 0', async () => {
    const env = {
      ...envWithout('PORT', 'NODE_ENV', 'LOG_LEVEL'),
      DATABASE_URL: database.url,
      JWT_SECRET: TEST_JWT_SECRET,
      PORT: '0',
      // a create hashes for a few hundred milliseconds: a request still in flight at SIGTERM
      HASH_LOG_N: '16',
      SHUTDOWN_TIMEOUT_MS: '10000',
    };
    const service = runScript('server/start/main.ts', [], env);
    const [, baseUrl] = await service.waitFor(/listening on (http:\/\/[\d.:]+)/);
    // the same secret, issuer and audience as the service: a token it accepts
    const token = tokenService({ ...loadConfig(env), JWT_SECRET: TEST_JWT_SECRET }).issue({
      id: 'ops',
      role: 'admin',
    }).token;

    const body = newUserBody();
    const inFlight = fetch(`${baseUrl}/api/v2/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    service.child.kill('SIGTERM');
    await service.waitFor(/shutting down/);

    const response = await inFlight;
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('connection'), 'close');
    await assert.rejects(fetch(`${baseUrl}/healthz`), 'no new connections are accepted');
    assert.deepEqual(await service.exited, { code: 0, signal: null });
    assert.match(service.output(), /"msg":"stopped"/);

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rowCount } = await client.query('select 1 from emails where address = $1', [body.email.email]);
    await client.end();
    assert.equal(rowCount, 1, 'the write of the finished request is there');
  });
});
