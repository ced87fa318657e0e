// Staying signed in, and "Your sessions", in headless Chromium against the real service and
// PostgreSQL: the refresh token lives in an HttpOnly cookie that no script of the page can read
// and no sign-in answer shows; the console outlives a one-minute access token without signing out,
// a reload or a new tab keeps the session; "Your sessions" marks this device, signs out of another
// session (which the service then refuses at once) and of all the others; "Sign out" ends this
// session, its refresh cookie too; an admin sees another user's sessions on its page and signs it
// out everywhere, after which its tokens are refused. Every screen passes axe.
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import {
  chromiumPath,
  consolePagePerTest,
  createAdmin,
  expectAccessible,
  focusedLabel,
  launchBrowser,
  screenshot,
  signInWithPassword,
  storedToken,
  type ConsolePage,
} from '../support/console-browser';
import { newUserBody } from '../support/fixtures';
import { restClient } from '../support/rest';
import { startTestService, type TestService } from '../support/service';

const PASSWORD = 'correct horse battery';
const TTL_SECONDS = 60;

describe('the console: staying signed in and "Your sessions", in headless Chromium', function () {
  this.timeout(150_000);
  this.slow(20_000);

  let service: TestService;
  let browser: Browser;
  const openPage = consolePagePerTest();

  before(async function () {
    const chromium = chromiumPath(this);
    // a one-minute access token, with no leeway: it is really gone when it expires
    service = await startTestService({
      TOKEN_TTL_SECONDS: String(TTL_SECONDS),
      TOKEN_CLOCK_TOLERANCE_SECONDS: '0',
    });
    browser = await launchBrowser(chromium);
  });
  after(async () => {
    await browser?.close();
    await service?.close();
  });

  async function newUser(id: string) {
    const body = newUserBody({
      id,
      name: id,
      email: { email: `${id}@example.com`, authMethod: 0, password: PASSWORD },
    });
    // in-process: the admin token of the start would be past its one minute by now
    await service.caller().users.create(body);
    return { id, email: `${id}@example.com` };
  }

  async function signedIn(user: { email: string }): Promise<ConsolePage> {
    const current = await openPage(browser, service.baseUrl);
    await current.page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    await signInWithPassword(current.page, user.email, PASSWORD);
    await current.page.getByRole('heading', { name: 'Your profile' }).waitFor();
    return current;
  }

  const status = async (token: string | null, id: string) =>
    (await restClient(service.baseUrl, token ?? undefined).get(`/api/v2/users/${id}`)).status;

  it('keeps the refresh token in an HttpOnly, SameSite=Strict cookie of the refresh path that no script reads', async () => {
    const user = await newUser(`cookie-${Date.now()}`);
    const current = await openPage(browser, service.baseUrl);
    const { page, context } = current;
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    const answer = page.waitForResponse((response) => response.url().includes('/trpc/auth.login'));
    await signInWithPassword(page, user.email, PASSWORD);
    const body = await (await answer).text();
    await page.getByRole('heading', { name: 'Your profile' }).waitFor();

    const cookie = (await context.cookies()).find((entry) => entry.name === 'users_refresh');
    assert.ok(cookie, 'the browser holds the refresh cookie');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Strict');
    assert.equal(cookie.path, '/api/v2/auth/refresh');
    assert.match(cookie.value, /^[\w-]{43}$/);
    // nowhere a script of the page can reach it
    assert.ok(!body.includes(cookie.value) && !body.includes('refreshToken'), 'not in the sign-in answer');
    const visible = await page.evaluate(() => ({
      cookie: document.cookie,
      storage: JSON.stringify({ ...sessionStorage, ...localStorage }),
    }));
    assert.ok(!visible.cookie.includes('users_refresh'), `document.cookie: ${visible.cookie}`);
    assert.ok(!visible.storage.includes(cookie.value));
  });

  it('outlives a one-minute access token without signing out; a reload and a new tab keep the session', async function () {
    const user = await newUser(`stays-${Date.now()}`);
    const { page, context } = await signedIn(user);
    const first = await storedToken(page);
    assert.ok(first);
    // past the first token's expiry
    await page.waitForTimeout((TTL_SECONDS + 10) * 1000);
    assert.equal(await status(first, user.id), 401, 'the first access token has expired');
    const renewed = await storedToken(page);
    assert.ok(renewed && renewed !== first, 'the console renewed its token');
    assert.equal(await status(renewed, user.id), 200);
    // still signed in, and working: the sessions screen loads with this device
    await page.getByRole('button', { name: 'Your sessions' }).click();
    await page.getByRole('heading', { name: 'Your sessions' }).waitFor();
    await page.getByText('(this device)').waitFor();

    await page.reload();
    await page.getByRole('heading', { name: 'Your profile' }).waitFor();
    // a new tab has no token of its own: it takes the session up from the refresh cookie
    const tab: Page = await context.newPage();
    await tab.goto(`${service.baseUrl}/`);
    await tab.getByRole('heading', { name: 'Your profile' }).waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Sign in', exact: true }).count(), 0);
  });

  it('"Your sessions": this device marked, signing out of another session ends it at once, "Sign out" ends this one', async () => {
    const user = await newUser('sessions-person');
    // another device: an API client that signed in
    const other = await restClient(service.baseUrl).post(
      '/api/v2/auth/token',
      { email: user.email, password: PASSWORD },
      { headers: { 'user-agent': 'curl/8.5.0' } },
    );
    const third = await restClient(service.baseUrl).post(
      '/api/v2/auth/token',
      { email: user.email, password: PASSWORD },
      {
        headers: {
          'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Version/17.0 Mobile Safari/604.1',
        },
      },
    );
    const { page, context } = await signedIn(user);
    await page.getByRole('button', { name: 'Your sessions' }).click();
    const table = page.getByRole('table', { name: 'Your sessions' });
    await table.waitFor();
    assert.equal(await table.getByRole('row').count(), 4, 'a heading row and three sessions');
    await expectAccessible(page, 'your sessions');
    await screenshot(page, 'sessions', [table.locator('td:nth-child(3), td:nth-child(4)')]);

    // by keyboard: to the curl session's "Sign out", and Enter
    const button = table.getByRole('button', { name: /^Sign out of curl/ });
    await button.focus();
    assert.match(await focusedLabel(page), /^Sign out of curl/);
    await page.keyboard.press('Enter');
    await page.getByText('Signed out of curl.').waitFor();
    assert.equal(await status(String(other.body.token), user.id), 401, 'the other session ended at once');
    const refused = await restClient(service.baseUrl).post('/api/v2/auth/refresh', {
      refreshToken: other.body.refreshToken,
    });
    assert.equal(refused.status, 401);
    assert.equal(await status(String(third.body.token), user.id), 200, 'the third one lives on');

    // a slow list read: the notice must still not stand beside the row it says is gone
    await page.route('**/trpc/*sessions.list*', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue();
    });
    await page.getByRole('button', { name: 'Sign out of all other sessions' }).click();
    await page.getByText('Signed out of 1 other session.').waitFor();
    assert.equal(await status(String(third.body.token), user.id), 401);
    assert.equal(await table.getByRole('row').count(), 2);

    // "Sign out" ends this session: its token, and the refresh cookie is gone
    const token = await storedToken(page);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByText('You have signed out.').waitFor();
    assert.equal(await status(token, user.id), 401);
    const left = (await context.cookies()).find((entry) => entry.name === 'users_refresh');
    assert.equal(left, undefined, 'the refresh cookie is cleared');
    const [row] = await service.sql<{ n: number }>(`select count(*)::int as n from sessions where user_id = ?`, [
      user.id,
    ]);
    assert.equal(row?.n, 0);
  });

  it('shows an admin where another user is signed in, and "Sign out everywhere" ends every session of it', async () => {
    const admin = await createAdmin(service, { id: 'admin', email: 'admin@example.com', password: PASSWORD });
    const user = await newUser('roaming');
    const signIn = (userAgent: string) =>
      restClient(service.baseUrl).post(
        '/api/v2/auth/token',
        { email: user.email, password: PASSWORD },
        { headers: { 'user-agent': userAgent } },
      );
    const laptop = await signIn('Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0');
    const phone = await signIn('curl/8.5.0');
    assert.equal(await status(String(laptop.body.token), user.id), 200);

    const { page } = await openPage(browser, service.baseUrl);
    await signInWithPassword(page, admin.email, PASSWORD);
    await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    await page.getByLabel('Name or email contains').fill('roaming');
    await page.getByRole('button', { name: 'Edit roaming' }).click();
    await page.getByRole('heading', { name: 'Edit roaming' }).waitFor();
    const sessions = page.getByRole('region', { name: 'Sessions' });
    const table = sessions.getByRole('table', { name: "roaming's sessions" });
    await table.waitFor();
    assert.deepEqual((await table.locator('tbody th').allTextContents()).sort(), ['Firefox on Linux', 'curl'].sort());
    await expectAccessible(page, "a user's sessions");
    await screenshot(page, 'user-sessions', [
      table.locator('td:nth-child(3), td:nth-child(4)'),
      page.getByRole('region', { name: 'Set by the service' }).locator('dd'),
      page.getByRole('table', { name: 'History' }).locator('tbody td:first-child'),
    ]);

    // by keyboard: the button, then a question whose safe answer has the focus
    await sessions.getByRole('button', { name: 'Sign out everywhere' }).focus();
    await page.keyboard.press('Enter');
    const question = sessions.getByRole('group', { name: /^Sign roaming out everywhere\?/ });
    await question.waitFor();
    assert.equal(await focusedLabel(page), 'Cancel', 'the safe choice has the focus');
    assert.equal(await status(String(laptop.body.token), user.id), 200, 'nothing ended by asking');
    await expectAccessible(page, 'sign a user out everywhere, asked');
    await question.getByRole('button', { name: 'Sign roaming out everywhere' }).click();
    await sessions.getByText('Signed roaming out of 2 sessions.').waitFor();
    await sessions.getByText('roaming is not signed in anywhere.').waitFor();
    assert.equal(await table.count(), 0, 'the list is empty');
    // and the user's history on the same page says so, without a reload
    await page.getByRole('table', { name: 'History' }).getByText('Signed out of sessions').waitFor();

    // the user's tokens are refused from then on, and its sessions cannot be renewed
    assert.equal(await status(String(laptop.body.token), user.id), 401);
    assert.equal(await status(String(phone.body.token), user.id), 401);
    const renewed = await restClient(service.baseUrl).post('/api/v2/auth/refresh', {
      refreshToken: phone.body.refreshToken,
    });
    assert.equal(renewed.status, 401);
    await expectAccessible(page, "a user's sessions, ended");
  });
});
