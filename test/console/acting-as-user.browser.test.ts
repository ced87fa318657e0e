// An admin acting as a user in the console, in headless Chromium against the real service: from a
// user's page, with a reason and a duration, the console becomes the user's (its profile, a banner
// on every screen saying who acts as whom, no "Sign out"); a change of the user's password is
// refused where it was typed; "Stop acting" ends that session and brings the admin back to its own
// (the refresh cookie's), and the user's history and sessions show what happened. When the user
// ends the session meanwhile, the console goes back to the admin by itself and says why. The
// screens pass axe; the acting one is photographed (docs/screenshots/acting-as-user.png).
import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import {
  consoleSuite,
  expectAccessible,
  screenshot,
  signInWithPassword,
  storedToken,
} from '../support/console-browser';

const PASSWORD = 'correct horse battery';
const ADMIN_EMAIL = 'admin@example.com';
const REASON = 'mira cannot find her settings';

describe('the console: an admin acting as a user, in headless Chromium', function () {
  this.timeout(60_000);
  this.slow(10_000);

  const suite = consoleSuite();

  before(async function () {
    await suite.service.caller().users.create({
      id: 'mira',
      name: 'mira',
      age: 34,
      gender: 2,
      email: { email: 'mira@example.com', authMethod: 0, password: PASSWORD },
    });
  });
  const impersonations = () =>
    suite.service.sql<{ id: string; impersonator: string }>(
      `select id, impersonator from sessions where user_id = 'mira' and method = 'impersonation'`,
    );

  it('acts as the user from its page, refuses its password change, and stops back in the admin’s session', async () => {
    const { page } = await suite.open();
    await signInWithPassword(page, ADMIN_EMAIL, PASSWORD);
    await page.getByRole('button', { name: 'Edit mira' }).click();
    const act = page.getByRole('form', { name: 'Act as this user' });
    await act.getByLabel('Why').fill(REASON);
    await act.getByLabel('For').selectOption({ label: '30 minutes' });
    await act.getByRole('button', { name: 'Act as mira' }).click();

    const banner = page.getByRole('region', { name: 'Acting as a user' });
    await banner.waitFor();
    assert.match(await banner.innerText(), /You \(admin\) are acting as mira until .+\. What you do here is recorded/);
    await page.getByRole('heading', { name: "mira's profile" }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 0, 'no sign-out while acting');
    assert.equal(await page.getByRole('button', { name: 'Delete my account' }).count(), 0, 'the account is hers');
    const token = jwt.decode(String(await storedToken(page))) as {
      sub: string;
      act: { sub: string };
      exp: number;
      iat: number;
    };
    assert.deepEqual(
      { sub: token.sub, act: token.act, life: token.exp - token.iat },
      {
        sub: 'mira',
        act: { sub: 'admin' },
        life: 1800,
      },
    );
    assert.deepEqual(await impersonations(), [
      { id: (jwt.decode(String(await storedToken(page))) as { sid: string }).sid, impersonator: 'admin' },
    ]);
    await expectAccessible(page, 'acting as a user');
    await screenshot(page, 'acting-as-user', [
      banner.locator('time'),
      page.getByRole('region', { name: 'Set by the service' }).locator('dd'),
      page.getByRole('table', { name: 'History' }).locator('tbody td:first-child'),
    ]);

    // the user's password is the user's own: refused where it was typed, nothing changed
    const hashBefore = await suite.service.sql(`select password_hash from emails where address = 'mira@example.com'`);
    await page.getByLabel('Password', { exact: true }).fill('a password mira did not choose');
    await page.getByRole('button', { name: 'Save changes' }).click();
    // the console says the service's words, capitalised
    await page.getByText(/^Changing the user's password is for the user alone: not while acting as the user/).waitFor();
    assert.deepEqual(
      await suite.service.sql(`select password_hash from emails where address = 'mira@example.com'`),
      hashBefore,
    );

    await banner.getByRole('button', { name: 'Stop acting as mira' }).click();
    await page.getByText('You stopped acting as mira.').waitFor();
    await page.getByText(/Signed in as admin \(admin\)/).waitFor();
    assert.equal(await banner.count(), 0);
    assert.equal((jwt.decode(String(await storedToken(page))) as { sub: string }).sub, 'admin');
    assert.deepEqual(await impersonations(), [], 'that session has ended');
    await expectAccessible(page, 'back from acting as a user');

    // the history says who acted as whom, and why
    await page.getByRole('button', { name: 'Edit mira' }).click();
    const history = page.getByRole('table', { name: 'History' });
    const row = history.locator('tbody tr', { hasText: 'An admin began acting as the user' });
    await row.waitFor();
    // who: the admin reading it is "you"; the reason as it was typed
    assert.match(
      await row.innerText(),
      new RegExp(`^[^\\t]+\\tAn admin began acting as the user\\tyou\\t[^\\t]+\\tWhy: ${REASON}$`),
    );
    await history.locator('tbody tr', { hasText: 'Signed out' }).getByText('you as mira').waitFor();
  });

  it('goes back to the admin by itself, saying why, when the user ends that session', async () => {
    const { page } = await suite.open();
    await signInWithPassword(page, ADMIN_EMAIL, PASSWORD);
    await page.getByRole('button', { name: 'Edit mira' }).click();
    const act = page.getByRole('form', { name: 'Act as this user' });
    await act.getByLabel('Why').fill(REASON);
    await act.getByRole('button', { name: 'Act as mira' }).click();
    await page.getByRole('region', { name: 'Acting as a user' }).waitFor();
    // mira, signed in herself, ends the session an admin began as her
    const { sid } = jwt.decode(String(await storedToken(page))) as { sid: string };
    const own = await suite.service.caller({ id: 'mira', role: 'user', issuedAt: 0 }).sessions.end({ id: sid });
    assert.equal(own, undefined);
    // the admin's next call as mira is refused: the console returns to the admin's own session
    await page.reload();
    await page.getByText(/Acting as mira has ended: the session of this token has ended\./).waitFor();
    await page.getByText(/Signed in as admin \(admin\)/).waitFor();
    await page.getByRole('button', { name: 'Dismiss' }).click();
    assert.equal(await page.getByText(/Acting as mira has ended/).count(), 0);
  });

  it('goes back to the admin when the time asked for is over, without renewing the acting token', async () => {
    const { page } = await suite.open();
    // the page's clock runs as the real one until the test moves it forward
    await page.clock.install();
    await page.reload();
    await signInWithPassword(page, ADMIN_EMAIL, PASSWORD);
    await page.getByRole('button', { name: 'Edit mira' }).click();
    const act = page.getByRole('form', { name: 'Act as this user' });
    await act.getByLabel('Why').fill(REASON);
    await act.getByRole('button', { name: 'Act as mira' }).click();
    await page.getByRole('region', { name: 'Acting as a user' }).waitFor();
    const acting = await storedToken(page);
    // a minute before the end: still acting, and the token was not renewed from the admin's cookie
    await page.clock.fastForward('14:00');
    assert.equal(await storedToken(page), acting);
    assert.equal(await page.getByRole('region', { name: 'Acting as a user' }).count(), 1);
    await page.clock.fastForward('01:30');
    await page.getByText('Your time acting as mira is over.').waitFor();
    await page.getByText(/Signed in as admin \(admin\)/).waitFor();
    assert.equal((jwt.decode(String(await storedToken(page))) as { sub: string }).sub, 'admin');
  });

  it('says beside the button why the service refuses: a disabled account', async () => {
    await suite.service.caller().users.create({
      id: 'omar',
      name: 'omar',
      age: 51,
      gender: 1,
      email: { email: 'omar@example.com', authMethod: 1 },
    });
    await suite.service.caller().users.disable({ id: 'omar', reason: 'left' });
    const { page } = await suite.open();
    await signInWithPassword(page, ADMIN_EMAIL, PASSWORD);
    await page.getByRole('button', { name: 'Edit omar' }).click();
    const act = page.getByRole('form', { name: 'Act as this user' });
    await act.getByLabel('Why').fill('checking');
    await act.getByRole('button', { name: 'Act as omar' }).click();
    await act.getByText('this account is disabled').waitFor();
    assert.equal(await page.getByRole('region', { name: 'Acting as a user' }).count(), 0);
    await expectAccessible(page, 'acting refused');
  });
});
