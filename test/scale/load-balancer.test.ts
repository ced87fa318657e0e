// Two instances of the service (`server/start/main.ts`, as `npm start` runs it) behind HAProxy, with the
// project's own deploy/haproxy.cfg, sharing one database and a redis-server of this file's own.
// Through the balancer the guess budget is one (whichever instance answers, whatever
// X-Forwarded-For a client makes up), and an instance told to stop (SIGTERM) in the middle of a
// load drains: /readyz turns 503, haproxy takes it out while it still serves, then it finishes
// what it has and exits 0, and no client request fails. The operations routes (/metrics, /readyz,
// /healthz) are served on the internal frontend only: the public one answers 404 for them however
// they are spelled, while haproxy's own health checks still read each instance's /readyz.
import assert from 'node:assert/strict';
import net from 'node:net';
import { loadConfig } from '../../server/config/config';
import { tokenService } from '../../server/start/services';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { newUserBody } from '../support/fixtures';
import { startHaproxy, type Haproxy } from '../support/haproxy';
import { describeLoad, startLoad } from '../support/load';
import { eventually, readUntil } from '../support/eventually';
import { HAPROXY, REDIS_SERVER, requireProgram } from '../support/prerequisites';
import { envWithout, runScript, type Running } from '../support/process';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { restClient } from '../support/rest';
import { TEST_JWT_SECRET, TEST_TOTP_KEY } from '../support/service';

const DRAIN_MS = 4000;

describe('two instances behind HAProxy', function () {
  this.timeout(120_000);
  let database: TestDatabase | undefined;
  let redis: RedisServer | undefined;
  let haproxy: Haproxy | undefined;
  const instances: Array<{ process: Running; address: string }> = [];
  let env: NodeJS.ProcessEnv;
  let adminToken: string;

  before(async function () {
    const haproxyProgram = requireProgram(this, HAPROXY);
    const redisProgram = requireProgram(this, REDIS_SERVER);
    [database, redis] = await Promise.all([createTestDatabase(), startRedisServer(redisProgram)]);
    env = {
      ...envWithout('PORT', 'NODE_ENV', 'LOG_LEVEL', 'DATABASE_REPLICA_URLS', 'SMTP_URL'),
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      JWT_SECRET: TEST_JWT_SECRET,
      TOTP_KEY: TEST_TOTP_KEY,
      PORT: '0',
      HASH_LOG_N: '10',
      TRUST_PROXY: 'true',
      TRUST_PROXY_HOPS: '1',
      SHUTDOWN_DRAIN_DELAY_MS: String(DRAIN_MS),
      LOGIN_MAX_CONSECUTIVE_FAILS: '3',
      LOGIN_MAX_FAILS_PER_ADDRESS: '100000',
      LOGIN_MAX_FAILS_PER_EMAIL: '100000',
    };
    // one at a time: the first applies the migrations
    for (let i = 0; i < 2; i += 1) {
      const process = runScript('server/start/main.ts', [], env);
      const [, address] = await process.waitFor(/listening on http:\/\/([\d.:]+)/, 60_000);
      instances.push({ process, address: address! });
    }
    haproxy = await startHaproxy(haproxyProgram, [instances[0]!.address, instances[1]!.address]);
    adminToken = tokenService({ ...loadConfig(env), JWT_SECRET: TEST_JWT_SECRET }).issue({
      id: 'balanced-admin',
      role: 'admin',
    }).token;
  });
  after(async () => {
    await haproxy?.stop();
    for (const { process } of instances) {
      if (process.child.exitCode !== null) continue;
      process.child.kill('SIGTERM');
      // a second signal skips the drain: nothing is in front of it any more
      await process.waitFor(/draining/).catch(() => undefined);
      process.child.kill('SIGTERM');
      await process.exited;
    }
    await redis?.close();
    await database?.drop();
  });

  it('keeps idle connections open longer than a balancer does (KEEP_ALIVE_TIMEOUT_MS, 65 s by default)', async () => {
    const response = await fetch(`http://${instances[0]!.address}/healthz`);
    await response.arrayBuffer();
    assert.equal(response.headers.get('keep-alive'), 'timeout=65');
  });

  const auth = () => ({ authorization: `Bearer ${adminToken}` });

  const requestsPerServer = async () =>
    Object.fromEntries((await haproxy!.servers()).map((server) => [server.name, server.requests]));

  it('has one guess budget through the balancer, whatever X-Forwarded-For a client sends', async () => {
    const api = restClient(haproxy!.url, adminToken);
    const body = newUserBody();
    assert.equal((await api.post('/api/v2/users', body)).status, 200);
    const before = await requestsPerServer();
    let guess = 0;
    const signIn = (password: string) =>
      restClient(haproxy!.url).post(
        '/api/v2/auth/token',
        { email: body.email.email, password },
        // a made-up address per guess: haproxy appends the real one, and only that one counts
        { headers: { 'x-forwarded-for': `198.18.0.${(guess += 1)}` } },
      );
    for (let i = 0; i < 3; i += 1) assert.equal((await signIn('a wrong guess')).status, 401);
    for (let i = 0; i < 2; i += 1) {
      const refused = await signIn(String(body.email.password));
      assert.equal(refused.status, 429, 'blocked, on whichever instance answers');
      assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    }
    const after = await requestsPerServer();
    for (const name of ['users1', 'users2']) {
      assert.ok((after[name] ?? 0) - (before[name] ?? 0) >= 2, `${name} answered some of the attempts`);
    }
  });

  it('serves the operations routes on the internal frontend only; health checks still read /readyz', async () => {
    const publicFrontend = new URL(haproxy!.url);
    for (const route of ['/metrics', '/readyz', '/healthz']) {
      const variants = [
        route,
        `${route}?x=1`,
        `${route}#x`,
        `${route}/`,
        `${route};x`,
        `/${route}`,
        `/.${route}`,
        `/./${route}`,
        `/%2e${route}`,
        `/%2F${route}`,
        `/a/..${route}`,
        `/a/%2E%2E${route}`,
        `/%${route.charCodeAt(1).toString(16)}${route.slice(2)}`,
        route.toUpperCase(),
        `http://${publicFrontend.host}${route}`,
      ];
      for (const path of variants) {
        for (const method of ['GET', 'HEAD']) {
          const answer = await rawRequest(publicFrontend, method, path);
          // 404 as for an unknown path; 400 where haproxy finds the request itself malformed (`#`)
          assert.ok([400, 404].includes(answer.status), `${method} ${path} on the public frontend: ${answer.head}`);
          assert.doesNotMatch(answer.body, /process_cpu|"status"/, `${method} ${path}: nothing of the route`);
        }
      }
    }
    // everything else still passes the public frontend
    assert.equal((await fetch(`${haproxy!.url}/api/v2/users`, { headers: auth() })).status, 200);

    const metrics = await fetch(`${haproxy!.opsUrl}/metrics`);
    assert.equal(metrics.status, 200);
    assert.match(await metrics.text(), /process_cpu_user_seconds_total/);
    const ready = await fetch(`${haproxy!.opsUrl}/readyz`);
    assert.equal(ready.status, 200);
    assert.equal(((await ready.json()) as { status: string }).status, 'ready');
    assert.equal((await fetch(`${haproxy!.opsUrl}/healthz`)).status, 200);
    // and nothing but them
    const api = await fetch(`${haproxy!.opsUrl}/api/v2/users`, { headers: auth() });
    assert.equal(api.status, 404, 'no API on the internal frontend');
    await api.arrayBuffer();

    // the health checks are haproxy's own, straight to each instance's /readyz: HTTP, answered 200.
    // A check that is running as the stats are read shows as "* L7OK 0" (its code not in yet): the
    // stats are read again until neither server is in the middle of one
    const servers = await readUntil(
      'health checks not in progress',
      () => haproxy!.servers(),
      (rows) => rows.every((server) => !server.check.startsWith('*')),
    );
    assert.deepEqual(
      servers.map((server) => [server.name, server.status, server.check]),
      [
        ['users1', 'UP', 'L7OK 200'],
        ['users2', 'UP', 'L7OK 200'],
      ],
    );
  });

  it('drains an instance on SIGTERM: haproxy takes it out while it still serves, and no request fails', async () => {
    const api = restClient(haproxy!.url, adminToken);
    const users = await Promise.all(
      Array.from({ length: 4 }, async () => (await api.post('/api/v2/users', newUserBody())).body),
    );
    const headers = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
    const load = startLoad(4, async (worker, n) => {
      const kind = n % 10;
      const user = users[(worker + n) % users.length];
      const response =
        kind === 0
          ? await fetch(`${haproxy!.url}/api/v2/users`, {
              method: 'POST',
              headers,
              body: JSON.stringify(newUserBody()),
            })
          : kind === 1
            ? await fetch(`${haproxy!.url}/api/v2/auth/token`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ email: `nobody.${worker}@example.com`, password: 'x' }),
              })
            : await fetch(`${haproxy!.url}/api/v2/users/${user.id}`, { headers });
      await response.arrayBuffer();
      return response.status === 401 && kind === 1 ? 200 : response.status;
    });
    await eventually('a load on both instances', () => Promise.resolve(load.count > 100));

    const [stopping] = instances;
    const base = `http://${stopping!.address}`;
    let exited = false;
    void stopping!.process.exited.then(() => (exited = true));
    const atSignal = await requestsPerServer();
    const signalled = Date.now();
    stopping!.process.child.kill('SIGTERM');
    await stopping!.process.waitFor(/draining/);

    const ready = await fetch(`${base}/readyz`);
    assert.equal(ready.status, 503, '/readyz turns 503 first');
    assert.equal(((await ready.json()) as { status: string }).status, 'stopping');
    assert.equal((await fetch(`${base}/healthz`)).status, 200, 'and the instance still serves');

    await eventually('haproxy marking the instance DOWN', async () =>
      (await haproxy!.servers()).some((server) => server.name === 'users1' && server.status === 'DOWN'),
    );
    const downAfterMs = Date.now() - signalled;
    assert.equal(exited, false, 'taken out before it stopped accepting');
    const atDown = await requestsPerServer();
    assert.ok((atDown.users1 ?? 0) > (atSignal.users1 ?? 0), 'it served requests during the drain');

    assert.deepEqual(await stopping!.process.exited, { code: 0, signal: null });
    const stoppedAfterMs = Date.now() - signalled;
    assert.ok(stoppedAfterMs >= DRAIN_MS, 'it kept serving for the whole drain delay');
    const beforeEnd = load.count;
    await eventually('the load going on without it', () => Promise.resolve(load.count > beforeEnd + 100));
    const result = await load.stop();
    const atEnd = await requestsPerServer();
    console.log(
      describeLoad('through haproxy, one of two instances SIGTERMed in the middle', result) +
        `; haproxy took it out after ${downAfterMs} ms, it exited after ${stoppedAfterMs} ms`,
    );
    assert.deepEqual(result.failures, [], 'no request failed');
    assert.equal(atEnd.users1, atDown.users1, 'haproxy sent it nothing once it was out');
    assert.match(stopping!.process.output(), /"msg":"stopped"/);
  });
});

/** One request as written, over a raw socket: fetch would tidy the path (dot segments, case of %xx). */
function rawRequest(url: URL, method: string, path: string): Promise<{ status: number; head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname, () =>
      socket.write(`${method} ${path} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n\r\n`),
    );
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('end', () => {
      const [head = '', body = ''] = text.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), head: head.split('\r\n')[0] ?? '', body });
    });
  });
}
