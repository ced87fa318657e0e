// Forged and stale tokens (RFC 8725): every kind is refused with 401 on REST and UNAUTHORIZED
// on tRPC, and a valid token just inside the clock tolerance still works.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { createUsersClient, TRPCClientError } from '../../client';
import { TokenError, TokenService } from '../../router/tokens';
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
      exp: now() + 600,
      ...extra,
    }).filter(([, value]) => value !== undefined),
  );
const sign = (payload: object, secret = TEST_JWT_SECRET, options: jwt.SignOptions = {}) =>
  jwt.sign(payload, secret, { algorithm: 'HS256', ...options });

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
    jwt.sign(claims(), privateKey, { algorithm: 'RS256' }),
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
  ['an nbf in the future', sign(claims({ nbf: now() + 3600 })), 'token is not valid yet'],
  ['a wrong issuer', sign(claims({ iss: 'someone-else' })), 'token is invalid: wrong issuer'],
  ['a wrong audience', sign(claims({ aud: 'another-api' })), 'token is invalid: wrong audience'],
  ['no subject', sign(claims({ sub: undefined })), 'token claims are missing or malformed'],
  ['an unknown role', sign(claims({ role: 'root' })), 'token claims are missing or malformed'],
  ['no JWT structure', 'only-one-segment', 'token is invalid: malformed'],
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

  it('issues tokens with a bounded lifetime, HS256, issuer and audience', () => {
    const decoded = jwt.decode(service.tokens.issue({ id: 'x', role: 'user' }).token, { complete: true });
    assert.ok(decoded && typeof decoded.payload === 'object');
    assert.equal(decoded.header.alg, 'HS256');
    assert.equal(decoded.payload.iss, 'users-service');
    assert.equal(decoded.payload.aud, 'users-api');
    assert.equal(Number(decoded.payload.exp) - Number(decoded.payload.iat), 3600);
  });
});
