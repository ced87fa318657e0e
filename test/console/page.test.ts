// The console as the service serves it, over a real socket: the page at / with a policy that lets
// it load only its own script and styles (no inline script anywhere in it), its hashed assets
// cached for good, nothing else of the folder reachable, the API, /docs and /trpc where they were,
// and a clear page (not a blank one) when the console has not been built.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Koa from 'koa';
import { CONSOLE_CONTENT_SECURITY_POLICY, consolePages } from '../../server/http/console-assets';
import { ensureConsoleBuilt } from '../support/console-browser';
import { startTestService, type TestService } from '../support/service';

describe('the console page at /', function () {
  this.timeout(60_000);
  let service: TestService;

  before(async () => {
    ensureConsoleBuilt();
    service = await startTestService();
  });
  after(() => service?.close());

  it('is served with a policy that allows only its own assets, and has no inline script or style', async () => {
    const response = await fetch(`${service.baseUrl}/`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(response.headers.get('content-security-policy'), CONSOLE_CONTENT_SECURITY_POLICY);
    assert.match(CONSOLE_CONTENT_SECURITY_POLICY, /default-src 'none'; script-src 'self'; style-src 'self'/);
    assert.doesNotMatch(CONSOLE_CONTENT_SECURITY_POLICY, /unsafe-inline|unsafe-eval|data:|\*/);
    assert.equal(response.headers.get('x-frame-options'), 'DENY');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    const html = await response.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.ok(scripts.length > 0);
    for (const [, attributes, body] of scripts) {
      assert.match(attributes ?? '', /src="\/assets\/[^"]+\.js"/, 'every script is a file of its own');
      assert.equal(body?.trim(), '', 'no inline script');
    }
    assert.doesNotMatch(html, /<style|style="/, 'no inline style');
  });

  it('serves the assets the page names, cached for good, and nothing else of the folder', async () => {
    const html = await (await fetch(`${service.baseUrl}/`)).text();
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]!);
    assert.ok(assets.some((asset) => asset.endsWith('.js')) && assets.some((asset) => asset.endsWith('.css')));
    for (const asset of assets) {
      const response = await fetch(`${service.baseUrl}${asset}`);
      assert.equal(response.status, 200, asset);
      assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.match(response.headers.get('content-type') ?? '', /^(text\/javascript|text\/css|image\/svg\+xml)/);
    }
    for (const probe of [
      '/assets/..%2Findex.html',
      '/assets/%2e%2e/index.html',
      '/assets/../../package.json',
      '/assets/.vite/manifest.json',
      '/assets/missing-123.js',
      '/index.htm',
      '/src/main.tsx',
      '/console/dist/index.html',
    ]) {
      // sent as written (fetch would resolve the dots before sending)
      assert.equal(await rawStatus(`${service.baseUrl}${probe}`), 404, probe);
    }
  });

  it('leaves the API, /docs and /trpc where they were', async () => {
    const rest = await fetch(`${service.baseUrl}/api/v2/users`);
    assert.equal(rest.status, 401);
    assert.deepEqual(await rest.json(), { code: 100001, msg: 'missing bearer token' });
    const docs = await fetch(`${service.baseUrl}/docs`);
    assert.equal(docs.status, 200);
    assert.match(await docs.text(), /swagger-ui/);
    const trpc = await fetch(`${service.baseUrl}/trpc/auth.methods`);
    assert.equal(trpc.status, 200);
    assert.equal(((await trpc.json()) as { result: { data: { password: boolean } } }).result.data.password, true);
  });

  it('says how to build the console when it is not built', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'console-dist-'));
    const page = consolePages({ dist: empty }).get('/')!;
    const app = new Koa().use((ctx, next) => (ctx.path === '/' ? page(ctx, next) : next()));
    const server = app.listen(0, '127.0.0.1');
    try {
      await new Promise<void>((resolve) => server.once('listening', () => resolve()));
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/`);
      assert.equal(response.status, 503);
      assert.match(await response.text(), /The console is not built.*npm run console:build/s);
    } finally {
      server.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

function rawStatus(url: string): Promise<number> {
  const { hostname, port } = new URL(url);
  const rawPath = url.slice(url.indexOf('/', 'http://'.length));
  return new Promise((resolve, reject) => {
    get({ hostname, port, path: rawPath }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    }).once('error', reject);
  });
}
