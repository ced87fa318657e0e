// Token introspection (RFC 7662) for the product's backends and gateways, over a real socket: a
// machine client asks with its id and secret (openid-client's tokenIntrospection, as a resource
// server would) whether an access token is live now, and hears the service's own verdict: active
// with who it is while it stands, `{"active": false}` alone the moment a logout, an ended session,
// a disable or a delete ends it (which a backend verifying the signature alone cannot see), and for
// anything that is no live access token. Asking without the client's credentials, or with wrong
// ones, is a 401 that tells nothing of the token, and counts against the asking address.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import * as oidc from 'openid-client';
import { keyIdOf } from '../server/crypto/token-service';
import type { ClientCreated } from '../router/clients/client-schemas';
import { newUserBody } from './support/fixtures';
import { restClient } from './support/rest';
import { startTestService, TEST_JWT_SECRET, type TestService } from './support/service';

const INTROSPECT = '/api/v2/auth/oauth2/introspect';

describe('token introspection (RFC 7662)', function () {
  this.slow(3_000);
  let service: TestService;
  let admin: ReturnType<typeof restClient>;
  let gateway: ClientCreated;
  let introspection: oidc.Configuration;

  async function register(access: 'admin' | 'read'): Promise<ClientCreated> {
    const made = await admin.post('/api/v2/clients', { name: `gateway ${access}`, access });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    return made.body as ClientCreated;
  }

  /** A new user, with `app` metadata, signed in by its password: its id, token and refresh token. */
  async function signedInUser() {
    const body = newUserBody();
    const created = await admin.post('/api/v2/users', body);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const id = String(created.body.id);
    assert.equal((await admin.put(`/api/v2/users/${id}/metadata`, { app: { plan: 'pro' } })).status, 200);
    const signedIn = await restClient(service.baseUrl).post('/api/v2/auth/token', {
      email: body.email.email,
      password: body.email.password,
    });
    assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
    return { id, token: String(signedIn.body.token), refreshToken: String(signedIn.body.refreshToken) };
  }

  /** The introspection endpoint asked as a form, with these client credentials by HTTP Basic. */
  async function ask(token: string, credentials?: { id: string; secret: string }, extra: Record<string, string> = {}) {
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (credentials) {
      headers.authorization = `Basic ${Buffer.from(`${credentials.id}:${credentials.secret}`).toString('base64')}`;
    }
    const response = await fetch(`${service.baseUrl}${INTROSPECT}`, {
      method: 'POST',
      headers,
      body: new URLSearchParams({ token, ...extra }),
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as Record<string, unknown>,
    };
  }

  before(async () => {
    service = await startTestService({ TOKEN_APP_METADATA: 'plan', LOGIN_MAX_FAILS_PER_ADDRESS: '6' });
    admin = restClient(service.baseUrl, service.adminToken);
    gateway = await register('read');
    introspection = new oidc.Configuration(
      { issuer: service.baseUrl, introspection_endpoint: `${service.baseUrl}${INTROSPECT}` },
      gateway.id,
      undefined,
      oidc.ClientSecretBasic(gateway.clientSecret),
    );
    oidc.allowInsecureRequests(introspection);
  });
  after(() => service.close());

  it("answers a live person's token active, with who it is, to a client asking as OAuth 2.0 libraries do", async () => {
    const user = await signedInUser();
    const answer = await oidc.tokenIntrospection(introspection, user.token);
    const claims = jwt.decode(user.token) as Record<string, unknown>;
    assert.deepEqual(answer, {
      active: true,
      sub: user.id,
      role: 'user',
      token_type: 'Bearer',
      iss: 'users-service',
      aud: 'users-api',
      exp: claims.exp,
      iat: claims.iat,
      jti: claims.jti,
      sid: claims.sid,
      auth_time: claims.auth_time,
      app_metadata: { plan: 'pro' },
    });
  });

  it('answers active: false alone the moment a token is ended: a logout, an ended session, a disable, a delete', async () => {
    const enders: Array<[string, (user: { id: string; token: string }) => Promise<number>]> = [
      [
        'a logout',
        async (user) => (await restClient(service.baseUrl, user.token).post('/api/v2/auth/logout', {})).status,
      ],
      [
        'its sessions ended by an admin',
        async (user) => (await admin.delete(`/api/v2/users/${user.id}/sessions`)).status,
      ],
      ['a disable', async (user) => (await admin.post(`/api/v2/users/${user.id}/disable`, { reason: 'left' })).status],
      ['a delete', async (user) => (await admin.delete(`/api/v2/users/${user.id}`)).status],
    ];
    for (const [what, end] of enders) {
      const user = await signedInUser();
      assert.equal((await oidc.tokenIntrospection(introspection, user.token)).active, true, what);
      assert.ok([200, 204].includes(await end(user)), what);
      // the signature still verifies, and the token has not expired: only the service knows
      assert.deepEqual(await oidc.tokenIntrospection(introspection, user.token), { active: false }, what);
    }
  });

  it('answers active: false alone for anything that is no live access token', async () => {
    const user = await signedInUser();
    const now = Math.floor(Date.now() / 1000);
    const sign = (claims: object, secret = TEST_JWT_SECRET) =>
      jwt.sign({ sub: user.id, role: 'user', jti: randomUUID(), ...claims }, secret, {
        algorithm: 'HS256',
        header: { alg: 'HS256', typ: 'at+jwt', kid: keyIdOf(secret) },
        issuer: 'users-service',
        audience: 'users-api',
      });
    const notLive: Array<[string, string]> = [
      ['a refresh token', user.refreshToken],
      ['an expired token', sign({ iat: now - 7200, exp: now - 3600 })],
      ['a token of another secret', sign({ exp: now + 600 }, 'another-secret-that-is-at-least-32-bytes!')],
      ['garbage', 'not-a-token'],
    ];
    for (const [what, token] of notLive) {
      const answer = await ask(token, { id: gateway.id, secret: gateway.clientSecret });
      assert.equal(answer.status, 200, what);
      assert.deepEqual(answer.body, { active: false }, what);
    }
  });

  it("tells a read-only client's own token and an admin acting as a user for what they are", async () => {
    const reader = await register('read');
    const granted = await restClient(service.baseUrl).post('/api/v2/auth/client-token', {
      clientId: reader.id,
      clientSecret: reader.clientSecret,
    });
    const own = await oidc.tokenIntrospection(introspection, String(granted.body.token));
    assert.equal(own.active, true);
    assert.equal(own.sub, `client:${reader.id}`);
    assert.equal(own.scope, 'read');

    const user = await signedInUser();
    const started = await admin.post(`/api/v2/users/${user.id}/impersonate`, { reason: 'ticket 7: checkout fails' });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    const acting = await oidc.tokenIntrospection(introspection, String(started.body.token));
    assert.equal(acting.sub, user.id);
    assert.deepEqual(acting.act, { sub: 'test-admin' });
    assert.deepEqual(acting.app_metadata, { plan: 'pro' });
  });

  it("refuses an asker that is no client (none, a wrong secret, a removed client, a person's Bearer token) with 401, telling nothing of the token", async () => {
    const user = await signedInUser();
    const removed = await register('admin');
    assert.equal((await admin.delete(`/api/v2/clients/${removed.id}`)).status, 204);
    const askers: Array<[string, { id: string; secret: string } | undefined]> = [
      ['no credentials', undefined],
      ['a wrong secret', { id: gateway.id, secret: `${gateway.clientSecret}x` }],
      ['a removed client', { id: removed.id, secret: removed.clientSecret }],
    ];
    for (const [what, credentials] of askers) {
      // a live token and junk alike: the answer to a stranger says nothing of either
      for (const token of [user.token, 'not-a-token']) {
        const refused = await ask(token, credentials);
        assert.equal(refused.status, 401, what);
        assert.equal(refused.body.error, 'invalid_client', what);
        assert.equal('active' in refused.body, false, what);
        assert.match(String(refused.headers.get('www-authenticate')), /^Basic /, what);
      }
    }
    const asPerson = await fetch(`${service.baseUrl}${INTROSPECT}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${user.token}` },
      body: new URLSearchParams({ token: user.token }),
    });
    assert.equal(asPerson.status, 401, "a person's token is no client authentication");
    // and a form without the token says so
    const empty = await ask('', { id: gateway.id, secret: gateway.clientSecret });
    assert.equal(empty.status, 400);
    assert.equal(empty.body.error, 'invalid_request');
    assert.match(String(empty.body.msg), /^token: required: the token to introspect/);
  });

  it('counts wrong client secrets per address, and refuses every asker from there past the limit (429)', async () => {
    const user = await signedInUser();
    let status = 0;
    for (let tries = 0; tries < 10 && status !== 429; tries++) {
      status = (await ask(user.token, { id: gateway.id, secret: 'ucs_guess' })).status;
    }
    assert.equal(status, 429, 'the address was limited');
    const right = await ask(user.token, { id: gateway.id, secret: gateway.clientSecret });
    assert.equal(right.status, 429, 'even with the right secret: guessing stopped');
    assert.ok(Number(right.headers.get('retry-after')) > 0);
  });
});
