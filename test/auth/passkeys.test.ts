// Passkeys over REST on a real socket (and once over tRPC), with an authenticator in software that
// signs as a real one does (dev/testing/soft-authenticator.ts): a person adds a passkey and signs in with
// it; what a phishing page, a cloned authenticator, a replayed answer or an unverified user would
// send is refused with the same 401, recorded, and signs nobody in; adding and removing need a
// recent sign-in of the person itself; a removed passkey signs in no more.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { SoftAuthenticator } from '../../dev/testing/soft-authenticator';
import { historyOf } from '../support/events';
import { newUserBody } from '../support/fixtures';
import { restClient } from '../support/rest';
import { startTestService, type TestService } from '../support/service';
import { removeExpired } from '../../server/start/retention';
import { loadConfig } from '../../server/config/config';

const PASSKEYS = '/api/v2/auth/passkeys';
const ORIGIN = 'https://id.example.com';
const REFUSED = { code: 100001, msg: 'the passkey was not recognised' };

describe('passkeys: adding one and signing in with it', function () {
  this.timeout(60_000);
  let service: TestService;
  let operator: ReturnType<typeof restClient>;
  const anonymous = () => restClient(service.baseUrl);

  before(async () => {
    service = await startTestService({ PUBLIC_URL: ORIGIN });
    operator = restClient(service.baseUrl, service.adminToken);
  });
  afterEach(() => {
    service.clock.offsetMs = 0;
  });
  after(async () => {
    await service?.close();
  });

  /** A user that signs in with a password, signed in now, with an authenticator of its own. */
  async function newPerson() {
    const body = newUserBody();
    const created = await operator.post('/api/v2/users', body);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const id = String(created.body.id);
    const signedIn = await anonymous().post('/api/v2/auth/token', {
      email: body.email.email,
      password: body.email.password,
    });
    assert.equal(signedIn.status, 200);
    const token = String(signedIn.body.token);
    return { id, email: body.email.email, token, rest: restClient(service.baseUrl, token) };
  }

  async function addPasskey(
    person: Awaited<ReturnType<typeof newPerson>>,
    authenticator = new SoftAuthenticator(ORIGIN),
    name = 'work laptop',
  ) {
    const options = await person.rest.post(`${PASSKEYS}/registration-options`, {});
    assert.equal(options.status, 200, JSON.stringify(options.body));
    const added = await person.rest.post(PASSKEYS, { name, credential: authenticator.create(options.body) });
    assert.equal(added.status, 200, JSON.stringify(added.body));
    return { authenticator, passkey: added.body as { id: string; name: string } };
  }

  async function signInOptions() {
    const options = await anonymous().post(`${PASSKEYS}/sign-in-options`, {});
    assert.equal(options.status, 200, JSON.stringify(options.body));
    return options.body as { challenge: string; rpId: string; userVerification: string };
  }

  const signIn = (credential: unknown) => anonymous().post(`${PASSKEYS}/sign-in`, { credential });

  it('adds a passkey to a signed-in person, which then signs it in without a password', async () => {
    const person = await newPerson();
    const options = await person.rest.post(`${PASSKEYS}/registration-options`, {});
    assert.equal(options.status, 200, JSON.stringify(options.body));
    assert.deepEqual(options.body.rp, { name: 'Users service', id: 'id.example.com' });
    // the user handle names nobody (§14.6.1): a keyed hash of the id, not the id
    assert.match(String(options.body.user.id), /^[\w-]{43}$/);
    assert.ok(!Buffer.from(String(options.body.user.id), 'base64url').toString('latin1').includes(person.id));
    assert.equal(options.body.user.name, person.email);
    assert.deepEqual(options.body.authenticatorSelection, {
      residentKey: 'required',
      requireResidentKey: true,
      userVerification: 'required',
    });
    assert.equal(options.body.attestation, 'none');
    assert.deepEqual(options.body.excludeCredentials, []);

    const authenticator = new SoftAuthenticator(ORIGIN);
    const added = await person.rest.post(PASSKEYS, {
      name: 'work laptop',
      credential: authenticator.create(options.body),
    });
    assert.equal(added.status, 200, JSON.stringify(added.body));
    assert.deepEqual(Object.keys(added.body as object).sort(), [
      'backedUp',
      'createdAt',
      'id',
      'lastUsedAt',
      'name',
      'transports',
    ]);
    assert.equal(added.body.name, 'work laptop');
    assert.equal(added.body.lastUsedAt, null);
    assert.equal(added.body.backedUp, false);

    // the next registration's options name it, so the same authenticator is not registered twice
    const again = await person.rest.post(`${PASSKEYS}/registration-options`, {});
    assert.equal(again.body.user.id, options.body.user.id, 'the same handle for every passkey of a user');
    assert.deepEqual(
      (again.body.excludeCredentials as Array<{ id: string }>).map(({ id }) => id),
      [authenticator.credentials[0]!.id.toString('base64url')],
    );

    const request = await signInOptions();
    assert.equal(request.rpId, 'id.example.com');
    assert.equal(request.userVerification, 'required');
    const signedIn = await signIn(authenticator.get(request));
    assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
    assert.equal(signedIn.body.tokenType, 'Bearer');
    assert.ok(signedIn.body.refreshToken, 'a session as any sign-in begins');
    const claims = jwt.decode(String(signedIn.body.token)) as Record<string, unknown>;
    assert.equal(claims.sub, person.id);
    assert.equal(typeof claims.auth_time, 'number', 'a sign-in, as recent as any other');

    const asPasskey = restClient(service.baseUrl, String(signedIn.body.token));
    assert.equal((await asPasskey.get('/api/v2/auth/session')).body.userId, person.id);
    const sessions = await asPasskey.get('/api/v2/auth/sessions');
    const current = (sessions.body.items as Array<{ current: boolean; method: string }>).find((s) => s.current);
    assert.equal(current?.method, 'passkey');

    const listed = await person.rest.get(PASSKEYS);
    assert.equal(listed.status, 200);
    assert.equal(listed.body.items.length, 1);
    assert.equal(listed.body.items[0].id, added.body.id);
    assert.match(String(listed.body.items[0].lastUsedAt), /^\d{4}-\d\d-\d\dT/);
    assert.equal(JSON.stringify(listed.body).includes('publicKey'), false);

    const history = await historyOf(service, person.id, ['auth.passkey_added', 'auth.signed_in']);
    assert.deepEqual(
      history.map(({ type, actor, data }) => ({ type, actor, data })),
      [
        { type: 'auth.signed_in', actor: person.id, data: { method: 'password' } },
        {
          type: 'auth.passkey_added',
          actor: person.id,
          data: { passkeyId: added.body.id, name: 'work laptop' },
        },
        { type: 'auth.signed_in', actor: person.id, data: { method: 'passkey' } },
      ],
    );
    // the person sees it in its own history too
    const own = await person.rest.get(`/api/v2/users/${person.id}/events?after=0&limit=100`);
    assert.ok((own.body.items as Array<{ type: string }>).some(({ type }) => type === 'auth.passkey_added'));
  });

  it('is the same procedures over tRPC', async () => {
    const person = await newPerson();
    const { passkey } = await addPasskey(person);
    const principal = service.tokens.verify(person.token);
    const listed = await service.caller(principal).auth.passkeys.list();
    assert.deepEqual(
      listed.items.map(({ id, name }) => ({ id, name })),
      [{ id: passkey.id, name: 'work laptop' }],
    );
  });

  it('refuses a sign-in from another origin, for another relying party, or without user verification', async () => {
    const person = await newPerson();
    const { authenticator } = await addPasskey(person);
    const cases = [
      { origin: 'https://id.example.com.evil.test' }, // a phishing page relaying the ceremony
      { rpId: 'evil.test' },
      { userVerified: false }, // the authenticator did not check its user: one factor only
    ];
    for (const ceremony of cases) {
      const refused = await signIn(authenticator.get(await signInOptions(), ceremony));
      assert.equal(refused.status, 401, JSON.stringify(ceremony));
      assert.deepEqual(refused.body, REFUSED);
    }
    const failures = await historyOf(service, person.id, ['auth.sign_in_failed']);
    assert.deepEqual(
      failures.map(({ data }) => data),
      cases.map(() => ({ method: 'passkey', reason: 'invalid_credentials' })),
    );
    assert.equal((await signIn(authenticator.get(await signInOptions()))).status, 200, 'the passkey still works');
  });

  it('takes a challenge once, only while it lasts, and only one the service issued', async () => {
    const person = await newPerson();
    const { authenticator } = await addPasskey(person);

    const answer = authenticator.get(await signInOptions());
    assert.equal((await signIn(answer)).status, 200);
    const replayed = await signIn(answer);
    assert.equal(replayed.status, 401, 'a signed answer, played again');
    assert.deepEqual(replayed.body, REFUSED);

    const made = authenticator.get(await signInOptions(), { challenge: Buffer.alloc(32, 7).toString('base64url') });
    assert.equal((await signIn(made)).status, 401, 'a challenge the service never issued');

    const late = authenticator.get(await signInOptions());
    service.clock.advance(301_000);
    assert.equal((await signIn(late)).status, 401, 'a challenge older than 5 minutes');
    service.clock.offsetMs = 0;

    // a registration's challenge does not sign in
    const registration = await person.rest.post(`${PASSKEYS}/registration-options`, {});
    const crossed = authenticator.get({ challenge: String(registration.body.challenge), rpId: 'id.example.com' });
    assert.equal((await signIn(crossed)).status, 401);
    const failures = await historyOf(service, person.id, ['auth.sign_in_failed']);
    // the replay and the made-up, late and crossed challenges: refused before any passkey is looked at
    assert.equal(failures.length, 0, 'about nobody: no passkey was tried');
  });

  it('refuses a passkey whose counter did not grow (a cloned authenticator), and records why', async () => {
    const person = await newPerson();
    const { authenticator } = await addPasskey(person);
    assert.equal((await signIn(authenticator.get(await signInOptions()))).status, 200); // counter 1
    assert.equal((await signIn(authenticator.get(await signInOptions()))).status, 200); // counter 2
    const cloned = await signIn(authenticator.get(await signInOptions(), { counter: 2 }));
    assert.equal(cloned.status, 401);
    assert.deepEqual(cloned.body, REFUSED);
    const failures = await historyOf(service, person.id, ['auth.sign_in_failed']);
    assert.deepEqual(
      failures.map(({ data }) => data),
      [{ method: 'passkey', reason: 'cloned_credential' }],
    );
    // a synced passkey answers 0 every time: nothing to compare, and it signs in each time
    const synced = await addPasskey(person, new SoftAuthenticator(ORIGIN, false), 'phone');
    for (let i = 0; i < 2; i++) {
      assert.equal((await signIn(synced.authenticator.get(await signInOptions()))).status, 200);
    }
    const listed = await person.rest.get(PASSKEYS);
    assert.equal(listed.body.items.find(({ name }: { name: string }) => name === 'phone').backedUp, true);
  });

  it("refuses a passkey answered with another user's handle, and one the service does not know", async () => {
    const person = await newPerson();
    const other = await newPerson();
    const { authenticator } = await addPasskey(person);
    const handle = String((await other.rest.post(`${PASSKEYS}/registration-options`, {})).body.user.id);
    assert.equal((await signIn(authenticator.get(await signInOptions(), { userHandle: handle }))).status, 401);
    const stranger = new SoftAuthenticator(ORIGIN);
    stranger.create({ challenge: 'x', rp: { id: 'id.example.com' }, user: { id: handle } });
    const unknown = await signIn(stranger.get(await signInOptions()));
    assert.equal(unknown.status, 401);
    assert.deepEqual(unknown.body, REFUSED);
  });

  it('refuses a registration from another origin, without user verification, or on a challenge not issued to the person', async () => {
    const person = await newPerson();
    const other = await newPerson();
    const authenticator = new SoftAuthenticator(ORIGIN);
    const options = async (who = person) => (await who.rest.post(`${PASSKEYS}/registration-options`, {})).body;
    const register = (credential: unknown) => person.rest.post(PASSKEYS, { credential });

    const phished = await register(authenticator.create(await options(), { origin: 'https://evil.test' }));
    assert.equal(phished.status, 400);
    assert.match(String(phished.body.msg), /^credential: .*origin/i);
    const unverified = await register(authenticator.create(await options(), { userVerified: false }));
    assert.equal(unverified.status, 400);
    assert.match(String(unverified.body.msg), /verif/i);
    const othersChallenge = await register(authenticator.create(await options(other)));
    assert.equal(othersChallenge.status, 400);
    assert.match(String(othersChallenge.body.msg), /challenge is not one issued to you/);
    // §7.1 step 17: a credential id over 1023 bytes
    const long = await register(authenticator.create(await options(), { credentialId: Buffer.alloc(1024, 1) }));
    assert.equal(long.status, 400);
    assert.match(String(long.body.msg), /credential\.id/);
    assert.equal((await person.rest.get(PASSKEYS)).body.items.length, 0, 'nothing was added');

    const first = authenticator.create(await options());
    assert.equal((await register(first)).status, 200);
    const replayed = await register(first);
    assert.equal(replayed.status, 400, 'its challenge was used');
  });

  it('keeps a credential id to one passkey, and an account to 20 passkeys', async () => {
    const person = await newPerson();
    const other = await newPerson();
    const { authenticator } = await addPasskey(person);
    const taken = authenticator.credentials[0]!.id;
    for (const who of [person, other]) {
      const options = await who.rest.post(`${PASSKEYS}/registration-options`, {});
      const again = await who.rest.post(PASSKEYS, {
        credential: new SoftAuthenticator(ORIGIN).create(options.body, { credentialId: taken }),
      });
      assert.equal(again.status, 409, 'a credential id registered already, by anyone');
      assert.equal(again.body.msg, 'this passkey is registered already');
    }
    assert.equal((await other.rest.get(PASSKEYS)).body.items.length, 0);
    for (let count = 1; count < 20; count++) await addPasskey(person, new SoftAuthenticator(ORIGIN), `key ${count}`);
    const full = await person.rest.post(`${PASSKEYS}/registration-options`, {});
    assert.equal(full.status, 400);
    assert.equal(full.body.msg, 'an account has at most 20 passkeys');
    assert.equal((await person.rest.get(PASSKEYS)).body.items.length, 20);
  });

  it('asks a recent sign-in of the person itself to add or remove one', async () => {
    const person = await newPerson();
    const { passkey } = await addPasskey(person);
    service.clock.advance(301_000); // past REAUTH_MAX_AGE_SECONDS
    const options = await person.rest.post(`${PASSKEYS}/registration-options`, {});
    assert.equal(options.status, 401);
    assert.match(String(options.body.msg), /changing your passkeys needs a sign-in within the last 300 seconds/);
    const removal = await person.rest.delete(`${PASSKEYS}/${passkey.id}`);
    assert.equal(removal.status, 401);
    service.clock.offsetMs = 0;

    // an operator's token is no person's
    const operatorOptions = await operator.post(`${PASSKEYS}/registration-options`, {});
    assert.equal(operatorOptions.status, 403);
    assert.equal(operatorOptions.body.msg, 'passkeys belong to a person’s own account');

    // nor a machine client's
    const made = await operator.post('/api/v2/clients', { name: 'backend' });
    const clientToken = await anonymous().post('/api/v2/auth/client-token', {
      clientId: made.body.id,
      clientSecret: made.body.clientSecret,
    });
    const asClient = restClient(service.baseUrl, String(clientToken.body.token));
    const clientOptions = await asClient.post(`${PASSKEYS}/registration-options`, {});
    assert.equal(clientOptions.status, 403);
    assert.equal(clientOptions.body.msg, 'passkeys belong to a person’s own account');

    // an admin acting as the person does not add a way in for itself
    const acting = await operator.post(`/api/v2/users/${person.id}/impersonate`, { reason: 'ticket 1' });
    assert.equal(acting.status, 200, JSON.stringify(acting.body));
    const asActor = restClient(service.baseUrl, String(acting.body.token));
    const refused = await asActor.post(`${PASSKEYS}/registration-options`, {});
    assert.equal(refused.status, 403);
    assert.match(String(refused.body.msg), /not while acting as the user/);
    assert.equal((await person.rest.get(PASSKEYS)).body.items.length, 1, 'nothing was removed or added');
  });

  it("renames a passkey of its own; another person's is not found, a blank name refused", async () => {
    const person = await newPerson();
    const other = await newPerson();
    const { passkey } = await addPasskey(person);
    const path = `${PASSKEYS}/${passkey.id}`;
    const renamed = await person.rest.call('PATCH', path, { body: { name: '  desk key  ' } });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    assert.equal(renamed.body.name, 'desk key');
    assert.equal((await person.rest.get(PASSKEYS)).body.items[0].name, 'desk key');
    const blank = await person.rest.call('PATCH', path, { body: { name: '   ' } });
    assert.equal(blank.status, 400);
    assert.match(String(blank.body.msg), /name: must name the passkey/);
    assert.equal((await other.rest.call('PATCH', path, { body: { name: 'mine now' } })).status, 404);
    assert.equal((await person.rest.get(PASSKEYS)).body.items[0].name, 'desk key', 'nothing else changed it');
    const [event] = await historyOf(service, person.id, ['auth.passkey_renamed']);
    assert.deepEqual(event?.data, { passkeyId: passkey.id, name: 'desk key', before: 'work laptop' });
  });

  it('removes a passkey: it signs in no more, the sessions it signed in end, and nobody else can remove it', async () => {
    const person = await newPerson();
    const other = await newPerson();
    const { authenticator, passkey } = await addPasskey(person);
    // signed in with it on the lost phone, say
    const onPhone = await signIn(authenticator.get(await signInOptions()));
    assert.equal(onPhone.status, 200);
    const phone = restClient(service.baseUrl, String(onPhone.body.token));
    const phoneSession = (jwt.decode(String(onPhone.body.token)) as { sid: string }).sid;
    assert.equal((await other.rest.delete(`${PASSKEYS}/${passkey.id}`)).status, 404, "another person's");
    assert.equal((await person.rest.delete(`${PASSKEYS}/not-an-id`)).status, 404);
    const removed = await person.rest.delete(`${PASSKEYS}/${passkey.id}`);
    assert.equal(removed.status, 204);
    assert.equal((await phone.get('/api/v2/auth/session')).status, 401, 'the session it signed in has ended');
    assert.equal((await person.rest.get('/api/v2/auth/session')).status, 200, "the remover's own goes on");
    assert.equal((await person.rest.delete(`${PASSKEYS}/${passkey.id}`)).status, 404, 'gone');
    assert.equal((await signIn(authenticator.get(await signInOptions()))).status, 401);
    const history = await historyOf(service, person.id, ['auth.passkey_removed']);
    assert.deepEqual(history, [
      {
        type: 'auth.passkey_removed',
        actor: person.id,
        data: { passkeyId: passkey.id, name: 'work laptop', sessionIds: [phoneSession] },
      },
    ]);
  });

  it("shows an admin a user's passkeys, and lets it remove one: the sessions it signed in end", async () => {
    const person = await newPerson();
    const { authenticator, passkey } = await addPasskey(person);
    const signedIn = await signIn(authenticator.get(await signInOptions()));
    const withPasskey = restClient(service.baseUrl, String(signedIn.body.token));

    const listed = await operator.get(`/api/v2/users/${person.id}/passkeys`);
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.body.items.map(({ id, name }: { id: string; name: string }) => ({ id, name })),
      [{ id: passkey.id, name: 'work laptop' }],
    );
    assert.equal((await person.rest.get(`/api/v2/users/${person.id}/passkeys`)).status, 403, 'admins only');
    assert.equal((await operator.get(`/api/v2/users/nobody-${Date.now()}/passkeys`)).status, 404);

    const wrongOwner = await newPerson();
    const path = `/api/v2/users/${person.id}/passkeys/${passkey.id}`;
    assert.equal((await operator.delete(`/api/v2/users/${wrongOwner.id}/passkeys/${passkey.id}`)).status, 404);
    assert.equal((await operator.delete(path)).status, 204);
    assert.equal((await operator.delete(path)).status, 404);
    assert.equal((await withPasskey.get('/api/v2/auth/session')).status, 401);
    assert.equal((await person.rest.get('/api/v2/auth/session')).status, 200, 'its password session goes on');
    assert.equal((await signIn(authenticator.get(await signInOptions()))).status, 401);
    const [removal] = await historyOf(service, person.id, ['auth.passkey_removed']);
    assert.equal(removal?.actor, 'test-admin');
  });

  it('keeps signing in after TOTP_KEY is rotated and the old key retired: each passkey keeps its user handle', async () => {
    const person = await newPerson();
    const { authenticator } = await addPasskey(person);
    const rotated = await startTestService(
      { PUBLIC_URL: ORIGIN, TOTP_KEY: randomBytes(32).toString('base64') },
      { url: service.databaseUrl },
    );
    try {
      const rest = restClient(rotated.baseUrl);
      const options = (await rest.post(`${PASSKEYS}/sign-in-options`, {})).body;
      const signedIn = await rest.post(`${PASSKEYS}/sign-in`, { credential: authenticator.get(options) });
      assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
    } finally {
      await rotated.close();
    }
  });

  it('refuses a disabled account once its passkey is proven, and signs nobody in', async () => {
    const person = await newPerson();
    const { authenticator } = await addPasskey(person);
    assert.equal(
      (await operator.post(`/api/v2/users/${person.id}/disable`, { reason: 'left the company' })).status,
      200,
    );
    const refused = await signIn(authenticator.get(await signInOptions()));
    assert.equal(refused.status, 403);
    assert.equal(refused.body.msg, 'this account is disabled');
  });

  it('leaves no challenge behind once expired: the retention job removes what nobody answered', async () => {
    await signInOptions();
    const before = await service.sql<{ n: string }>(`select count(*) as n from passkey_challenges`);
    assert.ok(Number(before[0]!.n) > 0);
    const removed = await removeExpired(service.orm, 90, Date.now() + 301_000);
    assert.ok(removed.codes >= Number(before[0]!.n));
    const after = await service.sql<{ n: string }>(`select count(*) as n from passkey_challenges`);
    assert.equal(Number(after[0]!.n), 0);
  });
});

describe('passkeys: the relying party the service starts with', () => {
  it("refuses to start with an origin not on the passkeys' domain, where no ceremony could succeed", () => {
    assert.throws(
      () => loadConfig({ PASSKEY_RP_ID: 'example.com' }),
      /PASSKEY_ORIGINS: http:\/\/localhost:3000 is not on the passkeys' domain example\.com/,
    );
    assert.throws(
      () =>
        loadConfig({
          PASSKEY_RP_ID: 'example.com',
          PASSKEY_ORIGINS: 'https://app.example.com,https://example.com.evil.test',
        }),
      /PASSKEY_ORIGINS: https:\/\/example\.com\.evil\.test is not on the passkeys' domain/,
    );
    assert.throws(() => loadConfig({ PASSKEY_RP_ID: 'https://example.com' }), /PASSKEY_RP_ID: must be a domain name/);
    for (const env of [
      {},
      { PUBLIC_URL: 'https://id.example.com', PASSKEY_RP_ID: 'example.com' },
      { PASSKEY_RP_ID: 'example.com', PASSKEY_ORIGINS: 'https://example.com, https://app.example.com' },
    ]) {
      assert.doesNotThrow(() => loadConfig(env), JSON.stringify(env));
    }
  });
});

describe('passkeys: sign-ins begun are limited per client address', function () {
  this.timeout(60_000);
  let service: TestService;
  before(async () => {
    service = await startTestService({ PASSKEY_CHALLENGES_PER_ADDRESS_PER_HOUR: '3' });
  });
  after(async () => {
    await service?.close();
  });

  it('answers 429 with Retry-After past PASSKEY_CHALLENGES_PER_ADDRESS_PER_HOUR, sign-ins and registrations begun alike, and stores no more challenges', async () => {
    const rest = restClient(service.baseUrl);
    for (let i = 0; i < 3; i++) assert.equal((await rest.post(`${PASSKEYS}/sign-in-options`, {})).status, 200);
    const refused = await rest.post(`${PASSKEYS}/sign-in-options`, {});
    assert.equal(refused.status, 429);
    assert.match(String(refused.body.msg), /^too many passkey sign-ins begun; try again in \d+ s$/);
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    const stored = await service.sql<{ n: string }>(`select count(*) as n from passkey_challenges`);
    assert.equal(Number(stored[0]!.n), 3);
    // a registration begun is a stored challenge too, from the same budget
    const body = newUserBody();
    await restClient(service.baseUrl, service.adminToken).post('/api/v2/users', body);
    const { token } = (
      await rest.post('/api/v2/auth/token', { email: body.email.email, password: body.email.password })
    ).body as { token: string };
    const registration = await rest.post(`${PASSKEYS}/registration-options`, {}, { token });
    assert.equal(registration.status, 429);
    assert.match(String(registration.body.msg), /^too many passkey registrations begun; try again in \d+ s$/);
    assert.equal(Number((await service.sql<{ n: string }>(`select count(*) as n from passkey_challenges`))[0]!.n), 3);
  });
});
