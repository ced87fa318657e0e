// The console's way back in and an admin's hold on accounts (issue 22), in headless Chromium
// against the real service, PostgreSQL and SMTP server: "Forgot your password?" mails a code,
// the mail's link opens the reset form (the code leaves the address bar at once) and the new
// password signs in; an admin disables a user (reason, end date) and enables it again, and resets
// a two-step user's authenticator, and sees that a dormant account's user was warned; every screen
// keyboard-usable and axe-clean.
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import {
  chromiumPath,
  consolePagePerTest,
  createAdmin,
  descriptionOf,
  expectAccessible,
  launchBrowser,
  screenshot,
  signInWithPassword,
  storedToken,
} from '../support/console-browser';
import { handleDormant } from '../../server/start/retention';
import { newUserBody } from '../support/fixtures';
import { startTestService, type TestService } from '../support/service';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';

const ADMIN_EMAIL = 'admin@example.com';
const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'a brand new passphrase';

describe('the console: forgotten passwords and disabled accounts, in headless Chromium', function () {
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

  it('"Forgot your password?" mails a code; the link opens the reset form, which takes the code out of the address', async () => {
    const email = 'forgetful@example.com';
    await service
      .caller()
      .users.create(newUserBody({ id: 'forgetful', email: { email, authMethod: 0, password: PASSWORD } }));
    const { page } = await openPage(browser, service.baseUrl);
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    // by keyboard: the link-like button is reachable and opens the form, the email field focused
    await page.getByRole('button', { name: 'Forgot your password?' }).focus();
    await page.keyboard.press('Enter');
    const forgot = page.getByRole('form', { name: 'Forgot your password?' });
    await forgot.waitFor();
    await page.keyboard.type(email);
    await expectAccessible(page, 'forgot password');
    await screenshot(page, 'forgot-password');
    await page.keyboard.press('Enter');
    await page.getByRole('form', { name: 'Choose a new password' }).waitFor();
    await page.getByText('If this address signs in with a password, a reset code is on its way').waitFor();

    const mail = await smtp.waitFor(email);
    const link = /http:\/\/\S+\/reset-password\?\S+/.exec(mail.text)?.[0];
    assert.ok(link, mail.text);
    // the mail's link, opened in a new tab of the same browser (the service's address, as PUBLIC_URL is unset)
    const linked = await openPage(browser, service.baseUrl);
    await linked.page.goto(link.replace(/^http:\/\/[^/]+/, service.baseUrl));
    const form = linked.page.getByRole('form', { name: 'Choose a new password' });
    await form.waitFor();
    assert.equal(new URL(linked.page.url()).pathname, '/', 'the code left the address bar');
    assert.equal(new URL(linked.page.url()).search, '');
    assert.equal(await form.getByLabel('Email', { exact: true }).inputValue(), email);
    assert.match(await form.getByLabel('Reset code from the email').inputValue(), /^\d{6}$/);
    // a common password: the field says what is asked, the service says why not, and the code
    // still works for a better one
    assert.match(await descriptionOf(form.getByLabel('New password', { exact: true })), /not a common password/);
    await form.getByLabel('New password', { exact: true }).fill('Summer2026!');
    await form.getByLabel('New password again').fill('Summer2026!');
    await form.getByRole('button', { name: 'Set the new password' }).click();
    await form.getByText('is a commonly used password').waitFor();
    assert.match(
      await descriptionOf(form.getByLabel('New password', { exact: true })),
      /^is a commonly used password/,
      'the reason is tied to the field',
    );
    await form.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await form.getByLabel('New password again').fill('something else entirely');
    await form.getByRole('button', { name: 'Set the new password' }).click();
    await form.getByText('The two passwords differ.').waitFor();
    await form.getByLabel('New password again').fill(NEW_PASSWORD);
    assert.equal(await form.getByText('The two passwords differ.').count(), 0, 'the error goes with the retyping');
    await expectAccessible(linked.page, 'reset password');
    await screenshot(linked.page, 'reset-password', [form.getByLabel('Reset code from the email')]);
    await form.getByRole('button', { name: 'Set the new password' }).click();
    await linked.page.getByText('Your password has been changed').waitFor();
    assert.equal(await storedToken(linked.page), null, 'a reset signs nobody in');
    await signInWithPassword(linked.page, email, NEW_PASSWORD);
    await linked.page.getByRole('heading', { name: 'Your profile' }).waitFor();
  });

  it('lets an admin disable a user with a reason and an end date, and enable it again', async () => {
    const user = await service.caller().users.create(
      newUserBody({
        id: 'leaver',
        name: 'leaver',
        email: { email: 'leaver@example.com', authMethod: 0, password: PASSWORD },
      }),
    );
    const { page } = await openPage(browser, service.baseUrl);
    await signInWithPassword(page, ADMIN_EMAIL, PASSWORD);
    await page.getByRole('button', { name: 'Edit leaver' }).click();
    await page.getByRole('heading', { name: 'Edit leaver' }).waitFor();
    const account = page.getByRole('region', { name: 'Account' });
    await account.getByLabel('Reason').fill('Left the company');
    await account.getByLabel('Disabled until (optional)').fill('2031-01-31T18:00');
    await expectAccessible(page, 'disable user');
    // ids and times masked: a run that changes nothing rewrites the same image
    // the history's times change from run to run: masked, so the picture stays the same
    await page.getByRole('table', { name: 'History' }).waitFor();
    await screenshot(page, 'disable-user', [
      page.getByRole('region', { name: 'Set by the service' }).locator('dd'),
      page.getByRole('table', { name: 'History' }).locator('tbody td:first-child'),
    ]);
    await account.getByRole('button', { name: 'Disable leaver' }).click();
    await account.getByText('leaver is disabled and signed out everywhere.').waitFor();
    await account.getByText(/is disabled until .*: Left the company/).waitFor();
    const status = await service.caller().users.status({ id: user.id });
    assert.equal(status.state, 'disabled');
    assert.equal(status.reason, 'Left the company');
    assert.equal(new Date(String(status.until)).getFullYear(), 2031);

    await account.getByRole('button', { name: 'Enable leaver' }).click();
    await account.getByText('leaver is enabled.').waitFor();
    assert.deepEqual(await service.caller().users.status({ id: user.id }), { state: 'enabled', signInCount: 0 });
    await expectAccessible(page, 'enabled user');
  });

  it('lets an admin email a user a password reset link, and the history says so', async () => {
    await service.caller().users.create(
      newUserBody({
        id: 'supported',
        name: 'supported',
        email: { email: 'supported@example.com', authMethod: 0, password: PASSWORD },
      }),
    );
    const { page } = await openPage(browser, service.baseUrl);
    await signInWithPassword(page, ADMIN_EMAIL, PASSWORD);
    await page.getByRole('button', { name: 'Edit supported' }).click();
    const account = page.getByRole('region', { name: 'Account' });
    await account.getByRole('button', { name: 'Email supported a password reset link' }).click();
    await account
      .getByText('A password reset code and link are on their way to supported@example.com; they work for 30 minutes.')
      .waitFor();
    const mail = await smtp.waitFor('supported@example.com');
    assert.match(mail.text, /An administrator of .* sent you this email/);
    assert.match(mail.text, /\/reset-password\?email=/);
    await page.getByRole('table', { name: 'History' }).getByText('Password reset link emailed').waitFor();
    await expectAccessible(page, 'reset link emailed');
  });

  it("lets an admin reset a two-step user's authenticator, after a confirmation", async () => {
    await service.caller().users.create(
      newUserBody({
        id: 'phoneless',
        name: 'phoneless',
        email: { email: 'phoneless@example.com', authMethod: 2, password: PASSWORD },
      }),
    );
    await service.caller().users.create(
      newUserBody({
        id: 'plain',
        name: 'plain',
        email: { email: 'plain@example.com', authMethod: 0, password: PASSWORD },
      }),
    );
    const { page } = await openPage(browser, service.baseUrl);
    await signInWithPassword(page, ADMIN_EMAIL, PASSWORD);
    await page.getByRole('button', { name: 'Edit plain' }).click();
    await page.getByRole('heading', { name: 'Edit plain' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Reset authenticator' }).count(), 0, 'only for authMethod 2');
    await page.getByRole('button', { name: 'Back to users' }).click();
    await page.getByRole('button', { name: 'Edit phoneless' }).click();
    const focused = () => page.evaluate(() => document.activeElement?.textContent);
    await page.getByRole('button', { name: 'Reset authenticator' }).click();
    // the safe choice has the focus; Cancel takes it back to the button that asked
    assert.equal(await focused(), 'Cancel');
    await page.keyboard.press('Enter');
    await page.getByRole('group', { name: /^Reset phoneless's authenticator\?/ }).waitFor({ state: 'detached' });
    assert.equal(await focused(), 'Reset authenticator', 'the focus is back where the person was');
    await page.getByRole('button', { name: 'Reset authenticator' }).click();
    await expectAccessible(page, 'reset authenticator');
    await page.getByRole('button', { name: 'Reset the authenticator' }).click();
    await page.getByText("phoneless's authenticator is reset").waitFor();
    assert.equal(await focused(), 'Reset authenticator', 'and after the reset');
  });

  it('shows that a user was warned its dormant account will be disabled, until it signs in', async () => {
    await service.caller().users.create(
      newUserBody({
        id: 'sleeper',
        name: 'sleeper',
        email: { email: 'sleeper@example.com', authMethod: 0, password: PASSWORD },
      }),
    );
    // a round of DORMANT_ACCOUNT_DAYS=30 run 24 days on: every user of this suite is warned
    const done = await handleDormant(service.orm, 30, Date.now() + 24 * 86_400_000, {
      serviceName: 'Users service',
      signInUrl: service.baseUrl,
    });
    assert.ok(done.warned >= 1 && done.disabled === 0, JSON.stringify(done));
    const { dormancyWarnedAt } = await service.caller().users.status({ id: 'sleeper' });
    assert.ok(dormancyWarnedAt);
    const { page } = await openPage(browser, service.baseUrl);
    await signInWithPassword(page, ADMIN_EMAIL, PASSWORD);
    await page.getByRole('button', { name: 'Edit sleeper' }).click();
    const account = page.getByRole('region', { name: 'Account' });
    await account
      .getByText(/^sleeper was mailed on .* UTC that the account will be disabled unless they sign in/)
      .waitFor();
    assert.equal(await account.locator('p time').last().getAttribute('datetime'), dormancyWarnedAt);
    await expectAccessible(page, 'dormancy warning');
  });
});
