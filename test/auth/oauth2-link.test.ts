// Linking the OpenID provider to an account of another method, against a real provider (oidc-provider)
// driven as a browser would: a person with a password links its identity there with its own recent
// sign-in, and the provider then signs in to that account too; the link is in its history. Refused:
// a stale sign-in, an admin's token, an account with an authenticator, an identity that signs in to
// another account, and a request whose account's credentials changed before the callback. Unlinking
// ends the provider's sessions, and the provider signs in no more; an admin sees a user's link and
// unlinks it too; an account that signs in only there cannot be unlinked.
import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import { TestBrowser, type Hop } from '../support/browser';
import { newUserBody, uniqueSuffix } from '../support/fixtures';
import { historyOf } from '../support/events';
import type { OpenIdProvider } from '../support/test-openid-provider';
import { startWithOpenIdProvider } from '../support/provider-service';
import { restClient } from '../support/rest';
import type { TestService } from '../support/service';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';

const AUTHORIZE = '/api/v2/auth/oauth2/authorize';
const CALLBACK = '/api/v2/auth/oauth2/callback';
const TOKEN = '/api/v2/auth/oauth2/token';
const LINK = '/api/v2/auth/oauth2/link';

describe('linking the OpenID provider to an account', function () {
  this.timeout(60_000);
  let op: OpenIdProvider;
  let service: TestService;
  let smtp: SmtpCapture;

  before(async () => {
    smtp = await startSmtpCapture();
    ({ op, service } = await startWithOpenIdProvider({
      OIDC_PROVIDER_NAME: 'Test ID',
      SMTP_URL: smtp.url,
      SERVICE_NAME: 'Acme Cloud',
    }));
  });
  afterEach(() => {
    service.clock.offsetMs = 0;
  });
  after(async () => {
    await service?.close();
    await op?.close();
    await smtp?.close();
  });

  /** A person at the provider, its verified address not the account's. */
  function providerAccount(): string {
    const login = `acct-${uniqueSuffix()}`;
    op.accounts.set(login, { email: `${login}@personal.example`, email_verified: true, name: 'Noor Haddad' });
    return login;
  }

  /** A user of `authMethod` (0: password, 2: password and TOTP), signed in by password just now. */
  async function user(authMethod: 0 | 2 = 0) {
    const body = newUserBody();
    body.email = { ...body.email, authMethod };
    const created = await restClient(service.baseUrl, service.adminToken).post('/api/v2/users', body);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const password = String(body.email.password);
    const signedIn = await restClient(service.baseUrl).post('/api/v2/auth/token', {
      email: body.email.email,
      password,
    });
    assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
    return { id: String(created.body.id), email: body.email.email, password, token: String(signedIn.body.token) };
  }

  const backHere = (hop: Hop) => Boolean(hop.location?.startsWith(`${service.baseUrl}${CALLBACK}`));

  /** At the provider as `login` from `location`, then the callback: where it sends the browser. */
  async function throughProvider(browser: TestBrowser, location: string, login: string): Promise<URL> {
    const loginPage = await browser.follow(location, backHere);
    const afterLogin = await browser.submit(loginPage, { login, password: 'any' }, backHere);
    const redirect = backHere(afterLogin) ? afterLogin : await browser.submit(afterLogin, {}, backHere);
    const back = await browser.request(redirect.location ?? '');
    assert.equal(back.status, 302, back.body);
    return new URL(back.location ?? '', 'http://x');
  }

  /** The link request with `token` in `browser`: its status and body. */
  async function requestLink(browser: TestBrowser, token: string) {
    const response = await browser.fetch(`${service.baseUrl}${LINK}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ returnTo: '/profile' }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, string> };
  }

  async function link(token: string, login: string): Promise<URL> {
    const browser = new TestBrowser();
    const started = await requestLink(browser, token);
    assert.equal(started.status, 200, JSON.stringify(started.body));
    return throughProvider(browser, started.body.location!, login);
  }

  /** Signs in with the provider as `login`: the token, or where the callback sent the browser instead. */
  async function signInWithProvider(login: string): Promise<{ token?: string; back: URL }> {
    const browser = new TestBrowser();
    const started = await browser.request(`${service.baseUrl}${AUTHORIZE}?returnTo=%2F`);
    const back = await throughProvider(browser, started.location ?? '', login);
    const code = back.searchParams.get('code');
    if (!code) return { back };
    const exchanged = await browser.request(`${service.baseUrl}${TOKEN}`, { json: { code } });
    assert.equal(exchanged.status, 200, exchanged.body);
    return { token: String((JSON.parse(exchanged.body) as { token: string }).token), back };
  }

  it('links a password account, which the provider then signs in to, in its history', async () => {
    const ada = await user();
    const login = providerAccount();
    const api = restClient(service.baseUrl, ada.token);
    assert.deepEqual((await api.get(LINK)).body, {
      provider: 'Test ID',
      linked: false,
      linkedAt: null,
      required: false,
    });
    // no account at the provider's address, none made: the identity signs in to nobody yet
    assert.equal((await signInWithProvider(login)).back.searchParams.get('error'), 'access_denied');

    const back = await link(ada.token, login);
    assert.equal(back.pathname, '/profile');
    assert.equal(back.searchParams.get('linked'), '1', back.href);
    const status = await api.get(LINK);
    assert.equal(status.body.linked, true);
    assert.match(String(status.body.linkedAt), /^\d{4}-\d\d-\d\dT/);

    const { token } = await signInWithProvider(login);
    assert.equal((jwt.decode(token!) as jwt.JwtPayload).sub, ada.id, 'the provider signs in to the linked account');
    const sessions = await restClient(service.baseUrl, token).get('/api/v2/auth/sessions');
    assert.equal(
      (sessions.body.items as Array<{ method: string; current: boolean }>).find((s) => s.current)?.method,
      'oauth2',
    );
    // the password still signs in too
    const byPassword = await restClient(service.baseUrl).post('/api/v2/auth/token', {
      email: ada.email,
      password: ada.password,
    });
    assert.equal(byPassword.status, 200);

    // its owner is told, at the account's address
    const notice = await smtp.waitFor(ada.email);
    assert.equal(notice.subject, 'Test ID now signs in to your Acme Cloud account');
    assert.match(notice.text, /Your Test ID identity was linked to your Acme Cloud account, by you/);
    const [linked] = await historyOf(service, ada.id, ['auth.identity_linked']);
    assert.deepEqual([linked?.actor, linked?.data.provider], [ada.id, 'Test ID']);
    // and the person sees it in its own history
    const own = await restClient(service.baseUrl, ada.token).get(`/api/v2/users/${ada.id}/events`);
    assert.equal(
      (own.body.items as Array<{ type: string }>).filter((e) => e.type === 'auth.identity_linked').length,
      1,
    );
  });

  it("asks for the person's own recent sign-in: not a stale one, not an admin's token", async () => {
    const ben = await user();
    service.clock.offsetMs = 10 * 60_000;
    const stale = await requestLink(new TestBrowser(), ben.token);
    assert.equal(stale.status, 401, JSON.stringify(stale.body));
    assert.match(stale.body.msg!, /needs a sign-in within the last 300 seconds/);
    service.clock.offsetMs = 0;
    const admin = await requestLink(new TestBrowser(), service.adminToken);
    assert.equal(admin.status, 403, JSON.stringify(admin.body));
    assert.equal((await restClient(service.baseUrl, ben.token).get(LINK)).body.linked, false);
  });

  it('refuses an account with an authenticator, and an identity that signs in to another account', async () => {
    const withTotp = await restClient(service.baseUrl, service.adminToken).post('/api/v2/users', {
      ...newUserBody(),
      email: { email: `totp-${uniqueSuffix()}@example.com`, authMethod: 2, password: 'correct horse battery' },
    });
    assert.equal(withTotp.status, 200);
    const totpId = String(withTotp.body.id);
    // a token as its sign-in with password and code would give it (signed in just now)
    const [{ token_epoch: epoch } = { token_epoch: '' }] = await service.sql<{ token_epoch: string }>(
      'select token_epoch from users where id = ?',
      [totpId],
    );
    const signedIn = service.tokens.issue({ id: totpId, role: 'user', epoch, authTime: Math.floor(Date.now() / 1000) });
    const totp = await requestLink(new TestBrowser(), signedIn.token);
    assert.equal(totp.status, 400, JSON.stringify(totp.body));
    assert.match(totp.body.msg!, /links no OpenID provider: signing in there would skip the code/);

    const [cleo, dan] = [await user(), await user()];
    const login = providerAccount();
    assert.equal((await link(cleo.token, login)).searchParams.get('linked'), '1');
    const taken = await link(dan.token, login);
    assert.equal(taken.searchParams.get('error'), 'link_refused');
    assert.match(taken.searchParams.get('error_description')!, /signs in to another account/);
    assert.equal((await restClient(service.baseUrl, dan.token).get(LINK)).body.linked, false);
    // and a second identity for an account that has one: refused before the provider
    const again = await requestLink(new TestBrowser(), cleo.token);
    assert.equal(again.status, 409, JSON.stringify(again.body));

    // an account that moves to an authenticator after linking: the provider signs it in no more
    const moved = await restClient(service.baseUrl, service.adminToken).patch(`/api/v2/users/${cleo.id}`, {
      email: { authMethod: 2, password: 'correct horse battery' },
    });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    const browser = new TestBrowser();
    const started = await browser.request(`${service.baseUrl}${AUTHORIZE}?returnTo=%2F`);
    const back = await throughProvider(browser, started.location ?? '', login);
    const refused = await browser.request(`${service.baseUrl}${TOKEN}`, {
      json: { code: back.searchParams.get('code') },
    });
    assert.equal(refused.status, 401, `${refused.body} ${back.href}`);
    assert.match(refused.body, /signs in with its password and authenticator code, not with the OpenID provider/);
  });

  it('links nothing when the account’s credentials changed between the request and the callback', async () => {
    const eve = await user();
    const browser = new TestBrowser();
    const started = await requestLink(browser, eve.token);
    assert.equal(started.status, 200);
    // meanwhile an admin sets a new password: every earlier sign-in of eve ends
    const changed = await restClient(service.baseUrl, service.adminToken).patch(`/api/v2/users/${eve.id}`, {
      email: { password: 'a brand new passphrase' },
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    const back = await throughProvider(browser, started.body.location!, providerAccount());
    assert.equal(back.searchParams.get('error'), 'link_refused');
    assert.match(back.searchParams.get('error_description')!, /your sign-in changed since you asked/);
    const count = await service.sql<{ n: string }>('select count(*) as n from oauth_identities where user_id = ?', [
      eve.id,
    ]);
    assert.equal(Number(count[0]?.n), 0);
  });

  it('unlinks: the provider signs in no more and its sessions end; an account only the provider signs in to keeps it', async () => {
    const fay = await user();
    const login = providerAccount();
    assert.equal((await link(fay.token, login)).searchParams.get('linked'), '1');
    const { token: viaProvider } = await signInWithProvider(login);
    assert.equal((await restClient(service.baseUrl, viaProvider).get(`/api/v2/users/${fay.id}`)).status, 200);

    const unlinked = await restClient(service.baseUrl, fay.token).delete(LINK);
    assert.equal(unlinked.status, 204, JSON.stringify(unlinked.body));
    assert.equal((await restClient(service.baseUrl, viaProvider).get(`/api/v2/users/${fay.id}`)).status, 401);
    assert.equal(
      (await restClient(service.baseUrl, fay.token).get(`/api/v2/users/${fay.id}`)).status,
      200,
      'the caller’s own stays',
    );
    assert.equal((await signInWithProvider(login)).back.searchParams.get('error'), 'access_denied');
    // the second mail to fay, after the one of the link
    const told = await smtp.waitFor(fay.email, { after: 1 });
    assert.equal(told.subject, 'Test ID no longer signs in to your Acme Cloud account');
    const [event] = await historyOf(service, fay.id, ['auth.identity_unlinked']);
    assert.equal((event?.data.sessionIds as string[]).length, 1);
    assert.equal((await restClient(service.baseUrl, fay.token).delete(LINK)).status, 404, 'nothing left to unlink');

    // an admin sees a user's link and removes it (a provider account lost or taken over)
    const gus = await user();
    const gusLogin = providerAccount();
    assert.equal((await link(gus.token, gusLogin)).searchParams.get('linked'), '1');
    const { token: gusViaProvider } = await signInWithProvider(gusLogin);
    const admin = restClient(service.baseUrl, service.adminToken);
    const seen = await admin.get(`/api/v2/users/${gus.id}/oauth2-link`);
    assert.deepEqual([seen.status, seen.body.linked, seen.body.required], [200, true, false]);
    const byUser = await restClient(service.baseUrl, fay.token).delete(`/api/v2/users/${gus.id}/oauth2-link`);
    assert.equal(byUser.status, 403, 'another user may not');
    assert.equal((await admin.delete(`/api/v2/users/${gus.id}/oauth2-link`)).status, 204);
    assert.equal((await restClient(service.baseUrl, gusViaProvider).get(`/api/v2/users/${gus.id}`)).status, 401);
    assert.equal((await restClient(service.baseUrl, gus.token).get(`/api/v2/users/${gus.id}`)).status, 200);
    assert.equal((await admin.get(`/api/v2/users/${gus.id}/oauth2-link`)).body.linked, false);
    const [byAdmin] = await historyOf(service, gus.id, ['auth.identity_unlinked']);
    assert.equal(byAdmin?.actor, 'test-admin');
    assert.equal(
      (await smtp.waitFor(gus.email, { after: 1 })).subject,
      'Test ID no longer signs in to your Acme Cloud account',
    );
    assert.match((await smtp.waitFor(gus.email, { after: 1 })).text, /by an administrator/);
    assert.equal((await admin.get('/api/v2/users/no-such-user/oauth2-link')).status, 404);

    // an oauth2 account, bound at its first sign-in by its verified address
    const only = providerAccount();
    const created = await restClient(service.baseUrl, service.adminToken).post('/api/v2/users', {
      ...newUserBody(),
      email: { email: `${only}@personal.example`, authMethod: 3 },
    });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const { token } = await signInWithProvider(only);
    const status = await restClient(service.baseUrl, token).get(LINK);
    assert.deepEqual([status.body.linked, status.body.required], [true, true]);
    const refused = await restClient(service.baseUrl, token).delete(LINK);
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    assert.match(String(refused.body.msg), /signs in only with Test ID/);
    const [onlyId] = await service.sql<{ id: string }>(
      'select u.id from users u join emails e on e.id = u.email_id where e.address = ?',
      [`${only}@personal.example`],
    );
    assert.equal((await admin.delete(`/api/v2/users/${onlyId?.id}/oauth2-link`)).status, 409, 'nor an admin');
  });
});
