// An admin's Webhooks page, in headless Chromium against the real service, PostgreSQL and a real
// receiver that verifies signatures: add an endpoint (the secret shown once, copied with the
// button, gone after), see its deliveries with their status, pause and resume it, send a test
// event; rotate an endpoint's secret (asked first; the new one shown once; the old one signing
// beside it for a day, or stopping at once). Every screen passes axe; the page is photographed for
// the docs.
import assert from 'node:assert/strict';
import {
  consoleSuite,
  expectAccessible,
  focusedLabel,
  screenshot,
  signInWithPassword,
} from '../support/console-browser';
import { verifiedWith, WebhookReceiver } from '../support/webhook-receiver';
import { insertEvents } from '../support/events';
import { restClient } from '../support/rest';

const PASSWORD = 'correct horse battery';

describe('the console: webhooks, in headless Chromium', function () {
  this.timeout(60_000);
  this.slow(10_000);
  const suite = consoleSuite({ WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_POLL_MS: '50' });
  let receiver: WebhookReceiver;

  before(async function () {
    receiver = await new WebhookReceiver().start();
  });
  after(async () => {
    await receiver?.stop();
  });

  it('adds an endpoint with its secret shown once, shows deliveries, pauses, resumes and sends a test event', async () => {
    const { page } = await suite.open();
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

    const [eventId] = await insertEvents(suite.service, [{ type: 'user.created', userId: 'user-1' }]);
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

  it("rotates an endpoint's secret after asking: the old one signs beside the new for a day, or stops at once", async () => {
    const url = `${receiver.url}/rotated`;
    const created = await restClient(suite.service.baseUrl, suite.service.adminToken).post('/api/v2/webhooks', {
      url,
      types: ['webhook.test'],
    });
    assert.equal(created.status, 200);
    const first = String(created.body.secret);
    const { page } = await suite.open();
    await signInWithPassword(page, 'admin@example.com', PASSWORD);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Webhooks' }).click();
    const endpoint = page.getByRole('region', { name: url, exact: true });
    await endpoint.waitFor();

    /** Sends a test event from the page; the delivery as the receiver got it. */
    const delivered = async () => {
      const before = receiver.received.length;
      await endpoint.getByRole('button', { name: 'Send a test event' }).click();
      const got = await receiver.waitFor((r) => r.slice(before).some((x) => x.path === '/hook/rotated'));
      return got.slice(before).find((x) => x.path === '/hook/rotated')!;
    };
    // asked first, the safe answer focused, nothing changed by asking
    await endpoint.getByRole('button', { name: 'Rotate secret' }).click();
    const question = endpoint.getByRole('group', { name: /^Give .* a new signing secret\?/ });
    await question.waitFor();
    assert.equal(await focusedLabel(page), 'Cancel');
    await expectAccessible(page, 'webhooks, rotate asked');
    await screenshot(page, 'webhooks-rotate', [
      page.locator('.endpoint h3'),
      page.locator('caption'),
      page.locator('.rotate-secret > p'),
    ]);
    assert.ok(verifiedWith(first, await delivered()), 'asking changed nothing');

    await question.getByRole('button', { name: 'Rotate the secret' }).click();
    const shown = endpoint.getByRole('region', { name: `New signing secret of ${url}` });
    await shown.waitFor();
    assert.equal(await focusedLabel(page), `New signing secret of ${url}`, 'the focus is on what appeared');
    const second = (await shown.locator('code.secret').textContent()) ?? '';
    assert.match(second, /^whsec_/);
    assert.notEqual(second, first);
    await shown.getByText(/The old secret keeps signing deliveries beside this one until/).waitFor();
    await expectAccessible(page, 'webhooks, rotated secret');
    await shown.getByRole('button', { name: 'I have saved it' }).click();
    assert.equal(await page.getByText(second).count(), 0, 'the new secret is not shown again');
    assert.equal(await focusedLabel(page), 'Rotate secret', 'the focus goes back to the button');
    await endpoint.getByText(/The old secret signs beside the new one until/).waitFor();
    const during = await delivered();
    assert.ok(verifiedWith(second, during) && verifiedWith(first, during), 'both secrets verify for now');

    // a leaked secret: the old one stops at once
    await endpoint.getByRole('button', { name: 'Rotate secret' }).click();
    await endpoint.getByLabel('stops at once (it leaked)').check();
    await endpoint.getByRole('button', { name: 'Rotate the secret' }).click();
    await endpoint.getByText('The old secret no longer signs anything.').waitFor();
    const third = (await endpoint.locator('code.secret').textContent()) ?? '';
    await endpoint.getByRole('button', { name: 'I have saved it' }).click();
    assert.equal(await endpoint.getByText(/The old secret signs beside/).count(), 0);
    const after = await delivered();
    assert.ok(verifiedWith(third, after), 'the newest secret verifies');
    assert.ok(!verifiedWith(second, after), 'the one it replaced no longer does');
  });
});
