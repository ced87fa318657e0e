// A user's `app` metadata in its access tokens (TOKEN_APP_METADATA): the keys named, as the claim
// `app_metadata`, in every token of the user (a sign-in, a refresh, an admin acting as it), never
// the `user` or `admin` parts nor an `app` key not named; a change reaches the next token; a write
// that would make the carried keys too large for a token is refused whole; and without the setting
// no token carries the claim.
import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import { ConfigError, loadConfig } from '../server/config/config';
import { TOKEN_METADATA_MAX_BYTES } from '../router/metadata/token-claims';
import { newUserBody } from './support/fixtures';
import { restClient } from './support/rest';
import { startTestService, type TestService } from './support/service';
import { startSmtpCapture, type SmtpCapture } from './support/smtp';

/** The claims of a token as a backend that verified it reads them. */
function claimsOf(token: unknown): Record<string, unknown> {
  const payload = jwt.decode(String(token));
  assert.ok(payload && typeof payload === 'object', 'a JWT');
  return payload;
}

async function newUser(service: TestService): Promise<{ id: string; email: string; password: string }> {
  const body = newUserBody();
  const created = await restClient(service.baseUrl, service.adminToken).post('/api/v2/users', body);
  assert.equal(created.status, 200, JSON.stringify(created.body));
  return { id: String(created.body.id), email: body.email.email, password: String(body.email.password) };
}

async function signIn(service: TestService, user: { email: string; password: string }) {
  const signedIn = await restClient(service.baseUrl).post('/api/v2/auth/token', {
    email: user.email,
    password: user.password,
  });
  assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
  return { token: String(signedIn.body.token), refreshToken: String(signedIn.body.refreshToken) };
}

describe("a user's app metadata in its access tokens (TOKEN_APP_METADATA)", function () {
  this.slow(3_000);
  let smtp: SmtpCapture;
  let service: TestService;
  let admin: ReturnType<typeof restClient>;

  before(async () => {
    smtp = await startSmtpCapture();
    service = await startTestService({ TOKEN_APP_METADATA: 'plan, orgId', SMTP_URL: smtp.url });
    admin = restClient(service.baseUrl, service.adminToken);
  });
  after(async () => {
    await service.close();
    await smtp.close();
  });

  it('carries the named app keys in the token, and nothing of the other parts or keys', async () => {
    const user = await newUser(service);
    const written = await admin.put(`/api/v2/users/${user.id}/metadata`, {
      app: { plan: 'pro', orgId: 'acme', seats: 12 },
      user: { plan: 'enterprise', theme: 'dark' },
      admin: { crmId: 'c-4711' },
    });
    assert.equal(written.status, 200, JSON.stringify(written.body));

    const { token } = await signIn(service, user);
    const claims = claimsOf(token);
    assert.deepEqual(claims.app_metadata, { plan: 'pro', orgId: 'acme' });
    for (const absent of ['seats', 'enterprise', 'theme', 'c-4711', 'crmId']) {
      assert.ok(!JSON.stringify(claims).includes(absent), `${absent} is not in the token`);
    }
    // the service takes its own token as before: the claim is for the product's backends
    const read = await restClient(service.baseUrl, token).get(`/api/v2/users/${user.id}`);
    assert.equal(read.status, 200);
  });

  it('carries an empty claim for a user with none of the keys set', async () => {
    const user = await newUser(service);
    assert.deepEqual(claimsOf((await signIn(service, user)).token).app_metadata, {});
  });

  it('reaches the next token after a change: the refresh carries what the metadata is now', async () => {
    const user = await newUser(service);
    await admin.patch(`/api/v2/users/${user.id}/metadata`, { app: { plan: 'pro' } });
    const first = await signIn(service, user);
    const changed = await admin.patch(`/api/v2/users/${user.id}/metadata`, { app: { plan: 'team', orgId: 'acme' } });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    // a token holds what was true when it was issued, until it expires
    assert.deepEqual(claimsOf(first.token).app_metadata, { plan: 'pro' });
    const refreshed = await restClient(service.baseUrl).post('/api/v2/auth/refresh', {
      refreshToken: first.refreshToken,
    });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    assert.deepEqual(claimsOf(refreshed.body.token).app_metadata, { plan: 'team', orgId: 'acme' });
    // and a key removed is gone from the next one
    await admin.patch(`/api/v2/users/${user.id}/metadata`, { app: { plan: null } });
    const again = await restClient(service.baseUrl).post('/api/v2/auth/refresh', {
      refreshToken: refreshed.body.refreshToken,
    });
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.deepEqual(claimsOf(again.body.token).app_metadata, { orgId: 'acme' });
  });

  it("gives an admin acting as the user the user's claims, with the user's role", async () => {
    const user = await newUser(service);
    await admin.patch(`/api/v2/users/${user.id}/metadata`, { app: { plan: 'pro' } });
    const started = await admin.post(`/api/v2/users/${user.id}/impersonate`, { reason: 'ticket 12: billing page' });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    const claims = claimsOf(started.body.token);
    assert.equal(claims.sub, user.id);
    assert.equal(claims.role, 'user');
    assert.deepEqual(claims.app_metadata, { plan: 'pro' });
  });

  it('refuses a write that makes the carried keys too large for a token, and writes nothing of it', async () => {
    const user = await newUser(service);
    await admin.patch(`/api/v2/users/${user.id}/metadata`, { app: { plan: 'pro' } });
    const before = await admin.get(`/api/v2/users/${user.id}/metadata`);
    const big = 'x'.repeat(TOKEN_METADATA_MAX_BYTES);
    const refused = await admin.patch(`/api/v2/users/${user.id}/metadata`, {
      app: { orgId: big, seats: 3 },
      admin: { note: 'kept out too' },
    });
    assert.equal(refused.status, 400);
    assert.match(
      String(refused.body.msg),
      new RegExp(
        `^app: plan, orgId go into access tokens \\(TOKEN_APP_METADATA\\) and may hold at most ${TOKEN_METADATA_MAX_BYTES} bytes as JSON there; this would be \\d+$`,
      ),
    );
    const after = await admin.get(`/api/v2/users/${user.id}/metadata`);
    assert.deepEqual(after.body, before.body, 'nothing of the write');
    // a key no token carries may be as large as any metadata
    const uncarried = await admin.patch(`/api/v2/users/${user.id}/metadata`, { app: { notes: big } });
    assert.equal(uncarried.status, 200, JSON.stringify(uncarried.body));
    assert.deepEqual(claimsOf((await signIn(service, user)).token).app_metadata, { plan: 'pro' });
  });

  it("refuses an invitation whose preset metadata a token could not carry (the new account's first token)", async () => {
    const email = newUserBody().email.email;
    const refused = await admin.post('/api/v2/invitations', {
      email,
      metadata: { app: { plan: 'x'.repeat(TOKEN_METADATA_MAX_BYTES) } },
    });
    assert.equal(refused.status, 400, JSON.stringify(refused.body));
    assert.match(String(refused.body.msg), /^metadata\.app: plan go into access tokens \(TOKEN_APP_METADATA\)/);
    assert.deepEqual(await service.sql('select 1 from invitations where address = ?', [email]), []);
    assert.deepEqual(smtp.to(email), [], 'no invitation mailed');
  });
});

describe('access tokens without TOKEN_APP_METADATA', function () {
  let service: TestService;
  before(async () => {
    service = await startTestService();
  });
  after(() => service.close());

  it("carry no app_metadata claim, whatever the user's metadata", async () => {
    const user = await newUser(service);
    const admin = restClient(service.baseUrl, service.adminToken);
    assert.equal((await admin.patch(`/api/v2/users/${user.id}/metadata`, { app: { plan: 'pro' } })).status, 200);
    const claims = claimsOf((await signIn(service, user)).token);
    assert.equal('app_metadata' in claims, false);
    // and any size of metadata is the metadata's own business
    const big = await admin.patch(`/api/v2/users/${user.id}/metadata`, {
      app: { plan: 'x'.repeat(TOKEN_METADATA_MAX_BYTES * 2) },
    });
    assert.equal(big.status, 200);
  });

  it('refuses a setting that names no metadata key, naming the variable', () => {
    assert.throws(
      () => loadConfig({ TOKEN_APP_METADATA: 'plan,org id' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /TOKEN_APP_METADATA.*must be keys of the app metadata, as `plan,orgId`/.test(error.message),
    );
    const config = loadConfig({ TOKEN_APP_METADATA: ' plan, orgId ,plan' });
    assert.deepEqual(config.TOKEN_APP_METADATA, ['plan', 'orgId']);
  });
});
