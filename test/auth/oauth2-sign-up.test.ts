// Sign-up with the OpenID provider (SIGN_UP=open), against a real one (oidc-provider) driven as a
// browser would: a verified identity with no account comes back with a one-time `signUp` ticket
// (no code, no token in any URL), the form's lookup shows the verified address and the provider's
// name, and the ticket with the person's fields makes a `user` of method 3 bound to the identity,
// signed in, only in the browser that signed in, once. Unverified addresses, addresses outside
// SIGN_UP_EMAIL_DOMAINS and bad fields make nothing; with sign-up closed nothing changes.
import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import { TestBrowser, type Hop } from '../support/browser';
import { uniqueSuffix } from '../support/fixtures';
import { historyOf } from '../support/events';
import type { OpenIdProvider } from '../support/test-openid-provider';
import { startWithOpenIdProvider } from '../support/provider-service';
import { restClient } from '../support/rest';
import { startTestService, type TestService } from '../support/service';

const AUTHORIZE = '/api/v2/auth/oauth2/authorize';
const CALLBACK = '/api/v2/auth/oauth2/callback';
const TOKEN = '/api/v2/auth/oauth2/token';
const LOOKUP = '/api/v2/auth/oauth2/sign-up/lookup';
const SIGN_UP = '/api/v2/auth/oauth2/sign-up';

describe('sign-up with an OpenID provider', function () {
  this.timeout(60_000);
  let op: OpenIdProvider;
  let service: TestService;

  before(async () => {
    ({ op, service } = await startWithOpenIdProvider({
      OIDC_PROVIDER_NAME: 'Test ID',
      SIGN_UP: 'open',
      SIGN_UP_EMAIL_DOMAINS: 'example.com',
    }));
  });
  afterEach(() => {
    service.clock.offsetMs = 0;
  });
  after(async () => {
    await service?.close();
    await op?.close();
  });

  /** A person at the provider with no account here (its address verified unless told). */
  function person(
    account: { verified?: boolean; email?: string; name?: string; gender?: string; birthdate?: string } = {},
  ) {
    const login = `acct-${uniqueSuffix()}`;
    const email = account.email ?? `${login}@example.com`;
    const { gender, birthdate } = account;
    op.accounts.set(login, {
      email,
      email_verified: account.verified ?? true,
      name: account.name ?? 'Noor Haddad',
      ...(gender === undefined ? {} : { gender }),
      ...(birthdate === undefined ? {} : { birthdate }),
    });
    return { login, email };
  }

  /** Signs in at the provider as `login`, and answers the browser and where the callback sent it. */
  async function signIn(login: string) {
    const browser = new TestBrowser();
    const started = await browser.request(`${service.baseUrl}${AUTHORIZE}?returnTo=%2F`);
    assert.equal(started.status, 302, started.body);
    const backHere = (hop: Hop) => Boolean(hop.location?.startsWith(`${service.baseUrl}${CALLBACK}`));
    const loginPage = await browser.follow(started.location ?? '', backHere);
    const afterLogin = await browser.submit(loginPage, { login, password: 'any' }, backHere);
    const redirect = backHere(afterLogin) ? afterLogin : await browser.submit(afterLogin, {}, backHere);
    const back = await browser.request(redirect.location ?? '');
    assert.equal(back.status, 302, back.body);
    return { browser, back: new URL(back.location ?? '', 'http://x') };
  }

  async function post(browser: TestBrowser, path: string, json: unknown) {
    const hop = await browser.request(`${service.baseUrl}${path}`, { json });
    return { status: hop.status, body: JSON.parse(hop.body) as Record<string, unknown> };
  }

  const fields = { name: 'noor', age: 34, gender: 2 };

  const usersAt = (email: string) =>
    service.sql<{ id: string; role: string; auth_method: number }>(
      'select u.id, u.role, e.auth_method from users u join emails e on e.id = u.email_id where e.address = ?',
      [email],
    );

  it('comes back with a one-time sign-up ticket, and makes a bound oauth2 user in that browser only', async () => {
    const methods = await restClient(service.baseUrl).get('/api/v2/auth/methods');
    assert.deepEqual(methods.body.oauth2, { name: 'Test ID', signUp: true }, 'the sign-in page can say so');
    const noor = person();
    const { browser, back } = await signIn(noor.login);
    const ticket = back.searchParams.get('signUp');
    assert.ok(ticket && ticket.length >= 40, back.href);
    assert.equal(back.searchParams.get('code'), null, 'no code: there is nobody to sign in yet');
    assert.doesNotMatch(back.href, /eyJ/, 'no token in the URL');
    assert.deepEqual(await usersAt(noor.email), [], 'nothing made before the form');

    const lookup = await post(browser, LOOKUP, { ticket });
    assert.deepEqual(lookup, {
      status: 200,
      body: { email: noor.email, name: 'Noor_Haddad', age: null, gender: null, provider: 'Test ID' },
    });

    // the ticket alone, in another browser, makes nothing (login CSRF)
    const elsewhere = await post(new TestBrowser(), SIGN_UP, { ticket, ...fields });
    assert.equal(elsewhere.status, 403, JSON.stringify(elsewhere.body));
    // a bad field is a 400 that spends nothing
    const bad = await post(browser, SIGN_UP, { ticket, ...fields, age: -3 });
    assert.equal(bad.status, 400, JSON.stringify(bad.body));
    assert.deepEqual(await usersAt(noor.email), []);

    // a role or an id in the body is dropped
    const made = await post(browser, SIGN_UP, { ticket, ...fields, role: 'admin', id: 'chosen' });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    const [user] = await usersAt(noor.email);
    assert.deepEqual(user && { role: user.role, method: user.auth_method }, { role: 'user', method: 3 });
    assert.notEqual(user?.id, 'chosen');
    const claims = jwt.decode(String(made.body.token)) as jwt.JwtPayload;
    assert.equal(claims.sub, user?.id);
    const self = await restClient(service.baseUrl, String(made.body.token)).get(`/api/v2/users/${user?.id}`);
    assert.deepEqual([self.status, self.body.name, self.body.age], [200, 'noor', 34]);

    assert.equal((await post(browser, SIGN_UP, { ticket, ...fields })).status, 401, 'once');
    const events = await historyOf(service, String(user?.id), ['user.created', 'auth.signed_in']);
    assert.deepEqual(
      events.map((event) => [event.type, event.actor, event.data.method]),
      [
        ['user.created', user?.id, undefined],
        ['auth.signed_in', user?.id, 'oauth2'],
      ],
    );

    // bound: the next sign-in with the provider is an ordinary one, with a code
    const again = await signIn(noor.login);
    const code = again.back.searchParams.get('code');
    assert.ok(code, again.back.href);
    const token = await post(again.browser, TOKEN, { code });
    assert.equal(token.status, 200, JSON.stringify(token.body));
    assert.equal((jwt.decode(String(token.body.token)) as jwt.JwtPayload).sub, user?.id);
  });

  it("offers the provider's birthdate as an age and its gender, as the form can take them", async () => {
    // a birthday tomorrow: 33 today, not 34
    const tomorrow = new Date(service.clock.now() + 86_400_000);
    const birthdate = `${tomorrow.getUTCFullYear() - 34}-${tomorrow.toISOString().slice(5, 10)}`;
    const offered = person({ gender: 'female', birthdate });
    const { browser, back } = await signIn(offered.login);
    const lookup = await post(browser, LOOKUP, { ticket: back.searchParams.get('signUp') });
    assert.deepEqual([lookup.body.age, lookup.body.gender], [33, 2]);

    // no year, a free-text gender: nothing offered
    const vague = person({ gender: 'nonbinary', birthdate: '0000-03-04' });
    const other = await signIn(vague.login);
    const nothing = await post(other.browser, LOOKUP, { ticket: other.back.searchParams.get('signUp') });
    assert.deepEqual([nothing.body.age, nothing.body.gender], [null, null]);
  });

  it('makes nothing for an unverified address, one outside the domains, or an expired ticket', async () => {
    const unverified = person({ verified: false });
    const refused = (await signIn(unverified.login)).back;
    assert.equal(refused.searchParams.get('signUp'), null);
    assert.match(String(refused.searchParams.get('error_description')), /has not verified the email address/);

    const outside = person({ email: `someone.${uniqueSuffix()}@elsewhere.test` });
    const other = (await signIn(outside.login)).back;
    assert.equal(other.searchParams.get('signUp'), null);
    assert.equal(other.searchParams.get('error_description'), 'sign-up is open to addresses at example.com only');
    assert.deepEqual(await usersAt(outside.email), []);

    // an address the published create would refuse, however verified
    const odd = person({ email: `${'x'.repeat(300)}@example.com` });
    const refusedOdd = (await signIn(odd.login)).back;
    assert.equal(refusedOdd.searchParams.get('signUp'), null);
    assert.match(String(refusedOdd.searchParams.get('error_description')), /cannot be an account's address here$/);

    const late = person();
    const { browser, back } = await signIn(late.login);
    const ticket = back.searchParams.get('signUp');
    service.clock.advance(10 * 60_000 + 1000);
    assert.equal((await post(browser, LOOKUP, { ticket })).status, 401);
    assert.equal((await post(browser, SIGN_UP, { ticket, ...fields })).status, 401);
    assert.deepEqual(await usersAt(late.email), []);
  });

  it("counts tickets that are none as sign-in failures of the client's address", async () => {
    const strict = await startTestService({ LOGIN_MAX_FAILS_PER_ADDRESS: '3', SIGN_UP: 'open' });
    try {
      const api = restClient(strict.baseUrl);
      for (let i = 0; i < 3; i += 1) {
        const guess = await api.post(i % 2 ? LOOKUP : SIGN_UP, { ticket: `guess-${i}`, ...fields });
        assert.equal(guess.status, 401, JSON.stringify(guess.body));
      }
      const stopped = await api.post(LOOKUP, { ticket: 'guess-4' });
      assert.equal(stopped.status, 429, JSON.stringify(stopped.body));
    } finally {
      await strict.close();
    }
  });

  it('is a 409 when the address got an account meanwhile, and the ticket stays unspent', async () => {
    const meanwhile = person();
    const { browser, back } = await signIn(meanwhile.login);
    const ticket = back.searchParams.get('signUp');
    const admin = restClient(service.baseUrl, service.adminToken);
    const made = await admin.post('/api/v2/users', { ...fields, email: { email: meanwhile.email, authMethod: 1 } });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    assert.equal((await post(browser, SIGN_UP, { ticket, ...fields })).status, 409);
    assert.equal((await usersAt(meanwhile.email)).length, 1);
  });
});
