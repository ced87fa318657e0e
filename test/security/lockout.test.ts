// Nobody can lock a person out (OWASP "Slow Brute Force: device cookies"): a successful sign-in
// sets a signed, HttpOnly device cookie for its email; a browser that presents a valid one is
// judged on its own budget, so failures and code requests by others, from any number of
// addresses, which lock out every unknown client of the email, never lock out the owner's
// browser. A forged, altered, expired or other-email cookie is no device; a device that fails
// too often itself is refused by its own budget. Password (and its TOTP step) and email codes,
// over REST and native tRPC. The service trusts X-Forwarded-For here, so each request picks its
// client address.
import assert from 'node:assert/strict';
import { TOTP, URI } from 'otpauth';
import { createUsersClient } from '../../client';
import { newUserBody } from '../support/fixtures';
import { restClient } from '../support/rest';
import { startTestService, type TestService } from '../support/service';
import { codeOf, startSmtpCapture, type SmtpCapture } from '../support/smtp';

const TOKEN = '/api/v2/auth/token';
const TOTP_PATH = '/api/v2/auth/totp';
const OTP = '/api/v2/auth/otp';
const OTP_VERIFY = '/api/v2/auth/otp/verify';
const DEVICE_TTL_SECONDS = 3600;

describe('lock-out by others (device cookies)', function () {
  this.timeout(60_000);
  let smtp: SmtpCapture;
  let service: TestService;

  before(async () => {
    smtp = await startSmtpCapture();
    service = await startTestService({
      TRUST_PROXY: 'true',
      LOGIN_MAX_FAILS_PER_EMAIL: '5',
      LOGIN_MAX_FAILS_PER_DEVICE: '3',
      DEVICE_COOKIE_TTL_SECONDS: String(DEVICE_TTL_SECONDS),
      CODE_SENDS_PER_HOUR: '5',
      SMTP_URL: smtp.url,
    });
  });
  afterEach(() => (service.clock.offsetMs = 0));
  after(async () => {
    await service?.close();
    await smtp?.close();
  });

  let addresses = 0;
  /** A client address of its own for every request, as an attacker with many would use. */
  const newAddress = () => `203.0.113.${(addresses += 1) % 250}`;
  /** A REST call from a fresh address, with `cookie` when given. */
  const post = (path: string, body: unknown, cookie?: string) =>
    restClient(service.baseUrl).post(path, body, {
      headers: { 'x-forwarded-for': newAddress(), ...(cookie ? { cookie } : {}) },
    });

  /** The `users_device=…` pair a response set, checked for the attributes that keep it safe. */
  function deviceCookieOf(response: { headers: Headers }): string {
    const setCookie = response.headers.getSetCookie().find((value) => value.startsWith('users_device='));
    assert.ok(setCookie, `no device cookie in ${JSON.stringify(response.headers.getSetCookie())}`);
    const [pair = '', ...attributes] = setCookie.split(';').map((part) => part.trim());
    assert.deepEqual(attributes.sort(), ['HttpOnly', `Max-Age=${DEVICE_TTL_SECONDS}`, 'Path=/', 'SameSite=Strict']);
    return pair;
  }

  /** The same text with its last character changed. */
  const forge = (text: string) => `${text.slice(0, -1)}${text.endsWith('A') ? 'B' : 'A'}`;

  async function createUser(authMethod: 0 | 1 | 2) {
    const body = newUserBody();
    body.email = authMethod === 1 ? { email: body.email.email, authMethod } : { ...body.email, authMethod };
    const created = await restClient(service.baseUrl, service.adminToken).post('/api/v2/users', body);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    return { id: String(created.body.id), email: body.email.email, password: String(body.email.password) };
  }

  /** The owner signs in once with the right password, from their own browser: its device cookie. */
  async function ownDevice(user: { email: string; password: string }): Promise<string> {
    const signedIn = await post(TOKEN, { email: user.email, password: user.password });
    assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
    return deviceCookieOf(signedIn);
  }

  /** Others use up the email's shared budget: 8 wrong passwords from 8 addresses. */
  async function lockOutUnknownClients(email: string) {
    const statuses = [];
    for (let i = 0; i < 8; i += 1) statuses.push((await post(TOKEN, { email, password: `guess ${i}` })).status);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429, 429]);
  }

  describe('password sign-in', () => {
    it("lets the owner's browser in after others used up the email's budget, and nobody else", async () => {
      const user = await createUser(0);
      const device = await ownDevice(user);
      await lockOutUnknownClients(user.email);

      const owner = await post(TOKEN, { email: user.email, password: user.password }, device);
      assert.equal(owner.status, 200, JSON.stringify(owner.body));
      deviceCookieOf(owner);
      const stranger = await post(TOKEN, { email: user.email, password: user.password });
      assert.equal(stranger.status, 429, 'a client without the cookie, even with the right password');
      assert.match(stranger.body.msg, /^too many sign-in attempts; try again in \d+ s$/);
    });

    it('ignores a forged, altered, expired or other-email device cookie', async () => {
      const user = await createUser(0);
      const other = await createUser(0);
      const device = await ownDevice(user);
      const otherDevice = await ownDevice(other);
      await lockOutUnknownClients(user.email);
      const [name, value = ''] = device.split('=');
      const [tag, id, expires, signature = ''] = value.split('.');
      const flipped = forge(signature);
      for (const [what, cookie] of [
        ['a wrong signature', `${name}=${tag}.${id}.${expires}.${flipped}`],
        [
          'a later expiry',
          `${name}=${tag}.${id}.${(Number.parseInt(expires ?? '', 36) + 99).toString(36)}.${signature}`,
        ],
        ['another device id', `${name}=${tag}.${'A'.repeat(22)}.${expires}.${signature}`],
        ["another email's cookie", otherDevice],
        ['made up', `${name}=${'x'.repeat(16)}.${'y'.repeat(22)}.zzzzzz.${'z'.repeat(43)}`],
      ] as const) {
        const response = await post(TOKEN, { email: user.email, password: user.password }, cookie);
        assert.equal(response.status, 429, what);
      }
      service.clock.advance((DEVICE_TTL_SECONDS + 1) * 1000);
      assert.equal((await post(TOKEN, { email: user.email, password: user.password }, device)).status, 429, 'expired');
      service.clock.offsetMs = 0;
      assert.equal((await post(TOKEN, { email: user.email, password: user.password }, device)).status, 200);
    });

    it('limits a device that fails too often by its own budget, and no other device', async () => {
      const user = await createUser(0);
      const device = await ownDevice(user);
      const secondDevice = await ownDevice(user);
      assert.notEqual(device, secondDevice, 'each browser has its own id');
      for (let i = 0; i < 3; i += 1) {
        assert.equal((await post(TOKEN, { email: user.email, password: `guess ${i}` }, device)).status, 401);
      }
      const limited = await post(TOKEN, { email: user.email, password: user.password }, device);
      assert.equal(limited.status, 429, 'its own budget is used up');
      assert.ok(Number(limited.headers.get('retry-after')) >= 1);
      assert.equal((await post(TOKEN, { email: user.email, password: user.password }, secondDevice)).status, 200);
      assert.equal((await post(TOKEN, { email: user.email, password: user.password })).status, 200, 'nor the email');
    });

    it('keeps one cookie for several emails, and sets it over native tRPC too', async () => {
      const [first, second] = [await createUser(0), await createUser(0)];
      let answer = { headers: new Headers() };
      let cookie = '';
      const native = createUsersClient({
        url: `${service.baseUrl}/trpc`,
        fetch: async (input, init) => {
          const response = await fetch(input, {
            ...init,
            headers: { ...(init?.headers as Record<string, string>), cookie, 'x-forwarded-for': newAddress() },
          });
          answer = { headers: response.headers };
          return response;
        },
      });
      await native.auth.login.mutate({ email: first.email, password: first.password });
      cookie = deviceCookieOf(answer);
      await native.auth.login.mutate({ email: second.email, password: second.password });
      cookie = deviceCookieOf(answer);
      assert.equal(cookie.split('~').length, 2, 'an entry per email');
      await lockOutUnknownClients(first.email);
      await lockOutUnknownClients(second.email);
      for (const user of [first, second]) {
        assert.equal((await post(TOKEN, { email: user.email, password: user.password }, cookie)).status, 200);
      }
    });

    it("makes a TOTP user's browser known when the TOTP step completes, not at the password", async () => {
      const user = await createUser(2);
      const challenge = await post(TOKEN, { email: user.email, password: user.password });
      assert.equal(challenge.status, 200);
      assert.ok(!challenge.headers.getSetCookie().some((value) => value.startsWith('users_device=')));
      const totp = URI.parse(String(challenge.body.otpauthUrl)) as TOTP;
      const done = await post(TOTP_PATH, { challengeToken: challenge.body.challengeToken, code: totp.generate() });
      assert.equal(done.status, 200, JSON.stringify(done.body));
      const device = deviceCookieOf(done);
      await lockOutUnknownClients(user.email);
      const owner = await post(TOKEN, { email: user.email, password: user.password }, device);
      assert.equal(owner.status, 200, JSON.stringify(owner.body));
      assert.equal(owner.body.challenge, 'totp');
    });
  });

  describe('email-code sign-in', () => {
    /** Requests a code from `cookie`'s browser (or a fresh client) and reads it out of the mail. */
    async function mailedCode(email: string, cookie?: string): Promise<string> {
      const before = smtp.to(email).length;
      const response = await post(OTP, { email }, cookie);
      assert.equal(response.status, 202, JSON.stringify(response.body));
      return codeOf(await smtp.waitFor(email, { after: before }));
    }
    const pause = () => new Promise((resolve) => setTimeout(resolve, 1100)); // one code per second per email

    /** The owner's first sign-in by code: its browser becomes known. */
    async function ownCodeDevice(email: string): Promise<string> {
      const signedIn = await post(OTP_VERIFY, { email, code: await mailedCode(email) });
      assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
      return deviceCookieOf(signedIn);
    }

    it("lets the owner's browser request and use a code after others used up the email's requests", async () => {
      const user = await createUser(1);
      const device = await ownCodeDevice(user.email);
      // five requests by others: with the owner's first, the email's 5 an hour are used up
      const statuses = [];
      for (let i = 0; i < 5; i += 1) {
        await pause();
        statuses.push((await post(OTP, { email: user.email })).status);
      }
      assert.deepEqual(statuses, [202, 202, 202, 202, 429]);
      const forged = forge(device);
      assert.equal((await post(OTP, { email: user.email }, forged)).status, 429, 'a forged cookie is no device');

      const code = await mailedCode(user.email, device);
      const signedIn = await post(OTP_VERIFY, { email: user.email, code }, device);
      assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
    });

    it("keeps the owner's code from being replaced or killed by others", async () => {
      const user = await createUser(1);
      const device = await ownCodeDevice(user.email);
      await pause();
      const code = await mailedCode(user.email, device);
      // others ask for a code (which would replace a shared one) and guess wrong 5 times (which would kill it)
      await pause();
      assert.equal((await post(OTP, { email: user.email })).status, 202);
      for (let i = 0; i < 5; i += 1) {
        assert.equal((await post(OTP_VERIFY, { email: user.email, code: String(100000 + i) })).status, 401);
      }
      assert.equal((await post(OTP_VERIFY, { email: user.email, code })).status, 429, 'others are refused now');
      // the lock of the account's limit is the account's: in its user's history, once
      const locks = await restClient(service.baseUrl, service.adminToken).get(`/api/v2/users/${user.id}/events`);
      assert.deepEqual(
        locks.body.items
          .filter((event: { type: string }) => event.type === 'limit.locked')
          .map((event: { data: { limits: string[] } }) => event.data.limits),
        [['loginFailsByEmail']],
      );
      const signedIn = await post(OTP_VERIFY, { email: user.email, code }, device);
      assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
    });

    it("judges the owner's verification on the device's budget, not the email's", async () => {
      const user = await createUser(1);
      const device = await ownCodeDevice(user.email);
      for (let i = 0; i < 5; i += 1) {
        assert.equal((await post(OTP_VERIFY, { email: user.email, code: String(200000 + i) })).status, 401);
      }
      await pause();
      const code = await mailedCode(user.email, device);
      assert.equal((await post(OTP_VERIFY, { email: user.email, code })).status, 429, 'an unknown client');
      for (let i = 0; i < 3; i += 1) {
        assert.equal((await post(OTP_VERIFY, { email: user.email, code: String(300000 + i) }, device)).status, 401);
      }
      assert.equal((await post(OTP_VERIFY, { email: user.email, code }, device)).status, 429, 'its own budget');
    });
  });

  it('marks the cookie Secure when PUBLIC_URL is https', async () => {
    const behindTls = await startTestService({ PUBLIC_URL: 'https://users.example.com' });
    try {
      const body = newUserBody();
      assert.equal((await restClient(behindTls.baseUrl, behindTls.adminToken).post('/api/v2/users', body)).status, 200);
      const signedIn = await restClient(behindTls.baseUrl).post(TOKEN, {
        email: body.email.email,
        password: body.email.password,
      });
      assert.equal(signedIn.status, 200);
      const setCookie = signedIn.headers.getSetCookie().find((value) => value.startsWith('users_device='));
      assert.match(String(setCookie), /; HttpOnly; SameSite=Strict; Secure$/);
    } finally {
      await behindTls.close();
    }
  });

  it('names nothing of the email in the cookie', async () => {
    const user = await createUser(0);
    const device = await ownDevice(user);
    assert.ok(!device.toLowerCase().includes(user.email.split('@')[0]!.toLowerCase()));
    assert.match(device, /^users_device=[\w-]{16}\.[\w-]{22}\.[0-9a-z]+\.[\w-]{43}$/);
  });
});
