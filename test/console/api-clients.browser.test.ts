// API clients in the console, in headless Chromium against the real service: an admin registers a
// client and sees its id and secret once, with a copy button; the secret works at the token
// exchange, and the list says when the client last got a token; a new secret (after a confirmation)
// refuses the old one; removal (after a confirmation) refuses the client's tokens. A name the service
// refuses is said beside its field. The screens pass axe; the page is photographed
// (docs/screenshots/api-clients.png).
import assert from 'node:assert/strict';
import {
  consoleSuite,
  descriptionOf,
  expectAccessible,
  screenshot,
  signInWithPassword,
} from '../support/console-browser';
import { newUserBody } from '../support/fixtures';
import { restClient } from '../support/rest';

const PASSWORD = 'correct horse battery';
const ADMIN_EMAIL = 'admin@example.com';

describe('the console: API clients, in headless Chromium', function () {
  this.timeout(60_000);
  this.slow(10_000);

  const suite = consoleSuite();
  const exchange = (clientId: string, clientSecret: string) =>
    restClient(suite.service.baseUrl).post('/api/v2/auth/client-token', { clientId, clientSecret });

  it('registers a client, shows its secret once, and replaces and removes it after a confirmation', async () => {
    const { page } = await suite.open();
    await signInWithPassword(page, ADMIN_EMAIL, PASSWORD);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'API clients' }).click();
    await page.getByText('No API clients yet.').waitFor();

    const form = page.getByRole('form', { name: 'Register a client' });
    await form.getByLabel('Name').fill('CRM sync');
    await form.getByRole('button', { name: 'Register client' }).click();
    const shown = page.getByRole('region', { name: 'Secret of CRM sync' });
    await shown.waitFor();
    const secret = await shown.locator('code.secret').innerText();
    const clientId = await shown.locator('p', { hasText: 'Its client id' }).locator('code').innerText();
    assert.match(secret, /^ucs_[\w-]{43}$/);
    await shown.getByRole('button', { name: 'Copy the secret' }).click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
    await expectAccessible(page, 'a client’s new secret');

    // the secret works, and the list says so once read again
    const token = await exchange(clientId, secret);
    assert.equal(token.status, 200);
    await shown.getByRole('button', { name: 'I have saved it' }).click();
    assert.equal(await page.getByText(secret).count(), 0, 'shown only once');
    await page.reload();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'API clients' }).click();
    const row = page.getByRole('table', { name: 'API clients' }).getByRole('row', { name: /CRM sync/ });
    await row.waitFor();
    const cells = await row.locator('td').allInnerTexts();
    assert.equal(cells[0], clientId);
    assert.equal(cells[1], 'Admin', 'admin unless asked');
    assert.match(cells[2] ?? '', / UTC by admin$/);
    assert.match(cells[3] ?? '', / UTC$/, 'when it last got a token, not "never"');
    await expectAccessible(page, 'API clients');
    await screenshot(page, 'api-clients', [
      page.getByRole('table', { name: 'API clients' }).locator('code, td:nth-child(4), td:nth-child(5)'),
    ]);

    // the Events page names the client by its name, not its id
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Events' }).click();
    const issued = page.getByRole('table', { name: 'Events, newest first' }).getByRole('row', {
      name: /API client got a token/,
    });
    await issued.first().waitFor();
    assert.equal((await issued.first().locator('td').allInnerTexts())[1], 'CRM sync (API client)');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'API clients' }).click();
    await row.waitFor();

    // a new secret: asked first, shown once, and the old one is refused from now on
    await row.getByRole('button', { name: 'New secret for CRM sync' }).click();
    await row.getByRole('button', { name: 'Make a new secret' }).click();
    const rotated = page.getByRole('region', { name: 'New secret of CRM sync' });
    const newSecret = await rotated.locator('code.secret').innerText();
    assert.notEqual(newSecret, secret);
    assert.equal((await exchange(clientId, secret)).status, 401);
    assert.equal((await exchange(clientId, newSecret)).status, 200);
    const stillValid = String((await exchange(clientId, newSecret)).body.token);
    await rotated.getByRole('button', { name: 'I have saved it' }).click();

    // removal: asked first; its tokens are refused from then on
    await row.getByRole('button', { name: 'Remove CRM sync' }).click();
    await row.getByRole('button', { name: 'Remove CRM sync' }).click();
    await page.getByText('CRM sync is removed: its tokens are refused from now on.').waitFor();
    await page.getByText('No API clients yet.').waitFor();
    assert.equal(
      (await restClient(suite.service.baseUrl, stillValid).get('/api/v2/users?offset=0&limit=1')).status,
      401,
    );
  });

  it('registers a client that reads only: the list says so, and its token writes nothing', async () => {
    const { page } = await suite.open();
    await signInWithPassword(page, ADMIN_EMAIL, PASSWORD);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'API clients' }).click();
    const form = page.getByRole('form', { name: 'Register a client' });
    await form.getByLabel('Name').fill('Weekly report');
    await form.getByLabel('Access').selectOption('read');
    await form.getByRole('button', { name: 'Register client' }).click();
    const shown = page.getByRole('region', { name: 'Secret of Weekly report' });
    const secret = await shown.locator('code.secret').innerText();
    const clientId = await shown.locator('p', { hasText: 'Its client id' }).locator('code').innerText();
    await shown.getByRole('button', { name: 'I have saved it' }).click();
    const row = page.getByRole('table', { name: 'API clients' }).getByRole('row', { name: /Weekly report/ });
    await row.locator('td').nth(1).getByText('Read only', { exact: true }).waitFor();
    const token = String((await exchange(clientId, secret)).body.token);
    const reader = restClient(suite.service.baseUrl, token);
    assert.equal((await reader.get('/api/v2/users?offset=0&limit=1')).status, 200);
    // a create the service would take from an admin client: refused, nothing made
    const body = newUserBody();
    const refused = await reader.post('/api/v2/users', body);
    assert.equal(refused.status, 403);
    assert.deepEqual(await suite.service.sql(`select id from emails where address = ?`, [body.email.email]), []);
    await expectAccessible(page, 'a read-only client');
  });

  it('says beside the name what the service refuses, and registers nothing', async () => {
    const { page } = await suite.open();
    await signInWithPassword(page, ADMIN_EMAIL, PASSWORD);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'API clients' }).click();
    const before = await suite.service.sql(`select id from api_clients`);
    const form = page.getByRole('form', { name: 'Register a client' });
    await form.getByLabel('Name').fill('   ');
    await form.getByRole('button', { name: 'Register client' }).click();
    await page.waitForFunction(() => document.querySelector('.field-invalid input') !== null);
    assert.match(await descriptionOf(form.getByLabel('Name')), /must name the client/);
    assert.deepEqual(await suite.service.sql(`select id from api_clients`), before);
    await expectAccessible(page, 'a client refused');
  });
});
