// Downloading a user's data from the console, in headless Chromium against the real service: a
// person downloads its own from its profile (a JSON file the browser saves: its profile and
// history, never the admin part of its metadata), and an admin downloads a user's from the user's
// page (the admin part in it), which then shows in the user's history. The screens pass axe; the
// person's is photographed (docs/screenshots/data-export.png).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { consoleSuite, expectAccessible, screenshot, signInWithPassword } from '../support/console-browser';

const PASSWORD = 'correct horse battery';
const ADMIN_EMAIL = 'admin@example.com';
const USER_EMAIL = 'nadia@example.com';

/** Clicks `button`, and answers the file the browser saved: its suggested name, and its JSON. */
async function downloaded(page: Page, button: string): Promise<{ name: string; data: Record<string, any> }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button }).click(),
  ]);
  const file = await download.path();
  return { name: download.suggestedFilename(), data: JSON.parse(await readFile(file, 'utf8')) as Record<string, any> };
}

describe('the console: downloading a user’s data, in headless Chromium', function () {
  this.timeout(60_000);
  this.slow(10_000);

  const suite = consoleSuite();

  before(async function () {
    await suite.service.caller().users.create({
      id: 'nadia',
      name: 'nadia',
      age: 29,
      gender: 2,
      email: { email: USER_EMAIL, authMethod: 0, password: PASSWORD },
    });
    await suite.service.caller().metadata.patch({ id: 'nadia', app: { plan: 'pro' }, admin: { note: 'VIP customer' } });
  });

  it('lets a person download its own data from its profile, without the admin part', async () => {
    const { page } = await suite.open();
    await signInWithPassword(page, USER_EMAIL, PASSWORD);
    const section = page.getByRole('region', { name: 'Your data' });
    await section.waitFor();
    const { name, data } = await downloaded(page, 'Download your data');
    assert.equal(name, 'user-nadia-data.json');
    assert.equal(data.user.email.email, USER_EMAIL);
    assert.deepEqual(data.metadata.app, { plan: 'pro' });
    assert.equal(data.metadata.admin, undefined, 'the admin part is not the user’s to see');
    assert.ok(
      (data.events as Array<{ type: string }>).some((event) => event.type === 'auth.signed_in'),
      'its sign-in',
    );
    await section.getByText(/^Downloaded as user-nadia-data\.json: 1 event of history\.$/).waitFor();
    // the download is in the person's own history at once
    await page.getByRole('region', { name: 'History' }).getByText('Data downloaded').first().waitFor();
    await expectAccessible(page, 'data export (own)');
    await screenshot(page, 'data-export', [page.locator('time'), page.locator('td:has(time)')]);
  });

  it("lets an admin download a user's data from its page, admin part included, and shows it in the history", async () => {
    const { page } = await suite.open();
    await signInWithPassword(page, ADMIN_EMAIL, PASSWORD);
    await page.getByRole('button', { name: 'Edit nadia' }).click();
    await page.getByRole('region', { name: "nadia's data" }).waitFor();
    const { data } = await downloaded(page, "Download nadia's data");
    assert.deepEqual(data.metadata.admin, { note: 'VIP customer' });
    assert.ok((data.events as Array<{ type: string }>).some((event) => event.type === 'user.metadata_updated'));
    const [recorded] = await suite.service.sql<{ actor: string }>(
      "select actor from events where type = 'user.data_exported' and user_id = 'nadia' order by id desc limit 1",
    );
    assert.equal(recorded?.actor, 'admin');
    await page.getByRole('region', { name: 'History' }).getByText('Data downloaded').first().waitFor();
    await expectAccessible(page, 'data export (admin)');
  });
});
