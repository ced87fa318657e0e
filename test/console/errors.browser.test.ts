// What the console says when the service refuses or fails, in headless Chromium against the real
// service and PostgreSQL: a revoked token sends the person back to sign in, saying why; too many
// sign-in attempts say how long to wait (the service's Retry-After); a service that cannot answer
// in time says so, with "Try again", which works once the service can. Never a blank screen.
import assert from 'node:assert/strict';
import pg from 'pg';
import {
  type ConsolePage,
  consoleSuite,
  expectAccessible,
  screenshot,
  signInWithPassword,
  storedToken,
} from '../support/console-browser';

const PASSWORD = 'correct horse battery';
const ADMIN_EMAIL = 'admin@example.com';

describe('the console: errors reach the person as messages, in headless Chromium', function () {
  this.timeout(60_000);
  this.slow(10_000);

  const suite = consoleSuite({ LOGIN_MAX_CONSECUTIVE_FAILS: '3', REQUEST_TIMEOUT_MS: '3000' });

  async function signedIn(): Promise<ConsolePage> {
    const current = await suite.open();
    await signInWithPassword(current.page, ADMIN_EMAIL, PASSWORD);
    await current.page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    return current;
  }

  it('goes back to sign-in, saying why, when the token is revoked elsewhere', async () => {
    const { page } = await signedIn();
    // the list has answered before the token ends: a list read after it would end the session
    // itself, before the click this test makes
    const edit = page.getByRole('button', { name: 'Edit admin' });
    await edit.waitFor();
    const token = await storedToken(page);
    const logout = await fetch(`${suite.service.baseUrl}/api/v2/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(logout.status, 204);

    await edit.click();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    await page.getByText('Your session has ended: token has been revoked. Sign in again.').waitFor();
    assert.equal(await storedToken(page), null);
    await expectAccessible(page, 'session ended');
    await screenshot(page, 'session-ended');
  });

  it('says how long to wait when there were too many sign-in attempts (Retry-After)', async () => {
    const current = await suite.open();
    const { page } = current;
    // each refusal awaited by its own answer (the alert of the last one is still on screen)
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const [refused] = await Promise.all([
        page.waitForResponse((r) => r.url().includes('/trpc/auth.login')),
        signInWithPassword(page, 'mallory@example.com', `wrong ${attempt}`),
      ]);
      assert.equal(refused.status(), 401);
    }
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/trpc/auth.login')),
      signInWithPassword(page, 'mallory@example.com', 'wrong 4'),
    ]);
    assert.equal(response.status(), 429);
    const retryAfter = Number(await response.headerValue('retry-after'));
    assert.ok(retryAfter > 0);
    await page
      .getByRole('alert')
      .getByText(`Too many attempts: Wait ${retryAfter} seconds before trying again.`)
      .waitFor();
    await expectAccessible(page, 'too many attempts');
    await screenshot(page, 'too-many-attempts');
  });

  it('says the service is unavailable when it cannot answer in time, and "Try again" works once it can', async () => {
    const { page } = await signedIn();
    // a real reason for a 503: the users table is locked for longer than the request timeout
    const blocker = new pg.Client({ connectionString: suite.service.databaseUrl });
    await blocker.connect();
    try {
      await blocker.query('begin');
      await blocker.query('lock table users in access exclusive mode');
      await page.getByRole('button', { name: 'Edit admin' }).click();
      const alert = page.getByRole('alert');
      await alert
        .getByText('The service is unavailable right now (request timed out). Try again in a moment.')
        .waitFor();
      await expectAccessible(page, 'service unavailable');
      await blocker.query('rollback');
      await alert.getByRole('button', { name: 'Try again' }).click();
      await page.getByRole('heading', { name: 'Edit admin' }).waitFor();
    } finally {
      await blocker.end();
    }
  });
});
