// A user's metadata in the console, in headless Chromium against the real service: an admin fills
// the app and admin parts on a user's page and saves; the change is in the history with its
// before and after; a box that is not JSON is named beside it and nothing is sent; a save over
// someone else's keeps what was typed and replaces nothing until the person loads the saved
// metadata. The user sees the app part read-only and edits its own part, and never sees the admin
// part. An admin finds users by what their metadata contains, from the list. The screens pass axe;
// the admin's is photographed (docs/screenshots/user-metadata.png).
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
const USER_EMAIL = 'mira@example.com';

describe('the console: a user’s metadata, in headless Chromium', function () {
  this.timeout(60_000);
  this.slow(10_000);

  const suite = consoleSuite();
  const stored = async () =>
    (
      await suite.service.sql<{ app_data: unknown; user_data: unknown; admin_data: unknown; version: string }>(
        `select app_data, user_data, admin_data, version::text as version from user_metadata where user_id = 'mira'`,
      )
    )[0];

  before(async function () {
    await suite.service.caller().users.create({
      id: 'mira',
      name: 'mira',
      age: 34,
      gender: 2,
      email: { email: USER_EMAIL, authMethod: 0, password: PASSWORD },
    });
    await suite.service.caller().users.create({
      id: 'omar',
      name: 'omar',
      age: 51,
      gender: 1,
      email: { email: 'omar@example.com', authMethod: 1 },
    });
    await suite.service.caller().metadata.patch({ id: 'omar', app: { plan: 'pro' } });
  });

  it('lets an admin set every part, refuses a box that is not JSON beside it, and records the change', async () => {
    const { page } = await suite.open();
    await signInWithPassword(page, ADMIN_EMAIL, PASSWORD);
    await page.getByRole('button', { name: 'Edit mira' }).click();
    const metadata = page.getByRole('form', { name: 'Metadata' });
    await metadata.getByLabel('App metadata').waitFor();

    await metadata.getByLabel('User metadata').fill('{"theme": "dark",}');
    await metadata.getByRole('button', { name: 'Save metadata' }).click();
    const userBox = metadata.getByLabel('User metadata');
    await page.waitForFunction(() => document.querySelector('.field-invalid textarea') !== null);
    assert.match(await descriptionOf(userBox), /^Not JSON: /, 'the error is read with its box');
    assert.equal(await stored(), undefined, 'nothing was sent');

    await metadata.getByLabel('User metadata').fill('{}');
    await metadata.getByLabel('App metadata').fill('{"plan": "pro", "seats": 5}');
    await metadata.getByLabel('Admin metadata').fill('{"crm": "C-7"}');
    await metadata.getByRole('button', { name: 'Save metadata' }).click();
    await page.getByRole('region', { name: 'Metadata' }).getByText('Metadata saved.').waitFor();
    const saved = await stored();
    assert.deepEqual(saved?.app_data, { plan: 'pro', seats: 5 });
    assert.deepEqual(saved?.admin_data, { crm: 'C-7' });
    assert.deepEqual(saved?.user_data, {});

    const history = page.getByRole('table', { name: 'History' });
    await history.getByText('Metadata changed').waitFor();
    const change = await history.locator('tbody tr', { hasText: 'Metadata changed' }).locator('ul.changes').innerText();
    assert.match(change, /app\.plan: — → pro/);
    assert.match(change, /admin\.crm: — → C-7/);
    await expectAccessible(page, 'user metadata (admin)');
    await screenshot(page, 'user-metadata', [
      history.locator('tbody td:first-child'),
      page.getByRole('table', { name: "mira's sessions" }).locator('td:nth-child(3), td:nth-child(4)'),
      page.getByRole('region', { name: 'Set by the service' }).locator('dd'),
    ]);
  });

  it('keeps what was typed and replaces nothing when someone saved in between', async () => {
    const { page } = await suite.open();
    await signInWithPassword(page, ADMIN_EMAIL, PASSWORD);
    await page.getByRole('button', { name: 'Edit mira' }).click();
    const metadata = page.getByRole('form', { name: 'Metadata' });
    await metadata.getByLabel('App metadata').waitFor();
    // another admin changes the plan while this page is open
    await suite.service.caller().metadata.patch({ id: 'mira', app: { plan: 'team' } });
    await metadata.getByLabel('App metadata').fill('{"plan": "enterprise"}');
    await metadata.getByRole('button', { name: 'Save metadata' }).click();
    await metadata.getByText(/Not saved: this metadata was changed by someone else/).waitFor();
    assert.deepEqual((await stored())?.app_data, { plan: 'team', seats: 5 });
    assert.equal(await metadata.getByLabel('App metadata').inputValue(), '{"plan": "enterprise"}');
    await expectAccessible(page, 'user metadata, changed meanwhile');

    await metadata.getByRole('button', { name: /Load the saved metadata/ }).click();
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('textarea')).some((box) => box.value.includes('"team"')),
    );
  });

  it('shows a user the app part read-only, lets it change its own part, and never shows the admin part', async () => {
    const { page } = await suite.open();
    await signInWithPassword(page, USER_EMAIL, PASSWORD);
    const metadata = page.getByRole('form', { name: 'Metadata' });
    const app = metadata.getByLabel('App metadata');
    await app.waitFor();
    assert.match(await app.inputValue(), /"plan": "team"/);
    assert.equal(await app.getAttribute('readonly'), '');
    assert.equal(await metadata.getByLabel('Admin metadata').count(), 0);
    assert.ok(!(await page.content()).includes('C-7'), 'the admin part never reaches the page');

    await metadata.getByLabel('User metadata').fill('{"language": "fr"}');
    await metadata.getByRole('button', { name: 'Save metadata' }).click();
    await page.getByRole('region', { name: 'Metadata' }).getByText('Metadata saved.').waitFor();
    assert.deepEqual((await stored())?.user_data, { language: 'fr' });
    await expectAccessible(page, 'user metadata (own)');
  });

  it('finds the users whose metadata contains what the admin typed, kept in the address', async () => {
    const { page } = await suite.open();
    await signInWithPassword(page, ADMIN_EMAIL, PASSWORD);
    const find = page.getByRole('search', { name: 'Find users' });
    const box = find.getByLabel('Metadata contains (JSON)');
    const names = () => page.locator('table.users tbody th').allTextContents();
    await page.locator('table.users tbody th', { hasText: 'omar' }).waitFor();
    assert.equal((await names()).length, 3, 'admin, mira and omar');

    // not a filter: said beside the box, and the list stays as it was
    await box.fill('{"plan": "pro"}');
    await box.press('Enter');
    await find.locator('.field-error').waitFor();
    assert.match(await descriptionOf(box), /"plan" must be one of the parts app, user or admin/);
    assert.equal(new URL(page.url()).searchParams.get('metadata'), null);
    assert.equal((await names()).length, 3);

    await box.fill('{"app": {"plan": "pro"}}');
    await box.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('table.users tbody th').length === 1);
    assert.deepEqual(await names(), ['omar']);
    assert.equal(new URL(page.url()).searchParams.get('metadata'), '{"app":{"plan":"pro"}}');
    assert.equal(await find.locator('.field-error').count(), 0);
    await expectAccessible(page, 'users found by metadata');

    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll('table.users tbody th').length === 1);
    assert.deepEqual(await names(), ['omar'], 'the same list after a reload');

    await box.fill('{"app": {"plan": "nobody"}}');
    await box.press('Enter');
    await page.getByText('No user has metadata containing {"app":{"plan":"nobody"}}.').waitFor();
    await page.getByRole('button', { name: 'Clear the search' }).click();
    await page.locator('table.users tbody th', { hasText: 'mira' }).waitFor();
    assert.equal(await box.inputValue(), '');
    assert.equal((await names()).length, 3);
  });
});
