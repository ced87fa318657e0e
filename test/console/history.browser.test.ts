// A user's history in the console, in headless Chromium against the real service: an admin opens
// a user and sees who did what to it, when, from where, with an update's before and after, newest
// first; the user sees its own sign-ins, the refused tries at its account and credential changes on
// its profile, and nothing done by the admin that is not one; a long history is read a page at a
// time. The screens pass axe; the admin's is photographed (docs/screenshots/user-history.png).
import assert from 'node:assert/strict';
import { consoleSuite, expectAccessible, screenshot, signInWithPassword } from '../support/console-browser';
import { insertEvents } from '../support/events';

const PASSWORD = 'correct horse battery';
const ADMIN_EMAIL = 'admin@example.com';
const USER_EMAIL = 'dana@example.com';

describe('the console: a user’s history, in headless Chromium', function () {
  this.timeout(60_000);
  this.slow(10_000);

  const suite = consoleSuite();

  before(async function () {
    await suite.service.caller().users.create({
      id: 'dana',
      name: 'dana',
      age: 30,
      gender: 2,
      email: { email: USER_EMAIL, authMethod: 0, password: PASSWORD },
    });
    // the user signs in once, someone tries a wrong password at its account, then an admin
    // changes its name and age
    await suite.service.caller(null).auth.login({ email: USER_EMAIL, password: PASSWORD });
    await assert.rejects(suite.service.caller(null).auth.login({ email: USER_EMAIL, password: 'a wrong guess' }));
    await suite.service.caller().users.update({
      id: 'dana',
      name: 'dana_k',
      age: 31,
      gender: 2,
      email: { email: USER_EMAIL, authMethod: 0 },
    });
  });

  it('shows an admin who did what to a user, when, from where, with before and after, newest first', async () => {
    const { page } = await suite.open();
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
        ['Updated', 'test-admin', '127.0.0.1', 'name: dana → dana_kage: 30 → 31'],
        ['Sign-in refused (password, invalid credentials)', 'anonymous', '127.0.0.1', '—'],
        ['Signed in (password)', 'dana', '127.0.0.1', '—'],
        ['Created', 'test-admin', '127.0.0.1', '—'],
      ],
    );
    for (const [when] of rows) assert.match(when!, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    await expectAccessible(page, 'user history (admin)');
    // the times change from run to run: masked, so the picture stays the same
    await screenshot(page, 'user-history', [
      history.locator('tbody td:first-child'),
      page.getByRole('table', { name: "dana_k's sessions" }).locator('td:nth-child(3), td:nth-child(4)'),
      page.getByRole('region', { name: 'Set by the service' }).locator('dd'),
    ]);
  });

  it('shows a user its own sign-ins and the refused tries at its account only', async () => {
    // a sign-in from somewhere new, as the service records one it mailed the owner about
    // (test/security/unusual-sign-in.test.ts makes them)
    await insertEvents(suite.service, [
      { type: 'auth.signed_in', actor: 'dana', userId: 'dana', data: { method: 'password', unusual: true } },
    ]);
    const { page } = await suite.open();
    await signInWithPassword(page, USER_EMAIL, PASSWORD);
    const history = page.getByRole('table', { name: 'History' });
    await history.waitFor();
    const what = await history.locator('tbody th').allTextContents();
    // this sign-in first, then the one from somewhere new, the refused try and the first sign-in;
    // not the admin's update
    assert.deepEqual(what, [
      'Signed in (password)',
      'Signed in (password, from somewhere new)',
      'Sign-in refused (password, invalid credentials)',
      'Signed in (password)',
    ]);
    const who = await history.locator('tbody td:nth-child(3)').allTextContents();
    assert.deepEqual(who, ['you', 'you', 'anonymous', 'you']);
    await expectAccessible(page, 'user history (own)');
  });

  it('reads a long history a page at a time, newest first', async () => {
    await suite.service.caller().users.create({
      id: 'erin',
      name: 'erin',
      age: 40,
      gender: 2,
      email: { email: 'erin@example.com', authMethod: 0, password: PASSWORD },
    });
    // 29 sign-ins and the create: 30 events, a page of 25 and one of 5
    for (let i = 0; i < 29; i++) {
      await suite.service.caller(null).auth.login({ email: 'erin@example.com', password: PASSWORD });
    }
    const { page } = await suite.open();
    await signInWithPassword(page, ADMIN_EMAIL, PASSWORD);
    await page.getByRole('button', { name: 'Edit erin' }).click();
    const history = page.getByRole('table', { name: 'History' });
    const pager = page.getByRole('navigation', { name: 'Pages of the history' });
    await history.waitFor();
    const what = () => history.locator('tbody th').allTextContents();
    assert.deepEqual(await what(), Array<string>(25).fill('Signed in (password)'));
    assert.ok(await pager.getByRole('button', { name: 'Newer events' }).isDisabled(), 'the newest page');

    await pager.getByRole('button', { name: 'Older events' }).click();
    await history.getByText('Created').waitFor();
    assert.deepEqual(await what(), [...Array<string>(4).fill('Signed in (password)'), 'Created']);
    assert.ok(await pager.getByRole('button', { name: 'Older events' }).isDisabled(), 'the oldest page');
    await expectAccessible(page, 'user history, an older page');

    await pager.getByRole('button', { name: 'Newer events' }).click();
    await history.getByText('Created').waitFor({ state: 'detached' });
    assert.equal((await what()).length, 25);
  });
});
