// The console in a real browser, for the tests in test/console/: the bundle built first (only when
// stale), headless Chromium driven by playwright-core, a fresh browser context per test, and what
// a test checks on every screen: axe finds no serious or critical violation, nothing failed on
// the page, nothing was loaded from another site. Screenshots of the main screens go to
// docs/screenshots/, for the README.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { makeAdmin } from '../../server/cli/admin-account';
import { CHROMIUM, requireProgram } from './prerequisites';
import { startTestService, type TestService } from './service';

const ROOT = path.resolve(__dirname, '../..');
export const SCREENSHOTS = path.join(ROOT, 'docs/screenshots');

/**
 * Where Chromium is, by the shared rule (test/support/prerequisites): missing, the suite of
 * `context` is skipped and listed at the end of the run (under CI=true it fails). Call it first.
 */
export function chromiumPath(context: Mocha.Context): string {
  return requireProgram(context, CHROMIUM);
}

let built = false;
/** Builds console/dist unless it is newer than its sources (console/build.mts --if-stale). */
export function ensureConsoleBuilt(): void {
  if (built) return;
  execFileSync(process.execPath, ['--import', 'tsx', 'console/build.mts', '--if-stale'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  built = true;
}

export async function launchBrowser(executablePath: string): Promise<Browser> {
  ensureConsoleBuilt();
  return chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export interface ConsolePage {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors, CSP refusals and requests to other sites, so far. */
  problems: string[];
  close(): Promise<void>;
}

/**
 * A new browser context (its own sessionStorage) on the console of `baseUrl`. Requests from the
 * console to other origins count as problems, but for going to `elsewhere` (an OpenID provider).
 */
export async function openConsole(browser: Browser, baseUrl: string, elsewhere: string[] = []): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 }, reducedMotion: 'reduce' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
  const page = await context.newPage();
  // a missing element fails its test in seconds, not at mocha's timeout
  page.setDefaultTimeout(10_000);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // a refused call shows as "Failed to load resource: 4xx"; that is the service answering, not a fault
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      problems.push(`console: ${message.text()}`);
    }
  });
  page.on('request', (request) => {
    // what the provider's own pages load is the provider's business
    if (!request.frame().url().startsWith(`${baseUrl}/`) && !request.isNavigationRequest()) return;
    const url = request.url();
    const allowed = [baseUrl, ...elsewhere].some((origin) => url.startsWith(`${origin}/`));
    if (!allowed && !url.startsWith('data:') && !url.startsWith('about:')) {
      problems.push(`request to another site: ${url}`);
    }
  });
  await page.goto(`${baseUrl}/`);
  return { context, page, problems, close: () => context.close() };
}

/**
 * One console page per test of the calling suite (call it in the `describe` body): each test opens
 * its page with the function returned, which is closed after the test; a test that passed still
 * fails if anything went wrong on its page (an uncaught error, a refused asset, a foreign request).
 */
export function consolePagePerTest(): (
  browser: Browser,
  baseUrl: string,
  elsewhere?: string[],
) => Promise<ConsolePage> {
  // every page the test opened, so that a second one neither hides nor closes the first
  let opened: ConsolePage[] = [];
  afterEach(async function () {
    const problems = opened.flatMap((page) => page.problems);
    await Promise.all(opened.map((page) => page.close()));
    opened = [];
    if (this.currentTest?.state === 'passed') assert.deepEqual(problems, [], 'nothing failed on the page');
  });
  return async (browser, baseUrl, elsewhere = []) => {
    const page = await openConsole(browser, baseUrl, elsewhere);
    opened.push(page);
    return page;
  };
}

/** axe-core on the page as it is now: no serious or critical violation (the others are listed in the message). */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const describe = (list: typeof results.violations) =>
    list.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  assert.deepEqual(describe(blocking), [], `axe on the ${screen} screen`);
  axeLog.push({ screen, passes: results.passes.length, violations: describe(results.violations) });
}

/** Every axe run of this process, for AXE_REPORT=1 (printed when the run ends). */
export const axeLog: Array<{ screen: string; passes: number; violations: string[] }> = [];
if (process.env.AXE_REPORT) {
  process.once('exit', () => process.stdout.write(`\naxe results:\n${JSON.stringify(axeLog, null, 2)}\n`));
}

/**
 * A screenshot of the page for the README, in docs/screenshots/. Whatever differs between runs
 * (secrets, ids, times) is covered by `mask`, so a run that changes nothing rewrites the same image.
 */
export async function screenshot(page: Page, name: string, mask: Locator[] = []): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({
    path: path.join(SCREENSHOTS, `${name}.png`),
    fullPage: true,
    animations: 'disabled',
    caret: 'hide',
    mask,
    maskColor: '#9aa0a6',
  });
}

/** The accessible description of a control: its hint and error, as a screen reader reads them. */
export function descriptionOf(control: Locator): Promise<string> {
  return control.evaluate((element) =>
    (element.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' '),
  );
}

/** The Bearer token the console keeps (sessionStorage), or null. */
export function storedToken(page: Page): Promise<string | null> {
  return page.evaluate(() => sessionStorage.getItem('users-console.token'));
}

/** What has the keyboard focus: its accessible label, as a person using the keyboard would hear it. */
export function focusedLabel(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element) return '';
    const labels = (element as HTMLInputElement).labels;
    if (labels && labels.length > 0) return labels[0]!.textContent ?? '';
    return element.getAttribute('aria-label') ?? element.textContent ?? '';
  });
}

/** Signs in by email and password through the sign-in form. */
export async function signInWithPassword(page: Page, email: string, password: string): Promise<void> {
  const form = page.getByRole('form', { name: 'With your email and password' });
  await form.getByLabel('Email', { exact: true }).fill(email);
  await form.getByLabel('Password', { exact: true }).fill(password);
  await form.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * An admin as `npm run admin` makes one (server/cli/admin-account), promoting a user created under a
 * fixed id, so that the id the console shows is the same on every run (and in every screenshot).
 */
export async function createAdmin(
  service: TestService,
  admin: { id: string; email: string; password: string },
): Promise<{ id: string; email: string }> {
  await service.caller().users.create({
    id: admin.id,
    name: admin.id,
    age: 40,
    gender: 0,
    email: { email: admin.email, authMethod: 0, password: admin.password },
  });
  await makeAdmin(
    service.orm.em.fork(),
    service.passwords,
    { email: admin.email, password: admin.password, name: admin.id, age: 40, gender: 0 },
    new Set(),
  );
  return { id: admin.id, email: admin.email };
}

/** The admin a console suite signs in as, unless it makes its own. */
export const SUITE_ADMIN = { id: 'admin', email: 'admin@example.com', password: 'correct horse battery' };

/** What a console suite works with: its service, Chromium, and a console page per test. */
export interface ConsoleSuite {
  readonly service: TestService;
  readonly browser: Browser;
  /** A console page of the service, closed after the test; anything that failed on it fails the test. */
  open(elsewhere?: string[]): Promise<ConsolePage>;
}

/**
 * The set-up most console suites share, called in the `describe` body before the suite's own hooks:
 * before them, Chromium (missing: the suite is skipped with what to install, or fails under CI), a
 * service of its own with `env`, and `SUITE_ADMIN` in it; after the suite, both closed. Each file
 * still sets up and closes its own.
 */
export function consoleSuite(env: Record<string, string> = {}): ConsoleSuite {
  let service: TestService | undefined;
  let browser: Browser | undefined;
  const openPage = consolePagePerTest();
  before(async function () {
    // first, before starting anything: without Chromium the suite is skipped (CI fails instead)
    const executable = chromiumPath(this);
    service = await startTestService(env);
    browser = await launchBrowser(executable);
    await createAdmin(service, SUITE_ADMIN);
  });
  after(async () => {
    await browser?.close();
    await service?.close();
  });
  const started = <T>(value: T | undefined): T => {
    assert.ok(value, 'the console suite has started');
    return value;
  };
  return {
    get service() {
      return started(service);
    },
    get browser() {
      return started(browser);
    },
    open: (elsewhere = []) => openPage(started(browser), started(service).baseUrl, elsewhere),
  };
}
