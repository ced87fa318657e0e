// Signing in to the console, in headless Chromium against the real service and PostgreSQL: by
// password (by keyboard alone too), with TOTP from its enrollment (the QR code's secret, the
// recovery codes shown once and copied) to the next sign-ins by code and by recovery code, and
// signing out, after which the token is refused. Every screen passes axe.
import assert from 'node:assert/strict';
import * as OTPAuth from 'otpauth';
import type { Browser } from 'playwright-core';
import {
  chromiumPath,
  consolePagePerTest,
  createAdmin,
  expectAccessible,
  focusedLabel,
  launchBrowser,
  screenshot,
  signInWithPassword,
  storedToken,
  type ConsolePage,
} from '../support/console-browser';
import { newUserBody } from '../support/fixtures';
import { startTestService, type TestService } from '../support/service';

const PASSWORD = 'correct horse battery';

describe('the console: signing in and out, in headless Chromium', function () {
  this.timeout(60_000);
  this.slow(10_000);

  let service: TestService;
  let browser: Browser;
  let admin: { id: string; email: string };
  const openPage = consolePagePerTest();

  before(async function () {
    // first, before starting anything: without Chromium the suite is skipped (CI fails instead)
    const chromium = chromiumPath(this);
    service = await startTestService();
    browser = await launchBrowser(chromium);
    admin = await createAdmin(service, { id: 'root', email: 'root@example.com', password: PASSWORD });
  });
  after(async () => {
    await browser?.close();
    await service?.close();
  });

  async function open(): Promise<ConsolePage> {
    const current = await openPage(browser, service.baseUrl);
    await current.page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    return current;
  }

  it('signs an admin in by password with the keyboard alone, onto the list of users', async () => {
    const { page } = await open();
    await expectAccessible(page, 'sign-in');
    await screenshot(page, 'sign-in');

    await page.keyboard.press('Tab');
    assert.equal(await focusedLabel(page), 'Email');
    await page.keyboard.type(admin.email);
    await page.keyboard.press('Tab');
    assert.equal(await focusedLabel(page), 'Password');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');

    const heading = page.getByRole('heading', { name: 'Users', exact: true });
    await heading.waitFor();
    assert.equal(
      await heading.evaluate((element) => element === document.activeElement),
      true,
      'focus on the new screen',
    );
    assert.equal(await page.getByRole('banner').getByText(`Signed in as ${admin.id} (admin)`).count(), 1);
    await page.keyboard.press('Tab');
    assert.equal(await focusedLabel(page), 'Create user');
    // and out again, by keyboard: back past an admin's sections (Users, Invitations, Events, Webhooks,
    // API clients) to "Sign out", in the header
    for (const label of ['API clients', 'Webhooks', 'Events', 'Invitations', 'Users', 'Sign out']) {
      await page.keyboard.press('Shift+Tab');
      assert.equal(await focusedLabel(page), label);
    }
    await page.keyboard.press('Enter');
    await page.getByText('You have signed out.').waitFor();
  });

  it('says a wrong password is wrong, and keeps what was typed', async () => {
    const { page } = await open();
    await signInWithPassword(page, admin.email, 'not the password');
    await page.getByRole('alert').getByText('Invalid email or password.').waitFor();
    const form = page.getByRole('form', { name: 'With your email and password' });
    assert.equal(await form.getByLabel('Email', { exact: true }).inputValue(), admin.email);
    assert.equal(await storedToken(page), null);
    await expectAccessible(page, 'sign-in, refused');
  });

  it('enrolls TOTP from the QR code and its secret, shows the recovery codes once, then signs in by code and by recovery code', async () => {
    const email = 'totp@example.com';
    const user = await service
      .caller()
      .users.create(newUserBody({ id: 'tess', name: 'tess', email: { email, authMethod: 2, password: PASSWORD } }));
    const { page } = await open();

    await signInWithPassword(page, email, PASSWORD);
    await page.getByRole('heading', { name: 'Set up your authenticator app' }).waitFor();
    const qr = page.getByRole('img', { name: 'QR code to add this account to an authenticator app' });
    assert.ok(((await qr.locator('path').getAttribute('d')) ?? '').length > 1000, 'the QR code is drawn');
    const secretText = (await page.locator('code.secret').textContent()) ?? '';
    const secret = secretText.replace(/\s/g, '');
    assert.match(secret, /^[A-Z2-7]{16,}$/, 'the secret, in base32, beside the QR code');
    const link = (await page.getByRole('link', { name: 'Open in an authenticator app' }).getAttribute('href')) ?? '';
    assert.equal(new URL(link).searchParams.get('secret'), secret, 'the QR code and the text are the same secret');
    assert.ok(link.startsWith('otpauth://totp/'), link);
    await expectAccessible(page, 'TOTP enrollment');
    await screenshot(page, 'totp-enrollment', [qr, page.locator('code.secret')]);

    const totp = new OTPAuth.TOTP({
      secret: OTPAuth.Secret.fromBase32(secret),
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
    });
    await page.getByLabel('Code from your authenticator app').fill(totp.generate());
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
    const codes = await page.locator('ol.recovery-codes li').allTextContents();
    assert.equal(codes.length, 10);
    assert.equal(await storedToken(page), null, 'no session until the codes are acknowledged');
    await page.getByRole('button', { name: 'Copy the codes' }).click();
    await page.getByText('The recovery codes are on the clipboard.').waitFor();
    assert.deepEqual((await page.evaluate(() => navigator.clipboard.readText())).split('\n'), codes);
    await expectAccessible(page, 'recovery codes');
    await screenshot(page, 'totp-recovery-codes', [page.locator('ol.recovery-codes')]);
    await page.getByRole('button', { name: 'I have saved them: continue' }).click();
    await page.getByRole('heading', { name: 'Your profile' }).waitFor();
    assert.equal(await page.getByRole('banner').getByText(`Signed in as ${user.id} (user)`).count(), 1);
    await page.getByRole('button', { name: 'Sign out' }).click();

    // the next sign-in asks for a code; the enrollment's code was used, so the next step's is typed
    await signInWithPassword(page, email, PASSWORD);
    await page.getByRole('heading', { name: 'Enter your authenticator code' }).waitFor();
    await expectAccessible(page, 'TOTP code');
    await screenshot(page, 'totp-code');
    await page.getByLabel('Code from your authenticator app').fill(totp.generate({ timestamp: Date.now() + 30_000 }));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Your profile' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();

    // and with a recovery code instead, once
    await signInWithPassword(page, email, PASSWORD);
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    const recovery = page.getByLabel('Recovery code');
    assert.equal(await recovery.evaluate((element) => element === document.activeElement), true);
    await recovery.fill(codes[0]!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Your profile' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInWithPassword(page, email, PASSWORD);
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await page.getByLabel('Recovery code').fill(codes[0]!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    assert.equal(await storedToken(page), null, 'a used recovery code signs nobody in');
  });

  it('signs out: the session ends on the service, not only in the page', async () => {
    const { page } = await open();
    await signInWithPassword(page, admin.email, PASSWORD);
    await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    const token = await storedToken(page);
    assert.ok(token);
    const before = await fetch(`${service.baseUrl}/api/v2/users/${admin.id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(before.status, 200);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    await page.getByRole('status').getByText('You have signed out.').waitFor();
    assert.equal(await storedToken(page), null);
    const after = await fetch(`${service.baseUrl}/api/v2/users/${admin.id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(after.status, 401);
    assert.deepEqual(await after.json(), { code: 100001, msg: 'token has been revoked' });
    await expectAccessible(page, 'signed out');
  });
});
