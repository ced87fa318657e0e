// An admin's Webhooks page, in headless Chromium against the real service, PostgreSQL and a real
// receiver that verifies signatures: add an endpoint (the secret shown once, copied with the
// button, gone after), see its deliveries with their status, pause and resume it, send a test
// event. Every screen passes axe; the page is photographed for the docs.
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
import { WebhookReceiver } from '../support/webhook-receiver';
import { insertEvents } from '../support/events';

const PASSWORD = 'correct horse battery';

describe('the console: webhooks, in headless Chromium', function () {
  this.timeout(60_000);
  this.slow(10_000);
  let service: TestService;
  let browser: Browser;
  let receiver: WebhookReceiver;
  const openPage = consolePagePerTest();

  before(async function () {
    const chromium = chromiumPath(this);
    service = await startTestService({ WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_POLL_MS: '50' });
    browser = await launchBrowser(chromium);
    receiver = await new WebhookReceiver().start();
    await createAdmin(service, { id: 'admin', email: 'admin@example.com', password: PASSWORD });
  });
  after(async () => {
    await browser?.close();
    await receiver?.stop();
    await service?.close();
  });

  it('adds an endpoint with its secret shown once, shows deliveries, pauses, resumes and sends a test event', async () => {
    const { page } = await openPage(browser, service.baseUrl);
    await signInWithPassword(page, 'admin@example.com', PASSWORD);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks', exact: true }).waitFor();
    await page.getByText('No endpoints yet.').waitFor();
    await expectAccessible(page, 'webhooks, empty');

    // the service's refusal, next to the field
    await page.getByLabel('URL').fill('ftp://example.com/hook');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByText('url must be an https:// or http:// URL').waitFor();
    await expectAccessible(page, 'webhooks, refused URL');

    await page.getByLabel('URL').fill(receiver.url);
    await page.getByLabel('Event types').fill('user.created, webhook.test');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = (await page.locator('code.secret').textContent()) ?? '';
    assert.match(secret, /^whsec_/);
    await page.getByRole('button', { name: 'Copy the secret' }).click();
    await page.getByText('The secret is on the clipboard.').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
    await expectAccessible(page, 'webhooks, new secret');
    receiver.secret = secret;
    await page.getByRole('button', { name: 'I have saved it' }).click();
    assert.equal(await page.getByText(secret).count(), 0, 'the secret is not shown again');

    const [eventId] = await insertEvents(service, [{ type: 'user.created', userId: 'user-1' }]);
    await receiver.waitFor((r) => r.some((x) => x.verified?.type === 'user.created'));
    const rows = page.locator('table.deliveries tbody tr');
    await rows
      .filter({ hasText: `user.created #${eventId}` })
      .filter({ hasText: 'succeeded' })
      .waitFor();
    await rows.filter({ hasText: 'HTTP 200' }).first().waitFor();

    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByText('Status: paused (paused by an admin).', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByText('Status: active.', { exact: false }).waitFor();

    await page.getByRole('button', { name: 'Send a test event' }).click();
    await page.getByText(/A test event is on its way to/).waitFor();
    await receiver.waitFor((r) => r.some((x) => x.verified?.type === 'webhook.test'));
    await rows.filter({ hasText: 'webhook.test' }).filter({ hasText: 'succeeded' }).waitFor({ timeout: 8000 });
    await expectAccessible(page, 'webhooks, deliveries');
    // the receiver's port and the times differ between runs
    await screenshot(page, 'webhooks', [
      page.locator('.endpoint h3'),
      page.locator('caption'),
      page.locator('.notice'),
    ]);
  });
});
