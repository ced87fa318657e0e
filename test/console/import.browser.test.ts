// Importing users in the console, in headless Chromium against the real service and PostgreSQL: an
// admin chooses a JSON file of users with bcrypt hashes (made by hash-wasm, another implementation
// than the service's); a batch the service refuses stops the import, the page says how many were
// imported and which user of the file was refused and why, and the fixed file goes on from that
// batch; an imported user signs in with the password it had. The page passes axe.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { bcrypt } from 'hash-wasm';
import { consoleSuite, expectAccessible, screenshot, signInWithPassword } from '../support/console-browser';

const PASSWORD = 'correct horse battery';
const OLD_PASSWORD = 'paper boats on the river';

describe('the console: importing users, in headless Chromium', function () {
  this.timeout(60_000);
  this.slow(10_000);

  const suite = consoleSuite();

  it('imports a file in batches, stops at a refused one saying where and why, and goes on from there', async () => {
    const hash = await bcrypt({ password: OLD_PASSWORD, salt: randomBytes(16), costFactor: 4, outputType: 'encoded' });
    const users = Array.from({ length: 130 }, (_, index) => ({
      name: `moved_${index + 1}`,
      age: 30,
      gender: 1,
      email:
        index % 10 === 9
          ? { email: `moved.${index + 1}@example.com`, authMethod: 1 }
          : { email: `moved.${index + 1}@example.com`, authMethod: 0, passwordHash: hash },
    }));
    const broken = structuredClone(users);
    broken[119]!.email = { email: 'moved.120@example.com', authMethod: 0, passwordHash: 'not a hash' };
    const file = (content: unknown) => ({
      name: 'users.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(content)),
    });

    const { page } = await suite.open();
    await signInWithPassword(page, 'admin@example.com', PASSWORD);
    await page.getByRole('button', { name: 'Import users' }).click();
    await page.getByRole('heading', { name: 'Import users' }).waitFor();
    await page.getByLabel('File of users (JSON)').setInputFiles(file(broken));
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const alert = page.getByRole('alert');
    await alert.getByText('Imported 100 of 130 users.').waitFor();
    assert.match(
      String(await alert.textContent()),
      /refused the batch from user 101, so nothing from user 101 on was imported: user 120: email\.passwordHash: must be a bcrypt hash/,
    );
    assert.equal(await page.getByLabel('Start at user').inputValue(), '101', 'the next import starts at that batch');
    await expectAccessible(page, 'import refused');
    await screenshot(page, 'import-users-refused');
    const stored = async () =>
      Number(
        (await suite.service.sql<{ n: string }>("select count(*) as n from users where name like 'moved_%'"))[0]?.n,
      );
    assert.equal(await stored(), 100, 'the first batch is in, nothing of the second');

    // the file fixed, from user 101 on
    await page.getByLabel('File of users (JSON)').setInputFiles(file({ users }));
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByText('Imported 30 users.').waitFor();
    assert.equal(await stored(), 130);
    await expectAccessible(page, 'import done');

    const signIn = await fetch(`${suite.service.baseUrl}/api/v2/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'moved.101@example.com', password: OLD_PASSWORD }),
    });
    assert.equal(signIn.status, 200, 'an imported user signs in with the password it had');
  });

  it('says what is wrong with a file that is not a list of users, and imports nothing', async () => {
    const { page } = await suite.open();
    await signInWithPassword(page, 'admin@example.com', PASSWORD);
    await page.getByRole('button', { name: 'Import users' }).click();
    const field = page.getByLabel('File of users (JSON)');
    await field.setInputFiles({
      name: 'users.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"people": []}'),
    });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByText('The file holds no users').waitFor();
    assert.equal(await field.getAttribute('aria-invalid'), 'true', 'the reason is tied to the field');

    // an entry that is no user at all: the service's reason, about that user of the file as a whole
    await field.setInputFiles({ name: 'users.json', mimeType: 'application/json', buffer: Buffer.from('["alice"]') });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const alert = page.getByRole('alert');
    await alert.getByText('Imported 0 of 1 users.').waitFor();
    assert.match(String(await alert.textContent()), /imported: user 1: must be an object\./);
  });
});
