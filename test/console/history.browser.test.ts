// A user's history in the console, in headless Chromium against the real service: an admin opens
// a user and sees who did what to it, when, from where, with an update's before and after; the
// user sees its own sign-ins and credential changes on its profile, and nothing done by the admin
// that is not one. Both screens pass axe; the admin's is photographed (docs/screenshots/user-history.png).
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import {
  chromiumPath,
  consolePagePerTest,
  createAdmin,
  expectAccessible,
  launchBrowser,
  screenshot,
  signInWithPassword,
} from '../support/console-browser';
import { startTestService, type TestService } from '../support/service';

const PASSWORD = 'correct horse battery';
const ADMIN_EMAIL = 'admin@example.com';
const USER_EMAIL = 'dana@example.com';

describe('the console: a user’s history, in headless Chromium', function () {
  this.timeout(60_000);
  this.slow(10_000);

  let service: TestService;
  let browser: Browser;
  const openPage = consolePagePerTest();

  before(async function () {
    const chromium = chromiumPath(this);
    service = await startTestService();
    browser = await launchBrowser(chromium);
    await createAdmin(service, { id: 'admin', email: ADMIN_EMAIL, password: PASSWORD });
    await service.caller().users.create({
      id: 'dana',
      name: 'dana',
      age: 30,
      gender: 2,
      email: { email: USER_EMAIL, authMethod: 0, password: PASSWORD },
    });
    // the user signs in once, then an admin changes its name and age
    await service.caller(null).auth.login({ email: USER_EMAIL, password: PASSWORD });
    await service.caller().users.update({
      id: 'dana',
      name: 'dana_k',
      age: 31,
      gender: 2,
      email: { email: USER_EMAIL, authMethod: 0 },
    });
  });
  after(async () => {
    await browser?.close();
    await service?.close();
  });

  it('shows an admin who did what to a user, when, from where, with before and after', async () => {
    const { page } = await openPage(browser, service.baseUrl);
    await signInWithPassword(page, ADMIN_EMAIL, PASSWORD);
    await page.getByRole('button', { name: 'Edit dana_k' }).click();
    const history = page.getByRole('table', { name: 'History' });
    await history.waitFor();
    const rows = await history
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => Array.from(tr.children).map((cell) => (cell.textContent ?? '').trim())));
    assert.deepEqual(
      rows.map((cells) => cells.slice(1)),
      [
        ['Created', 'test-admin', '127.0.0.1', '—'],
        ['Signed in (password)', 'dana', '127.0.0.1', '—'],
        ['Updated', 'test-admin', '127.0.0.1', 'name: dana → dana_kage: 30 → 31'],
      ],
    );
    for (const [when] of rows) assert.match(when!, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    await expectAccessible(page, 'user history (admin)');
    // the times change from run to run: masked, so the picture stays the same
    await screenshot(page, 'user-history', [history.locator('tbody td:first-child')]);
  });

  it('shows a user its own sign-ins and credential changes only', async () => {
    const { page } = await openPage(browser, service.baseUrl);
    await signInWithPassword(page, USER_EMAIL, PASSWORD);
    const history = page.getByRole('table', { name: 'History' });
    await history.waitFor();
    const what = await history.locator('tbody th').allTextContents();
    assert.deepEqual(what, ['Signed in (password)', 'Signed in (password)']);
    const who = await history.locator('tbody td:nth-child(3)').allTextContents();
    assert.deepEqual(who, ['you', 'you']);
    await expectAccessible(page, 'user history (own)');
  });
});
