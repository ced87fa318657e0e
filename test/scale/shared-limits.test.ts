// Two instances of the service sharing one database and one Redis (a redis-server this file
// starts) have one guess budget: failures on one count on the other, for the login recipe, the
// email-code sends and the TOTP attempts. When Redis stops, or hangs, in the middle of a sign-in
// load, sign-in keeps answering (limits count in each instance's memory: no 5xx), /readyz stays
// 200 and says so, and when Redis is back everything recovers by itself.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { TOTP, URI } from 'otpauth';
import { newUserBody, uniqueSuffix } from '../support/fixtures';
import { describeLoad, startLoad } from '../support/load';
import { eventually } from '../support/eventually';
import { REDIS_SERVER, requireProgram } from '../support/prerequisites';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { restClient } from '../support/rest';
import { startTestService, type TestService } from '../support/service';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';

const TOKEN = '/api/v2/auth/token';

describe('limits shared through Redis by two instances', function () {
  this.timeout(120_000);
  let redis: RedisServer | undefined;
  let smtp: SmtpCapture | undefined;
  let one: TestService;
  let two: TestService;

  before(async function () {
    const program = requireProgram(this, REDIS_SERVER);
    redis = await startRedisServer(program);
    smtp = await startSmtpCapture();
    const env = {
      REDIS_URL: redis.url,
      SMTP_URL: smtp.url,
      TRUST_PROXY: 'true',
      LOGIN_MAX_CONSECUTIVE_FAILS: '4',
      CODE_SEND_INTERVAL_SECONDS: '60',
    };
    one = await startTestService(env);
    two = await startTestService(env, { url: one.databaseUrl });
    for (const service of [one, two])
      await eventually('Redis connected', async () => (await limitsOf(service)) === 'redis');
  });
  after(async () => {
    await two?.close();
    await one?.close();
    await smtp?.close();
    await redis?.close();
  });

  let next = 0;
  /** A client address of its own per test (the services trust X-Forwarded-For), so tests do not share counts. */
  const newAddress = () => `203.0.113.${(next += 1)}`;
  const signIn = (service: TestService, address: string, email: string, password: string) =>
    restClient(service.baseUrl).post(TOKEN, { email, password }, { headers: { 'x-forwarded-for': address } });

  async function passwordUser(authMethod: 0 | 1 | 2 = 0) {
    const body = newUserBody();
    body.email.authMethod = authMethod;
    if (authMethod === 1) delete body.email.password;
    const created = await restClient(one.baseUrl, one.adminToken).post('/api/v2/users', body);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    return { id: String(created.body.id), email: body.email.email, password: String(body.email.password) };
  }

  async function readiness(service: TestService) {
    const response = await fetch(`${service.baseUrl}/readyz`);
    return { status: response.status, body: (await response.json()) as { status: string; checks: { limits: string } } };
  }
  const limitsOf = async (service: TestService) => (await readiness(service)).body.checks.limits;

  it('counts consecutive login failures on either instance against one budget', async () => {
    const user = await passwordUser();
    const address = newAddress();
    // two failures on each: each instance alone would still allow two more
    for (const service of [one, two, one, two]) {
      assert.equal((await signIn(service, address, user.email, 'a wrong guess')).status, 401);
    }
    for (const service of [one, two]) {
      const refused = await signIn(service, address, user.email, user.password);
      assert.equal(refused.status, 429, 'even the right password, on either instance');
      assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    }
    assert.equal(
      (await signIn(two, newAddress(), user.email, user.password)).status,
      200,
      'another address is not limited',
    );
  });

  it('counts email-code sends on either instance against one budget', async () => {
    const user = await passwordUser(1);
    const request = (service: TestService) =>
      restClient(service.baseUrl).post(
        '/api/v2/auth/otp',
        { email: user.email },
        { headers: { 'x-forwarded-for': newAddress() } },
      );
    assert.equal((await request(one)).status, 202);
    await smtp?.waitFor(user.email);
    const again = await request(two);
    assert.equal(again.status, 429, 'one code per interval, whichever instance is asked');
    assert.match(again.body.msg, /^too many sign-in codes requested; try again in \d+ s$/);
  });

  it('counts wrong TOTP codes of one challenge on either instance against one cap', async () => {
    const user = await passwordUser(2);
    const api = (service: TestService) => restClient(service.baseUrl);
    const enrollment = await signIn(one, newAddress(), user.email, user.password);
    assert.equal(enrollment.body.challenge, 'totp_enroll');
    const totp = URI.parse(enrollment.body.otpauthUrl) as TOTP;
    const enrolled = await api(two).post('/api/v2/auth/totp', {
      challengeToken: enrollment.body.challengeToken,
      code: totp.generate({ timestamp: Date.now() }),
    });
    assert.equal(enrolled.status, 200, JSON.stringify(enrolled.body));

    const challenge = await signIn(two, newAddress(), user.email, user.password);
    assert.equal(challenge.body.challenge, 'totp');
    const wrong = String((Number(totp.generate({ timestamp: Date.now() })) + 500_000) % 1_000_000).padStart(6, '0');
    // five wrong codes, split across the instances: the cap of one challenge
    for (const service of [one, two, one, two, one]) {
      const answer = await api(service).post('/api/v2/auth/totp', {
        challengeToken: challenge.body.challengeToken,
        code: wrong,
      });
      assert.equal(answer.status, 401);
    }
    const sixth = await api(two).post('/api/v2/auth/totp', {
      challengeToken: challenge.body.challengeToken,
      code: totp.generate({ timestamp: Date.now() }),
    });
    assert.equal(sixth.status, 401);
    assert.match(sixth.body.msg, /^this challenge can no longer be used \(5 wrong codes/, 'used up on both instances');
  });

  /** A sign-in load on both instances: right and wrong passwords, from several addresses. */
  function signInLoad(users: Array<{ email: string; password: string }>) {
    return startLoad(4, async (worker, n) => {
      const service = n % 2 === 0 ? one : two;
      const user = users[(worker + n) % users.length]!;
      const password = n % 3 === 0 ? 'a wrong guess' : user.password;
      const response = await signIn(service, `192.0.2.${worker + 1}`, user.email, password);
      return response.status;
    });
  }

  it('keeps signing in while Redis is stopped, says so in /readyz, and recovers when it is back', async () => {
    const users = await Promise.all([passwordUser(), passwordUser(), passwordUser()]);
    const load = signInLoad(users);
    await eventually('some sign-ins', () => Promise.resolve(load.count > 20));
    await redis!.stop();
    const stoppedAt = load.count;
    await eventually('sign-ins while Redis is away', () => Promise.resolve(load.count > stoppedAt + 60));

    for (const service of [one, two]) {
      const ready = await readiness(service);
      assert.equal(ready.status, 200, 'a Redis outage takes no instance out of the balancer');
      assert.equal(ready.body.status, 'degraded');
      assert.equal(ready.body.checks.limits, 'memory (redis unreachable)');
    }
    // meanwhile each instance still limits, in its own memory
    const user = await passwordUser();
    const address = newAddress();
    for (let i = 0; i < 4; i += 1) assert.equal((await signIn(one, address, user.email, 'a wrong guess')).status, 401);
    assert.equal((await signIn(one, address, user.email, user.password)).status, 429);
    assert.equal(
      (await signIn(two, address, user.email, user.password)).status,
      200,
      'the other instance did not see those',
    );

    await redis!.start();
    for (const service of [one, two]) {
      await eventually('Redis again in /readyz', async () => (await limitsOf(service)) === 'redis');
      assert.equal((await readiness(service)).body.status, 'ready');
    }
    const backAt = load.count;
    await eventually('sign-ins after Redis is back', () => Promise.resolve(load.count > backAt + 20));
    const result = await load.stop();
    console.log(describeLoad('sign-in on two instances, Redis stopped and started in the middle', result));
    assert.deepEqual(result.failures, [], 'no sign-in failed with a 5xx or went unanswered');
    assert.ok((result.statuses['200'] ?? 0) > 0 && (result.statuses['401'] ?? 0) > 0);

    // shared counting again (the restarted Redis starts from nothing)
    const after = await passwordUser();
    const from = newAddress();
    for (const service of [one, two, one, two]) {
      assert.equal((await signIn(service, from, after.email, 'a wrong guess')).status, 401);
    }
    assert.equal((await signIn(one, from, after.email, after.password)).status, 429);
  });

  it('answers sign-ins without waiting for a Redis that hangs, and recovers when it answers again', async () => {
    const users = await Promise.all([passwordUser(), passwordUser()]);
    redis!.freeze();
    try {
      const load = signInLoad(users);
      await sleep(3000);
      const ready = await readiness(one);
      assert.equal(ready.status, 200);
      assert.equal(ready.body.checks.limits, 'memory (redis unreachable)');
      const result = await load.stop();
      console.log(describeLoad('sign-in on two instances while Redis hangs (SIGSTOP)', result));
      assert.deepEqual(result.failures, [], 'no sign-in waited into the request timeout (503) or failed');
      assert.ok(result.requests > 0);
    } finally {
      redis!.thaw();
    }
    await eventually('Redis answering again', async () => (await limitsOf(one)) === 'redis');
    const user = await passwordUser();
    const address = `${newAddress()}`;
    for (const service of [two, one, two, one]) {
      assert.equal((await signIn(service, address, user.email, `wrong ${uniqueSuffix()}`)).status, 401);
    }
    assert.equal((await signIn(two, address, user.email, user.password)).status, 429);
  });
});
