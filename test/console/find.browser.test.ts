// Finding users and editing them safely in the console (issue 20), in headless Chromium against the
// real service and PostgreSQL: a search and sign-in methods narrow the list and stay in the address
// (a reload shows the same list), a header sorts it (aria-sort says how) in the service's order,
// "Next page" follows the service's cursor and "Previous page" walks back, an empty search says "No
// users match" with a way back; a save or a delete of a user changed behind the page's back is
// refused, the page says which fields changed and shows them, keeps what was typed, and saves once
// the person has chosen. Every screen passes axe; the search and the conflict are photographed.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { RouterInputs } from '../../client';
import {
  consoleSuite,
  expectAccessible,
  focusedLabel,
  screenshot,
  signInWithPassword,
} from '../support/console-browser';
import { restClient } from '../support/rest';

const PASSWORD = 'correct horse battery';
const ADMIN_EMAIL = 'admin@example.com';

/** A fixed set of people (with the admin, 16 users): names and addresses to search, methods to filter. */
const PEOPLE: Array<{ name: string; email: string; age: number; authMethod: 0 | 1 | 2 | 3 }> = [
  { name: 'alice', email: 'alice@example.com', age: 31, authMethod: 0 },
  { name: 'albert', email: 'albert@example.com', age: 64, authMethod: 1 },
  { name: 'bob', email: 'bob@example.com', age: 45, authMethod: 0 },
  { name: 'carol', email: 'carol@example.com', age: 38, authMethod: 2 },
  { name: 'dave', email: 'dave@example.com', age: 27, authMethod: 1 },
  { name: 'erin', email: 'erin@example.com', age: 52, authMethod: 3 },
  { name: 'frank', email: 'frank@example.com', age: 19, authMethod: 0 },
  { name: 'grace', email: 'grace@example.com', age: 73, authMethod: 0 },
  { name: 'heidi', email: 'heidi@example.com', age: 41, authMethod: 1 },
  { name: 'ivan', email: 'ivan@example.com', age: 33, authMethod: 0 },
  { name: 'judy', email: 'judy@example.com', age: 29, authMethod: 3 },
  { name: 'mallory', email: 'mallory@example.com', age: 58, authMethod: 0 },
  { name: 'oscar', email: 'oscar@example.com', age: 22, authMethod: 2 },
  { name: 'peggy', email: 'peggy@example.com', age: 47, authMethod: 0 },
  // found by its address only
  { name: 'trent', email: 'trent.alvarez@example.org', age: 36, authMethod: 0 },
];

describe('the console: finding users and editing them safely, in headless Chromium', function () {
  this.timeout(60_000);
  this.slow(10_000);

  const suite = consoleSuite();

  before(async function () {
    for (const [n, person] of PEOPLE.entries()) {
      await suite.service.caller().users.create({
        id: `person-${String(n).padStart(2, '0')}`,
        name: person.name,
        age: person.age,
        gender: (n % 3) as 0 | 1 | 2,
        email: {
          email: person.email,
          authMethod: person.authMethod,
          ...(person.authMethod === 0 || person.authMethod === 2 ? { password: PASSWORD } : {}),
        },
      });
    }
  });
  async function signedIn(): Promise<Page> {
    const { page } = await suite.open();
    await signInWithPassword(page, ADMIN_EMAIL, PASSWORD);
    await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    return page;
  }

  const names = (page: Page) => page.locator('table.users tbody th').allTextContents();
  const showing = async (page: Page, text: string) => {
    await page.locator('.showing', { hasText: text }).waitFor();
  };
  /** What the service lists for the same question, as the names of its page. */
  const listed = async (input: RouterInputs['users']['search']) => {
    const page = await suite.service.caller().users.search(input);
    return { names: page.items.map((user) => user.name), total: page.total, next: page.next };
  };
  const query = (page: Page) => new URL(page.url()).searchParams;
  const searchBox = (page: Page) => page.getByLabel('Name or email contains');
  const sortOf = (page: Page, column: string) =>
    page.getByRole('columnheader', { name: column, exact: true }).getAttribute('aria-sort');

  it('narrows the list by a search kept in the address; a reload shows the same list; one letter searches nothing', async () => {
    const page = await signedIn();
    await showing(page, 'Showing 1–10 of 16');

    // a single letter is no search (the service takes two or more): the list stays whole
    await searchBox(page).fill('a');
    await page.waitForTimeout(700);
    await showing(page, 'Showing 1–10 of 16');
    assert.equal(query(page).get('q'), null);
    assert.equal(await page.getByRole('alert').count(), 0, 'nothing refused');

    await searchBox(page).fill('al');
    const expected = await listed({ limit: 10, q: 'al' });
    // alice, albert, mallory, and trent by the address
    assert.equal(expected.total, 4);
    await showing(page, `Showing 1–4 of 4`);
    assert.deepEqual(await names(page), expected.names);
    assert.equal(query(page).get('q'), 'al', 'the search is in the address');
    await expectAccessible(page, 'users, found');
    await screenshot(page, 'users-search', [page.locator('table.users td.created')]);

    await page.reload();
    await showing(page, 'Showing 1–4 of 4');
    assert.deepEqual(await names(page), expected.names, 'the same list after a reload');
    assert.equal(await searchBox(page).inputValue(), 'al');

    // a shared link, in another browser (signed in anew), shows it too
    const shared = page.url();
    const other = await signedIn();
    await other.goto(shared);
    await showing(other, 'Showing 1–4 of 4');
    assert.deepEqual(await names(other), expected.names);
  });

  it('shows only the sign-in methods ticked, one or several, kept in the address', async () => {
    const page = await signedIn();
    const methods = page.getByRole('group', { name: 'Sign-in method' });
    await methods.getByLabel('Code by email').check();
    const byCode = await listed({ limit: 10, authMethod: [1] });
    assert.equal(byCode.total, 3);
    await showing(page, 'Showing 1–3 of 3');
    assert.deepEqual(await names(page), byCode.names);
    assert.deepEqual(
      new Set(await page.locator('table.users tbody td:nth-child(3)').allTextContents()),
      new Set(['Code by email']),
    );
    assert.deepEqual(query(page).getAll('authMethod'), ['1']);

    await methods.getByLabel('OpenID provider (OAuth2)').check();
    const byCodeOrProvider = await listed({ limit: 10, authMethod: [1, 3] });
    await showing(page, `Showing 1–${byCodeOrProvider.total} of ${byCodeOrProvider.total}`);
    assert.deepEqual(await names(page), byCodeOrProvider.names);
    assert.deepEqual(query(page).getAll('authMethod'), ['1', '3']);

    // with a search too (both apply)
    await searchBox(page).fill('al');
    await showing(page, 'Showing 1–1 of 1');
    assert.deepEqual(await names(page), ['albert']);
    await page.reload();
    await showing(page, 'Showing 1–1 of 1');
    assert.equal(await methods.getByLabel('OpenID provider (OAuth2)').isChecked(), true);
    await expectAccessible(page, 'users, filtered by method');
  });

  it('shows who signed in lately, or not (the dormant accounts), kept in the address; a user’s page says when', async () => {
    // alice signs in now, bob a hundred days ago; the others never did (the admin signs in below)
    const rest = restClient(suite.service.baseUrl);
    await rest.post('/api/v2/auth/token', { email: 'alice@example.com', password: PASSWORD });
    suite.service.clock.set(Date.now() - 100 * 86_400_000);
    await rest.post('/api/v2/auth/token', { email: 'bob@example.com', password: PASSWORD });
    suite.service.clock.set(Date.now());
    const page = await signedIn();
    const today = Math.floor(Date.now() / 86_400_000) * 86_400;

    await page.getByLabel('Signed in').selectOption({ label: 'In the last 30 days' });
    const lately = await listed({ limit: 10, signedInSince: today - 30 * 86_400 });
    assert.deepEqual(new Set(lately.names), new Set(['admin', 'alice']));
    await showing(page, 'Showing 1–2 of 2');
    assert.deepEqual(await names(page), lately.names);
    assert.equal(query(page).get('signedIn'), 'within30', 'kept in the address');

    await page.getByLabel('Signed in').selectOption({ label: 'Not in the last 90 days' });
    const dormant = await listed({ limit: 10, notSignedInSince: today - 90 * 86_400 });
    assert.equal(dormant.total, 14, 'bob, and the thirteen who never signed in');
    assert.ok(dormant.names.includes('bob') && !dormant.names.includes('alice'));
    await showing(page, 'Showing 1–10 of 14');
    assert.deepEqual(await names(page), dormant.names);
    await expectAccessible(page, 'users, dormant');
    await page.reload();
    await showing(page, 'Showing 1–10 of 14');
    assert.equal(await page.getByLabel('Signed in').inputValue(), 'not90', 'the same list after a reload');

    // each user's page says when it last signed in, how, and how often; or that it never has
    await page.getByRole('button', { name: 'Edit bob' }).click();
    const account = page.getByRole('region', { name: 'Account' });
    await account.getByText(/^bob last signed in on .* UTC, with a password \(1 sign-in in all\)\.$/).waitFor();
    const shown = await account.locator('time').getAttribute('datetime');
    const status = await suite.service.caller().users.status({ id: 'person-02' });
    assert.equal(shown, status.lastSignInAt);
    assert.ok(Date.now() - Date.parse(String(shown)) > 99 * 86_400_000, 'a hundred days ago');
    await page.getByRole('button', { name: 'Back to users' }).click();
    await page.getByRole('button', { name: 'Edit carol' }).click();
    await page.getByRole('region', { name: 'Account' }).getByText('carol has never signed in.').waitFor();
  });

  it('sorts by a header (aria-sort on the header, the button by keyboard) in the service’s order, kept in the address', async () => {
    const page = await signedIn();
    await showing(page, 'Showing 1–10 of 16');
    assert.equal(await sortOf(page, 'Created'), 'ascending', 'the service’s order: by creation');
    assert.equal(await sortOf(page, 'Name'), null);

    const nameSort = page.getByRole('columnheader', { name: 'Name', exact: true }).getByRole('button');
    await nameSort.focus();
    assert.equal((await focusedLabel(page)).replace(/[▲▼↕]/g, ''), 'Name');
    await page.keyboard.press('Enter');
    await page.locator('th[aria-sort="ascending"]', { hasText: 'Name' }).waitFor();
    assert.equal(await sortOf(page, 'Created'), null, 'one column sorts at a time');
    const ascending = await listed({ limit: 10, sort: 'name' });
    await page.waitForFunction(
      (first) => document.querySelector('table.users tbody th')?.textContent === first,
      ascending.names[0],
    );
    assert.deepEqual(await names(page), ascending.names);
    assert.equal(query(page).get('sort'), 'name');

    await page.keyboard.press('Enter');
    await page.locator('th[aria-sort="descending"]', { hasText: 'Name' }).waitFor();
    const descending = await listed({ limit: 10, sort: '-name' });
    await page.waitForFunction(
      (first) => document.querySelector('table.users tbody th')?.textContent === first,
      descending.names[0],
    );
    assert.deepEqual(await names(page), descending.names);
    assert.deepEqual(descending.names, [...descending.names].sort().reverse());
    assert.equal(query(page).get('sort'), '-name');

    await page.getByRole('columnheader', { name: 'Age', exact: true }).getByRole('button').click();
    await page.locator('th[aria-sort="ascending"]', { hasText: 'Age' }).waitFor();
    const byAge = await listed({ limit: 10, sort: 'age' });
    await page.waitForFunction(
      (first) => document.querySelector('table.users tbody th')?.textContent === first,
      byAge.names[0],
    );
    assert.deepEqual(await names(page), byAge.names);
    await page.reload();
    await page.locator('th[aria-sort="ascending"]', { hasText: 'Age' }).waitFor();
    assert.deepEqual(await names(page), byAge.names);
    await expectAccessible(page, 'users, sorted');
  });

  it('pages by the service’s cursor: "Next page" follows it, "Previous page" walks back', async () => {
    const page = await signedIn();
    await page.getByRole('columnheader', { name: 'Email', exact: true }).getByRole('button').click();
    await page.getByRole('columnheader', { name: 'Email', exact: true }).getByRole('button').click();
    await page.locator('th[aria-sort="descending"]', { hasText: 'Email' }).waitFor();
    const first = await listed({ limit: 10, sort: '-email' });
    assert.ok(first.next, 'a page follows');
    const second = await listed({ limit: 10, sort: '-email', cursor: first.next });
    assert.equal(second.next, null);
    await page.waitForFunction(
      (name) => document.querySelector('table.users tbody th')?.textContent === name,
      first.names[0],
    );
    await showing(page, 'Showing 1–10 of 16');

    const searched: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('users.search')) searched.push(decodeURIComponent(request.url()));
    });
    const next = page.getByRole('button', { name: 'Next page' });
    const previous = page.getByRole('button', { name: 'Previous page' });
    assert.equal(await previous.isDisabled(), true);
    await next.click();
    await showing(page, 'Showing 11–16 of 16');
    assert.deepEqual(await names(page), second.names);
    assert.ok(
      searched.some((url) => url.includes('"cursor":')),
      'the page after was asked for by its cursor',
    );
    assert.equal(await next.isDisabled(), true, 'no page after the last');
    assert.equal(query(page).get('cursor'), null, 'cursors stay out of the address');

    await previous.click();
    await showing(page, 'Showing 1–10 of 16');
    assert.deepEqual(await names(page), first.names);
    assert.equal(await previous.isDisabled(), true);

    // a user opened from the second page comes back to it
    await next.click();
    await showing(page, 'Showing 11–16 of 16');
    await page.getByRole('button', { name: `Edit ${second.names[0]}` }).click();
    await page.getByRole('button', { name: 'Back to users' }).click();
    await showing(page, 'Showing 11–16 of 16');
    assert.deepEqual(await names(page), second.names);

    // another page size starts again from the first page
    await page.getByLabel('Users per page').selectOption('20');
    await showing(page, 'Showing 1–16 of 16');
    assert.equal(query(page).get('limit'), '20');
  });

  it('says "No users match" for an empty search, with a way back to every user', async () => {
    const page = await signedIn();
    await searchBox(page).fill('zz-nobody');
    await showing(page, 'No users match');
    assert.equal(await page.getByRole('table', { name: 'Users' }).count(), 0);
    await page.getByText('No user has “zz-nobody” in their name or email.').waitFor();
    await expectAccessible(page, 'no users match');
    await page.getByRole('button', { name: 'Clear the search' }).click();
    await showing(page, 'Showing 1–10 of 16');
    assert.equal(await searchBox(page).inputValue(), '');
    assert.equal(query(page).get('q'), null);
    assert.equal(await focusedLabel(page), 'Name or email contains', 'back in the search box');
  });

  it('refuses a save of a user changed behind the page’s back: names the changed fields, keeps what was typed, saves once resolved', async () => {
    const page = await signedIn();
    await page.getByRole('button', { name: 'Edit carol' }).click();
    await page.getByRole('heading', { name: 'Edit carol' }).waitFor();
    const form = page.getByRole('form', { name: 'Edit carol' });
    await form.getByLabel('Name', { exact: true }).fill('caroline');
    await form.getByLabel('Age', { exact: true }).fill('39');

    // meanwhile, someone else changes carol's age and address, over the REST API
    const changed = await restClient(suite.service.baseUrl, suite.service.adminToken).patch('/api/v2/users/person-03', {
      age: 40,
      email: { email: 'carol.new@example.com' },
    });
    assert.equal(changed.status, 200);

    await form.getByRole('button', { name: 'Save changes' }).click();
    const conflict = page.getByRole('region', { name: 'Not saved: carol was changed by someone else' });
    await conflict.waitFor();
    await conflict.getByText('Changed since you opened it: Age, Email.').waitFor();
    const rows = await conflict
      .getByRole('table', { name: 'What changed' })
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('th, td'), (cell) => cell.textContent)));
    assert.deepEqual(rows, [
      ['Age', '38', '40', '39'],
      ['Email', 'carol@example.com', 'carol.new@example.com', 'carol@example.com'],
    ]);
    assert.equal(await form.getByLabel('Name', { exact: true }).inputValue(), 'caroline', 'what was typed stays');
    assert.equal(await form.getByLabel('Age', { exact: true }).inputValue(), '39');
    assert.equal(await focusedLabel(page), 'Not saved: carol was changed by someone else', 'read out first');
    const stored = await suite.service.caller().users.read({ id: 'person-03' });
    assert.deepEqual([stored.name, stored.age, stored.email.email], ['carol', 40, 'carol.new@example.com']);
    await expectAccessible(page, 'edit conflict');
    await screenshot(page, 'edit-conflict', [
      page.getByRole('region', { name: 'Set by the service' }).locator('dd'),
      page.getByRole('table', { name: 'History' }).locator('tbody td:first-child'),
    ]);

    // their values for the fields they changed, the rest as typed; then the save goes through
    await conflict.getByRole('button', { name: 'Use their values' }).click();
    await conflict.waitFor({ state: 'detached' });
    assert.equal(await form.getByLabel('Age', { exact: true }).inputValue(), '40');
    assert.equal(await form.getByLabel('Email', { exact: true }).inputValue(), 'carol.new@example.com');
    assert.equal(await form.getByLabel('Name', { exact: true }).inputValue(), 'caroline');
    assert.equal(await focusedLabel(page), 'Save changes');
    await form.getByLabel('Age', { exact: true }).fill('41');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved.', { exact: true }).waitFor();
    const saved = await suite.service.caller().users.read({ id: 'person-03' });
    assert.deepEqual([saved.name, saved.age, saved.email.email], ['caroline', 41, 'carol.new@example.com']);

    // and a save after its own save is at the version it made: no conflict
    await page.getByLabel('Age', { exact: true }).fill('42');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved.', { exact: true }).waitFor();
    assert.equal((await suite.service.caller().users.read({ id: 'person-03' })).age, 42);

    // "Keep my changes" keeps what was typed, takes their change of a field not touched here, and
    // the next save replaces theirs only where the person changed something, knowingly
    await page.getByLabel('Age', { exact: true }).fill('43');
    await suite.service.caller().users.patch({ id: 'person-03', age: 60, gender: 2 });
    await page.getByRole('button', { name: 'Save changes' }).click();
    const again = page.getByRole('region', { name: /^Not saved: caroline was changed/ });
    await again.getByText('Changed since you opened it: Age, Gender.').waitFor();
    await again.getByRole('button', { name: 'Keep my changes' }).click();
    assert.equal((await suite.service.caller().users.read({ id: 'person-03' })).age, 60, 'nothing saved by choosing');
    assert.equal(await page.getByLabel('Age', { exact: true }).inputValue(), '43');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved.', { exact: true }).waitFor();
    const kept = await suite.service.caller().users.read({ id: 'person-03' });
    assert.deepEqual([kept.age, kept.gender], [43, 2], 'mine where I changed it, theirs where only they did');
  });

  it('refuses a delete of a user changed behind the page’s back: says what changed, and deletes it as it is now only when asked again', async () => {
    const page = await signedIn();
    await page.getByRole('button', { name: 'Edit dave' }).click();
    await page.getByRole('heading', { name: 'Edit dave' }).waitFor();
    await suite.service.caller().users.patch({ id: 'person-04', age: 28 });

    await page.getByRole('button', { name: 'Delete dave' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete dave?' });
    await dialog.getByRole('button', { name: 'Delete dave' }).click();
    await dialog.getByText('dave was changed by someone else since you opened it').waitFor();
    await dialog.getByText('Age: 27 → 28').waitFor();
    assert.equal(await focusedLabel(page), 'Cancel', 'the safe choice has the focus');
    assert.equal((await suite.service.caller().users.read({ id: 'person-04' })).age, 28, 'nothing was deleted');
    await expectAccessible(page, 'delete, changed since');
    await dialog.getByRole('button', { name: 'Delete dave as it is now' }).click();
    await page.getByText('Deleted dave.').waitFor();
    await assert.rejects(suite.service.caller().users.read({ id: 'person-04' }), { code: 'NOT_FOUND' });

    // from the list: the row as shown is checked against the user as it is when the dialog opens.
    // The list is read again after the delete; the change is made once that read is shown, or the
    // list would show the new address already (and the dialog rightly see no difference)
    await page.locator('table.users[aria-busy="false"] tbody tr', { hasText: 'heidi@example.com' }).waitFor();
    await suite.service.caller().users.patch({ id: 'person-08', email: { email: 'heidi.h@example.com' } });
    await page.getByRole('button', { name: 'Delete heidi' }).click();
    const fromList = page.getByRole('dialog', { name: 'Delete heidi?' });
    await fromList.getByText('Email: heidi@example.com → heidi.h@example.com').waitFor();
    await fromList.getByRole('button', { name: 'Cancel' }).click();
    assert.equal((await suite.service.caller().users.read({ id: 'person-08' })).name, 'heidi');
  });

  it('says so when the user being edited or deleted was deleted by someone else meanwhile, and writes nothing', async () => {
    const [peggy] = (await suite.service.caller().users.search({ q: 'peggy' })).items;
    assert.ok(peggy);
    const page = await signedIn();
    await searchBox(page).fill('peggy');
    await page.getByRole('button', { name: 'Edit peggy' }).click();
    const form = page.getByRole('form', { name: 'Edit peggy' });
    await form.getByLabel('Age', { exact: true }).fill('48');
    await suite.service.caller().users.delete({ id: peggy.id });

    await form.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Not saved: peggy was deleted by someone else.').waitFor();
    await assert.rejects(suite.service.caller().users.read({ id: peggy.id }), { code: 'NOT_FOUND' }, 'not made again');
    await expectAccessible(page, 'save, deleted since');

    await page.getByRole('button', { name: 'Delete peggy' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete peggy?' });
    await dialog.getByRole('button', { name: 'Delete peggy' }).click();
    await dialog.getByText('peggy was already deleted by someone else.').waitFor();
    await expectAccessible(page, 'delete, deleted since');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });
});
