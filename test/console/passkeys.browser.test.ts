// Passkeys in the console, in headless Chromium against the real service, with Chromium's own
// virtual authenticator (the DevTools protocol's WebAuthn domain: the browser's real WebAuthn code,
// a platform authenticator that verifies its user): a person adds a passkey on its profile, signs
// out, and signs in again with the passkey alone; a passkey removed on the profile (after a
// confirmation) signs in no more, and the sign-in page says so. The service is reached as
// http://localhost:<port>, the relying party id browsers accept for a machine's own service. The
// screens pass axe; the profile's passkeys are photographed (docs/screenshots/passkeys.png).
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { freePort } from '../../dev/embedded-postgres/embedded-postgres';
import {
  chromiumPath,
  consolePagePerTest,
  createAdmin,
  expectAccessible,
  launchBrowser,
  screenshot,
  signInWithPassword,
} from '../support/console-browser';
import { newUserBody } from '../support/fixtures';
import { startTestService, type TestService } from '../support/service';

const PASSWORD = 'correct horse battery';

describe('the console: passkeys, in headless Chromium with its virtual authenticator', function () {
  this.timeout(60_000);
  this.slow(10_000);

  let service: TestService;
  let browser: Browser;
  let baseUrl: string;
  const openPage = consolePagePerTest();

  before(async function () {
    const chromium = chromiumPath(this);
    const port = await freePort();
    baseUrl = `http://localhost:${port}`;
    service = await startTestService({ PUBLIC_URL: baseUrl }, { port });
    browser = await launchBrowser(chromium);
  });
  after(async () => {
    await browser?.close();
    await service?.close();
  });

  /** A console page with a platform authenticator, as a laptop with a fingerprint reader has. */
  async function withAuthenticator(): Promise<Page> {
    const { context, page } = await openPage(browser, baseUrl);
    const devtools = await context.newCDPSession(page);
    await devtools.send('WebAuthn.enable', { enableUI: false });
    await devtools.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    return page;
  }

  async function newPerson(id: string) {
    const email = `${id}@example.com`;
    await service
      .caller()
      .users.create(newUserBody({ id, name: id, email: { email, authMethod: 0, password: PASSWORD } }));
    return { id, email };
  }

  const passkeys = (page: Page) => page.getByRole('region', { name: 'Passkeys' });

  async function addPasskey(page: Page, name: string): Promise<void> {
    const form = page.getByRole('form', { name: 'Add a passkey' });
    await form.getByLabel('Passkey name').fill(name);
    await form.getByRole('button', { name: 'Add a passkey' }).click();
    await passkeys(page).getByText(`The passkey “${name}” is added: you can sign in with it now.`).waitFor();
  }

  async function signOut(page: Page): Promise<void> {
    await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You have signed out.').waitFor();
  }

  it('adds a passkey on the profile, then signs in with it alone', async () => {
    const person = await newPerson('mira');
    const page = await withAuthenticator();
    await signInWithPassword(page, person.email, PASSWORD);
    await page.getByRole('heading', { name: 'Your profile' }).waitFor();
    await passkeys(page).getByText('You have no passkey yet.').waitFor();

    await addPasskey(page, 'This laptop');
    const row = passkeys(page)
      .getByRole('table', { name: 'Your passkeys' })
      .getByRole('row', { name: /This laptop/ });
    await row.waitFor();
    const cells = await row.locator('td').allInnerTexts();
    assert.match(cells[0] ?? '', / UTC$/, 'when it was added');
    assert.equal(cells[1], 'never', 'not used yet');
    await expectAccessible(page, 'profile with a passkey');
    const history = page.getByRole('table', { name: /history/i });
    await history
      .getByRole('row', { name: /Passkey added/ })
      .getByText('This laptop')
      .waitFor();
    // the times differ from run to run
    await screenshot(page, 'passkeys', [page.getByText(/ UTC$/)]);

    await signOut(page);
    await expectAccessible(page, 'sign-in with a passkey');
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.getByRole('heading', { name: 'Your profile' }).waitFor();
    assert.equal(await page.getByRole('banner').getByText('Signed in as mira').count(), 1);
    // the sign-in is its last use
    await passkeys(page)
      .getByRole('row', { name: /This laptop/ })
      .locator('td')
      .nth(1)
      .getByText(/ UTC$/)
      .waitFor();

    // the password's session ended with "Sign out"; the one signed in now is the passkey's
    const sessions = await service.sql<{ method: string }>(`select method from sessions where user_id = ?`, [
      person.id,
    ]);
    assert.deepEqual(
      sessions.map(({ method }) => method),
      ['passkey'],
    );
  });

  it('asks for a recent sign-in before adding one, then comes back with the name typed', async () => {
    const person = await newPerson('yara');
    const page = await withAuthenticator();
    await signInWithPassword(page, person.email, PASSWORD);
    await page.getByRole('heading', { name: 'Your profile' }).waitFor();
    service.clock.advance(301_000); // past REAUTH_MAX_AGE_SECONDS
    try {
      const form = page.getByRole('form', { name: 'Add a passkey' });
      await form.getByLabel('Passkey name').fill('Desk key');
      await form.getByRole('button', { name: 'Add a passkey' }).click();
      await page
        .getByText(
          'For your security, sign in again to change your passkeys: it needs a sign-in within the last 5 minutes. You will come back to your account.',
        )
        .waitFor();
      await signInWithPassword(page, person.email, PASSWORD);
      await page.getByText('You signed in again: you can change your passkeys now.').waitFor();
      assert.equal(await form.getByLabel('Passkey name').inputValue(), 'Desk key', 'the name typed is back');
      await form.getByRole('button', { name: 'Add a passkey' }).click();
      await passkeys(page).getByText('The passkey “Desk key” is added: you can sign in with it now.').waitFor();
    } finally {
      service.clock.offsetMs = 0;
    }
  });

  it("lets an admin add passkeys on its own page, as anyone's profile", async () => {
    const admin = await createAdmin(service, { id: 'root', email: 'root@example.com', password: PASSWORD });
    const page = await withAuthenticator();
    await signInWithPassword(page, admin.email, PASSWORD);
    await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Edit root' }).click();
    await addPasskey(page, 'Admin key');
    assert.equal(await page.getByRole('region', { name: 'Passkeys' }).count(), 1, 'one passkeys section: its own');
  });

  it('renames a passkey on the profile; the history says from what to what', async () => {
    const person = await newPerson('lena');
    const page = await withAuthenticator();
    await signInWithPassword(page, person.email, PASSWORD);
    await page.getByRole('heading', { name: 'Your profile' }).waitFor();
    await addPasskey(page, 'Phone');
    await passkeys(page).getByRole('button', { name: 'Rename Phone' }).click();
    const form = passkeys(page).getByRole('form', { name: 'Rename Phone' });
    await form.getByLabel('New name for Phone').fill('Pixel 9');
    await expectAccessible(page, 'renaming a passkey');
    await form.getByRole('button', { name: 'Save name' }).click();
    await passkeys(page).getByText('The passkey is now named “Pixel 9”.').waitFor();
    await passkeys(page)
      .getByRole('row', { name: /Pixel 9/ })
      .waitFor();
    const history = page.getByRole('table', { name: /history/i });
    await history
      .getByRole('row', { name: /Passkey renamed/ })
      .getByText('Phone → Pixel 9')
      .waitFor();
  });

  it('says so when the console is opened at an address passkeys cannot be made for (an IP address)', async () => {
    const person = await newPerson('ines');
    const { context, page } = await openPage(browser, baseUrl.replace('localhost', '127.0.0.1'));
    const devtools = await context.newCDPSession(page);
    await devtools.send('WebAuthn.enable', { enableUI: false });
    await signInWithPassword(page, person.email, PASSWORD);
    await page.getByRole('heading', { name: 'Your profile' }).waitFor();
    await page.getByRole('form', { name: 'Add a passkey' }).getByRole('button', { name: 'Add a passkey' }).click();
    const port = new URL(baseUrl).port;
    await passkeys(page)
      .getByRole('alert')
      .getByText(
        `Passkeys do not work at this address (127.0.0.1:${port}): open the console at the service's own address (in development, http://localhost:${port}/).`,
      )
      .waitFor();
  });

  it("shows an admin a user's passkeys, and removes one after a confirmation", async () => {
    const person = await newPerson('sam');
    const admin = await createAdmin(service, { id: 'admin', email: 'admin@example.com', password: PASSWORD });
    const page = await withAuthenticator();
    await signInWithPassword(page, person.email, PASSWORD);
    await page.getByRole('heading', { name: 'Your profile' }).waitFor();
    await addPasskey(page, 'Lost phone');
    await signOut(page);

    await signInWithPassword(page, admin.email, PASSWORD);
    await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Edit sam' }).click();
    const section = page.getByRole('region', { name: 'Passkeys' });
    const row = section.getByRole('table', { name: "sam's passkeys" }).getByRole('row', { name: /Lost phone/ });
    await row.waitFor();
    assert.equal(await page.getByRole('form', { name: 'Add a passkey' }).count(), 0, "adding one is the user's alone");
    await row.getByRole('button', { name: 'Remove Lost phone' }).click();
    await section
      .getByText('It will sign sam in no more, and every session it signed in ends.', { exact: false })
      .waitFor();
    await expectAccessible(page, "removing a user's passkey");
    await section.getByRole('button', { name: 'Remove Lost phone' }).click();
    await section
      .getByText("sam's passkey “Lost phone” is removed, and the sessions it signed in have ended.")
      .waitFor();
    await section.getByText('sam has no passkey.').waitFor();
    const left = await service.sql<{ n: string }>(`select count(*) as n from passkeys where user_id = ?`, [person.id]);
    assert.equal(Number(left[0]!.n), 0);
  });

  it('removes a passkey after a confirmation: the sign-in page then says it was not recognised', async () => {
    const person = await newPerson('noor');
    const page = await withAuthenticator();
    await signInWithPassword(page, person.email, PASSWORD);
    await page.getByRole('heading', { name: 'Your profile' }).waitFor();
    await addPasskey(page, 'Old phone');

    await passkeys(page).getByRole('button', { name: 'Remove Old phone' }).click();
    const question = passkeys(page).getByText(
      'Remove the passkey “Old phone”? It will sign you in no more, and wherever it signed you in, you are signed out.',
    );
    await question.waitFor();
    await expectAccessible(page, 'removing a passkey');
    await passkeys(page).getByRole('button', { name: 'Remove Old phone' }).click();
    await passkeys(page).getByText('The passkey “Old phone” is removed: it signs you in no more.').waitFor();
    await passkeys(page).getByText('You have no passkey yet.').waitFor();

    // the authenticator still holds it; the service no longer knows it
    await signOut(page);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page
      .getByRole('alert')
      .getByText(/the passkey was not recognised/i)
      .waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Sign in', exact: true }).count(), 1);
    await expectAccessible(page, 'a passkey refused');
  });
});
