// What an operator sees: one structured log line per request (route templates, never raw ids;
// no bodies or tokens), X-Request-Id honoured or made, /healthz and /readyz, and Prometheus
// metrics by operation and status with latency and database pool use.
import assert from 'node:assert/strict';
import { createUsersClient } from '../../client';
import { newUserBody } from '../support/fixtures';
import { restClient } from '../support/rest';
import { startTestService, type TestService } from '../support/service';

describe('observability', () => {
  let service: TestService;
  let api: ReturnType<typeof restClient>;

  before(async () => {
    service = await startTestService();
    api = restClient(service.baseUrl, service.adminToken);
  });
  after(() => service.close());

  const requestLines = () => service.logs.filter((line) => line.msg === 'request' || line.msg === 'request failed');

  it('logs one line per request with method, route, status, duration and request id', async () => {
    const user = (await api.post('/api/v2/users', newUserBody())).body;
    const before = requestLines().length;
    const response = await api.get(`/api/v2/users/${user.id}`, { headers: { 'x-request-id': 'trace-abc.123' } });
    assert.equal(response.headers.get('x-request-id'), 'trace-abc.123');
    const lines = requestLines().slice(before);
    assert.equal(lines.length, 1);
    const [line] = lines;
    assert.equal(line?.method, 'GET');
    assert.equal(line?.route, '/api/v2/users/{id}');
    assert.equal(line?.status, 200);
    assert.equal(line?.reqId, 'trace-abc.123');
    assert.equal(typeof line?.durationMs, 'number');
    assert.ok(!JSON.stringify(line).includes(user.id), 'the raw path with the id is not logged');
    assert.ok(!JSON.stringify(line).includes(service.adminToken));
  });

  it('makes a request id when none (or an unsafe one) is sent', async () => {
    const plain = await api.get('/api/v2/users');
    assert.match(plain.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    const unsafe = await api.get('/api/v2/users', { headers: { 'x-request-id': 'bad id\twith "quotes"' } });
    assert.match(unsafe.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  it('names tRPC calls by procedure, and unknown paths as unmatched', async () => {
    const before = requestLines().length;
    const client = createUsersClient({ url: `${service.baseUrl}/trpc`, token: service.adminToken });
    await client.users.list.query({});
    await fetch(`${service.baseUrl}/api/v2/users/x/y/secret-looking-path`);
    const [trpc, unmatched] = requestLines().slice(before);
    assert.equal(trpc?.route, '/trpc/users.list');
    assert.equal(trpc?.status, 200);
    assert.equal(unmatched?.route, '(unmatched)');
    assert.equal(unmatched?.status, 404);
  });

  it('answers /healthz and /readyz without auth', async () => {
    const health = await fetch(`${service.baseUrl}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const ready = await fetch(`${service.baseUrl}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), {
      status: 'ready',
      checks: { database: 'ok', migrations: 'ok', limits: 'memory' },
    });
  });

  it('reports readiness 503 while a migration is pending', async () => {
    const [latest] = await service.sql<{ name: string }>(
      'select name from mikro_orm_migrations order by id desc limit 1',
    );
    await service.sql('delete from mikro_orm_migrations where name = ?', [latest?.name]);
    try {
      const ready = await fetch(`${service.baseUrl}/readyz`);
      assert.equal(ready.status, 503);
      assert.deepEqual(await ready.json(), {
        status: 'unavailable',
        checks: { database: 'ok', migrations: '1 pending', limits: 'memory' },
      });
    } finally {
      await service.sql('insert into mikro_orm_migrations (name) values (?)', [latest?.name]);
    }
  });

  it('exposes Prometheus metrics by operation and status, latency, pool use and the process', async () => {
    await api.get('/api/v2/users');
    await api.get('/api/v2/users/nobody');
    const response = await fetch(`${service.baseUrl}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await response.text();
    assert.match(text, /http_requests_total\{operation="users\.list",method="GET",status="200"\} \d+/);
    assert.match(text, /http_requests_total\{operation="users\.read",method="GET",status="404"\} \d+/);
    assert.match(text, /http_request_duration_seconds_bucket\{le="0\.1",operation="users\.list",method="GET"\} \d+/);
    assert.match(text, /db_pool_connections_max \d+/);
    assert.match(text, /db_pool_connections_used \d+/);
    assert.match(text, /process_resident_memory_bytes \d+/);
    assert.match(text, /nodejs_eventloop_lag_seconds /);
  });
});
