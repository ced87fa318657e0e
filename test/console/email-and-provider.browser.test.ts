// Signing in to the console with a code sent by email (through a real SMTP server the test runs)
// and with an OpenID provider (a real one, oidc-provider, whose login and consent pages Chromium
// fills in), in headless Chromium against the real service and PostgreSQL; and a provider's code
// handed to another browser (login CSRF) signing nobody in there.
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import {
  chromiumPath,
  consolePagePerTest,
  expectAccessible,
  launchBrowser,
  screenshot,
  storedToken,
  type ConsolePage,
} from '../support/console-browser';
import { newUserBody, uniqueSuffix } from '../support/fixtures';
import type { OpenIdProvider } from '../support/test-openid-provider';
import { startWithOpenIdProvider } from '../support/provider-service';
import type { TestService } from '../support/service';
import { codeOf, startSmtpCapture, type SmtpCapture } from '../support/smtp';

describe('the console: signing in by email code and with an OpenID provider, in headless Chromium', function () {
  this.timeout(60_000);
  this.slow(10_000);

  let smtp: SmtpCapture;
  let op: OpenIdProvider;
  let service: TestService;
  let browser: Browser;
  const openPage = consolePagePerTest();

  before(async function () {
    // first, before starting anything: without Chromium the suite is skipped (CI fails instead)
    const chromium = chromiumPath(this);
    smtp = await startSmtpCapture();
    ({ op, service } = await startWithOpenIdProvider({
      SMTP_URL: smtp.url,
      OIDC_PROVIDER_NAME: 'Test ID',
    }));
    browser = await launchBrowser(chromium);
  });
  after(async () => {
    await browser?.close();
    await service?.close();
    await op?.close();
    await smtp?.close();
  });

  async function open(): Promise<ConsolePage> {
    const current = await openPage(browser, service.baseUrl, [op.issuer]);
    await current.page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    return current;
  }

  it('signs in with the code from the email', async () => {
    const email = 'code@example.com';
    const user = await service.caller().users.create(newUserBody({ id: 'cody', email: { email, authMethod: 1 } }));
    const { page } = await open();
    const form = page.getByRole('form', { name: 'With a code sent by email' });
    await form.getByLabel('Email for the code').fill(email);
    await form.getByRole('button', { name: 'Email me a code' }).click();
    const mail = await smtp.waitFor(email);
    const codeField = form.getByLabel('Code from the email');
    await codeField.waitFor();
    assert.equal(await codeField.evaluate((element) => element === document.activeElement), true, 'focus on the code');
    await expectAccessible(page, 'email code');
    await screenshot(page, 'sign-in-email-code');

    await codeField.fill(codeOf(mail));
    await form.getByRole('button', { name: 'Sign in with the code' }).click();
    await page.getByRole('heading', { name: 'Your profile' }).waitFor();
    assert.equal(await page.getByRole('banner').getByText(`Signed in as ${user.id} (user)`).count(), 1);
    assert.equal(await page.getByLabel('Email', { exact: true }).inputValue(), email);
  });

  it('signs in with the provider, and the code of the return address leaves it at once', async () => {
    const body = newUserBody();
    body.email = { email: body.email.email, authMethod: 3 };
    const user = await service.caller().users.create(body);
    const login = `acct-${uniqueSuffix()}`;
    op.accounts.set(login, { email: body.email.email, email_verified: true });
    const { page } = await open();

    const button = page.getByRole('button', { name: 'Sign in with Test ID' });
    await expectAccessible(page, 'sign-in with every method');
    await screenshot(page, 'sign-in-all-methods');
    await button.click();
    // the provider's own pages: its login, then its consent
    await page.waitForURL((url) => url.href.startsWith(op.issuer));
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any');
    await page.locator('button[type="submit"]').click();
    const consent = page.locator('button[type="submit"]');
    if (page.url().startsWith(op.issuer)) await consent.click();

    await page.getByRole('heading', { name: 'Your profile' }).waitFor();
    assert.equal(await page.getByRole('banner').getByText(`Signed in as ${user.id} (user)`).count(), 1);
    assert.equal(page.url(), `${service.baseUrl}/`, 'no code left in the address');
    assert.ok(await storedToken(page));
  });

  it("refuses a code from another browser (login CSRF): the victim's page says why and nobody is signed in", async () => {
    const body = newUserBody();
    body.email = { email: body.email.email, authMethod: 3 };
    await service.caller().users.create(body);
    const login = `attacker-${uniqueSuffix()}`;
    op.accounts.set(login, { email: body.email.email, email_verified: true });

    // the attacker signs in in their own browser and keeps the code: their console's redemption never leaves
    const attacker = await open();
    let code = '';
    await attacker.context.route('**/trpc/auth.oauth2.token**', async (route) => {
      code = (JSON.parse(route.request().postData() ?? '{}') as Record<string, { code: string }>)['0']?.code ?? '';
      await route.abort();
    });
    await attacker.page.getByRole('button', { name: 'Sign in with Test ID' }).click();
    await attacker.page.waitForURL((url) => url.href.startsWith(op.issuer));
    await attacker.page.locator('input[name="login"]').fill(login);
    await attacker.page.locator('input[name="password"]').fill('any');
    await attacker.page.locator('button[type="submit"]').click();
    if (attacker.page.url().startsWith(op.issuer)) await attacker.page.locator('button[type="submit"]').click();
    await attacker.page.getByRole('alert').waitFor();
    assert.ok(code.length >= 40, 'the attacker has a code');

    // the victim follows the attacker's link in a browser of their own
    const { page } = await open();
    await page.goto(`${service.baseUrl}/?code=${encodeURIComponent(code)}`);
    await page
      .getByRole('alert')
      .getByText('this code can only be used in the browser that signed in; start the sign-in again in this browser')
      .waitFor();
    assert.equal(await storedToken(page), null, 'the victim is not signed in as the attacker');
    assert.equal(page.url(), `${service.baseUrl}/`, 'no code left in the address');
    await expectAccessible(page, 'provider code from another browser');
  });

  it("says why when the provider's identity matches no user", async () => {
    const login = `stranger-${uniqueSuffix()}`;
    op.accounts.set(login, { email: `nobody.${uniqueSuffix()}@example.com`, email_verified: true });
    const { page } = await open();
    await page.getByRole('button', { name: 'Sign in with Test ID' }).click();
    await page.waitForURL((url) => url.href.startsWith(op.issuer));
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any');
    await page.locator('button[type="submit"]').click();
    if (page.url().startsWith(op.issuer)) await page.locator('button[type="submit"]').click();

    const alert = page.getByRole('alert');
    await alert.getByText('The sign-in with your provider did not succeed').waitFor();
    assert.equal(page.url(), `${service.baseUrl}/`);
    assert.equal(await storedToken(page), null);
    await expectAccessible(page, 'provider refused');
  });
});
