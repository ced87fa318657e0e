// A person changes its own email address in the console, in headless Chromium against the real
// service and a real SMTP server: the address in the profile's form is not typed over (it says
// where it is changed); "Change your email address" sends a code to the new address, a wrong code
// is said next to the field, the right one moves the account and signs the person out, to sign in
// with the new address. Past the step-up's age, the person signs in again and comes back with the
// address typed. axe on each screen; the code step is docs/screenshots/email-change.png.
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import {
  chromiumPath,
  consolePagePerTest,
  expectAccessible,
  launchBrowser,
  screenshot,
  signInWithPassword,
} from '../support/console-browser';
import { startTestService, type TestService } from '../support/service';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';

const PASSWORD = 'correct horse battery';

describe('the console: changing your own email address', function () {
  this.timeout(60_000);
  this.slow(10_000);

  let smtp: SmtpCapture;
  let service: TestService;
  let browser: Browser;
  const openPage = consolePagePerTest();

  before(async function () {
    const chromium = chromiumPath(this);
    smtp = await startSmtpCapture();
    service = await startTestService({ SMTP_URL: smtp.url, SERVICE_NAME: 'Acme Cloud' });
    browser = await launchBrowser(chromium);
  });
  afterEach(() => {
    service.clock.offsetMs = 0;
  });
  after(async () => {
    await browser?.close();
    await service?.close();
    await smtp?.close();
  });

  async function user(id: string) {
    return service.caller().users.create({
      id,
      name: id,
      age: 30,
      gender: 1,
      email: { email: `${id}@example.com`, authMethod: 0, password: PASSWORD },
    });
  }

  async function signedIn(email: string): Promise<Page> {
    const { page } = await openPage(browser, service.baseUrl);
    await signInWithPassword(page, email, PASSWORD);
    await page.getByRole('heading', { name: 'Your profile', exact: true }).waitFor();
    return page;
  }

  const codeIn = async (address: string, after = 0) =>
    /account is (\d{6})/.exec((await smtp.waitFor(address, { after })).text)?.[1] ?? '';

  it('moves the account to a new address with the mailed code, then signs in with it', async () => {
    const hana = await user('hana');
    const page = await signedIn(hana.email.email);
    const email = page.getByLabel('Email', { exact: true });
    assert.equal(await email.getAttribute('readonly'), '', 'the address is not typed over here');
    await page.getByText('To change it, use “Change your email address” below').waitFor();

    await page.getByLabel('New email address').fill('hana.new@example.com');
    await page.getByRole('button', { name: 'Send a code to the new address' }).click();
    await page.getByText('If hana.new@example.com can be your address, a code is on its way to it.').waitFor();
    const code = await codeIn('hana.new@example.com');
    // a reload of the tab keeps the code step: the code is in the mail, the page still asks for it
    await page.reload();
    await page.getByText('If hana.new@example.com can be your address, a code is on its way to it.').waitFor();
    await expectAccessible(page, 'the code for a new address');

    await page.getByLabel('Code from the email').fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Confirm the new address' }).click();
    await page.getByText('invalid or expired code').waitFor();
    assert.equal(await page.getByLabel('Code from the email').getAttribute('aria-invalid'), 'true');
    assert.equal((await service.caller().users.read({ id: hana.id })).email.email, 'hana@example.com');
    await screenshot(page, 'email-change');

    await page.getByLabel('Code from the email').fill(code);
    await page.getByRole('button', { name: 'Confirm the new address' }).click();
    await page.getByText('Your email address is now hana.new@example.com: sign in again with it.').waitFor();
    assert.equal((await service.caller().users.read({ id: hana.id })).email.email, 'hana.new@example.com');
    await signInWithPassword(page, 'hana.new@example.com', PASSWORD);
    await page.getByRole('heading', { name: 'Your profile', exact: true }).waitFor();
    assert.equal(await page.getByLabel('Email', { exact: true }).inputValue(), 'hana.new@example.com');
  });

  it('asks to sign in again past the step-up, and comes back with the address typed', async () => {
    const ivo = await user('ivo');
    const page = await signedIn(ivo.email.email);
    service.clock.advance(301_000);
    await page.getByLabel('New email address').fill('ivo.new@example.com');
    await page.getByRole('button', { name: 'Send a code to the new address' }).click();
    await page
      .getByText(
        'For your security, sign in again to change your email address: it needs a sign-in within the last 5 minutes.',
      )
      .waitFor();
    assert.equal(smtp.to('ivo.new@example.com').length, 0, 'no code yet');

    await signInWithPassword(page, ivo.email.email, PASSWORD);
    await page.getByText('You signed in again: send the code to your new address now.').waitFor();
    assert.equal(await page.getByLabel('New email address').inputValue(), 'ivo.new@example.com');
    await page.getByRole('button', { name: 'Send a code to the new address' }).click();
    await page.getByLabel('Code from the email').fill(await codeIn('ivo.new@example.com'));
    await page.getByRole('button', { name: 'Confirm the new address' }).click();
    await page.getByText('Your email address is now ivo.new@example.com: sign in again with it.').waitFor();
    await expectAccessible(page, 'signed out after a new address');
  });
});
