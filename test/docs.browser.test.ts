// The /docs page as a person sees it, in headless Chromium (Debian's, driven by playwright-core):
// the five operations are listed, the page loads nothing from outside the service and logs no
// errors, and a pasted Bearer token lets "Try it out" call the API. Without Chromium the suite is
// skipped and named at the end of the run (CI=true fails it instead).
import assert from 'node:assert/strict';
import { chromium, type Browser, type Page } from 'playwright-core';
import { newUserBody } from './support/fixtures';
import { CHROMIUM, requireProgram } from './support/prerequisites';
import { startTestService, type TestService } from './support/service';

describe('the /docs page, in headless Chromium', function () {
  this.timeout(30_000);
  this.slow(5_000);

  let service: TestService;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const foreignRequests: string[] = [];

  before(async function () {
    const executablePath = requireProgram(this, CHROMIUM);
    service = await startTestService();
    browser = await chromium.launch({
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage();
    // a missing element fails its test in seconds, not at mocha's timeout
    page.setDefaultTimeout(5_000);
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(`${service.baseUrl}/`) && !url.startsWith('data:')) foreignRequests.push(url);
    });
    await page.goto(`${service.baseUrl}/docs`);
  });

  after(async () => {
    await browser?.close();
    await service?.close();
  });

  it('lists every operation (the five published ones and sign-in), with nothing loaded from elsewhere and no errors', async () => {
    const operations = page.locator('.opblock');
    await operations.nth(11).waitFor();
    const summaries = await operations.evaluateAll((blocks) =>
      blocks.map((block) =>
        ['.opblock-summary-method', '.opblock-summary-path', '.opblock-summary-operation-id']
          .map((selector) => block.querySelector(selector)?.textContent?.trim())
          .join(' '),
      ),
    );
    // every operation of the served document, the five published ones among them
    const served = (await (await fetch(`${service.baseUrl}/api/v2/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    const expected = Object.entries(served.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => `${method.toUpperCase()} ${path} ${op.operationId}`),
    );
    assert.deepEqual(summaries.sort(), expected.sort());
    for (const name of ['list', 'create', 'read', 'update', 'delete']) {
      assert.ok(
        summaries.some((summary) => summary.endsWith(` Users_${name}`)),
        name,
      );
    }
    assert.deepEqual(problems, []);
    assert.deepEqual(foreignRequests, []);
  });

  it('takes a pasted Bearer token and calls the API with it', async () => {
    const user = await service.caller().users.create(newUserBody());

    await page.getByRole('button', { name: 'Authorize' }).first().click();
    const dialog = page.locator('.modal-ux');
    await dialog.locator('input').fill(service.adminToken);
    await dialog.getByRole('button', { name: 'Apply credentials' }).click();
    await dialog.getByRole('button', { name: 'Close' }).click();

    const list = page.locator('#operations-Users-Users_list');
    await list.locator('.opblock-summary').click();
    const [request] = await Promise.all([
      page.waitForRequest((r) => r.url().startsWith(`${service.baseUrl}/api/v2/users?`)),
      list.getByRole('button', { name: 'Execute' }).click(),
    ]);
    assert.equal(await request.headerValue('authorization'), `Bearer ${service.adminToken}`);

    const response = list.locator('.live-responses-table .response');
    await response.waitFor();
    assert.equal((await response.locator('.response-col_status').textContent())?.trim(), '200');
    assert.match((await response.locator('.response-col_description').textContent()) ?? '', new RegExp(user.id));
    assert.deepEqual(problems, []);
  });
});
