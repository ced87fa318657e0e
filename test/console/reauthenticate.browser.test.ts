// The step-up in the console, in headless Chromium against the real service: a save that changes
// how the person signs in, or the deletion of their account, with a sign-in older than
// REAUTH_MAX_AGE_SECONDS (the service's clock, moved by the test) is refused by the service; the
// console asks the person to sign in again, saying why, gives up the old token, and brings them
// back to the form with what they typed (a typed password only while the page lives: a reload
// loses it, and the form says so). An admin comes back to its own form from the list. axe on each
// screen; the sign-in page asking again is docs/screenshots/reauthenticate.png.
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
  storedToken,
} from '../support/console-browser';
import { startTestService, type TestService } from '../support/service';

const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'a brand new passphrase';
/** Past the default REAUTH_MAX_AGE_SECONDS (300). */
const LATER_MS = 301_000;
const ASKED =
  'For your security, sign in again to save this change to how you sign in: it needs a sign-in within the ' +
  'last 5 minutes. What you typed will be back in the form.';

describe('the console: signing in again before a change of how one signs in', function () {
  this.timeout(60_000);
  this.slow(10_000);

  let service: TestService;
  let browser: Browser;
  const openPage = consolePagePerTest();

  before(async function () {
    const chromium = chromiumPath(this);
    service = await startTestService();
    browser = await launchBrowser(chromium);
  });
  afterEach(() => {
    service.clock.offsetMs = 0;
  });
  after(async () => {
    await browser?.close();
    await service?.close();
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

  async function signedIn(email: string, heading = 'Your profile'): Promise<Page> {
    const { page } = await openPage(browser, service.baseUrl);
    await signInWithPassword(page, email, PASSWORD);
    await page.getByRole('heading', { name: heading, exact: true }).waitFor();
    return page;
  }

  const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });
  const stored = async (id: string) => {
    const [row] = await service.sql(
      'select u.name, e.address, e.password_hash from users u join emails e on e.id = u.email_id where u.id = ?',
      [id],
    );
    return row;
  };

  it('asks a user to sign in again, then brings back the form with what was typed, and saves it', async () => {
    const erin = await user('erin');
    const page = await signedIn(erin.email.email);
    const oldToken = await storedToken(page);
    service.clock.advance(LATER_MS);

    await field(page, 'Name').fill('erin_new');
    await field(page, 'Password').fill(NEW_PASSWORD);
    const before = await stored(erin.id);
    await page.getByRole('button', { name: 'Save changes' }).click();

    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    await page.getByText(ASKED).waitFor();
    assert.equal(await storedToken(page), null, 'the old token is given up');
    assert.deepEqual(await stored(erin.id), before, 'nothing was saved');
    const old = await fetch(`${service.baseUrl}/api/v2/users/${erin.id}`, {
      headers: { authorization: `Bearer ${oldToken}` },
    });
    assert.equal(old.status, 401, 'and revoked');
    await expectAccessible(page, 'sign in again');
    await screenshot(page, 'reauthenticate');

    await signInWithPassword(page, erin.email.email, PASSWORD);
    await page.getByRole('heading', { name: 'Your profile' }).waitFor();
    await page.getByText('You signed in again. What you typed is back in the form: save it now.').waitFor();
    assert.equal(await field(page, 'Name').inputValue(), 'erin_new');
    assert.equal(await field(page, 'Password').inputValue(), NEW_PASSWORD);
    await expectAccessible(page, 'back on the form after signing in again');

    await page.getByRole('button', { name: 'Save changes' }).click();
    // a change of one's own sign-in ends the session, as it always did
    await page
      .getByText('You changed how you sign in, so your session ended: sign in again with the new details.')
      .waitFor();
    const saved = await service.caller().users.read({ id: erin.id });
    assert.equal(saved.name, 'erin_new');
    await signInWithPassword(page, erin.email.email, NEW_PASSWORD);
    await page.getByRole('heading', { name: 'Your profile' }).waitFor();
  });

  it('checks the save after signing in again against the user as it was opened: a change made meanwhile is shown', async () => {
    const gil = await user('gil');
    const page = await signedIn(gil.email.email);
    service.clock.advance(LATER_MS);
    await field(page, 'Name').fill('gil_new');
    await field(page, 'Password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText(ASKED).waitFor();

    // while the person signs in again, an admin changes the user's age
    const meanwhile = await service.caller().users.get({ id: gil.id });
    await service.caller().users.patch({ id: gil.id, age: 77, expectedVersion: meanwhile.version });

    await signInWithPassword(page, gil.email.email, PASSWORD);
    await page.getByText('You signed in again. What you typed is back in the form: save it now.').waitFor();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Not saved: gil was changed by someone else' }).waitFor();
    assert.equal(await field(page, 'Name').inputValue(), 'gil_new', 'what was typed stays');
    const [row] = await service.sql<{ name: string; age: number }>('select name, age from users where id = ?', [
      gil.id,
    ]);
    assert.deepEqual({ ...row }, { name: 'gil', age: 77 }, 'nothing overwritten');
    await expectAccessible(page, 'a conflict after signing in again');
  });

  it('keeps what was typed across a reload, but for the password, and says so', async () => {
    const fay = await user('fay');
    const page = await signedIn(fay.email.email);
    service.clock.advance(LATER_MS);
    await field(page, 'Age').fill('44');
    await field(page, 'Password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText(ASKED).waitFor();
    const resume = await page.evaluate(() => sessionStorage.getItem('users-console.resume'));
    assert.ok(resume?.includes('"age":"44"'), 'what was typed is kept in the tab');
    assert.ok(!resume?.includes(NEW_PASSWORD), 'but not the password');

    // a reload, as a provider's sign-in makes one
    await page.reload();
    await signInWithPassword(page, fay.email.email, PASSWORD);
    await page.getByRole('heading', { name: 'Your profile' }).waitFor();
    await page
      .getByText(
        'You signed in again. What you typed is back in the form, but the new password: type it again, then save.',
      )
      .waitFor();
    assert.equal(await field(page, 'Age').inputValue(), '44');
    assert.equal(await field(page, 'Password').inputValue(), '');
    await field(page, 'Password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('You changed how you sign in').waitFor();
    assert.equal((await service.caller().users.read({ id: fay.id })).age, 44);
    await signInWithPassword(page, fay.email.email, NEW_PASSWORD);
    await page.getByRole('heading', { name: 'Your profile' }).waitFor();
  });

  it('asks again before a user deletes its own account, then lets it', async () => {
    const gus = await user('gus');
    const page = await signedIn(gus.email.email);
    service.clock.advance(LATER_MS);
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete gus' }).click();
    await page
      .getByText(
        'For your security, sign in again to delete your account: it needs a sign-in within the last 5 minutes.',
        { exact: false },
      )
      .waitFor();
    assert.equal((await service.caller().users.read({ id: gus.id })).name, 'gus', 'not deleted');

    await signInWithPassword(page, gus.email.email, PASSWORD);
    await page.getByText('You signed in again: you can delete your account now.').waitFor();
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete gus' }).click();
    await page.getByText('Your account was deleted.').waitFor();
    await assert.rejects(service.caller().users.read({ id: gus.id }), { code: 'NOT_FOUND' });
  });

  it('brings an admin back to its own form from the list; its changes to others need nothing', async () => {
    await createAdmin(service, { id: 'hanna', email: 'hanna@example.com', password: PASSWORD });
    const ivan = await user('ivan');
    const page = await signedIn('hanna@example.com', 'Users');
    service.clock.advance(LATER_MS);

    const ivanBefore = await stored(ivan.id);
    await page.getByRole('button', { name: 'Edit ivan' }).click();
    await page.getByRole('heading', { name: 'Edit ivan' }).waitFor();
    await field(page, 'Password').fill('set by the admin');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved.').waitFor();
    assert.notEqual((await stored(ivan.id))?.password_hash, ivanBefore?.password_hash, 'a new password for ivan');

    await page.getByRole('button', { name: 'Back to users' }).click();
    await page.getByRole('button', { name: 'Edit hanna' }).click();
    await page.getByRole('heading', { name: 'Edit hanna' }).waitFor();
    await field(page, 'Password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText(ASKED).waitFor();

    await signInWithPassword(page, 'hanna@example.com', PASSWORD);
    await page.getByRole('heading', { name: 'Edit hanna' }).waitFor();
    assert.equal(await field(page, 'Password').inputValue(), NEW_PASSWORD);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('You changed how you sign in').waitFor();
    await signInWithPassword(page, 'hanna@example.com', NEW_PASSWORD);
    await page.getByRole('heading', { name: 'Users' }).waitFor();
  });
});
