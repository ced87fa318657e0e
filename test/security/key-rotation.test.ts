// Rotating TOTP_KEY, the key of sign-in secrets at rest, as docs/operations.md tells an operator
// to: the service moved to a new key with the old one in TOTP_PREVIOUS_KEYS still signs everyone
// in by what was made under the old one (a TOTP secret, a recovery code, a refresh token, an
// email code, a list cursor, a webhook's signing secret, a device cookie, an OAuth2 sign-in in
// flight); `npm run reseal` seals every secret again under the new key; and once the old key is
// dropped, the resealed secrets still work and only what was hashed under it stops. During the
// roll, an instance on either side of step 2 signs in by what the other made. Real services
// throughout: PostgreSQL, an SMTP server, a webhook receiver, an OpenID provider, the CLI as a child.
import assert from 'node:assert/strict';
import { TOTP, URI } from 'otpauth';
import { loadConfig } from '../../server/config/config';
import { SecretBox } from '../../server/crypto/secret-box';
import { freePort } from '../../dev/embedded-postgres/embedded-postgres';
import { TestBrowser } from '../support/browser';
import { newUserBody, uniqueSuffix } from '../support/fixtures';
import { envWithout, runScript } from '../support/process';
import { secretsNotHeld } from '../../server/start/sealed-secrets';
import { restClient, type RestResponse } from '../support/rest';
import { startTestService, type TestService } from '../support/service';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { codeOf, startSmtpCapture, type SmtpCapture } from '../support/smtp';
import { startOpenIdProvider, type OpenIdProvider } from '../support/test-openid-provider';
import { WebhookReceiver } from '../support/webhook-receiver';

const OLD = Buffer.from('rotation-test-key-a-of-32-bytes!');
const NEW = Buffer.from('rotation-test-key-b-of-32-bytes!');
const OTHER = Buffer.from('rotation-test-key-c-of-32-bytes!');
const b64 = (key: Buffer) => key.toString('base64');

/**
 * Sealed, hashed and derived under OLD by the implementation of before key ids (`v1`, commit
 * 2b8f10b): what a database and a client hold from before this change.
 */
const BEFORE_KEY_IDS = {
  totpSecret: 'v1.Y4giQCpZ7L6y7igt.iaKaoznUo6w0J0ALeZ0IbQ.K9ZHl_zXlA5LW2IFVdmWGQ',
  cursor: 'v1.cvpe03LZyoUML909.e7tzB0_b3g.Jyd5T2ViChYQTpZ82hBVfQ',
  recoveryHash: 'G3FoQrADcJWQsF8obNU6umZ8H9TNDqJzgNwaFtHtBWc',
  /** A webhook signing secret, sealed for the endpoint below. */
  endpointId: '00000000-0000-4000-8000-000000000001',
  webhookSecret:
    'v1.zmnKDZc3P1F6essh.bXbHNqwWwqyVdW1sKaAMEDx8Wi_J50ERDuRA9cew2h6SPjL3CnxCyte0i4LCbg.CVlRVeBeqp28SGHDE7j8dA',
};

describe('the key ring of sign-in secrets at rest', () => {
  const old = new SecretBox(OLD);
  const rotated = new SecretBox(NEW, [OLD]);
  const retired = new SecretBox(NEW);

  it('opens what was sealed before key ids under the key of then, and under no other', () => {
    for (const box of [old, rotated]) {
      assert.equal(box.open(BEFORE_KEY_IDS.totpSecret, 'totp-secret:7'), 'JBSWY3DPEHPK3PXP');
      assert.equal(box.openCursor(BEFORE_KEY_IDS.cursor, 'ctx'), '{"a":1}');
      assert.equal(box.hashes('recovery-code', 'abcdefghjk').at(-1), BEFORE_KEY_IDS.recoveryHash);
    }
    assert.throws(() => retired.open(BEFORE_KEY_IDS.totpSecret, 'totp-secret:7'), /a key this service does not hold/);
    assert.throws(() => rotated.open(BEFORE_KEY_IDS.totpSecret, 'totp-secret:8'), 'bound to its row');
  });

  it('seals under the current key only, naming it; opens a previous key’s seal by the key it names', () => {
    const sealed = old.seal('secret', 'row:1');
    assert.ok(sealed.startsWith(`v2.${old.keyId}.`));
    assert.equal(rotated.open(sealed, 'row:1'), 'secret');
    assert.throws(() => rotated.open(sealed, 'row:2'));
    assert.throws(() => retired.open(sealed, 'row:1'), {
      message: 'sealed under a key this service does not hold (TOTP_KEY, TOTP_PREVIOUS_KEYS)',
    });
    const resealed = rotated.seal('secret', 'row:1');
    assert.ok(resealed.startsWith(`v2.${retired.keyId}.`));
    assert.equal(retired.open(resealed, 'row:1'), 'secret');
    // a seal that names the new key but was made under the old one does not open
    const forged = sealed.replace(old.keyId, retired.keyId);
    assert.throws(() => rotated.open(forged, 'row:1'));
  });

  it('hashes under the current key, and matches and derives under every key held', () => {
    assert.equal(rotated.hash('code', '123456'), retired.hash('code', '123456'));
    assert.deepEqual(rotated.hashes('code', '123456'), [retired.hash('code', '123456'), old.hash('code', '123456')]);
    const stored = old.hash('state', 'abc');
    assert.ok(rotated.matches('state', 'abc', stored) && !retired.matches('state', 'abc', stored));
    // derived again under the key of the hash a stored value was found by
    const key = rotated.hashes('state', 'abc').indexOf(stored);
    assert.equal(key, 1);
    assert.equal(rotated.derive('pkce', 'abc', key), old.derive('pkce', 'abc'));
    assert.notEqual(rotated.derive('pkce', 'abc'), old.derive('pkce', 'abc'));
  });

  it('names each key by an id of its own, the same for the same key; a key listed twice is one', () => {
    assert.match(old.keyId, /^[\w-]{12}$/);
    assert.notEqual(old.keyId, retired.keyId);
    assert.equal(new SecretBox(Buffer.from(OLD)).keyId, old.keyId);
    assert.deepEqual(rotated.previousKeyIds, [old.keyId]);
    assert.deepEqual(new SecretBox(NEW, [OLD, NEW, OLD]).previousKeyIds, [old.keyId]);
  });

  it('refuses to start with a previous key that is not 32 bytes, without echoing it', () => {
    assert.throws(
      () => loadConfig({ TOTP_KEY: b64(NEW), TOTP_PREVIOUS_KEYS: `${b64(OLD)},c2hvcnQta2V5` }),
      (error: Error) =>
        /TOTP_PREVIOUS_KEYS\.1: must be 32 bytes in base64/.test(error.message) &&
        !error.message.includes('c2hvcnQta2V5'),
    );
    assert.deepEqual(loadConfig({ TOTP_PREVIOUS_KEYS: ` ${b64(OLD)} , ${b64(OTHER)}` }).TOTP_PREVIOUS_KEYS, [
      b64(OLD),
      b64(OTHER),
    ]);
  });
});

const LOGIN = '/api/v2/auth/token';
const TOTP_PATH = '/api/v2/auth/totp';
const REFRESH = '/api/v2/auth/refresh';
const OTP_REQUEST = '/api/v2/auth/otp';
const OTP_VERIFY = '/api/v2/auth/otp/verify';
const USERS = '/api/v2/users';
const STEP = 30_000;
const T0 = Math.floor(Date.parse('2026-12-01T12:00:00Z') / STEP) * STEP + STEP / 2;

describe('rotating TOTP_KEY', function () {
  this.timeout(120_000);
  let smtp: SmtpCapture;
  let receiver: WebhookReceiver;
  let service: TestService | undefined;
  let database: TestDatabase;
  /** What a client and its people hold from before the rotation. */
  const held = {
    totpUser: { email: '', password: '' },
    totp: undefined as TOTP | undefined,
    recoveryCodes: [] as string[],
    refreshToken: '',
    codeUser: '',
    emailCode: '',
    resetUser: '',
    resetCode: '',
    /** A password user's refresh token, for reuse across the rotation. */
    stolenToken: '',
    /** A password user, and the device cookie its browser was given under the old key. */
    deviceUser: { email: '', password: '' },
    deviceCookie: '',
    nextPage: '',
    endpointId: '',
  };

  /** The service with these keys, on the one database; the one before is stopped first. */
  async function restart(keys: { TOTP_KEY: string; TOTP_PREVIOUS_KEYS?: string }) {
    await service?.close();
    service = await startTestService(
      {
        ...keys,
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Users <no-reply@users.test>',
        WEBHOOK_ALLOW_PRIVATE: 'true',
        WEBHOOK_POLL_MS: '50',
        // others' wrong passwords lock an email's shared budget soon; a known browser has its own
        LOGIN_MAX_FAILS_PER_EMAIL: '3',
      },
      { url: database.url },
    );
    return service;
  }
  const api = () => restClient(service!.baseUrl);
  const admin = () => restClient(service!.baseUrl, service!.adminToken);

  /** Signs the TOTP user in with the code of `at` (a later step each time: a code is accepted once). */
  async function signInWithTotp(at: number): Promise<RestResponse<Record<string, unknown>>> {
    service!.clock.set(at);
    const challenge = await api().post(LOGIN, held.totpUser);
    assert.equal(challenge.body.challenge, 'totp', JSON.stringify(challenge.body));
    return api().post(TOTP_PATH, {
      challengeToken: challenge.body.challengeToken,
      code: held.totp!.generate({ timestamp: at }),
    });
  }

  async function withRecoveryCode(code: string) {
    const challenge = await api().post(LOGIN, held.totpUser);
    return api().post(TOTP_PATH, { challengeToken: challenge.body.challengeToken, recoveryCode: code });
  }

  /** A test event sent through the endpoint, as the receiver (holding the secret shown at registration) read it. */
  async function testDelivery() {
    const sent = await admin().post(`/api/v2/webhooks/${held.endpointId}/test`, {});
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const [delivery] = (await receiver.waitFor((all) => all.some((x) => x.webhookId === sent.body.webhookId))).filter(
      (x) => x.webhookId === sent.body.webhookId,
    );
    return delivery;
  }

  /** The `users_device` cookie an answer sets, as a browser sends it back. */
  function deviceCookieOf(response: RestResponse): string {
    const setCookie = response.headers.getSetCookie().find((value) => value.startsWith('users_device='));
    assert.ok(setCookie, `no device cookie: ${response.status} ${JSON.stringify(response.body)}`);
    return setCookie.split(';')[0] ?? '';
  }

  /** The device user's sign-in with its password, from its browser (`cookie`) or from anyone. */
  const deviceSignIn = (cookie?: string) => api().post(LOGIN, held.deviceUser, cookie ? { headers: { cookie } } : {});

  /** Others' wrong passwords use up the device user's shared budget: anyone else is refused, even with the password. */
  async function lockOutOthers() {
    const guesses = [];
    for (let i = 0; i < 4; i++) {
      guesses.push((await api().post(LOGIN, { email: held.deviceUser.email, password: `guess ${i}` })).status);
    }
    assert.deepEqual(guesses, [401, 401, 401, 429]);
    assert.equal((await deviceSignIn()).status, 429, 'anyone else, even with the password');
  }

  async function reseal(keys: Record<string, string>) {
    const run = runScript('server/cli/reseal.ts', [], {
      ...envWithout('TOTP_KEY', 'TOTP_PREVIOUS_KEYS', 'NODE_ENV'),
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      ...keys,
    });
    return { ...(await run.exited), output: run.output() };
  }

  const sealedRows = () =>
    service!.sql<{ secret: string }>(
      `select secret from totp_credentials union all select secret from webhook_endpoints order by 1`,
    );

  before(async () => {
    database = await createTestDatabase();
    smtp = await startSmtpCapture();
    receiver = await new WebhookReceiver().start();
    await restart({ TOTP_KEY: b64(OLD) });
    service!.clock.set(T0);

    // a TOTP user, enrolled under the old key, with its recovery codes and a session
    const body = newUserBody();
    body.email.authMethod = 2;
    assert.equal((await admin().post(USERS, body)).status, 200);
    held.totpUser = { email: body.email.email, password: String(body.email.password) };
    const enrolling = await api().post(LOGIN, held.totpUser);
    held.totp = URI.parse(String(enrolling.body.otpauthUrl)) as TOTP;
    const enrolled = await api().post(TOTP_PATH, {
      challengeToken: enrolling.body.challengeToken,
      code: held.totp.generate({ timestamp: T0 }),
    });
    assert.equal(enrolled.status, 200, JSON.stringify(enrolled.body));
    held.recoveryCodes = enrolled.body.recoveryCodes as string[];
    held.refreshToken = String(enrolled.body.refreshToken);

    // an email code mailed just before the rotation
    const codeBody = newUserBody();
    codeBody.email = { email: `rotation-${uniqueSuffix()}@example.com`, authMethod: 1 };
    assert.equal((await admin().post(USERS, codeBody)).status, 200);
    held.codeUser = codeBody.email.email;
    assert.equal((await api().post(OTP_REQUEST, { email: held.codeUser })).status, 202);
    held.emailCode = codeOf(await smtp.waitFor(held.codeUser));

    // and a password reset code
    const resetBody = newUserBody();
    assert.equal((await admin().post(USERS, resetBody)).status, 200);
    held.resetUser = resetBody.email.email;
    const session = await api().post(LOGIN, { email: held.resetUser, password: resetBody.email.password });
    assert.equal(session.status, 200, JSON.stringify(session.body));
    held.stolenToken = String(session.body.refreshToken);

    // a browser that signed in, and so is known for its email (OWASP's device cookies)
    const deviceBody = newUserBody();
    assert.equal((await admin().post(USERS, deviceBody)).status, 200);
    held.deviceUser = { email: deviceBody.email.email, password: String(deviceBody.email.password) };
    held.deviceCookie = deviceCookieOf(await api().post(LOGIN, held.deviceUser));
    assert.equal((await api().post('/api/v2/auth/password/forgot', { email: held.resetUser })).status, 202);
    const resetMail = await smtp.waitFor(held.resetUser);
    held.resetCode = /reset code is (\d{6})/.exec(resetMail.text)?.[1] ?? '';
    assert.ok(held.resetCode, resetMail.text);

    // a client part-way through a list
    const first = await admin().get(`${USERS}?sort=name&limit=1`);
    held.nextPage = /^<([^>]+)>; rel="next"$/.exec(first.headers.get('link') ?? '')?.[1] ?? '';
    assert.ok(held.nextPage.includes('cursor='));

    // a webhook endpoint, its secret shown once
    const endpoint = await admin().post('/api/v2/webhooks', { url: receiver.url, types: ['user.created'] });
    assert.equal(endpoint.status, 200, JSON.stringify(endpoint.body));
    held.endpointId = String(endpoint.body.id);
    receiver.secret = String(endpoint.body.secret);
    assert.ok((await testDelivery())?.verified, 'delivered and verified before the rotation');
  });

  after(async () => {
    await service?.close();
    await receiver?.stop();
    await smtp?.close();
    await database?.drop();
  });

  it('after the rotation, signs in by everything made under the previous key', async () => {
    await restart({ TOTP_KEY: b64(NEW), TOTP_PREVIOUS_KEYS: b64(OLD) });

    const byTotp = await signInWithTotp(T0 + 2 * STEP);
    assert.equal(byTotp.status, 200, JSON.stringify(byTotp.body));
    const byRecovery = await withRecoveryCode(held.recoveryCodes[0]!);
    assert.equal(byRecovery.status, 200, JSON.stringify(byRecovery.body));
    assert.equal((await withRecoveryCode(held.recoveryCodes[0]!)).status, 401, 'and still only once');

    const refreshed = await api().post(REFRESH, { refreshToken: held.refreshToken });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    held.refreshToken = String(refreshed.body.refreshToken);

    const byCode = await api().post(OTP_VERIFY, { email: held.codeUser, code: held.emailCode });
    assert.equal(byCode.status, 200, JSON.stringify(byCode.body));
    // a token of before, refreshed after the rotation and then presented again, is reuse (RFC 9700
    // §4.14.2): the whole session ends, its successor under the new key with it
    const legit = await api().post(REFRESH, { refreshToken: held.stolenToken });
    assert.equal(legit.status, 200, JSON.stringify(legit.body));
    service!.clock.advance(60_000);
    const reuse = await api().post(REFRESH, { refreshToken: held.stolenToken });
    assert.equal(reuse.status, 401);
    assert.match(String(reuse.body.msg), /used already: its session has ended/);
    assert.equal((await api().post(REFRESH, { refreshToken: legit.body.refreshToken })).status, 401);

    const reset = await api().post('/api/v2/auth/password/reset', {
      email: held.resetUser,
      code: held.resetCode,
      newPassword: 'a new passphrase after the rotation',
    });
    assert.equal(reset.status, 200, JSON.stringify(reset.body));

    // others' wrong passwords lock the email's shared budget; the browser it was known by under the
    // old key is still known, and is let in (and its cookie renewed under the new key)
    await lockOutOthers();
    const known = await deviceSignIn(held.deviceCookie);
    assert.equal(known.status, 200, JSON.stringify(known.body));
    held.deviceCookie = deviceCookieOf(known);

    const page = await admin().get(held.nextPage);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    assert.equal((page.body.items as unknown[]).length, 1);

    const delivery = await testDelivery();
    assert.equal(delivery?.verified?.type, 'webhook.test', 'signed with the secret registered before the rotation');
  });

  it('npm run reseal seals every secret again under the new key, and counts the recovery codes still under the old', async () => {
    await service!.sql(
      `update recovery_codes set key_id = null where code_hash in (select code_hash from recovery_codes limit 3)`,
    );
    const before = await sealedRows();
    assert.ok(before.every((row) => !row.secret.startsWith(`v2.${new SecretBox(NEW).keyId}.`)));
    const run = await reseal({ TOTP_KEY: b64(NEW), TOTP_PREVIOUS_KEYS: b64(OLD) });
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, new RegExp(`sealed again under the current key \\(${new SecretBox(NEW).keyId}\\)`));
    assert.match(run.output, /^ {2}TOTP secrets: 1$/m);
    assert.match(run.output, /^ {2}webhook signing secrets: 1$/m);
    assert.match(run.output, /^ {2}webhook secrets a rotation replaced: 0$/m);
    // ten given out, one used; three of them as a database from before key ids holds them
    assert.match(run.output, /^recovery codes hashed under an earlier key: 6, of 1 user$/m);
    assert.match(run.output, /^recovery codes of before key ids, [^\n]*: 3, of 1 user$/m);
    for (const line of run.output.split('\n')) {
      for (const key of [OLD, NEW]) assert.ok(!line.includes(b64(key)), 'no key in the output');
    }
    // the run is in the audit trail: by whom, under which key, how many of what; no key, no secret
    const feed = await admin().get('/api/v2/events?type=secrets.resealed');
    assert.equal(feed.status, 200);
    const [recorded, ...more] = feed.body.items as Array<Record<string, unknown>>;
    assert.equal(more.length, 0);
    assert.equal(recorded?.actor, 'cli');
    const data = recorded?.data as { keyId: string; columns: Array<{ name: string; resealed: number }> };
    assert.equal(data.keyId, new SecretBox(NEW).keyId);
    assert.deepEqual(
      data.columns.map((column) => [column.name, column.resealed]),
      [
        ['TOTP secrets', 1],
        ['webhook signing secrets', 1],
        ['webhook secrets a rotation replaced', 0],
      ],
    );
    const text = JSON.stringify(recorded);
    for (const secret of [b64(OLD), b64(NEW), String(receiver.secret), held.totp!.secret.base32]) {
      assert.ok(!text.includes(secret), 'no key or secret in the event');
    }

    const after = await sealedRows();
    assert.ok(
      after.every((row) => row.secret.startsWith(`v2.${new SecretBox(NEW).keyId}.`)),
      JSON.stringify(after),
    );

    const again = await reseal({ TOTP_KEY: b64(NEW), TOTP_PREVIOUS_KEYS: b64(OLD) });
    assert.equal(again.code, 0, again.output);
    assert.match(again.output, /^ {2}TOTP secrets: 0$/m);
    assert.deepEqual(await sealedRows(), after, 'nothing left to reseal');
  });

  it('with the previous key dropped, the resealed secrets still work, and what is only hashed under it does not', async () => {
    await restart({ TOTP_KEY: b64(NEW) });
    const byTotp = await signInWithTotp(T0 + 3 * STEP);
    assert.equal(byTotp.status, 200, JSON.stringify(byTotp.body));
    const delivery = await testDelivery();
    assert.equal(delivery?.verified?.type, 'webhook.test');
    // the refresh token handed out after the rotation is under the new key
    const refreshed = await api().post(REFRESH, { refreshToken: held.refreshToken });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    // the browser's cookie, renewed after the rotation, is under the new key: still known
    await lockOutOthers();
    assert.equal((await deviceSignIn(held.deviceCookie)).status, 200);
    // a recovery code cannot be hashed again without itself: one of before works no more
    const byRecovery = await withRecoveryCode(held.recoveryCodes[1]!);
    assert.equal(byRecovery.status, 401);
  });

  it('leaves a secret sealed under a key it was not given as it was, and says which key to add', async () => {
    const before = await sealedRows();
    const run = await reseal({ TOTP_KEY: b64(OTHER) });
    assert.equal(run.code, 1, run.output);
    assert.match(run.output, /^ {2}TOTP secrets: 0; 1 sealed under a key not given, left as they were$/m);
    assert.match(run.output, /add that key to TOTP_PREVIOUS_KEYS and run again/);
    assert.deepEqual(await sealedRows(), before);
    const refused = await reseal({ TOTP_PREVIOUS_KEYS: b64(OLD) });
    assert.equal(refused.code, 2);
    assert.match(refused.output, /TOTP_KEY: is required/);
  });
});

describe('a rolling rotation of TOTP_KEY: two instances at once, either side of step 2', function () {
  this.timeout(120_000);
  let database: TestDatabase;
  let receiver: WebhookReceiver;
  /** Step 1 done: the new key known, the old one still sealing. */
  let stepOne: TestService;
  /** Step 2 done: the new key sealing, the old one still known. */
  let stepTwo: TestService;

  before(async () => {
    database = await createTestDatabase();
    receiver = await new WebhookReceiver().start();
    const env = { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_POLL_MS: '50' };
    stepOne = await startTestService(
      { ...env, TOTP_KEY: b64(OLD), TOTP_PREVIOUS_KEYS: b64(NEW) },
      { url: database.url },
    );
    stepTwo = await startTestService(
      { ...env, TOTP_KEY: b64(NEW), TOTP_PREVIOUS_KEYS: b64(OLD) },
      { url: database.url },
    );
  });
  after(async () => {
    await stepTwo?.close();
    await stepOne?.close();
    await receiver?.stop();
    await database?.drop();
  });

  it('signs in on either instance by what the other made, and every delivery verifies whichever instance sends it', async () => {
    const instances = [stepOne, stepTwo];
    for (const [maker, other] of [
      [stepOne, stepTwo],
      [stepTwo, stepOne],
    ] as const) {
      for (const instance of instances) instance.clock.set(T0);
      const body = newUserBody();
      body.email.authMethod = 2;
      assert.equal((await restClient(maker.baseUrl, maker.adminToken).post(USERS, body)).status, 200);
      const user = { email: body.email.email, password: String(body.email.password) };
      // enrolled on one instance; signed in, by code and by recovery code, and refreshed on the other
      const enrolling = await restClient(maker.baseUrl).post(LOGIN, user);
      const totp = URI.parse(String(enrolling.body.otpauthUrl)) as TOTP;
      const enrolled = await restClient(maker.baseUrl).post(TOTP_PATH, {
        challengeToken: enrolling.body.challengeToken,
        code: totp.generate({ timestamp: T0 }),
      });
      assert.equal(enrolled.status, 200, JSON.stringify(enrolled.body));
      for (const instance of instances) instance.clock.set(T0 + STEP);
      const challenge = await restClient(other.baseUrl).post(LOGIN, user);
      const signedIn = await restClient(other.baseUrl).post(TOTP_PATH, {
        challengeToken: challenge.body.challengeToken,
        code: totp.generate({ timestamp: T0 + STEP }),
      });
      assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
      const again = await restClient(other.baseUrl).post(LOGIN, user);
      const recovered = await restClient(other.baseUrl).post(TOTP_PATH, {
        challengeToken: again.body.challengeToken,
        recoveryCode: (enrolled.body.recoveryCodes as string[])[0],
      });
      assert.equal(recovered.status, 200, JSON.stringify(recovered.body));
      const refreshed = await restClient(other.baseUrl).post(REFRESH, { refreshToken: enrolled.body.refreshToken });
      assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
      // and back: the token the other instance handed out refreshes on the first
      const back = await restClient(maker.baseUrl).post(REFRESH, { refreshToken: refreshed.body.refreshToken });
      assert.equal(back.status, 200, JSON.stringify(back.body));
    }

    // an endpoint registered on each; both instances' workers deliver, and the receiver verifies all
    for (const maker of instances) {
      const endpoint = await restClient(maker.baseUrl, maker.adminToken).post('/api/v2/webhooks', {
        url: `${receiver.url}?by=${maker === stepOne ? 'one' : 'two'}`,
        types: ['user.created'],
      });
      assert.equal(endpoint.status, 200, JSON.stringify(endpoint.body));
      receiver.secret = String(endpoint.body.secret);
      // whichever instance's worker claims a delivery opens the secret the other sealed
      const [row] = await maker.sql<{ secret: string }>(`select secret from webhook_endpoints where id = ?`, [
        endpoint.body.id,
      ]);
      for (const instance of instances) {
        assert.equal(
          instance.secrets.open(row!.secret, `webhook-endpoint:${String(endpoint.body.id)}`),
          receiver.secret,
        );
      }
      const sent = new Set<string>();
      for (let i = 0; i < 10; i++) {
        const test = await restClient(maker.baseUrl, maker.adminToken).post(
          `/api/v2/webhooks/${endpoint.body.id}/test`,
          {},
        );
        sent.add(String(test.body.webhookId));
      }
      const delivered = (
        await receiver.waitFor((all) => [...sent].every((id) => all.some((x) => x.webhookId === id)))
      ).filter((x) => sent.has(x.webhookId));
      assert.ok(
        delivered.every((x) => x.verified?.type === 'webhook.test'),
        'every delivery verifies',
      );
    }
  });
});

describe('the start-up check of sealed secrets', function () {
  this.timeout(120_000);
  let database: TestDatabase;
  let service: TestService;

  before(async () => {
    database = await createTestDatabase();
    service = await startTestService({ TOTP_KEY: b64(OLD), WEBHOOK_ALLOW_PRIVATE: 'true' }, { url: database.url });
    // one endpoint sealed under the old key by this release, one by the release before key ids
    const endpoint = await restClient(service.baseUrl, service.adminToken).post('/api/v2/webhooks', {
      url: 'http://127.0.0.1:9/hook',
      types: ['user.created'],
    });
    assert.equal(endpoint.status, 200, JSON.stringify(endpoint.body));
    await service.sql(
      `insert into webhook_endpoints (id, url, types, secret, status) values (?, 'http://127.0.0.1:9/old', '{*}', ?, 'paused')`,
      [BEFORE_KEY_IDS.endpointId, BEFORE_KEY_IDS.webhookSecret],
    );
  });
  after(async () => {
    await service?.close();
    await database?.drop();
  });

  it('counts the secrets no key held opens, those of before key ids by opening one', async () => {
    const notHeld = (box: SecretBox) => secretsNotHeld(service.orm.em.fork(), box);
    assert.deepEqual(await notHeld(new SecretBox(OLD)), []);
    assert.deepEqual(await notHeld(new SecretBox(NEW, [OLD])), []);
    assert.deepEqual(await notHeld(new SecretBox(NEW)), [{ name: 'webhook signing secrets', count: 2 }]);
    assert.deepEqual(await notHeld(new SecretBox(OTHER, [NEW])), [{ name: 'webhook signing secrets', count: 2 }]);
  });

  it('warns as an instance starts without the key they were sealed under, and names the setting', async () => {
    const started = runScript('server/start/main.ts', [], {
      ...envWithout(
        'DATABASE_URL',
        'JWT_SECRET',
        'PORT',
        'HOST',
        'NODE_ENV',
        'TOTP_KEY',
        'TOTP_PREVIOUS_KEYS',
        'LOG_LEVEL',
      ),
      NODE_ENV: 'production',
      PORT: '0',
      DATABASE_URL: database.url,
      JWT_SECRET: 'a-production-secret-that-is-long-enough-0123456789',
      TOTP_KEY: b64(NEW),
      // no balancer to tell before the stop below
      SHUTDOWN_DRAIN_DELAY_MS: '0',
    });
    try {
      const [line] = await started.waitFor(/\{[^\n]*"msg":"sign-in secrets at rest: some are sealed[^\n]*\}/, 60_000);
      const warning = JSON.parse(line) as { level: number; notHeld: Record<string, number>; msg: string };
      assert.equal(warning.level, 40);
      assert.deepEqual(warning.notHeld, { 'webhook signing secrets': 2 });
      assert.match(warning.msg, /add that key to TOTP_PREVIOUS_KEYS/);
      for (const key of [OLD, NEW]) assert.ok(!started.output().includes(b64(key)));
    } finally {
      started.child.kill('SIGTERM');
    }
    await started.exited;
  });
});

describe('an OAuth2 sign-in across a rotation of TOTP_KEY', function () {
  this.timeout(120_000);
  const CALLBACK = '/api/v2/auth/oauth2/callback';
  let op: OpenIdProvider;
  let port: number;
  let service: TestService | undefined;
  let database: TestDatabase;

  async function restart(keys: { TOTP_KEY: string; TOTP_PREVIOUS_KEYS?: string }) {
    await service?.close();
    service = await startTestService(
      {
        ...keys,
        OIDC_ISSUER: op.issuer,
        OIDC_CLIENT_ID: op.clientId,
        OIDC_CLIENT_SECRET: op.clientSecret,
        PUBLIC_URL: `http://127.0.0.1:${port}`,
      },
      { port, url: database.url },
    );
  }

  before(async () => {
    database = await createTestDatabase();
    port = await freePort();
    op = await startOpenIdProvider({ redirectUri: `http://127.0.0.1:${port}${CALLBACK}` });
  });
  after(async () => {
    await service?.close();
    await op?.close();
    await database?.drop();
  });

  it('finishes a sign-in begun under the previous key, and redeems a one-time code given under it', async () => {
    await restart({ TOTP_KEY: b64(OLD) });
    const body = newUserBody();
    body.email = { email: body.email.email, authMethod: 3 };
    assert.equal((await restClient(service!.baseUrl, service!.adminToken).post(USERS, body)).status, 200);
    const login = `acct-${uniqueSuffix()}`;
    op.accounts.set(login, { email: body.email.email, email_verified: true });

    const backHere = (hop: { location?: string }) =>
      Boolean(hop.location?.startsWith(`${service!.baseUrl}${CALLBACK}`));
    /** From the service's authorize to the provider sending the browser back to the callback. */
    const atProvider = async (browser: TestBrowser) => {
      const start = await browser.request(`${service!.baseUrl}/api/v2/auth/oauth2/authorize?returnTo=%2Fconsole%2F`);
      assert.equal(start.status, 302, start.body);
      const page = await browser.follow(start.location ?? '', backHere);
      const afterLogin = await browser.submit(page, { login, password: 'any' }, backHere);
      return backHere(afterLogin) ? afterLogin : await browser.submit(afterLogin, {}, backHere);
    };
    const redeem = async (browser: TestBrowser, callback: { location?: string }) => {
      const back = await browser.request(callback.location ?? '');
      const code = new URL(back.location ?? '', 'http://x').searchParams.get('code');
      assert.ok(code, `a one-time code: ${back.status} ${back.location}`);
      return { browser, code };
    };

    const exchange = async ({ browser, code }: { browser: TestBrowser; code: string }) =>
      browser.request(`${service!.baseUrl}/api/v2/auth/oauth2/token`, { json: { code } });

    // one browser's sign-in has reached the provider; another's is back with its one-time code
    const inFlight = new TestBrowser();
    const callback = await atProvider(inFlight);
    const coded = new TestBrowser();
    const given = await redeem(coded, await atProvider(coded));

    await restart({ TOTP_KEY: b64(NEW), TOTP_PREVIOUS_KEYS: b64(OLD) });
    // its PKCE verifier and nonce are derived again under the key the sign-in began under
    const finished = await exchange(await redeem(inFlight, callback));
    assert.equal(finished.status, 200, finished.body);
    const redeemed = await exchange(given);
    assert.equal(redeemed.status, 200, redeemed.body);
  });
});
