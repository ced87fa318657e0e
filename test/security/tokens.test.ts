// Forged and stale tokens (RFC 8725): every kind is refused with 401 on REST and UNAUTHORIZED
// on tRPC, and a valid token just inside the clock tolerance still works.
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { createUsersClient, TRPCClientError } from '../../client';
import { keyIdOf, TokenError, TokenService } from '../../server/crypto/token-service';
import { loadConfig } from '../../server/config/config';
import { restClient } from '../support/rest';
import { startTestService, TEST_JWT_SECRET, type TestService } from '../support/service';

const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** Valid claims, with `extra` replacing some; an `undefined` value removes the claim. */
const claims = (extra: Record<string, unknown> = {}) =>
  Object.fromEntries(
    Object.entries({
      sub: 'test-admin',
      role: 'admin',
      iss: 'users-service',
      aud: 'users-api',
      iat: now(),
      // far enough from now that a long test run does not move a claim across it
      exp: now() + 86_400,
      jti: randomUUID(),
      ...extra,
    }).filter(([, value]) => value !== undefined),
  );
const sign = (payload: object, secret = TEST_JWT_SECRET, options: jwt.SignOptions = {}) =>
  jwt.sign(payload, secret, {
    algorithm: 'HS256',
    ...options,
    header: { alg: options.algorithm ?? 'HS256', typ: 'at+jwt', ...options.header },
  });

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const valid = sign(claims());
const [validHeader, , validSignature] = valid.split('.');

const forgeries: Array<[string, string, string]> = [
  ['alg none', `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`, 'token is invalid: unsigned'],
  [
    'another HMAC algorithm (HS512)',
    sign(claims(), TEST_JWT_SECRET, { algorithm: 'HS512' }),
    'token is invalid: algorithm not allowed',
  ],
  [
    'RS256 with a key of its own',
    jwt.sign(claims(), privateKey, { algorithm: 'RS256', header: { alg: 'RS256', typ: 'at+jwt' } }),
    'token is invalid: algorithm not allowed',
  ],
  ['a wrong secret', sign(claims(), 'another-secret-that-is-long-enough-to-pass!'), 'token is invalid: bad signature'],
  [
    'claims changed after signing',
    `${validHeader}.${b64(claims({ sub: 'someone-else' }))}.${validSignature}`,
    'token is invalid: bad signature',
  ],
  ['no exp', sign(claims({ exp: undefined })), 'token has no expiry (exp)'],
  ['an exp in the past', sign(claims({ exp: now() - 60 })), 'token has expired'],
  // made when the file loads: an hour ahead, so it is still in the future however late the test runs
  ['an nbf in the future', sign(claims({ nbf: now() + 3600, exp: now() + 7200 })), 'token is not valid yet'],
  ['a wrong issuer', sign(claims({ iss: 'someone-else' })), 'token is invalid: wrong issuer'],
  ['a wrong audience', sign(claims({ aud: 'another-api' })), 'token is invalid: wrong audience'],
  ['no subject', sign(claims({ sub: undefined })), 'token claims are missing or malformed'],
  ['an unknown role', sign(claims({ role: 'root' })), 'token claims are missing or malformed'],
  ['no JWT structure', 'only-one-segment', 'token is invalid: malformed'],
  // explicit typing (RFC 8725 §3.11): only an access token is a Bearer token
  [
    'no type (typ)',
    jwt.sign(claims(), TEST_JWT_SECRET, { algorithm: 'HS256' }),
    'token is invalid: not an access token',
  ],
  [
    'the type of a TOTP challenge',
    sign(claims(), TEST_JWT_SECRET, { header: { alg: 'HS256', typ: 'totp-challenge+jwt' } }),
    'token is invalid: not an access token',
  ],
  [
    "a TOTP challenge's audience",
    sign(claims({ aud: 'users-api/totp-challenge' })),
    'token is invalid: wrong audience',
  ],
  ['no id (jti)', sign(claims({ jti: undefined })), 'token claims are missing or malformed'],
];

describe('forged and stale tokens', () => {
  let service: TestService;
  let api: ReturnType<typeof restClient>;

  before(async () => {
    service = await startTestService();
    api = restClient(service.baseUrl);
  });
  after(() => service.close());

  for (const [kind, token, message] of forgeries) {
    it(`refuses a token with ${kind}`, async () => {
      const rest = await api.get('/api/v2/users', { token });
      assert.equal(rest.status, 401);
      assert.deepEqual(rest.body, { code: 100001, msg: message });
      assert.equal(rest.headers.get('www-authenticate'), 'Bearer error="invalid_token"');

      const native = createUsersClient({ url: `${service.baseUrl}/trpc`, token });
      await assert.rejects(native.users.list.query({}), (error: unknown) => {
        assert.ok(error instanceof TRPCClientError);
        assert.equal(error.data?.code, 'UNAUTHORIZED');
        assert.equal(error.message, message);
        return true;
      });
    });
  }

  it('accepts a valid token, and one expired by less than the clock tolerance', async () => {
    assert.equal((await api.get('/api/v2/users', { token: valid })).status, 200);
    const justExpired = sign(claims({ exp: now() - 2 }));
    assert.equal((await api.get('/api/v2/users', { token: justExpired })).status, 200);
  });

  it('stops accepting a token at its expiry even after it was accepted before', async () => {
    const strict = new TokenService({
      secret: TEST_JWT_SECRET,
      issuer: 'users-service',
      audience: 'users-api',
      ttlSeconds: 1,
      clockToleranceSeconds: 0,
    });
    const { token } = strict.issue({ id: 'x', role: 'user' });
    assert.equal(strict.verify(token).id, 'x');
    assert.equal(strict.verify(token).id, 'x', 'and again, from what it learned the first time');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.throws(() => strict.verify(token), TokenError);
  });

  it('keeps TOTP challenge tokens and access tokens apart, both ways (RFC 8725 §3.11)', () => {
    const access = service.tokens.issue({ id: 'x', role: 'user' }).token;
    assert.throws(() => service.tokens.verifyChallenge(access), /token is invalid: wrong audience/);
    const typedAsAccess = sign(
      claims({ aud: 'users-api/totp-challenge', kind: 'totp', epoch: randomUUID(), role: undefined }),
    );
    assert.throws(() => service.tokens.verifyChallenge(typedAsAccess), /token is invalid: not a TOTP challenge/);
    const { challengeToken } = service.tokens.issueChallenge({ userId: 'x', kind: 'totp', epoch: randomUUID() });
    assert.equal(service.tokens.verifyChallenge(challengeToken).userId, 'x');
    assert.throws(() => service.tokens.verify(challengeToken), TokenError);
  });

  it('issues tokens with a bounded lifetime, HS256, a type, an id, issuer and audience', () => {
    const decoded = jwt.decode(service.tokens.issue({ id: 'x', role: 'user' }).token, { complete: true });
    assert.ok(decoded && typeof decoded.payload === 'object');
    assert.equal(decoded.header.alg, 'HS256');
    assert.equal(decoded.header.typ, 'at+jwt');
    assert.match(String(decoded.payload.jti), /^[0-9a-f-]{36}$/);
    assert.equal(decoded.payload.iss, 'users-service');
    assert.equal(decoded.payload.aud, 'users-api');
    assert.equal(Number(decoded.payload.exp) - Number(decoded.payload.iat), 3600);
  });
});

describe('rotating the JWT secret', function () {
  this.timeout(60_000);
  const OLD = 'the-secret-before-the-rotation-of-32-bytes!';
  const NEW = 'the-secret-after-the-rotation-also-32-bytes!';
  const settings = { issuer: 'users-service', audience: 'users-api', ttlSeconds: 3600, clockToleranceSeconds: 0 };
  let oldInstance: TestService;
  let newInstance: TestService;

  before(async () => {
    // two instances on one database in the middle of a rollout: one still on the old secret, one
    // moved to the new secret with the old one kept for verifying
    oldInstance = await startTestService({ JWT_SECRET: OLD });
    newInstance = await startTestService(
      { JWT_SECRET: NEW, JWT_PREVIOUS_SECRETS: OLD },
      { url: oldInstance.databaseUrl },
    );
  });
  after(async () => {
    await newInstance?.close();
    await oldInstance?.close();
  });

  it('accepts the tokens of the secret it replaced, over REST and tRPC, and signs with the new one only', async () => {
    const old = oldInstance.adminToken;
    assert.equal((await restClient(newInstance.baseUrl, old).get('/api/v2/users')).status, 200);
    const client = createUsersClient({ url: `${newInstance.baseUrl}/trpc`, token: () => old });
    assert.equal(typeof (await client.users.list.query({ offset: 0, limit: 1 })).total, 'number');

    const issued = newInstance.tokens.issue({ id: 'x', role: 'user' }).token;
    assert.equal(jwt.decode(issued, { complete: true })?.header.kid, keyIdOf(NEW));
    assert.equal(jwt.decode(old, { complete: true })?.header.kid, keyIdOf(OLD));
    assert.ok(!keyIdOf(NEW).includes(NEW.slice(0, 8)), 'the kid tells nothing of the secret');
    // an instance not yet told of the new secret refuses its tokens, and says why
    const refused = await restClient(oldInstance.baseUrl, newInstance.adminToken).get('/api/v2/users');
    assert.equal(refused.status, 401);
    assert.equal(refused.body.msg, 'token is invalid: signed with a key this service does not hold');
  });

  it('stops accepting the old tokens once the old secret is removed', () => {
    const old = new TokenService({ ...settings, secret: OLD });
    const { token } = old.issue({ id: 'x', role: 'admin' });
    const { challengeToken } = old.issueChallenge({ userId: 'x', kind: 'totp', epoch: randomUUID() });
    const kept = new TokenService({ ...settings, secret: NEW, previousSecrets: [OLD] });
    assert.equal(kept.verify(token).id, 'x');
    assert.equal(kept.verifyChallenge(challengeToken).userId, 'x');
    const retired = new TokenService({ ...settings, secret: NEW });
    assert.throws(() => retired.verify(token), {
      message: 'token is invalid: signed with a key this service does not hold',
    });
    assert.throws(() => retired.verifyChallenge(challengeToken), TokenError);
  });

  it('chooses the key by kid only: a token that names one key and is signed with another is refused', () => {
    const kept = new TokenService({ ...settings, secret: NEW, previousSecrets: [OLD] });
    const claimsNow = claims();
    const cases: Array<[string, string, string]> = [
      [
        'the old kid, signed with a third secret',
        sign(claimsNow, 'a-third-secret-nobody-here-knows-32-bytes!', { header: { alg: 'HS256', kid: keyIdOf(OLD) } }),
        'token is invalid: bad signature',
      ],
      [
        'the new kid, signed with the old secret',
        sign(claimsNow, OLD, { header: { alg: 'HS256', kid: keyIdOf(NEW) } }),
        'token is invalid: bad signature',
      ],
      // before kids: verified with the current secret only
      ['no kid, signed with the old secret', sign(claimsNow, OLD), 'token is invalid: bad signature'],
      [
        'a kid that is not a string',
        sign(claimsNow, NEW, { header: { alg: 'HS256', kid: 7 as unknown as string } }),
        'token is invalid: signed with a key this service does not hold',
      ],
      [
        'alg none with a known kid',
        `${b64({ alg: 'none', typ: 'at+jwt', kid: keyIdOf(OLD) })}.${b64(claimsNow)}.`,
        'token is invalid: unsigned',
      ],
    ];
    for (const [kind, token, message] of cases) assert.throws(() => kept.verify(token), { message }, kind);
    assert.equal(kept.verify(sign(claimsNow, NEW)).id, 'test-admin', 'no kid, signed with the current secret');
  });

  it('refuses to start with a previous secret shorter than 32 bytes, without echoing it', () => {
    assert.throws(
      () => loadConfig({ JWT_SECRET: NEW, JWT_PREVIOUS_SECRETS: `${OLD},short-secret-value` }),
      (error: Error) =>
        /JWT_PREVIOUS_SECRETS\.1: must be at least 32 bytes/.test(error.message) &&
        !error.message.includes('short-secret-value'),
    );
  });
});
