// Machine clients (RFC 6749 §4.4, client credentials), over REST on real sockets, on two instances
// sharing one PostgreSQL database, and over tRPC: an admin registers a client and sees its secret
// once (stored only as a keyed hash); the client exchanges id and secret for an admin token of its
// own, whose doings are recorded as the client's; a wrong secret gets the same 401 as an unknown
// client, and is counted per address; a rotation refuses the old secret and its tokens, a removal
// every token, at their next call on every instance; only people manage clients.
import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import * as oidc from 'openid-client';
import { createUsersClient, TRPCClientError } from '../client';
import { newUserBody } from './support/fixtures';
import { clientLimitKey } from '../server/limits/client-key';
import type { ClientCreated } from '../router/clients/client-schemas';
import { restClient } from './support/rest';
import { startTestService, TEST_TOTP_KEY, type TestService } from './support/service';

const CLIENTS = '/api/v2/clients';
const TOKEN = '/api/v2/auth/client-token';

describe('machine clients: their own tokens by client credentials', function () {
  this.timeout(60_000);
  let one: TestService;
  let two: TestService;
  let admin: ReturnType<typeof restClient>;

  before(async () => {
    one = await startTestService({ LOGIN_MAX_FAILS_PER_ADDRESS: '8' });
    two = await startTestService({}, { url: one.databaseUrl });
    admin = restClient(one.baseUrl, one.adminToken);
  });
  after(async () => {
    await two?.close();
    await one?.close();
  });
  beforeEach(async () => {
    await one.limits.clear([['loginFailsByAddressPerDay', clientLimitKey('127.0.0.1')]]);
  });

  async function register(name = 'CRM sync') {
    const made = await admin.post(CLIENTS, { name });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    return made.body as ClientCreated;
  }
  const exchange = (service: TestService, clientId: string, clientSecret: string) =>
    restClient(service.baseUrl).post(TOKEN, { clientId, clientSecret });

  it('registers a client whose secret is shown once and kept only as a keyed hash', async () => {
    const client = await register();
    assert.match(client.id, /^[0-9a-f-]{36}$/);
    assert.equal(client.subject, `client:${client.id}`);
    assert.match(client.clientSecret, /^ucs_[\w-]{43}$/, '256 random bits');
    assert.equal(client.name, 'CRM sync');
    assert.equal(client.createdBy, 'test-admin');
    assert.equal(client.lastTokenAt, null, 'no token yet');
    const listed = await admin.get(CLIENTS);
    assert.equal(listed.status, 200);
    const entry = (listed.body.items as Array<Record<string, unknown>>).find((item) => item.id === client.id);
    assert.ok(entry);
    assert.equal(entry.clientSecret, undefined, 'the list holds no secret');
    const dump = JSON.stringify(await one.sql(`select * from api_clients`));
    assert.ok(!dump.includes(client.clientSecret) && !dump.includes(client.clientSecret.slice(4)), 'no secret stored');
  });

  it('exchanges id and secret for an admin token of its own; what it does is recorded as the client’s', async () => {
    const client = await register('billing backend');
    const answer = await exchange(one, client.id, client.clientSecret);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.deepEqual(Object.keys(answer.body as object).sort(), ['expiresIn', 'token', 'tokenType']);
    const claims = jwt.decode(String(answer.body.token)) as Record<string, unknown>;
    assert.equal(claims.sub, client.subject);
    assert.equal(claims.role, 'admin');
    assert.equal(claims.sid, undefined, 'no session: the client asks again');

    const asClient = restClient(two.baseUrl, String(answer.body.token));
    assert.equal((await asClient.get('/api/v2/users?offset=0&limit=1')).status, 200);
    const created = await asClient.post('/api/v2/users', newUserBody());
    assert.equal(created.status, 200);
    const [event] = await one.sql<{ actor: string }>(
      `select actor from events where type = 'user.created' and user_id = ?`,
      [created.body.id],
    );
    assert.equal(event?.actor, client.subject);
    const issued = await one.sql<{ actor: string; data: { clientId: string } }>(
      `select actor, data from events where type = 'client.token_issued' and data->>'clientId' = ?`,
      [client.id],
    );
    assert.deepEqual(
      issued.map((row) => row.actor),
      [client.subject],
    );
    const listed = (await admin.get(CLIENTS)).body.items as Array<{ id: string; lastTokenAt: string | null }>;
    assert.ok(listed.find((item) => item.id === client.id)?.lastTokenAt, 'lastTokenAt is set');
    // the secret and the token are in no event, no log line
    const everything = JSON.stringify(await one.sql(`select * from events`)) + JSON.stringify(one.logs);
    assert.ok(!everything.includes(client.clientSecret), 'no secret in events or logs');
    assert.ok(!everything.includes(String(answer.body.token)), 'no token in events or logs');
  });

  it('answers the same 401 to a wrong secret, an unknown client and a malformed id; records only a real client’s', async () => {
    const client = await register();
    const wrong = await exchange(one, client.id, `ucs_${'A'.repeat(43)}`);
    const unknown = await exchange(one, '00000000-0000-4000-8000-000000000000', client.clientSecret);
    const malformed = await exchange(one, 'not-a-client', client.clientSecret);
    for (const response of [wrong, unknown, malformed]) {
      assert.equal(response.status, 401);
      assert.deepEqual(response.body, { code: 100001, msg: 'invalid client credentials' });
    }
    const refused = await one.sql<{ data: { clientId: string; reason: string } }>(
      `select data from events where type = 'client.token_refused'`,
    );
    assert.deepEqual(
      refused.map((row) => row.data),
      [{ clientId: client.id, name: client.name, reason: 'invalid_credentials' }],
    );
  });

  it('counts refused exchanges per address: 429 with Retry-After once over the limit, even with the right secret', async () => {
    const client = await register();
    for (let attempt = 0; attempt < 8; attempt++) {
      assert.equal((await exchange(one, client.id, 'ucs_wrong')).status, 401);
    }
    const limited = await exchange(one, client.id, client.clientSecret);
    assert.equal(limited.status, 429);
    assert.match(String(limited.body.msg), /^too many token requests; try again in \d+ s$/);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
  });

  it('a rotation refuses the old secret and every token it got, on every instance; the new secret works', async () => {
    const client = await register();
    const before = String((await exchange(one, client.id, client.clientSecret)).body.token);
    assert.equal((await restClient(two.baseUrl, before).get('/api/v2/users?offset=0&limit=1')).status, 200);
    const rotated = await admin.post(`${CLIENTS}/${client.id}/rotate-secret`, {});
    assert.equal(rotated.status, 200);
    assert.notEqual(rotated.body.clientSecret, client.clientSecret);
    assert.equal((await exchange(two, client.id, client.clientSecret)).status, 401);
    for (const service of [one, two]) {
      const refused = await restClient(service.baseUrl, before).get('/api/v2/users?offset=0&limit=1');
      assert.equal(refused.status, 401);
      assert.equal(refused.body.msg, 'token is no longer valid');
    }
    const after = await exchange(two, client.id, String(rotated.body.clientSecret));
    assert.equal(after.status, 200);
    assert.equal(
      (await restClient(one.baseUrl, String(after.body.token)).get('/api/v2/users?offset=0&limit=1')).status,
      200,
    );
  });

  it('a removal refuses every token of the client at its next call, on every instance', async () => {
    const client = await register();
    const token = String((await exchange(one, client.id, client.clientSecret)).body.token);
    assert.equal((await restClient(two.baseUrl, token).get('/api/v2/users?offset=0&limit=1')).status, 200);
    assert.equal((await admin.delete(`${CLIENTS}/${client.id}`)).status, 204);
    for (const service of [one, two]) {
      assert.equal((await restClient(service.baseUrl, token).get('/api/v2/users?offset=0&limit=1')).status, 401);
    }
    assert.equal((await exchange(one, client.id, client.clientSecret)).status, 401);
    assert.equal((await admin.delete(`${CLIENTS}/${client.id}`)).status, 404);
    const [removed] = await one.sql<{ actor: string }>(
      `select actor from events where type = 'client.deleted' and data->>'clientId' = ?`,
      [client.id],
    );
    assert.equal(removed?.actor, 'test-admin');
  });

  it('keeps working across a rotation of TOTP_KEY: its hash moves to the new key at its first exchange', async () => {
    const client = await register('survives key rotations');
    const [registered] = await one.sql<{ secret_hash: string }>(`select secret_hash from api_clients where id = ?`, [
      client.id,
    ]);
    const newKey = Buffer.from('client-rotation-key-b-of-32byte!').toString('base64');
    // the service moved to a new key, the old one still opened
    const rotated = await startTestService(
      { TOTP_KEY: newKey, TOTP_PREVIOUS_KEYS: TEST_TOTP_KEY },
      { url: one.databaseUrl },
    );
    try {
      assert.equal((await exchange(rotated, client.id, client.clientSecret)).status, 200);
    } finally {
      await rotated.close();
    }
    const [moved] = await one.sql<{ secret_hash: string }>(`select secret_hash from api_clients where id = ?`, [
      client.id,
    ]);
    assert.notEqual(moved?.secret_hash, registered?.secret_hash, 'hashed again under the new key');
    // the old key retired: the client still gets its tokens
    const retired = await startTestService({ TOTP_KEY: newKey }, { url: one.databaseUrl });
    try {
      assert.equal((await exchange(retired, client.id, client.clientSecret)).status, 200);
    } finally {
      await retired.close();
    }
  });

  it('a client registered to read only reads what an admin reads, and every write is refused it, nothing written', async () => {
    const made = await admin.post(CLIENTS, { name: 'weekly report', access: 'read' });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    const client = made.body as ClientCreated;
    assert.equal(client.access, 'read');
    assert.equal((await register('full')).access, 'admin', 'admin unless asked');
    const answer = await exchange(one, client.id, client.clientSecret);
    assert.equal(answer.status, 200);
    assert.equal(answer.body.scope, 'read', 'the token says what it may');
    assert.equal((jwt.decode(String(answer.body.token)) as Record<string, unknown>).scope, 'read');

    const reader = restClient(two.baseUrl, String(answer.body.token));
    const user = await admin.post('/api/v2/users', newUserBody());
    const id = String(user.body.id);
    assert.equal((await reader.get('/api/v2/users?offset=0&limit=5')).status, 200);
    assert.equal((await reader.get(`/api/v2/users/${id}`)).status, 200);
    assert.equal((await reader.get('/api/v2/events?after=0&limit=5')).status, 200);
    assert.equal((await reader.get(`/api/v2/users/${id}/sessions`)).status, 200);
    const before = await one.sql<{ n: string }>(`select count(*) as n from users`);
    const READ_ONLY = 'this client may only read (it was registered with access: read)';
    for (const [method, path, body] of [
      ['POST', '/api/v2/users', newUserBody()],
      ['PUT', `/api/v2/users/${id}`, newUserBody()],
      ['DELETE', `/api/v2/users/${id}`, undefined],
      ['POST', `/api/v2/users/${id}/disable`, { reason: 'x' }],
      ['POST', '/api/v2/webhooks', { url: 'https://example.com/hook', types: ['user.created'] }],
      ['POST', `/api/v2/users/${id}/impersonate`, { reason: 'x' }],
    ] as const) {
      const refused = await reader.call(method, path, body === undefined ? {} : { body });
      assert.equal(refused.status, 403, `${method} ${path}`);
      assert.equal(refused.body.msg, READ_ONLY, `${method} ${path}`);
    }
    assert.deepEqual(await one.sql(`select count(*) as n from users`), before, 'nothing written');
    assert.equal((await admin.get(`/api/v2/users/${id}`)).status, 200, 'not deleted');
    // over tRPC too: a query answers, a mutation is refused before it runs
    const principal = one.tokens.verify(String(answer.body.token));
    assert.equal((await one.caller(principal).users.get({ id })).user.id, id);
    await assert.rejects(one.caller(principal).users.delete({ id }), { code: 'FORBIDDEN', message: READ_ONLY });
    // the OAuth 2.0 form says it as RFC 6749 §5.1 does
    const form = await fetch(`${one.baseUrl}/api/v2/auth/oauth2/client-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: client.id,
        client_secret: client.clientSecret,
      }),
    });
    assert.equal(((await form.json()) as { scope?: string }).scope, 'read');
  });

  it('gives an admin client a read-only token when it asks for scope read: least privilege for one job', async () => {
    const client = await register('nightly export');
    const asked = await restClient(one.baseUrl).post(TOKEN, {
      clientId: client.id,
      clientSecret: client.clientSecret,
      scope: 'read',
    });
    assert.equal(asked.status, 200);
    assert.equal(asked.body.scope, 'read');
    const reader = restClient(one.baseUrl, String(asked.body.token));
    assert.equal((await reader.get('/api/v2/users?offset=0&limit=1')).status, 200);
    assert.equal((await reader.post('/api/v2/users', newUserBody())).status, 403);
    // without it, the client's own access
    const full = await exchange(one, client.id, client.clientSecret);
    assert.equal(full.body.scope, undefined);
    assert.equal(
      (await restClient(one.baseUrl, String(full.body.token)).post('/api/v2/users', newUserBody())).status,
      200,
    );
    // as OAuth 2.0 libraries ask for it
    const config = new oidc.Configuration(
      { issuer: one.baseUrl, token_endpoint: `${one.baseUrl}/api/v2/auth/oauth2/client-token` },
      client.id,
      undefined,
      oidc.ClientSecretBasic(client.clientSecret),
    );
    oidc.allowInsecureRequests(config);
    const granted = await oidc.clientCredentialsGrant(config, { scope: 'read' });
    assert.equal(granted.scope, 'read');
    const refused = await restClient(one.baseUrl, granted.access_token).delete('/api/v2/users/anyone');
    assert.equal(refused.status, 403, 'refused before anything is looked up');
  });

  it('an operator token naming a client is not that client: refused', async () => {
    const client = await register();
    const forged = one.tokens.issue({ id: client.subject, role: 'admin' }).token;
    const refused = await restClient(one.baseUrl, forged).get('/api/v2/users?offset=0&limit=1');
    assert.equal(refused.status, 401);
    assert.equal(refused.body.msg, 'token is no longer valid');
  });

  it('only people manage clients: a client’s token, a user and bad input are refused, nothing written', async () => {
    const client = await register();
    const clientToken = String((await exchange(one, client.id, client.clientSecret)).body.token);
    const asClient = restClient(one.baseUrl, clientToken);
    const before = (await one.sql(`select id from api_clients`)).length;
    for (const response of [
      await asClient.post(CLIENTS, { name: 'my own twin' }),
      await asClient.get(CLIENTS),
      await asClient.post(`${CLIENTS}/${client.id}/rotate-secret`, {}),
      await asClient.delete(`${CLIENTS}/${client.id}`),
    ]) {
      assert.equal(response.status, 403);
      assert.equal(response.body.msg, 'a machine client cannot manage clients');
    }
    const user = newUserBody();
    assert.equal((await admin.post('/api/v2/users', user)).status, 200);
    const userToken = String(
      (
        await restClient(one.baseUrl).post('/api/v2/auth/token', {
          email: user.email.email,
          password: user.email.password,
        })
      ).body.token,
    );
    const asUser = await restClient(one.baseUrl, userToken).post(CLIENTS, { name: 'x' });
    assert.equal(asUser.status, 403);
    const blank = await admin.post(CLIENTS, { name: '  ' });
    assert.equal(blank.status, 400);
    assert.equal(blank.body.msg, 'name: must name the client (1 to 100 characters)');
    const long = await admin.post(CLIENTS, { name: 'x'.repeat(101) });
    assert.equal(long.body.msg, 'name: must be at most 100 characters');
    assert.equal((await admin.delete(`${CLIENTS}/not-an-id`)).status, 404);
    assert.equal((await one.sql(`select id from api_clients`)).length, before, 'nothing written');
  });

  describe('as OAuth 2.0 client libraries ask (RFC 6749 §4.4): openid-client against the token endpoint', () => {
    const ENDPOINT = '/api/v2/auth/oauth2/client-token';
    const configure = (id: string, secret: string, auth: (secret: string) => oidc.ClientAuth) => {
      const config = new oidc.Configuration(
        { issuer: one.baseUrl, token_endpoint: `${one.baseUrl}${ENDPOINT}` },
        id,
        undefined,
        auth(secret),
      );
      oidc.allowInsecureRequests(config);
      return config;
    };

    for (const [name, auth] of [
      ['HTTP Basic', oidc.ClientSecretBasic],
      ['the form', oidc.ClientSecretPost],
    ] as const) {
      it(`gets a token with the client's credentials by ${name}; a wrong one is refused: 401, Basic, invalid_client`, async () => {
        const client = await register();
        const answer = await oidc.clientCredentialsGrant(configure(client.id, client.clientSecret, auth));
        assert.equal(answer.token_type, 'bearer');
        assert.ok(answer.expires_in && answer.expires_in > 0);
        const asClient = restClient(one.baseUrl, answer.access_token);
        assert.equal((await asClient.get('/api/v2/users?offset=0&limit=1')).status, 200);
        // the library reports the 401's challenge first; the body under it says invalid_client
        const refused: unknown = await oidc.clientCredentialsGrant(configure(client.id, 'ucs_wrong', auth)).then(
          () => assert.fail('a wrong secret got a token'),
          (error: unknown) => error,
        );
        assert.ok(refused instanceof oidc.WWWAuthenticateChallengeError, String(refused));
        assert.equal(refused.status, 401);
        assert.equal(refused.cause[0]?.scheme, 'basic');
        const body = (await refused.response.json()) as { error?: string };
        assert.equal(body.error, 'invalid_client');
      });
    }

    it("answers malformed requests with RFC 6749's errors beside the service's own, and no-store", async () => {
      const client = await register();
      const post = (body: string, headers: Record<string, string> = {}) =>
        fetch(`${one.baseUrl}${ENDPOINT}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
          body,
        });
      const credentials = `client_id=${client.id}&client_secret=${encodeURIComponent(client.clientSecret)}`;
      const basic = `Basic ${Buffer.from(`${client.id}:${encodeURIComponent(client.clientSecret)}`).toString('base64')}`;
      const cases: Array<[string, Response, number, Record<string, unknown>]> = [
        [
          'another grant',
          await post(`grant_type=password&${credentials}`),
          400,
          { error: 'unsupported_grant_type', msg: 'grant_type: only client_credentials is offered' },
        ],
        [
          'no grant',
          await post(credentials),
          400,
          { error: 'invalid_request', msg: 'grant_type: required (client_credentials)' },
        ],
        [
          'a parameter twice',
          await post(`grant_type=client_credentials&grant_type=client_credentials&${credentials}`),
          400,
          { error: 'invalid_request', msg: 'grant_type: must be sent once' },
        ],
        [
          'both ways at once',
          await post(`grant_type=client_credentials&${credentials}`, { authorization: basic }),
          400,
          { error: 'invalid_request' },
        ],
        [
          'a scope',
          await post(`grant_type=client_credentials&scope=users&${credentials}`),
          400,
          { error: 'invalid_scope', msg: 'scope: the one scope offered is read: leave it out, or ask for read' },
        ],
        ['no client authentication', await post('grant_type=client_credentials'), 401, { error: 'invalid_client' }],
        [
          'JSON',
          await fetch(`${one.baseUrl}${ENDPOINT}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ grant_type: 'client_credentials' }),
          }),
          415,
          {},
        ],
      ];
      for (const [what, response, status, expected] of cases) {
        assert.equal(response.status, status, what);
        const body = (await response.json()) as Record<string, unknown>;
        assert.equal(body.code, 100001, what);
        for (const [key, value] of Object.entries(expected)) assert.equal(body[key], value, `${what}: ${key}`);
        if (body.error) assert.equal(body.error_description, body.msg, what);
      }
      const unauthorized = await post('grant_type=client_credentials', { authorization: 'Basic bm9uZTpub25l' });
      assert.equal(unauthorized.status, 401);
      assert.equal(unauthorized.headers.get('www-authenticate'), 'Basic realm="users-service", charset="UTF-8"');
      const granted = await post('grant_type=client_credentials', { authorization: basic });
      assert.equal(granted.status, 200);
      assert.equal(granted.headers.get('cache-control'), 'no-store');
      assert.deepEqual(Object.keys((await granted.json()) as object).sort(), [
        'access_token',
        'expires_in',
        'token_type',
      ]);
    });
  });

  it('over tRPC: the same exchange and refusals', async () => {
    const client = await register();
    const anonymous = createUsersClient({ url: `${one.baseUrl}/trpc` });
    const answer = await anonymous.clients.token.mutate({ clientId: client.id, clientSecret: client.clientSecret });
    const asClient = createUsersClient({ url: `${one.baseUrl}/trpc`, token: answer.token });
    assert.deepEqual(await asClient.auth.session.query(), {
      userId: client.subject,
      role: 'admin',
      expiresAt: (jwt.decode(answer.token) as { exp: number }).exp,
    });
    await assert.rejects(
      anonymous.clients.token.mutate({ clientId: client.id, clientSecret: 'ucs_wrong' }),
      (error: unknown) =>
        error instanceof TRPCClientError &&
        error.data?.code === 'UNAUTHORIZED' &&
        error.message === 'invalid client credentials',
    );
  });
});
