// The console's invitations, in headless Chromium against the real service, PostgreSQL and SMTP
// server: an admin invites an address on the Invitations page; the mailed link opens "Accept your
// invitation" (the token leaves the address bar at once), the person chooses how to sign in and is
// signed in to its profile, and the invitation leaves the admin's list; "Send again" and "Revoke"
// (after a confirmation) work, and a dead link says what to do. Keyboard-usable and axe-clean.
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
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';

const ADMIN_EMAIL = 'admin@example.com';
const PASSWORD = 'correct horse battery';

describe('the console: invitations, in headless Chromium', function () {
  this.timeout(60_000);
  this.slow(10_000);
  let smtp: SmtpCapture;
  let service: TestService;
  let browser: Browser;
  const openPage = consolePagePerTest();

  before(async function () {
    const chromium = chromiumPath(this);
    smtp = await startSmtpCapture();
    service = await startTestService({ SMTP_URL: smtp.url });
    await createAdmin(service, { id: 'admin', email: ADMIN_EMAIL, password: PASSWORD });
    browser = await launchBrowser(chromium);
  });
  after(async () => {
    await browser?.close();
    await service?.close();
    await smtp?.close();
  });

  /** The link of the newest invitation mail to `email`, on the service's own address. */
  async function linkTo(email: string, after = 0): Promise<string> {
    const mail = await smtp.waitFor(email, { after });
    const link = /http:\/\/\S+\/accept-invitation\?\S+/.exec(mail.text)?.[0];
    assert.ok(link, mail.text);
    return link.replace(/^http:\/\/[^/]+/, service.baseUrl);
  }

  async function openInvitations(page: import('playwright-core').Page, signIn = true) {
    if (signIn) await signInWithPassword(page, ADMIN_EMAIL, PASSWORD);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Invitations' }).click();
    await page.getByRole('heading', { name: 'Invitations', level: 2 }).waitFor();
  }

  it('invites an address; its link makes the account and signs the person in', async () => {
    const email = 'dana@example.com';
    const { page } = await openPage(browser, service.baseUrl);
    await openInvitations(page);
    const form = page.getByRole('form', { name: 'Invite someone' });
    await form.getByLabel('Email').fill(email);
    await form.getByLabel('Link works for (days)').fill('3');
    // metadata that is no JSON object is said beside its box, before anything is sent
    await form.getByLabel('App metadata (optional)').fill('["pro"]');
    await form.getByRole('button', { name: 'Send the invitation' }).click();
    await form.getByText('Must be a JSON object').waitFor();
    await form.getByLabel('App metadata (optional)').fill('{"plan": "pro"}');
    await form.getByRole('button', { name: 'Send the invitation' }).click();
    await page.getByText(`An invitation is on its way to ${email}.`).waitFor();
    const row = page.getByRole('row', { name: new RegExp(email) });
    await row.waitFor();
    assert.match(await row.innerText(), /by admin/);
    await expectAccessible(page, 'invitations');
    await screenshot(page, 'invitations', [row.getByRole('cell').nth(0), row.getByRole('cell').nth(1)]);

    // a second invitation of the same address is refused, said by the service
    await form.getByLabel('Email').fill(email.toUpperCase());
    await form.getByRole('button', { name: 'Send the invitation' }).click();
    await form.getByText(/has an invitation already/).waitFor();

    const link = await linkTo(email);
    const invited = await openPage(browser, service.baseUrl);
    await invited.page.goto(link);
    await invited.page.getByRole('heading', { name: 'Accept your invitation' }).waitFor();
    assert.equal(new URL(invited.page.url()).pathname, '/', 'the token left the address bar');
    assert.equal(new URL(invited.page.url()).search, '');
    const account = invited.page.getByRole('form', { name: 'Your account' });
    await invited.page.getByText(`You are invited to make an account with ${email}.`).waitFor();
    assert.equal(await account.getByLabel('Email', { exact: true }).inputValue(), email);
    await account.getByLabel('Name').fill('dana');
    await account.getByLabel('Age').fill('38');
    await account.getByLabel('Sign-in method').selectOption({ label: 'Code by email' });
    await expectAccessible(invited.page, 'accept an invitation');
    await account.getByRole('button', { name: 'Create my account' }).click();
    await invited.page.getByRole('heading', { name: 'Your profile' }).waitFor();

    await page.reload(); // still signed in (this tab's session), on the first section
    await openInvitations(page, false);
    await page.getByText('No invitations waiting.').waitFor();
    const [user] = await service.sql<{ role: string; auth_method: number }>(
      'select u.role, e.auth_method from users u join emails e on e.id = u.email_id where e.address = ?',
      [email],
    );
    assert.deepEqual(user, { role: 'user', auth_method: 1 });
    const [metadata] = await service.sql<{ app_data: unknown }>(
      'select m.app_data from user_metadata m join users u on u.id = m.user_id join emails e on e.id = u.email_id where e.address = ?',
      [email],
    );
    assert.deepEqual(metadata?.app_data, { plan: 'pro' }, 'the account starts with the app metadata');
  });

  it('keeps a link opened while signed in until the person signs out, or drops it if it stays', async () => {
    const email = 'frank@example.com';
    const { page } = await openPage(browser, service.baseUrl);
    await openInvitations(page);
    await page.getByRole('form', { name: 'Invite someone' }).getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send the invitation' }).click();
    const link = await linkTo(email);
    // the admin opens the link in its own tab: it is for signing in, so it waits
    await page.goto(link);
    await page.getByRole('heading', { name: 'You opened a link from an email' }).waitFor();
    assert.equal(new URL(page.url()).search, '', 'the token left the address bar');
    await expectAccessible(page, 'a mail link while signed in');
    await page.getByRole('button', { name: 'Stay signed in' }).click();
    await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    await page.goto(link);
    await page.getByRole('button', { name: 'Sign out and accept the invitation' }).click();
    await page.getByRole('heading', { name: 'Accept your invitation' }).waitFor();
    await page.getByText(`You are invited to make an account with ${email}.`).waitFor();
  });

  it('sends an invitation again and revokes one; a dead link says what to do', async () => {
    const email = 'erin@example.com';
    const { page } = await openPage(browser, service.baseUrl);
    await openInvitations(page);
    const form = page.getByRole('form', { name: 'Invite someone' });
    await form.getByLabel('Email').fill(email);
    await form.getByRole('button', { name: 'Send the invitation' }).click();
    const first = await linkTo(email);
    await page.getByRole('button', { name: `Send again to ${email}` }).click();
    await page.getByText(`A new link is on its way to ${email}`).waitFor();
    const second = await linkTo(email, 1);
    assert.notEqual(second, first);

    const stale = await openPage(browser, service.baseUrl);
    await stale.page.goto(first);
    await stale.page.getByRole('alert').getByText('This invitation link does not work any more').waitFor();
    await expectAccessible(stale.page, 'a dead invitation link');

    // revoked by keyboard, after the question (Cancel has the focus: Enter is the safe answer)
    await page.getByRole('button', { name: `Revoke ${email}` }).click();
    await page.getByRole('button', { name: `Revoke the invitation of ${email}` }).click();
    await page.getByText(`The invitation of ${email} is revoked`).waitFor();
    const revoked = await openPage(browser, service.baseUrl);
    await revoked.page.goto(second);
    await revoked.page.getByText('This invitation link does not work any more').waitFor();
    await revoked.page.getByRole('button', { name: 'Back to sign in' }).click();
    await revoked.page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
  });
});
