// Access tokens a product's backend verifies on its own: with JWT_SIGNING_KEY the service signs
// them ES256 and publishes the public keys (GET /api/v2/auth/jwks), which jose, as a backend
// would use it, fetches over a real socket and verifies a person's token with. Rotation through
// JWT_VERIFY_KEYS, HS256 tokens of before the switch, the algorithm-confusion forgery (RFC 8725
// §2.1: the public key taken for an HMAC secret), and keys refused at start-up without echoing them.
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import jwt from 'jsonwebtoken';
import { calculateJwkThumbprint, createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { ConfigError, loadConfig } from '../../server/config/config';
import { newSigningKey, parseSigningKey } from '../../server/crypto/signing-keys';
import { TokenError, TokenService } from '../../server/crypto/token-service';
import { newUserBody } from '../support/fixtures';
import { runNode } from '../support/process';
import { restClient } from '../support/rest';
import { startTestService, TEST_JWT_SECRET, type TestService } from '../support/service';

const JWKS = '/api/v2/auth/jwks';
const ROOT = path.resolve(__dirname, '../..');
const MODULES = path.join(ROOT, 'node_modules');

/** The TypeScript block of the README's "Verifying tokens in your backend", pointed at `baseUrl`. */
function readmeBackend(baseUrl: string): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Verifying tokens in your backend\n'));
  const block = /```ts\n([\s\S]*?)```/.exec(section.slice(0, section.indexOf('\n## ', 1)));
  assert.ok(block?.[1], 'the section shows a backend in a ts block');
  assert.ok(block[1].includes('https://users.example.com'), 'the example names a service to point elsewhere');
  return block[1].replace('https://users.example.com', baseUrl);
}
const settings = {
  secret: TEST_JWT_SECRET,
  issuer: 'users-service',
  audience: 'users-api',
  ttlSeconds: 600,
  clockToleranceSeconds: 0,
};

/** A new user signed in, with `app` metadata set first when given. */
async function signedInUser(
  service: TestService,
  app?: Record<string, unknown>,
): Promise<{ id: string; token: string }> {
  const body = newUserBody();
  const admin = restClient(service.baseUrl, service.adminToken);
  const created = await admin.post('/api/v2/users', body);
  assert.equal(created.status, 200, JSON.stringify(created.body));
  if (app) assert.equal((await admin.put(`/api/v2/users/${String(created.body.id)}/metadata`, { app })).status, 200);
  const signedIn = await restClient(service.baseUrl).post('/api/v2/auth/token', {
    email: body.email.email,
    password: body.email.password,
  });
  assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
  return { id: String(created.body.id), token: String(signedIn.body.token) };
}

describe("access tokens a product's backend verifies with the published keys (ES256)", function () {
  this.slow(5_000);
  const current = newSigningKey();
  const next = newSigningKey();
  const nextPublicPem = next.key.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  let service: TestService;

  before(async () => {
    service = await startTestService({
      JWT_SIGNING_KEY: current.material,
      JWT_VERIFY_KEYS: nextPublicPem,
      TOKEN_APP_METADATA: 'plan',
    });
  });
  after(() => service.close());

  it('publishes the signing key, then the next one, as public JWKs a verifier may cache', async () => {
    const response = await fetch(`${service.baseUrl}${JWKS}`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'public, max-age=300');
    const text = await response.text();
    const { keys } = JSON.parse(text) as { keys: Array<Record<string, string>> };
    assert.deepEqual(
      keys.map((key) => key.kid),
      [current.key.kid, next.key.kid],
    );
    for (const key of keys) {
      assert.deepEqual(Object.keys(key).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
      assert.deepEqual([key.kty, key.crv, key.alg, key.use], ['EC', 'P-256', 'ES256', 'sig']);
      // the kid is the RFC 7638 thumbprint, as jose computes it
      assert.equal(key.kid, await calculateJwkThumbprint({ kty: key.kty, crv: key.crv, x: key.x, y: key.y }));
    }
    // the private scalar appears nowhere in the answer
    const { d } = current.key.privateKey!.export({ format: 'jwk' });
    assert.ok(d && !text.includes(d));
  });

  it("signs a person's token with it, which jose verifies against the published set alone", async () => {
    const user = await signedInUser(service);
    assert.deepEqual(decodeProtectedHeader(user.token), { alg: 'ES256', typ: 'at+jwt', kid: current.key.kid });
    // what a product's backend runs: the key set by URL, ES256 pinned, issuer, audience and type checked
    const keySet = createRemoteJWKSet(new URL(`${service.baseUrl}${JWKS}`));
    const { payload } = await jwtVerify(user.token, keySet, {
      algorithms: ['ES256'],
      issuer: 'users-service',
      audience: 'users-api',
      typ: 'at+jwt',
    });
    assert.equal(payload.sub, user.id);
    assert.equal(payload.role, 'user');
    // and the service itself takes it
    const read = await restClient(service.baseUrl, user.token).get(`/api/v2/users/${user.id}`);
    assert.equal(read.status, 200);
  });

  it("the README's backend example type-checks, and takes the service's token and refuses the others", async () => {
    // (signed in first: the type-check holds the event loop, and with it this process's service)
    const user = await signedInUser(service, { plan: 'pro' });
    const dir = mkdtempSync(path.join(tmpdir(), 'users-readme-backend-'));
    try {
      const backend = path.join(dir, 'backend.ts');
      writeFileSync(backend, readmeBackend(service.baseUrl));
      const program = ts.createProgram([backend], {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        types: ['node'],
        typeRoots: [path.join(MODULES, '@types')],
        // the file sits outside the project: its imports resolve in the project's node_modules
        baseUrl: dir,
        paths: { '*': [path.join(MODULES, '*')] },
      });
      const problems = ts
        .getPreEmitDiagnostics(program)
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      assert.deepEqual(problems, []);

      // run as a backend of its own would: each Authorization header, what `caller` made of it
      const hs256 = new TokenService(settings).issue({ id: 'test-admin', role: 'admin' }).token;
      const headers = [`Bearer ${user.token}`, `Bearer ${hs256}`, 'Bearer not-a-token', undefined];
      writeFileSync(
        path.join(dir, 'run.ts'),
        `import { caller } from './backend';
        (async () => {
          for (const header of ${JSON.stringify(headers)}) {
            await caller(header ?? undefined).then(
              (who) => console.log('caller ' + JSON.stringify(who)),
              (error: { code?: string }) => console.log('refused ' + String(error.code)),
            );
          }
        })();`,
      );
      const run = runNode(['--require', 'tsx/cjs', path.join(dir, 'run.ts')], { ...process.env, NODE_PATH: MODULES });
      assert.deepEqual(await run.exited, { code: 0, signal: null }, run.output());
      assert.deepEqual(run.output().trim().split('\n'), [
        `caller ${JSON.stringify({ userId: user.id, role: 'user', plan: 'pro' })}`,
        // an HS256 token is no token of the published keys (jose refuses the algorithm it was not given)
        'refused ERR_JOSE_ALG_NOT_ALLOWED',
        'refused ERR_JWS_INVALID',
        'refused ERR_JWS_INVALID',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('still takes the HS256 tokens made under JWT_SECRET before the switch', async () => {
    const before = new TokenService(settings).issue({ id: 'test-admin', role: 'admin' }).token;
    assert.equal(decodeProtectedHeader(before).alg, 'HS256');
    const listed = await restClient(service.baseUrl, before).get('/api/v2/users?limit=1');
    assert.equal(listed.status, 200);
  });

  it("refuses an HS256 token whose HMAC secret is the signing key's public key (RFC 8725 §2.1)", async () => {
    const claims = { sub: 'test-admin', role: 'admin', jti: randomUUID() };
    const publicForms = [
      current.key.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
      JSON.stringify(current.key.jwk),
    ];
    for (const secret of publicForms) {
      const forged = jwt.sign(claims, secret, {
        algorithm: 'HS256',
        header: { alg: 'HS256', typ: 'at+jwt', kid: current.key.kid },
        issuer: 'users-service',
        audience: 'users-api',
        expiresIn: 600,
      });
      const answer = await restClient(service.baseUrl, forged).get('/api/v2/users?limit=1');
      assert.equal(answer.status, 401);
      assert.deepEqual(answer.body, { code: 100001, msg: 'token is invalid: algorithm not allowed' });
    }
  });

  it('rotates: the key before it verifies while it is published, and is refused once removed', () => {
    const before = new TokenService({ ...settings, signingKey: current.key });
    const token = before.issue({ id: 'u1', role: 'user' }).token;
    const rotated = new TokenService({ ...settings, signingKey: next.key, verifyKeys: [current.key] });
    assert.equal(rotated.verify(token).id, 'u1');
    assert.deepEqual(
      rotated.publicKeys.keys.map((key) => key.kid),
      [next.key.kid, current.key.kid],
    );
    const retired = new TokenService({ ...settings, signingKey: next.key });
    assert.throws(
      () => retired.verify(token),
      new TokenError('token is invalid: signed with a key this service does not hold'),
    );
  });
});

describe('without JWT_SIGNING_KEY', () => {
  let service: TestService;

  before(async () => {
    service = await startTestService();
  });
  after(() => service.close());

  it('publishes no key, and signs HS256, which only this service verifies', async () => {
    const keys = await restClient(service.baseUrl).get(JWKS);
    assert.equal(keys.status, 200);
    assert.deepEqual(keys.body, { keys: [] });
    const user = await signedInUser(service);
    assert.equal(decodeProtectedHeader(user.token).alg, 'HS256');
  });
});

describe('signing keys in the configuration', () => {
  const { material } = newSigningKey();
  const parsed = parseSigningKey(material);
  const privatePem = parsed.privateKey!.export({ format: 'pem', type: 'pkcs8' }).toString();
  const sec1Pem = parsed.privateKey!.export({ format: 'pem', type: 'sec1' }).toString();
  const publicDer = parsed.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');

  it('takes PEM (PKCS #8, SEC 1, one line with \\n), or base64 DER, for the same key and kid', () => {
    for (const form of [privatePem, sec1Pem, privatePem.replaceAll('\n', '\\n'), publicDer]) {
      assert.equal(parseSigningKey(form).kid, parsed.kid);
    }
    const config = loadConfig({ NODE_ENV: 'test', JWT_SIGNING_KEY: privatePem, JWT_VERIFY_KEYS: publicDer });
    assert.equal(config.JWT_VERIFY_KEYS.length, 1);
  });

  it('refuses another curve, RSA, a public key to sign with, and text, saying why and never echoing it', () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({
      format: 'pem',
      type: 'pkcs8',
    });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' });
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ JWT_SIGNING_KEY: p384.toString() }, /JWT_SIGNING_KEY: must be an ECDSA key on P-256/],
      [{ JWT_SIGNING_KEY: rsa.toString() }, /JWT_SIGNING_KEY: must be an ECDSA key on P-256/],
      [{ JWT_SIGNING_KEY: publicDer }, /JWT_SIGNING_KEY: must be the private key/],
      [{ JWT_SIGNING_KEY: 'not a key at all' }, /JWT_SIGNING_KEY: must be PEM, or base64 of a DER key/],
      [{ JWT_VERIFY_KEYS: `${publicDer},c2VjcmV0` }, /JWT_VERIFY_KEYS\.1: is not a key/],
    ];
    for (const [env, message] of cases) {
      assert.throws(
        () => loadConfig({ NODE_ENV: 'test', ...env }),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.match(error.message, message);
          // the message names the variable and the reason: no piece of the key is in it
          const keyText = Object.values(env)[0]!.split(',')[0]!;
          if (keyText.length > 80) assert.ok(!error.message.includes(keyText.slice(40, 80)));
          return true;
        },
      );
    }
  });
});
