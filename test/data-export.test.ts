// A user's data, exported on demand (OWASP ASVS 4.0 8.3.2, GDPR Art. 15 and 20), over REST on a
// real socket and over tRPC, with a real OpenID provider configured: a user downloads its own (its
// profile, its metadata without the admin part, its account's status and last sign-in, its
// sessions, passkeys, provider link and its own history), an admin anyone's (with the admin part and the whole history), every export recorded
// where the user sees it; another user's id is a 404 that records nothing; no secret the test used
// is anywhere in an export; a history longer than the cap is cut to its newest events, and says so.
import assert from 'node:assert/strict';
import { createUsersClient } from '../client';
import { OWN_EVENT_TYPES } from '../router/events/event-reads';
import { EXPORT_MAX_EVENTS } from '../router/data-export/export-schemas';
import { newUserBody } from './support/fixtures';
import { startWithOpenIdProvider } from './support/provider-service';
import type { OpenIdProvider } from './support/test-openid-provider';
import { restClient } from './support/rest';
import type { TestService } from './support/service';

interface Person {
  id: string;
  email: string;
  password: string;
  token: string;
  refreshToken: string;
}

describe("a user's data, exported on demand", function () {
  this.slow(5_000);
  let op: OpenIdProvider;
  let service: TestService;
  let admin: ReturnType<typeof restClient>;

  async function signIn(email: string, password: string) {
    const signedIn = await restClient(service.baseUrl).post('/api/v2/auth/token', { email, password });
    assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
    return { token: String(signedIn.body.token), refreshToken: String(signedIn.body.refreshToken) };
  }

  async function newPerson(): Promise<Person> {
    const body = newUserBody();
    const created = await admin.post('/api/v2/users', body);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const password = String(body.email.password);
    return {
      id: String(created.body.id),
      email: body.email.email,
      password,
      ...(await signIn(body.email.email, password)),
    };
  }

  before(async () => {
    ({ op, service } = await startWithOpenIdProvider());
    admin = restClient(service.baseUrl, service.adminToken);
  });
  after(async () => {
    await service?.close();
    await op?.close();
  });

  it('gives a user its own data as a file: profile, metadata but the admin part, sessions, its own history; no secret', async () => {
    const person = await newPerson();
    const second = await signIn(person.email, person.password);
    const metadata = { app: { plan: 'pro' }, user: { theme: 'dark' }, admin: { note: 'called support twice' } };
    assert.equal((await admin.put(`/api/v2/users/${person.id}/metadata`, metadata)).status, 200);

    const response = await fetch(`${service.baseUrl}/api/v2/users/${person.id}/export`, {
      headers: { authorization: `Bearer ${person.token}` },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-disposition'), `attachment; filename="user-${person.id}-data.json"`);
    const text = await response.text();
    const exported = JSON.parse(text) as Record<string, any>;

    const read = await restClient(service.baseUrl, person.token).get(`/api/v2/users/${person.id}`);
    assert.deepEqual(exported.user, read.body, 'the profile as the API shows it');
    assert.deepEqual(
      { app: exported.metadata.app, user: exported.metadata.user, admin: exported.metadata.admin },
      { app: { plan: 'pro' }, user: { theme: 'dark' }, admin: undefined },
    );
    assert.equal(exported.sessions.length, 2, 'both sign-ins');
    assert.equal(exported.sessions.filter((session: { current: boolean }) => session.current).length, 1);
    // the account: enabled, last signed in when the second session began, two sign-ins in all
    const latest = (exported.sessions as Array<{ createdAt: string }>)
      .map((session) => session.createdAt)
      .sort()
      .at(-1);
    assert.deepEqual(exported.status, {
      state: 'enabled',
      lastSignInAt: latest,
      lastSignInMethod: 'password',
      signInCount: 2,
    });
    assert.deepEqual(exported.passkeys, []);
    assert.deepEqual(
      { linked: exported.provider.linked, required: exported.provider.required },
      {
        linked: false,
        required: false,
      },
    );
    const types = (exported.events as Array<{ type: string }>).map((event) => event.type);
    assert.deepEqual(
      types.filter((type) => type === 'auth.signed_in'),
      ['auth.signed_in', 'auth.signed_in'],
    );
    for (const type of types)
      assert.ok((OWN_EVENT_TYPES as readonly string[]).includes(type), `${type} is the user's to see`);
    assert.equal(exported.eventsComplete, true);
    const ids = (exported.events as Array<{ id: number }>).map((event) => event.id);
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
      'oldest first',
    );

    // nothing secret: not the password, its hash, a token, a refresh token, the admin's note
    const [stored] = await service.sql<{ hash: string }>(
      'select e.password_hash as hash from users u join emails e on e.id = u.email_id where u.id = ?',
      [person.id],
    );
    for (const secret of [
      person.password,
      stored!.hash,
      person.token,
      person.refreshToken,
      second.refreshToken,
      'called support',
    ]) {
      assert.ok(!text.includes(secret), 'no secret in the export');
    }
  });

  it("gives an admin anyone's data with the admin part and the whole history, and records it where the user sees it", async () => {
    const person = await newPerson();
    await admin.patch(`/api/v2/users/${person.id}/metadata`, { admin: { crmId: 'c-17' } });
    const exported = await admin.get(`/api/v2/users/${person.id}/export`);
    assert.equal(exported.status, 200, JSON.stringify(exported.body));
    assert.deepEqual(exported.body.metadata.admin, { crmId: 'c-17' });
    const types = (exported.body.events as Array<{ type: string }>).map((event) => event.type);
    assert.deepEqual(types, ['user.created', 'auth.signed_in', 'user.metadata_updated']);

    // the export itself is in the user's own history, the admin its actor
    const history = await restClient(service.baseUrl, person.token).get(
      `/api/v2/users/${person.id}/events?order=newest`,
    );
    const [last] = history.body.items as Array<{ type: string; actor: string; data: { events: number } }>;
    assert.deepEqual(
      { type: last?.type, actor: last?.actor, events: last?.data.events },
      { type: 'user.data_exported', actor: 'test-admin', events: 3 },
    );
  });

  it("answers another user's id as absent (404), and records nothing", async () => {
    const [one, other] = [await newPerson(), await newPerson()];
    const refused = await restClient(service.baseUrl, one.token).get(`/api/v2/users/${other.id}/export`);
    assert.equal(refused.status, 404);
    assert.equal((await admin.get('/api/v2/users/no-such-user/export')).status, 404);
    assert.equal((await restClient(service.baseUrl).get(`/api/v2/users/${one.id}/export`)).status, 401);
    const recorded = await service.sql("select 1 from events where type = 'user.data_exported' and user_id = ?", [
      other.id,
    ]);
    assert.deepEqual(recorded, []);
  });

  it('answers the same over tRPC, typed', async () => {
    const person = await newPerson();
    const client = createUsersClient({ url: `${service.baseUrl}/trpc`, token: person.token });
    const exported = await client.exports.user.query({ id: person.id });
    const overRest = await restClient(service.baseUrl, person.token).get(`/api/v2/users/${person.id}/export`);
    assert.deepEqual({ ...exported, exportedAt: '', events: [] }, { ...overRest.body, exportedAt: '', events: [] });
    assert.equal(exported.user.email.email, person.email);
  });

  it('cuts a history longer than the cap to its newest events, oldest first, and says it is not complete', async () => {
    const person = await newPerson();
    // a long history, written as the service writes events (the ids after the sign-in's)
    await service.sql(
      `insert into events (type, actor, user_id, data)
       select 'auth.signed_in', ?, ?, jsonb_build_object('method', 'password', 'n', n) from generate_series(1, ?) as n`,
      [person.id, person.id, EXPORT_MAX_EVENTS],
    );
    const exported = await admin.get(`/api/v2/users/${person.id}/export`);
    assert.equal(exported.status, 200);
    const events = exported.body.events as Array<{ id: number; data: { n?: number } }>;
    assert.equal(events.length, EXPORT_MAX_EVENTS);
    assert.equal(exported.body.eventsComplete, false);
    // the newest kept: the last one written is last, the user's creation and sign-in are cut
    assert.equal(events.at(-1)?.data.n, EXPORT_MAX_EVENTS);
    assert.equal(events[0]?.data.n, 1);
    assert.ok(
      events.every((event, i) => i === 0 || event.id > events[i - 1]!.id),
      'oldest first',
    );
  });
});
