// The admins' Events page in headless Chromium against the real service: everything that
// happened, newest first (who did what, about whom, from where), filtered by event type, a page at
// a time; a filter the service refuses is said at the field. Passes axe; photographed
// (docs/screenshots/events.png).
import assert from 'node:assert/strict';
import {
  consoleSuite,
  descriptionOf,
  expectAccessible,
  screenshot,
  signInWithPassword,
} from '../support/console-browser';

const PASSWORD = 'correct horse battery';
const ADMIN_EMAIL = 'admin@example.com';

describe('the console: the Events page, in headless Chromium', function () {
  this.timeout(60_000);
  this.slow(10_000);

  const suite = consoleSuite();

  before(async function () {
    for (const id of ['ann', 'bob']) {
      await suite.service.caller().users.create({
        id,
        name: id,
        age: 30,
        gender: 1,
        email: { email: `${id}@example.com`, authMethod: 0, password: PASSWORD },
      });
    }
    // bob's password changed by an admin: the audit trail's question
    await suite.service.caller().users.update({
      id: 'bob',
      name: 'bob',
      age: 30,
      gender: 1,
      email: { email: 'bob@example.com', authMethod: 0, password: 'a new passphrase now' },
    });
    // enough sign-ins for a second page
    for (let i = 0; i < 25; i++)
      await suite.service.caller(null).auth.login({ email: 'ann@example.com', password: PASSWORD });
  });

  it('shows what happened newest first, filtered by type, a page at a time', async () => {
    const { page } = await suite.open();
    await signInWithPassword(page, ADMIN_EMAIL, PASSWORD);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Events' }).click();
    await page.getByRole('heading', { name: 'Events' }).waitFor();
    const table = page.getByRole('table', { name: 'Events, newest first' });
    await table.waitFor();
    const rows = () =>
      table
        .locator('tbody tr')
        .evaluateAll((trs) =>
          trs.map((tr) => Array.from(tr.children, (cell) => (cell.textContent ?? '').trim()).slice(1, 4)),
        );
    // the admin's own sign-in through this page first, then ann's
    const first = await rows();
    assert.equal(first.length, 25);
    assert.deepEqual(first[0], ['Signed in (password)', 'you', 'admin']);
    assert.deepEqual(first[1], ['Signed in (password)', 'ann', 'ann']);
    const pager = page.getByRole('navigation', { name: 'Pages of events' });
    assert.ok(await pager.getByRole('button', { name: 'Newer events' }).isDisabled());

    await pager.getByRole('button', { name: 'Older events' }).click();
    await table.getByRole('row', { name: /Credentials changed test-admin bob/ }).waitFor();
    const older = await rows();
    // the rest of ann's sign-ins, what the admin did to ann and bob, and the admin made by `npm run admin`
    assert.deepEqual(older, [
      ['Signed in (password)', 'ann', 'ann'],
      ['Credentials changed', 'test-admin', 'bob'],
      ['Updated', 'test-admin', 'bob'],
      ['Created', 'test-admin', 'bob'],
      ['Created', 'test-admin', 'ann'],
      ['Credentials changed', 'cli', 'admin'],
      ['Role changed', 'cli', 'admin'],
      ['Updated', 'cli', 'admin'],
      ['Created', 'test-admin', 'admin'],
    ]);
    assert.ok(await pager.getByRole('button', { name: 'Older events' }).isDisabled(), 'the oldest page');
    await expectAccessible(page, 'events, the oldest page');
    // the times change from run to run: masked, so the picture stays the same
    await screenshot(page, 'events', [table.locator('tbody td:first-child')]);

    // who changed bob's password: one type, from the newest page again
    await page.getByLabel('Event types').fill('auth.credentials_changed');
    await page.getByRole('button', { name: 'Show' }).click();
    await table.getByText('Signed in (password)').waitFor({ state: 'detached' });
    assert.deepEqual(await rows(), [
      ['Credentials changed', 'test-admin', 'bob'],
      ['Credentials changed', 'cli', 'admin'],
    ]);
    assert.equal(await page.getByRole('navigation', { name: 'Pages of events' }).count(), 0, 'one short page');
    await expectAccessible(page, 'events, filtered');

    // a filter the service refuses is said at the field
    await page.getByLabel('Event types').fill('not a type');
    await page.getByRole('button', { name: 'Show' }).click();
    const field = page.getByLabel('Event types');
    await page.getByText(/^Type: must be event types in one parameter, separated by commas/).waitFor();
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.match(await descriptionOf(field), /^Type: must be event types in one parameter/);
    assert.equal(
      await page.getByRole('button', { name: 'Try again' }).count(),
      0,
      'the filter is to change, not retry',
    );
    await expectAccessible(page, 'events, a refused filter');

    await page.getByLabel('Event types').fill('');
    await page.getByRole('button', { name: 'Show' }).click();
    await table.getByRole('row', { name: /Signed in \(password\) you admin/ }).waitFor();
    assert.equal((await rows()).length, 25, 'every type again, from the newest page');
  });
});
