// Linking the OpenID provider from a person's own profile in the console, in headless Chromium
// against the real service and a real provider (oidc-provider, whose login and consent pages
// Chromium fills in): a person signed in with its password links its identity there, comes back
// still signed in and is told so, the section says it is linked, and the provider then signs in to
// the account; unlinking after a confirmation says so. An identity taken by another account is said
// on return. An admin sees a user's link on its page and unlinks it. axe on both; the person's
// section is docs/screenshots/provider-link.png.
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import {
  chromiumPath,
  consolePagePerTest,
  createAdmin,
  expectAccessible,
  launchBrowser,
  screenshot,
  signInWithPassword,
} from '../support/console-browser';
import { uniqueSuffix } from '../support/fixtures';
import type { TestService } from '../support/service';
import type { OpenIdProvider } from '../support/test-openid-provider';
import { startWithOpenIdProvider } from '../support/provider-service';

const PASSWORD = 'correct horse battery';

describe('the console: linking an OpenID provider to your account', function () {
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
    }));
    browser = await launchBrowser(chromium);
  });
  after(async () => {
    await browser?.close();
    await service?.close();
    await op?.close();
  });

  async function user() {
    const id = `link${uniqueSuffix().replace(/\W/g, '')}`.slice(0, 30);
    return service.caller().users.create({
      id,
      name: id,
      age: 30,
      gender: 1,
      email: { email: `${id}@example.com`, authMethod: 0, password: PASSWORD },
    });
  }

  function providerAccount(): string {
    const login = `acct-${uniqueSuffix()}`;
    op.accounts.set(login, { email: `${login}@personal.example`, email_verified: true, name: 'Ada L' });
    return login;
  }

  /** Signed in with the password, on the profile; "Link" clicked and the provider's pages filled in as `login`. */
  async function linkAs(email: string, login: string): Promise<Page> {
    const { page } = await openPage(browser, service.baseUrl, [op.issuer]);
    await signInWithPassword(page, email, PASSWORD);
    await page.getByRole('heading', { name: 'Sign in with Test ID' }).waitFor();
    await page.getByRole('button', { name: 'Link your Test ID account' }).click();
    await page.waitForURL((url) => url.href.startsWith(op.issuer));
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any');
    await page.locator('button[type="submit"]').click();
    if (page.url().startsWith(op.issuer)) await page.locator('button[type="submit"]').click();
    await page.waitForURL((url) => url.href.startsWith(service.baseUrl));
    return page;
  }

  it('links the provider from the profile, comes back signed in, and unlinks it after a confirmation', async () => {
    const ada = await user();
    const login = providerAccount();
    const page = await linkAs(ada.email.email, login);
    await page.getByText('Your OpenID provider is linked: it signs you in to this account now.').waitFor();
    assert.equal(page.url(), `${service.baseUrl}/`, 'the answer left the address bar');
    await page.getByText('Test ID signs you in to this account').waitFor();
    await expectAccessible(page, 'a profile linked to an OpenID provider');
    await screenshot(page, 'provider-link');
    const [bound] = await service.sql<{ user_id: string }>('select user_id from oauth_identities where user_id = ?', [
      ada.id,
    ]);
    assert.equal(bound?.user_id, ada.id);

    await page.getByRole('button', { name: 'Unlink Test ID' }).click();
    await page.getByText('Unlink Test ID? It will sign you in no more').waitFor();
    await page.getByRole('group').getByRole('button', { name: 'Unlink Test ID' }).click();
    await page.getByText('Test ID is unlinked: it signs you in no more.').waitFor();
    await page.getByRole('button', { name: 'Link your Test ID account' }).waitFor();
    assert.deepEqual(await service.sql('select 1 from oauth_identities where user_id = ?', [ada.id]), []);
  });

  it('says so on return when the identity signs in to another account', async () => {
    const [first, second] = [await user(), await user()];
    const login = providerAccount();
    await linkAs(first.email.email, login);
    const page = await linkAs(second.email.email, login);
    await page
      .getByText('Your OpenID provider was not linked: this Test ID identity signs in to another account')
      .waitFor();
    await page.getByRole('button', { name: 'Link your Test ID account' }).waitFor();
  });

  it("shows an admin a user's link, and unlinks it after a confirmation", async () => {
    const person = await user();
    await linkAs(person.email.email, providerAccount());
    const admin = await createAdmin(service, { id: 'root', email: 'root@example.com', password: PASSWORD });
    const { page } = await openPage(browser, service.baseUrl);
    await signInWithPassword(page, admin.email, PASSWORD);
    await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    await page.getByRole('button', { name: `Edit ${person.name}` }).click();
    const section = page.getByRole('region', { name: 'Sign in with Test ID' });
    await section.getByText(`Test ID signs in to ${person.name}'s account`).waitFor();
    assert.equal(await section.getByRole('button', { name: /^Link/ }).count(), 0, "linking is the user's alone");
    await section.getByRole('button', { name: `Unlink Test ID from ${person.name}` }).click();
    await section.getByText(`Unlink Test ID from ${person.name}'s account?`, { exact: false }).waitFor();
    await expectAccessible(page, "unlinking a user's OpenID provider");
    await section.getByRole('button', { name: 'Unlink Test ID', exact: true }).click();
    await section
      .getByText(`Test ID is unlinked from ${person.name}'s account, and the sessions it signed in have ended.`)
      .waitFor();
    await section.getByText(`Test ID does not sign in to ${person.name}'s account.`, { exact: false }).waitFor();
    assert.deepEqual(await service.sql('select 1 from oauth_identities where user_id = ?', [person.id]), []);
  });
});
