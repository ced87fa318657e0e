// Sign-in with an OpenID provider (authMethod 3), against a real one (oidc-provider), its login
// and consent pages driven as a browser would: the happy path over REST and tRPC, binding to
// (iss, sub), and each way it must refuse: a wrong or missing state, another browser, a replayed
// authorization code, a replayed one-time code, a nonce mismatch, an unverified email, an identity
// that matches no user, a returnTo that leads to another site (at authorize, at the callback, and
// a property over generated paths), no configuration, a plain-http issuer elsewhere.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import jwt from 'jsonwebtoken';
import { createUsersClient, TRPCClientError } from '../../client';
import { loadConfig } from '../../server/config/config';
import { TestBrowser, type Hop } from '../support/browser';
import { newUserBody, uniqueSuffix } from '../support/fixtures';
import type { OpenIdProvider } from '../support/test-openid-provider';
import { startWithOpenIdProvider } from '../support/provider-service';
import { removeExpired } from '../../server/start/retention';
import { restClient } from '../support/rest';
import { startTestService, type TestService } from '../support/service';

const AUTHORIZE = '/api/v2/auth/oauth2/authorize';
const CALLBACK = '/api/v2/auth/oauth2/callback';
const TOKEN = '/api/v2/auth/oauth2/token';

describe('OAuth2 sign-in with an OpenID provider', function () {
  this.timeout(60_000);
  let op: OpenIdProvider;
  let service: TestService;
  let admin: ReturnType<typeof restClient>;

  before(async () => {
    ({ op, service } = await startWithOpenIdProvider({
      OIDC_PROVIDER_NAME: 'Test ID',
      LOG_LEVEL: 'trace',
    }));
    admin = restClient(service.baseUrl, service.adminToken);
  });
  after(async () => {
    await service?.close();
    await op?.close();
  });

  /** An `oauth2` user, and an account at the provider with its email (verified unless told). */
  async function oauthUser(account: { verified?: boolean; email?: string } = {}) {
    const body = newUserBody();
    body.email = { email: body.email.email, authMethod: 3 };
    const created = await admin.post('/api/v2/users', body);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const login = `acct-${uniqueSuffix()}`;
    op.accounts.set(login, { email: account.email ?? body.email.email, email_verified: account.verified ?? true });
    return { id: String(created.body.id), email: body.email.email, login };
  }

  /** Starts a sign-in; returns the browser, standing at the provider's authorization URL. */
  async function start(browser: TestBrowser, returnTo = '/console/') {
    const hop = await browser.request(`${service.baseUrl}${AUTHORIZE}?returnTo=${encodeURIComponent(returnTo)}`);
    assert.equal(hop.status, 302, hop.body);
    assert.ok(hop.location?.startsWith(`${op.issuer}/`), hop.location);
    return hop.location ?? '';
  }

  /** Logs in at the provider as `login`, consents, and stops where the provider sends the browser back. */
  async function atProvider(browser: TestBrowser, authorizationUrl: string, login: string): Promise<Hop> {
    const backHere = (hop: Hop) => Boolean(hop.location?.startsWith(`${service.baseUrl}${CALLBACK}`));
    const loginPage = await browser.follow(authorizationUrl, backHere);
    const afterLogin = await browser.submit(loginPage, { login, password: 'any' }, backHere);
    const redirect = backHere(afterLogin) ? afterLogin : await browser.submit(afterLogin, {}, backHere);
    assert.ok(
      backHere(redirect),
      `the provider sends the browser back: ${redirect.status} ${redirect.body.slice(0, 300)}`,
    );
    return redirect;
  }

  async function signIn(login: string, returnTo = '/console/') {
    const browser = new TestBrowser();
    const callback = await atProvider(browser, await start(browser, returnTo), login);
    const back = await browser.request(callback.location ?? '');
    return { browser, callback, back };
  }

  /** Why the service refused the provider's last answer, as it logged it. */
  const refusal = () =>
    service.logs.filter((line) => line.msg === 'OAuth2 sign-in: the provider answer was refused').at(-1)?.err as
      { error?: string; claim?: string } | undefined;

  const returned = (hop: Hop) => new URL(hop.location ?? '', 'http://x');

  /** The reasons of the refused OAuth2 sign-ins recorded so far (auth.sign_in_failed), oldest first. */
  const recordedRefusals = async () =>
    (
      await service.sql<{ reason: string }>(
        `select data->>'reason' as reason from events
          where type = 'auth.sign_in_failed' and data->>'method' = 'oauth2' order by id`,
      )
    ).map((row) => row.reason);

  /** The page at returnTo redeems the code, as the console does: a same-origin POST, cookies along. */
  async function redeem(browser: TestBrowser, code: string | null) {
    const hop = await browser.request(`${service.baseUrl}${TOKEN}`, { json: { code } });
    return { status: hop.status, body: JSON.parse(hop.body) as { token: string; code?: number; msg?: string } };
  }

  /** A tRPC client in that browser: `auth.oauth2.token` over /trpc carries its cookies. */
  const trpcIn = (browser: TestBrowser) => createUsersClient({ url: `${service.baseUrl}/trpc`, fetch: browser.fetch });

  it('signs an oauth2 user in: back to returnTo with a one-time code, no token in any URL', async () => {
    // sign-up closed (the default): the provider signs in only accounts an admin made
    assert.deepEqual((await restClient(service.baseUrl).get('/api/v2/auth/methods')).body.oauth2, {
      name: 'Test ID',
      signUp: false,
    });
    const user = await oauthUser();
    const { browser, callback, back } = await signIn(user.login, '/console/users?page=2');
    const target = returned(back);
    assert.equal(back.status, 302);
    assert.equal(target.pathname, '/console/users');
    assert.equal(target.searchParams.get('page'), '2', 'returnTo kept as given');
    const code = target.searchParams.get('code');
    assert.ok(code && code.length >= 40);
    for (const url of [callback.location, back.location]) assert.doesNotMatch(String(url), /eyJ/, 'no JWT in a URL');

    const exchange = await redeem(browser, code);
    assert.equal(exchange.status, 200);
    assert.equal((jwt.decode(exchange.body.token) as jwt.JwtPayload).sub, user.id);
    const self = await restClient(service.baseUrl, exchange.body.token).get(`/api/v2/users/${user.id}`);
    assert.equal(self.status, 200);

    const again = await redeem(browser, code);
    assert.equal(again.status, 401, 'a one-time code works once');
    assert.deepEqual(again.body, { code: 100001, msg: 'invalid or expired code' });

    const logs = JSON.stringify(service.logs);
    const providerCode = new URL(callback.location ?? '').searchParams.get('code') ?? '';
    const state = new URL(callback.location ?? '').searchParams.get('state') ?? '';
    for (const [name, secret] of Object.entries({ code, providerCode, state, token: exchange.body.token })) {
      assert.ok(secret.length > 10 && !logs.includes(secret), `the ${name} is in a log line`);
    }
    const stored = JSON.stringify(await service.sql('select * from oauth_login_codes'));
    assert.ok(!stored.includes(code), 'the one-time code is stored as a hash');
  });

  it('removes the login codes nobody redeemed once they expire, in the retention round', async () => {
    const user = await oauthUser();
    // a browser that left between the callback and the exchange
    const abandoned = await signIn(user.login);
    const waiting = await signIn(user.login);
    const codes = async () =>
      Number(
        (
          await service.sql<{ n: string }>(`select count(*) as n from oauth_login_codes where user_id = ?`, [user.id])
        )[0]!.n,
      );
    assert.equal(await codes(), 2);
    // the abandoned one is past its minute; the waiting one was made just now
    await service.sql(
      `update oauth_login_codes set expires_at = now() - interval '1 second'
      where code_hash = (select code_hash from oauth_login_codes where user_id = ? order by created_at limit 1)`,
      [user.id],
    );
    const removed = await removeExpired(service.orm, 90, Date.now());
    assert.equal(removed.codes, 1);
    assert.equal(await codes(), 1);
    // the one left still signs in; the removed one no longer can
    const exchanged = await redeem(waiting.browser, returned(waiting.back).searchParams.get('code'));
    assert.equal(exchanged.status, 200, JSON.stringify(exchanged.body));
    const late = await redeem(abandoned.browser, returned(abandoned.back).searchParams.get('code'));
    assert.equal(late.status, 401);
  });

  it('over tRPC: authorize gives the provider URL, the code becomes a token', async () => {
    const user = await oauthUser();
    const browser = new TestBrowser();
    const client = trpcIn(browser);
    // the REST flow sets the browser binding; tRPC's authorize answers the same URL as JSON
    const { location } = await client.auth.oauth2.authorize.query({ returnTo: '/' });
    assert.ok(location.startsWith(`${op.issuer}/`));
    const callback = await atProvider(browser, await start(browser, '/'), user.login);
    const code = returned(await browser.request(callback.location ?? '')).searchParams.get('code') ?? '';
    const token = await client.auth.oauth2.token.mutate({ code });
    assert.equal((jwt.decode(token.token) as jwt.JwtPayload).sub, user.id);
    const authTime = (jwt.decode(token.token) as jwt.JwtPayload).auth_time as number;
    assert.ok(Math.abs(authTime - service.clock.now() / 1000) <= 2, 'auth_time: this sign-in (router/users/step-up)');
    await assert.rejects(client.auth.oauth2.token.mutate({ code }), (error) => {
      assert.ok(error instanceof TRPCClientError);
      assert.equal(error.data?.code, 'UNAUTHORIZED');
      return true;
    });
  });

  it("redeems a code only in the browser the callback sent it to: another browser's try is refused (403) and spends it", async () => {
    const attacker = await oauthUser();
    const victim = await oauthUser();
    // the victim's browser holds a code cookie of its own: a sign-in it finished, not yet redeemed
    const victimSignIn = await signIn(victim.login);
    const victimCode = returned(victimSignIn.back).searchParams.get('code');
    // the attacker signs in in their own browser and keeps the code
    const attackerSignIn = await signIn(attacker.login);
    const attackerCode = returned(attackerSignIn.back).searchParams.get('code');
    const cookies = attackerSignIn.back.setCookies;
    for (const path of ['/api/v2/auth/oauth2/token', '/trpc/auth.oauth2.token']) {
      const line = cookies.find((c) => c.startsWith('users_oauth2_code_binding=') && c.includes(`Path=${path};`));
      assert.match(
        String(line),
        /^users_oauth2_code_binding=[\w-]{40,}; Path=[^;]+; Max-Age=60; HttpOnly; SameSite=Strict$/,
      );
    }
    assert.ok(cookies.some((c) => /^users_oauth2_binding=; Path=\/api\/v2\/auth\/oauth2\/callback; Max-Age=0/.test(c)));
    const stored = JSON.stringify(await service.sql('select * from oauth_login_codes'));
    const value = /^users_oauth2_code_binding=([^;]+)/m.exec(cookies.join('\n'))?.[1] ?? '';
    assert.ok(value.length >= 40 && !stored.includes(value), 'the cookie is stored as a hash');

    // the link the attacker sends: the victim's page redeems the attacker's code, with the victim's cookie
    const refused = await redeem(victimSignIn.browser, attackerCode);
    assert.equal(refused.status, 403);
    assert.deepEqual(refused.body, {
      code: 100001,
      msg: 'this code can only be used in the browser that signed in; start the sign-in again in this browser',
    });
    // the code is spent by that try (documented): not even the attacker's browser can use it now
    assert.equal((await redeem(attackerSignIn.browser, attackerCode)).status, 401);

    // without any cookie (a script, or a browser that never signed in), and over tRPC
    const another = await signIn(attacker.login);
    const anotherCode = returned(another.back).searchParams.get('code') ?? '';
    assert.equal((await restClient(service.baseUrl).post(TOKEN, { code: anotherCode })).status, 403);
    const third = returned((await signIn(attacker.login)).back).searchParams.get('code') ?? '';
    await assert.rejects(trpcIn(victimSignIn.browser).auth.oauth2.token.mutate({ code: third }), (error) => {
      assert.ok(error instanceof TRPCClientError);
      assert.equal(error.data?.code, 'FORBIDDEN');
      assert.match(error.message, /only be used in the browser that signed in/);
      return true;
    });

    // the victim's own code still works in the victim's browser, and its cookie then ends
    const own = await redeem(victimSignIn.browser, victimCode);
    assert.equal(own.status, 200);
    assert.equal((jwt.decode(own.body.token) as jwt.JwtPayload).sub, victim.id);
    assert.equal(victimSignIn.browser.hasCookie(`${service.baseUrl}${TOKEN}`, 'users_oauth2_code_binding'), false);
  });

  it('binds the user to the provider identity: later, only that identity signs it in, whatever email it reports', async () => {
    const user = await oauthUser();
    const other = await oauthUser();
    // first sign-in links user ↔ (iss, user.login)
    assert.ok(returned((await signIn(user.login)).back).searchParams.get('code'));
    // the provider now reports another user's email for this identity: it still signs in `user`
    op.accounts.set(user.login, { email: other.email, email_verified: true });
    const again = await signIn(user.login);
    const token = await redeem(again.browser, returned(again.back).searchParams.get('code'));
    assert.equal((jwt.decode(token.body.token) as jwt.JwtPayload).sub, user.id);
    // another identity with the bound user's email does not get in
    const impostor = `impostor-${uniqueSuffix()}`;
    op.accounts.set(impostor, { email: user.email, email_verified: true });
    const refused = returned((await signIn(impostor)).back);
    assert.equal(refused.searchParams.get('error'), 'access_denied');
    assert.equal(refused.searchParams.get('code'), null);
    assert.match(
      String(refused.searchParams.get('error_description')),
      /no account signs in with this Test ID identity/,
    );
  });

  it('refuses an unverified provider email, and an identity that matches no user, with a clear message', async () => {
    const before = (await recordedRefusals()).length;
    const unverified = await oauthUser({ verified: false });
    const first = returned((await signIn(unverified.login)).back);
    assert.equal(first.searchParams.get('code'), null);
    assert.match(String(first.searchParams.get('error_description')), /has not verified the email address/);

    const stranger = `stranger-${uniqueSuffix()}`;
    op.accounts.set(stranger, { email: `nobody.${uniqueSuffix()}@example.com`, email_verified: true });
    const second = returned((await signIn(stranger)).back);
    assert.equal(second.searchParams.get('code'), null);
    assert.equal(
      second.searchParams.get('error_description'),
      'no account signs in with this Test ID identity; ask an administrator to create one',
    );

    // a password user with that email is not an oauth2 user either
    const password = newUserBody();
    assert.equal((await admin.post('/api/v2/users', password)).status, 200);
    const login = `pw-${uniqueSuffix()}`;
    op.accounts.set(login, { email: password.email.email, email_verified: true });
    assert.equal(returned((await signIn(login)).back).searchParams.get('code'), null);
    // each refusal is recorded as a refused sign-in
    assert.deepEqual((await recordedRefusals()).slice(before), Array(3).fill('invalid_credentials'));
  });

  it('refuses a provider email or subject holding U+0000, which no account can hold, with a clear message', async () => {
    const before = (await recordedRefusals()).length;
    const user = await oauthUser();
    // the provider reports the user's address with a NUL inside: it matches no account, and it is
    // refused as the provider's answer, not as a service that cannot reach its database (503)
    const withNul = `nul-${uniqueSuffix()}`;
    op.accounts.set(withNul, { email: user.email.replace('@', '\u0000@'), email_verified: true });
    const answered = await signIn(withNul);
    const back = returned(answered.back);
    assert.equal(back.searchParams.get('code'), null);
    assert.equal(
      back.searchParams.get('error_description'),
      'Test ID sent an identity holding the character U+0000, which no account can hold',
    );
    // a subject (the provider's login here) holding it is refused the same way
    const subject = `sub-\u0000-${uniqueSuffix()}`;
    op.accounts.set(subject, { email: user.email, email_verified: true });
    assert.equal(
      returned((await signIn(subject)).back).searchParams.get('error_description'),
      'Test ID sent an identity holding the character U+0000, which no account can hold',
    );
    assert.deepEqual((await recordedRefusals()).slice(before), Array(2).fill('invalid_credentials'));
    // nothing was bound: the real identity still signs the user in
    assert.ok(returned((await signIn(user.login)).back).searchParams.get('code'));
  });

  it('refuses a missing, wrong or replayed state with 400, and a callback from another browser', async () => {
    const before = (await recordedRefusals()).length;
    const user = await oauthUser();
    const browser = new TestBrowser();
    const callback = await atProvider(browser, await start(browser), user.login);
    const url = new URL(callback.location ?? '');

    const withoutState = new URL(url);
    withoutState.searchParams.delete('state');
    const missing = await browser.request(withoutState.href);
    assert.equal(missing.status, 400);
    assert.equal(JSON.parse(missing.body).msg, 'the sign-in answer has no state; start the sign-in again');

    const wrongState = new URL(url);
    wrongState.searchParams.set('state', 'not-the-state');
    const wrong = await browser.request(wrongState.href);
    assert.equal(wrong.status, 400);
    assert.match(JSON.parse(wrong.body).msg, /unknown or was already used/);

    // the same answer in a browser without the binding cookie (e.g. a link sent to a victim)
    const elsewhere = await new TestBrowser().request(url.href);
    assert.equal(elsewhere.status, 400);
    assert.match(JSON.parse(elsewhere.body).msg, /started in another browser/);
    // and that used the state up: the right browser cannot finish it either
    const replay = await browser.request(url.href);
    assert.equal(replay.status, 400);
    assert.match(JSON.parse(replay.body).msg, /unknown or was already used/);
    // only the answer to a real state is recorded: made-up states cannot fill the outbox
    assert.deepEqual((await recordedRefusals()).slice(before), ['invalid_challenge']);
  });

  it('refuses a replayed authorization code', async () => {
    const user = await oauthUser();
    const browser = new TestBrowser();
    const first = await atProvider(browser, await start(browser), user.login);
    assert.ok(returned(await browser.request(first.location ?? '')).searchParams.get('code'));
    // a new sign-in (new state, new binding), answered with the first one's authorization code
    const authorization = new URL(await start(browser));
    const replayed = new URL(first.location ?? '');
    replayed.searchParams.set('state', authorization.searchParams.get('state') ?? '');
    const back = returned(await browser.request(replayed.href));
    assert.equal(back.searchParams.get('code'), null);
    assert.equal(back.searchParams.get('error'), 'access_denied');
    assert.match(String(back.searchParams.get('error_description')), /could not be verified/);
    assert.equal(refusal()?.error, 'invalid_grant', 'the provider refused the code');
  });

  it('refuses an ID token whose nonce is not the one this sign-in sent', async () => {
    const user = await oauthUser();
    const browser = new TestBrowser();
    const authorization = new URL(await start(browser));
    authorization.searchParams.set('nonce', 'a-nonce-of-someone-else');
    const back = returned(
      await browser.request((await atProvider(browser, authorization.href, user.login)).location ?? ''),
    );
    assert.equal(back.searchParams.get('code'), null);
    assert.match(String(back.searchParams.get('error_description')), /could not be verified/);
    assert.equal(refusal()?.claim, 'nonce', JSON.stringify(refusal()));
  });

  it('lets the one-time code work only within a minute, and a sign-in only within 10 minutes', async () => {
    const user = await oauthUser();
    const lateSignIn = await signIn(user.login);
    const late = returned(lateSignIn.back).searchParams.get('code');
    service.clock.advance(61_000);
    try {
      const exchange = await redeem(lateSignIn.browser, late);
      assert.equal(exchange.status, 401);
      assert.deepEqual(exchange.body, { code: 100001, msg: 'invalid or expired code' });
    } finally {
      service.clock.offsetMs = 0;
    }

    const browser = new TestBrowser();
    const authorization = await start(browser);
    service.clock.advance(10 * 60_000 + 1000);
    try {
      const back = returned(
        await browser.request((await atProvider(browser, authorization, user.login)).location ?? ''),
      );
      assert.equal(back.searchParams.get('code'), null);
      assert.equal(back.searchParams.get('error'), 'expired');
      assert.equal(back.searchParams.get('error_description'), 'the sign-in took too long; start it again');
      assert.equal((await recordedRefusals()).at(-1), 'invalid_challenge');
    } finally {
      service.clock.offsetMs = 0;
    }
  });

  it('brings the browser back with the provider’s refusal, and records it', async () => {
    const user = await oauthUser();
    const browser = new TestBrowser();
    const callback = new URL((await atProvider(browser, await start(browser), user.login)).location ?? '');
    // the answer a provider gives when the person declines: the state, an error, no code
    const declined = new URL(callback.pathname, callback.origin);
    declined.searchParams.set('state', callback.searchParams.get('state') ?? '');
    declined.searchParams.set('error', 'access_denied');
    declined.searchParams.set('error_description', 'the person declined');
    const back = returned(await browser.request(declined.href));
    assert.equal(back.searchParams.get('code'), null);
    assert.equal(back.searchParams.get('error'), 'access_denied');
    assert.equal(back.searchParams.get('error_description'), 'Test ID did not sign you in (the person declined)');
    assert.equal((await recordedRefusals()).at(-1), 'provider_refused');
  });

  it('sends the browser only to paths on this site: authorize refuses any other with 400, storing nothing', async () => {
    const pending = async () => (await service.sql('select count(*)::int as n from oauth_states'))[0]?.n;
    const before = await pending();
    const notLocal = 'returnTo: must be a path on this site, starting with one /';
    const ambiguous = 'returnTo: must not contain backslashes, white space or control characters';
    const elsewhere = 'returnTo: leads to another site once its dot segments are resolved';
    const cases: Array<[string, string]> = [
      ['https://evil.example/', notLocal],
      ['//evil.example/x', notLocal],
      ['evil', notLocal],
      ['/.//evil.example/x', elsewhere],
      ['/a/..//evil.example/x', elsewhere],
      ['/%2e//evil.example/x', elsewhere],
      ['/%2E%2e//evil.example/x', elsewhere],
      ['/\\evil.example', ambiguous],
      ['/\\\\evil.example', ambiguous],
      ['/\t/evil.example', ambiguous],
      ['/\n/evil.example', ambiguous],
      [' /x', ambiguous],
    ];
    for (const [returnTo, message] of cases) {
      const response = await restClient(service.baseUrl).get(`${AUTHORIZE}?returnTo=${encodeURIComponent(returnTo)}`);
      assert.equal(response.status, 400, JSON.stringify(returnTo));
      assert.equal(response.body.msg, message, JSON.stringify(returnTo));
      assert.equal(response.headers.get('set-cookie'), null, 'no binding cookie for a refused sign-in');
    }
    const client = createUsersClient({ url: `${service.baseUrl}/trpc` });
    await assert.rejects(client.auth.oauth2.authorize.query({ returnTo: '/.//evil.example/x' }), (error) => {
      assert.ok(error instanceof TRPCClientError);
      assert.equal(error.data?.code, 'BAD_REQUEST');
      assert.equal(error.message, elsewhere);
      return true;
    });
    assert.equal(await pending(), before, 'no pending sign-in was stored');
  });

  it('checks returnTo again at the callback: a stored one that leads elsewhere gets no code', async () => {
    const user = await oauthUser();
    const browser = new TestBrowser();
    const authorization = new URL(await start(browser, '/console/'));
    // as if stored by an older version, or by a check that has since changed
    const stateHash = service.secrets.hash('oauth2-state', authorization.searchParams.get('state') ?? '');
    const updated = await service.sql('update oauth_states set return_to = ? where state_hash = ? returning 1', [
      '/.//evil.example/x',
      stateHash,
    ]);
    assert.equal(updated.length, 1);
    const codes = async () => (await service.sql('select count(*)::int as n from oauth_login_codes'))[0]?.n;
    const codesBefore = await codes();
    const callback = await atProvider(browser, authorization.href, user.login);
    const back = await browser.request(callback.location ?? '');
    assert.equal(back.status, 400);
    assert.equal(back.location, undefined, 'no redirect at all');
    assert.equal(JSON.parse(back.body).msg, 'this sign-in would return to another site; start the sign-in again');
    assert.equal(await codes(), codesBefore, 'no one-time code was made');
  });

  it('property: every returnTo authorize accepts brings the browser back to this origin (real provider)', async () => {
    const user = await oauthUser();
    const origin = new URL(service.baseUrl).origin;
    const piece = fc.oneof(
      fc.constantFrom(
        '',
        '.',
        '..',
        '%2e',
        '%2E',
        '.%2e',
        '/',
        '\\',
        '%5c',
        '\t',
        ' ',
        'evil.example',
        '@evil',
        '?x=//e',
        '#',
      ),
      fc.webSegment(),
    );
    const path = fc
      .tuple(fc.constantFrom('/', '/', '//', '/./', '/%2e/'), fc.array(piece, { maxLength: 5 }))
      .map(([head, pieces]) => head + pieces.join('/'));
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(path, async (returnTo) => {
        const browser = new TestBrowser();
        const hop = await browser.request(`${service.baseUrl}${AUTHORIZE}?returnTo=${encodeURIComponent(returnTo)}`);
        if (hop.status === 400) return;
        assert.equal(hop.status, 302, hop.body);
        accepted += 1;
        const callback = await atProvider(browser, hop.location ?? '', user.login);
        const back = await browser.request(callback.location ?? '');
        assert.equal(back.status, 302, back.body);
        const raw = back.rawLocation ?? '';
        const followed = new URL(raw, callback.location);
        assert.equal(followed.origin, origin, `${JSON.stringify(returnTo)} sent the browser to ${raw}`);
        assert.ok(followed.searchParams.get('code'));
      }),
      { seed: 20261219, numRuns: Number(process.env.FC_RUNS_OAUTH2 ?? 30) },
    );
    assert.ok(accepted > 0, 'some generated paths were accepted');
  });

  it('ends the binding when the user stops signing in by OAuth2', async () => {
    const user = await oauthUser();
    assert.ok(returned((await signIn(user.login)).back).searchParams.get('code'));
    const [before] = await service.sql('select count(*)::int as n from oauth_identities where user_id = ?', [user.id]);
    assert.equal(before?.n, 1);
    const body = { name: `n_${uniqueSuffix()}`, age: 30, gender: 1, email: { email: user.email, authMethod: 1 } };
    assert.equal((await admin.put(`/api/v2/users/${user.id}`, body)).status, 200);
    const [after] = await service.sql('select count(*)::int as n from oauth_identities where user_id = ?', [user.id]);
    assert.equal(after?.n, 0);
  });
});

describe('OAuth2 sign-in when no provider is configured', () => {
  let service: TestService;
  before(async () => (service = await startTestService()));
  after(() => service.close());

  it('answers 503 with a clear message on both surfaces', async () => {
    const response = await restClient(service.baseUrl).get(`${AUTHORIZE}?returnTo=/`);
    assert.equal(response.status, 503);
    assert.match(response.body.msg, /^sign-in with OAuth2 is not configured on this service/);
    const client = createUsersClient({ url: `${service.baseUrl}/trpc` });
    await assert.rejects(client.auth.oauth2.authorize.query({ returnTo: '/' }), /not configured/);
    assert.deepEqual(await client.auth.methods.query(), {
      password: true,
      emailCode: false,
      oauth2: null,
      passkeys: { rpId: 'localhost' },
      signUp: null,
    });
  });

  it('refuses to start with an http issuer that is not on this machine', () => {
    const base = { OIDC_CLIENT_ID: 'x', OIDC_CLIENT_SECRET: 'y' };
    assert.throws(
      () => loadConfig({ ...base, OIDC_ISSUER: 'http://idp.example.com' }),
      /OIDC_ISSUER: must be https:\/\//,
    );
    for (const issuer of ['https://idp.example.com', 'http://127.0.0.1:9999', 'http://localhost:9999']) {
      assert.doesNotThrow(() => loadConfig({ ...base, OIDC_ISSUER: issuer }), issuer);
    }
  });
});
