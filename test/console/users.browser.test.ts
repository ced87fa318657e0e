// Managing users in the console, in headless Chromium against the real service and PostgreSQL:
// create → edit → delete, with the service's validation message shown next to its field and
// fixed; paging through more than one page in the service's stable order; and a `user` who sees
// only its own profile. Every screen passes axe; the main ones are photographed for the README.
import assert from 'node:assert/strict';
import {
  type ConsolePage,
  consoleSuite,
  descriptionOf,
  expectAccessible,
  screenshot,
  signInWithPassword,
  storedToken,
} from '../support/console-browser';
import { newUserBody } from '../support/fixtures';

const PASSWORD = 'correct horse battery';
const ADMIN_EMAIL = 'admin@example.com';

describe('the console: managing users, in headless Chromium', function () {
  this.timeout(60_000);
  this.slow(10_000);

  const suite = consoleSuite();

  before(async function () {
    // a fixed set of users, so that the list (and its screenshot) is the same on every run
    for (let n = 1; n <= 24; n += 1) {
      const name = `user${String(n).padStart(2, '0')}`;
      await suite.service.caller().users.create({
        id: `user-${String(n).padStart(2, '0')}`,
        name,
        age: 20 + n,
        gender: (n % 3) as 0 | 1 | 2,
        email: {
          email: `${name}@example.com`,
          authMethod: n % 4 === 1 ? 1 : 0,
          ...(n % 4 === 1 ? {} : { password: PASSWORD }),
        },
      });
    }
  });
  async function signedIn(email = ADMIN_EMAIL): Promise<ConsolePage> {
    const current = await suite.open();
    await signInWithPassword(current.page, email, PASSWORD);
    return current;
  }

  const showing = (page: ConsolePage['page']) => page.locator('.showing');
  const names = (page: ConsolePage['page']) => page.locator('table.users tbody th').allTextContents();

  it('pages through the users in the service’s order, with the published paging', async () => {
    const { page } = await signedIn();
    await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    const { items: everyone, total } = await suite.service.caller().users.list({ offset: 0, limit: 0 });
    assert.equal(total, 25);
    await page.getByText('Showing 1–10 of 25').waitFor();
    await expectAccessible(page, 'users list');
    // the creation times differ from run to run
    await screenshot(page, 'users-list', [page.locator('table.users td.created')]);

    const seen: string[] = [...(await names(page))];
    const next = page.getByRole('button', { name: 'Next page' });
    const previous = page.getByRole('button', { name: 'Previous page' });
    assert.equal(await previous.isDisabled(), true);
    await next.click();
    await page.getByText('Showing 11–20 of 25').waitFor();
    seen.push(...(await names(page)));
    await next.click();
    await page.getByText('Showing 21–25 of 25').waitFor();
    seen.push(...(await names(page)));
    assert.equal(await next.isDisabled(), true, 'no page after the last');
    assert.deepEqual(
      seen,
      everyone.map((user) => user.name),
      'every user once, in the service’s order',
    );

    await previous.click();
    await page.getByText('Showing 11–20 of 25').waitFor();
    assert.deepEqual(await names(page), seen.slice(10, 20), 'the same page again');
    await page.getByLabel('Users per page').selectOption('20');
    await page.getByText('Showing 1–20 of 25').waitFor();
    assert.deepEqual(await names(page), seen.slice(0, 20));
    assert.equal((await showing(page).textContent())?.trim(), 'Showing 1–20 of 25');
  });

  it('creates, edits and deletes a user; a field the service refuses says why beside it, and the form keeps what was typed', async () => {
    const { page } = await signedIn();
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('heading', { name: 'Create user' }).waitFor();
    for (const label of ['Name', 'Age', 'Gender', 'Email', 'Sign-in method', 'Password']) {
      assert.equal(await page.getByLabel(label, { exact: true }).count(), 1, `a visible label for ${label}`);
    }
    await page.getByLabel('Name', { exact: true }).fill('x');
    await page.getByLabel('Age', { exact: true }).fill('33');
    await page.getByLabel('Gender', { exact: true }).selectOption('Female');
    await page.getByLabel('Email', { exact: true }).fill('carol@example.com');
    await page.getByLabel('Sign-in method', { exact: true }).selectOption('Password');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Create user' }).click();

    const name = page.getByLabel('Name', { exact: true });
    await page.locator('.field-error').first().waitFor();
    assert.equal(await name.getAttribute('aria-invalid'), 'true');
    assert.match(await descriptionOf(name), /^must be at least 3 characters/, 'the service’s message, tied to Name');
    assert.equal(
      await name.evaluate((element) => element === document.activeElement),
      true,
      'focus on the field to fix',
    );
    assert.equal(await page.locator('.field-error').count(), 1, 'only Name is refused');
    assert.equal(await page.getByLabel('Email', { exact: true }).inputValue(), 'carol@example.com', 'kept as typed');
    assert.equal(await page.getByLabel('Age', { exact: true }).inputValue(), '33');
    assert.equal((await suite.service.caller().users.list({ offset: 0, limit: 0 })).total, 25, 'nothing was created');
    await expectAccessible(page, 'create user, refused');
    await screenshot(page, 'create-user-refused');

    await name.fill('carol');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('heading', { name: 'Edit carol' }).waitFor();
    await page.getByText('Created carol.').waitFor();
    const { items } = await suite.service.caller().users.list({ offset: 25, limit: 10 });
    const created = items[0]!;
    assert.equal(created.name, 'carol');
    assert.equal(created.email.email, 'carol@example.com');
    assert.equal(created.gender, 2);
    // what the service owns is shown, as text, and no control can change it
    const owned = page.getByRole('region', { name: 'Set by the service' });
    assert.match((await owned.textContent()) ?? '', new RegExp(created.id));
    assert.equal(await owned.locator('input, select, textarea').count(), 0);
    assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '', 'no password shown back');
    assert.match(await descriptionOf(page.getByLabel('Password', { exact: true })), /Leave empty to keep/);
    await expectAccessible(page, 'edit user');
    // the history's times change from run to run: masked (and read first, so it is in the picture)
    const history = page.getByRole('table', { name: 'History' });
    await history.waitFor();
    await screenshot(page, 'edit-user', [owned.locator('dd'), history.locator('tbody td:first-child')]);

    await page.getByLabel('Age', { exact: true }).fill('34');
    await page.getByLabel('Sign-in method', { exact: true }).selectOption('Code by email');
    assert.equal(await page.getByLabel('Password', { exact: true }).isDisabled(), true, 'no password for email codes');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved.').waitFor();
    const saved = await suite.service.caller().users.read({ id: created.id });
    assert.equal(saved.age, 34);
    assert.equal(saved.email.authMethod, 1);

    await page.getByRole('button', { name: 'Delete carol' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete carol?' });
    await dialog.waitFor();
    assert.equal(await focusedText(page), 'Cancel', 'the safe choice has the focus');
    await expectAccessible(page, 'delete user');
    await screenshot(page, 'delete-user', [owned.locator('dd'), history.locator('tbody td:first-child')]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal((await suite.service.caller().users.read({ id: created.id })).name, 'carol', 'Escape deletes nothing');

    await page.getByRole('button', { name: 'Delete carol' }).click();
    await dialog.getByRole('button', { name: 'Delete carol' }).click();
    await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    await page.getByText('Deleted carol.').waitFor();
    await assert.rejects(suite.service.caller().users.read({ id: created.id }), { code: 'NOT_FOUND' });
  });

  it('shows a `user` its own profile and nothing else, and ends its session when it changes its password', async () => {
    const user = await suite.service.caller().users.create(
      newUserBody({
        id: 'dave',
        name: 'dave',
        email: { email: 'dave@example.com', authMethod: 0, password: PASSWORD },
      }),
    );
    const { page } = await signedIn(user.email.email);
    await page.getByRole('heading', { name: 'Your profile' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Create user' }).count(), 0);
    // no list of users; its own history only (its sign-in)
    assert.equal(await page.getByRole('table', { name: 'Users' }).count(), 0);
    const history = page.getByRole('table', { name: 'History' });
    await history.waitFor();
    assert.deepEqual(await history.locator('tbody th').allTextContents(), ['Signed in (password)']);
    assert.equal(await page.getByLabel('Email', { exact: true }).inputValue(), user.email.email);
    await expectAccessible(page, 'own profile');
    await screenshot(page, 'profile', [
      page.getByRole('region', { name: 'Set by the service' }).locator('dd'),
      history.locator('tbody td:first-child'),
    ]);

    await page.getByLabel('Name', { exact: true }).fill('david');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved.').waitFor();
    assert.equal((await suite.service.caller().users.read({ id: user.id })).name, 'david');
    assert.equal(await page.getByRole('heading', { name: 'Your profile' }).count(), 1, 'still signed in');

    // a new password of one's own ends one's session: the console says so, and the old token is dead
    const token = await storedToken(page);
    await page.getByLabel('Password', { exact: true }).fill('another long password');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    await page
      .getByText('You changed how you sign in, so your session ended: sign in again with the new details.')
      .waitFor();
    const refused = await fetch(`${suite.service.baseUrl}/api/v2/users/${user.id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(refused.status, 401);
    // and the console ended its session on the service too (it outlived the token, see security.md)
    for (let tries = 0; ; tries++) {
      const [row] = await suite.service.sql<{ n: number }>(
        `select count(*)::int as n from sessions where user_id = ?`,
        [user.id],
      );
      if (row?.n === 0) break;
      assert.ok(tries < 50, 'the session outlived the sign-out');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await signInWithPassword(page, user.email.email, 'another long password');
    await page.getByRole('heading', { name: 'Your profile' }).waitFor();
  });
});

function focusedText(page: ConsolePage['page']): Promise<string> {
  return page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
}
