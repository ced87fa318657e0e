// Sign-up with the OpenID provider in the console (SIGN_UP=open), in headless Chromium against the
// real service and a real provider (oidc-provider, whose login and consent pages Chromium fills in):
// a person with no account comes back to "Finish making your account", the address the provider
// verified shown and the name it gave offered, gives its age and gender, and is signed in to its
// new profile; the ticket is out of the address bar at once. axe on the form; the form is
// docs/screenshots/provider-sign-up.png.
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import {
  chromiumPath,
  consolePagePerTest,
  expectAccessible,
  launchBrowser,
  screenshot,
  storedToken,
} from '../support/console-browser';
import { uniqueSuffix } from '../support/fixtures';
import type { TestService } from '../support/service';
import type { OpenIdProvider } from '../support/test-openid-provider';
import { startWithOpenIdProvider } from '../support/provider-service';

describe('the console: making an account with an OpenID provider', function () {
  this.timeout(60_000);
  this.slow(10_000);

  let op: OpenIdProvider;
  let service: TestService;
  let browser: Browser;
  const openPage = consolePagePerTest();

  before(async function () {
    const chromium = chromiumPath(this);
    ({ op, service } = await startWithOpenIdProvider({
      OIDC_PROVIDER_NAME: 'Test ID',
      SIGN_UP: 'open',
    }));
    browser = await launchBrowser(chromium);
  });
  after(async () => {
    await browser?.close();
    await service?.close();
    await op?.close();
  });

  /** Signs in at the provider as a person with no account here, and comes back. */
  async function backFromProvider(email: string): Promise<Page> {
    const login = `acct-${uniqueSuffix()}`;
    op.accounts.set(login, { email, email_verified: true, name: 'Noor Haddad', gender: 'female' });
    const { page } = await openPage(browser, service.baseUrl, [op.issuer]);
    await page.getByText('New here? Signing in with Test ID makes your account.').waitFor();
    await page.getByRole('button', { name: 'Sign in with Test ID' }).click();
    await page.waitForURL((url) => url.href.startsWith(op.issuer));
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any');
    await page.locator('button[type="submit"]').click();
    if (page.url().startsWith(op.issuer)) await page.locator('button[type="submit"]').click();
    await page.getByRole('heading', { name: 'Finish making your account' }).waitFor();
    return page;
  }

  it('finishes the account with what the provider does not give, and signs the person in', async () => {
    const email = `noor.${uniqueSuffix()}@example.com`;
    const page = await backFromProvider(email);
    assert.equal(page.url(), `${service.baseUrl}/`, 'the ticket left the address bar');
    await page.getByText(`Test ID verified your address ${email}, and no account has it yet.`).waitFor();
    const field = (label: string) => page.getByLabel(label, { exact: true });
    assert.equal(await field('Email').inputValue(), email);
    assert.equal(await field('Email').getAttribute('readonly'), '');
    assert.equal(await field('Name').inputValue(), 'Noor_Haddad', 'the name the provider gave, as a name may be');
    assert.equal(await field('Gender').inputValue(), '2', 'the gender the provider gave');
    await screenshot(page, 'provider-sign-up');

    // a refused field is said next to it, and nothing is made
    await field('Age').fill('-3');
    await page.getByRole('button', { name: 'Create my account' }).click();
    await page.getByText('The service did not accept a field').waitFor();
    assert.equal(await field('Age').getAttribute('aria-invalid'), 'true');
    await expectAccessible(page, 'finishing an account made with a provider');

    await field('Name').fill('noor');
    await field('Age').fill('34');
    await page.getByRole('button', { name: 'Create my account' }).click();
    await page.getByRole('heading', { name: 'Your profile' }).waitFor();
    assert.ok(await storedToken(page));
    const [user] = await service.sql<{ name: string; age: number; auth_method: number }>(
      'select u.name, u.age, e.auth_method from users u join emails e on e.id = u.email_id where e.address = ?',
      [email],
    );
    assert.deepEqual({ ...user }, { name: 'noor', age: 34, auth_method: 3 });
  });

  it('says so when the ticket no longer works', async () => {
    const page = await backFromProvider(`late.${uniqueSuffix()}@example.com`);
    await page.getByLabel('Age', { exact: true }).waitFor();
    service.clock.advance(10 * 60_000 + 1000);
    try {
      await page.getByLabel('Age', { exact: true }).fill('40');
      await page.getByRole('button', { name: 'Create my account' }).click();
      await page.getByText('this sign-up is unknown, was used or took too long', { exact: false }).waitFor();
    } finally {
      service.clock.offsetMs = 0;
    }
  });
});
