// The console's "Create an account" (SIGN_UP=open), in headless Chromium against the real service,
// PostgreSQL and SMTP server: the address, the code from the mail with the account's fields, and the
// person is signed in to its own profile; a wrong code or a refused field is said next to its field
// and the rest kept; an account of password and authenticator sets the authenticator up first.
// Keyboard-usable and axe-clean; a service that does not take sign-ups shows no way to.
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { Secret, TOTP } from 'otpauth';
import {
  chromiumPath,
  consolePagePerTest,
  descriptionOf,
  expectAccessible,
  launchBrowser,
  screenshot,
  storedToken,
} from '../support/console-browser';
import { uniqueSuffix } from '../support/fixtures';
import { startTestService, type TestService } from '../support/service';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';

const PASSWORD = 'a long and unusual passphrase';

describe('the console: creating an account, in headless Chromium', function () {
  this.timeout(60_000);
  this.slow(10_000);
  let smtp: SmtpCapture;
  let service: TestService;
  let closed: TestService;
  let browser: Browser;
  const openPage = consolePagePerTest();

  before(async function () {
    const chromium = chromiumPath(this);
    smtp = await startSmtpCapture();
    [service, closed] = await Promise.all([
      startTestService({ SMTP_URL: smtp.url, SIGN_UP: 'open' }),
      startTestService({ SMTP_URL: smtp.url }),
    ]);
    browser = await launchBrowser(chromium);
  });
  after(async () => {
    await browser?.close();
    await Promise.all([service?.close(), closed?.close()]);
    await smtp?.close();
  });

  /** From the sign-in page to the second step: the address typed, the code mailed; the code. */
  async function startSignUp(page: Page, email: string): Promise<string> {
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByRole('heading', { name: 'Create an account' }).waitFor();
    await page.getByRole('form', { name: 'Your email' }).getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Email me a code' }).click();
    await page.getByRole('form', { name: 'Your account' }).waitFor();
    const mail = await smtp.waitFor(email);
    const code = /account is (\d{6})/.exec(mail.text)?.[1];
    assert.ok(code, mail.text);
    return code;
  }

  it('makes an account from the address, the mailed code and the fields, and signs the person in', async () => {
    const email = 'newcomer@example.com'; // one address, for the same screenshot every run
    const { page } = await openPage(browser, service.baseUrl);
    const code = await startSignUp(page, email);
    const form = page.getByRole('form', { name: 'Your account' });
    await page.getByText('If this address can make an account, a code is on its way').waitFor();
    assert.equal(await form.getByLabel('Email', { exact: true }).inputValue(), email, 'the address proven, shown');
    assert.equal(await form.getByLabel('Email', { exact: true }).getAttribute('readonly'), '');
    const methods = await form.getByLabel('Sign-in method').locator('option').allTextContents();
    assert.deepEqual(methods, ['Password', 'Code by email', 'Password and authenticator app (TOTP)']);

    await expectAccessible(page, 'create an account');
    await form.getByLabel('Code from the email').fill('123456');
    await form.getByLabel('Name').fill('newcomer');
    await form.getByLabel('Age').fill('34');
    await form.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await screenshot(page, 'sign-up');

    // a wrong code: the service's refusal, and what was typed stays
    await form.getByLabel('Code from the email').fill(code === '000000' ? '111111' : '000000');
    await form.getByLabel('Name').fill('newcomer');
    await form.getByLabel('Age').fill('34');
    await form.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await form.getByRole('button', { name: 'Create my account' }).click();
    await form.getByText('invalid or expired code').waitFor();
    assert.equal(await form.getByLabel('Name').inputValue(), 'newcomer');

    // a field the service refuses is said next to it, and focused
    await form.getByLabel('Code from the email').fill(code);
    await form.getByLabel('Age').fill('0');
    await form.getByRole('button', { name: 'Create my account' }).click();
    await form.getByText('must be at least 1').waitFor();
    assert.match(await descriptionOf(form.getByLabel('Age')), /must be at least 1/);
    await expectAccessible(page, 'create an account');
    await form.getByLabel('Age').fill('34');

    // by keyboard from the last field
    await form.getByLabel('Password', { exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Your profile' }).waitFor();
    const [user] = await service.sql<{ name: string; age: number; role: string }>(
      'select u.name, u.age, u.role from users u join emails e on e.id = u.email_id where e.address = ?',
      [email],
    );
    assert.deepEqual(user, { name: 'newcomer', age: 34, role: 'user' });
  });

  it('sets up the authenticator first for an account of password and authenticator', async () => {
    const email = `careful.${uniqueSuffix()}@example.com`;
    const { page } = await openPage(browser, service.baseUrl);
    await startSignUp(page, email);
    const form = page.getByRole('form', { name: 'Your account' });
    await form.getByLabel('Name').fill('careful');
    await form.getByLabel('Age').fill('41');
    // a new code, and what was typed stays
    await new Promise((resolve) => setTimeout(resolve, 1100)); // one code per interval (1 s in tests)
    await form.getByRole('button', { name: 'Send a new code' }).click();
    const mail = await smtp.waitFor(email, { after: 1 });
    const code = /account is (\d{6})/.exec(mail.text)?.[1] ?? '';
    assert.equal(await form.getByLabel('Name').inputValue(), 'careful');
    await form.getByLabel('Code from the email').fill(code);
    await form.getByLabel('Sign-in method').selectOption({ label: 'Password and authenticator app (TOTP)' });
    await form.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await form.getByRole('button', { name: 'Create my account' }).click();
    await page.getByRole('heading', { name: 'Set up your authenticator app' }).waitFor();
    assert.equal(await storedToken(page), null, 'not signed in before the second factor is set up');
    const secret = ((await page.locator('code.secret').textContent()) ?? '').replace(/\s/g, '');
    const totp = new TOTP({ secret: Secret.fromBase32(secret) });
    await page.getByLabel('Code from your authenticator app').fill(totp.generate({ timestamp: service.clock.now() }));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Your authenticator app is set up' }).waitFor();
  });

  it('opens the second step from the mail’s link, the code filled in and out of the address bar', async () => {
    const email = `linked.${uniqueSuffix()}@example.com`;
    const { page } = await openPage(browser, service.baseUrl);
    await startSignUp(page, email);
    const mail = smtp.to(email).at(-1)!;
    const link = /http:\/\/\S+\/sign-up\?\S+/.exec(mail.text)?.[0];
    assert.ok(link, mail.text);
    const linked = await openPage(browser, service.baseUrl);
    await linked.page.goto(link.replace(/^http:\/\/[^/]+/, service.baseUrl));
    const form = linked.page.getByRole('form', { name: 'Your account' });
    await form.waitFor();
    assert.equal(new URL(linked.page.url()).search, '', 'the code left the address bar');
    assert.equal(await form.getByLabel('Email', { exact: true }).inputValue(), email);
    assert.match(await form.getByLabel('Code from the email').inputValue(), /^\d{6}$/);
    await form.getByLabel('Name').fill('linked');
    await form.getByLabel('Age').fill('27');
    await form.getByLabel('Sign-in method').selectOption({ label: 'Code by email' });
    await form.getByRole('button', { name: 'Create my account' }).click();
    await linked.page.getByRole('heading', { name: 'Your profile' }).waitFor();
  });

  it('shows no way to make an account where the service takes no sign-ups', async () => {
    const { page } = await openPage(browser, closed.baseUrl);
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Sign in with a passkey' }).waitFor(); // the methods are drawn
    assert.equal(await page.getByRole('button', { name: 'Create an account' }).count(), 0);
  });
});
