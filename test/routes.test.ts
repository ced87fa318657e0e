// The fixed routes (server/http/routes.ts, @koa/router): /healthz, /readyz, /metrics, the OpenAPI
// document and the reference pages answer GET and HEAD at exactly their paths, refuse other
// methods with 405 and Allow, carry the headers their group needs, and name themselves to the
// request log and the metrics.
import assert from 'node:assert/strict';
import { startTestService, type TestService } from './support/service';

const FRONTEND = 'https://app.example.com';
const ROUTES = [
  '/healthz',
  '/readyz',
  '/metrics',
  '/api/v2/openapi.json',
  '/docs',
  '/docs/',
  '/docs/init.js',
  '/docs/swagger-ui.css',
  '/docs/swagger-ui-bundle.js',
  '/docs/favicon-32x32.png',
];
const API_POLICY = "default-src 'none';frame-ancestors 'none'";

describe('the fixed routes', () => {
  let service: TestService;

  before(async () => {
    service = await startTestService({ CORS_ORIGINS: FRONTEND });
  });
  after(() => service.close());

  const request = (method: string, path: string, headers: Record<string, string> = {}) =>
    fetch(`${service.baseUrl}${path}`, { method, headers });

  it('answers GET and HEAD on each, HEAD with the same type and no body', async () => {
    for (const path of ROUTES) {
      const get = await request('GET', path);
      assert.equal(get.status, 200, `GET ${path}`);
      assert.ok((await get.arrayBuffer()).byteLength > 0, `GET ${path} has a body`);
      const head = await request('HEAD', path);
      assert.equal(head.status, 200, `HEAD ${path}`);
      assert.equal(head.headers.get('content-type'), get.headers.get('content-type'), `HEAD ${path}`);
      assert.equal((await head.arrayBuffer()).byteLength, 0, `HEAD ${path} has no body`);
    }
  });

  it('refuses every other method with 405 and Allow; OPTIONS learns the allowed ones', async () => {
    for (const path of ROUTES) {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        const response = await request(method, path);
        assert.equal(response.status, 405, `${method} ${path}`);
        assert.equal(response.headers.get('allow'), 'GET, HEAD', `${method} ${path}`);
        const message = `method ${method} is not allowed here; use GET or HEAD`;
        // under /api/v2 every error is the REST API's `{code, msg}`
        if (path.startsWith('/api/v2/')) assert.deepEqual(await response.json(), { code: 100001, msg: message });
        else assert.equal(await response.text(), message);
      }
      const options = await request('OPTIONS', path);
      assert.equal(options.status, 204, `OPTIONS ${path}`);
      assert.equal(options.headers.get('allow'), 'GET, HEAD', `OPTIONS ${path}`);
    }
  });

  it('matches exactly: no other case, no trailing slash, nothing else of swagger-ui-dist', async () => {
    for (const path of [
      '/HEALTHZ',
      '/healthz/',
      '/readyz/x',
      '/Docs',
      '/docs//',
      '/docs/index.html',
      '/docs/constructor',
      '/docs/package.json',
      '/docs/swagger-ui.js',
    ]) {
      const response = await request('GET', path);
      assert.equal(response.status, 404, path);
    }
    const document = await request('GET', '/api/v2/openapi.json/');
    assert.equal(document.status, 404);
    assert.deepEqual(await document.json(), { code: 100001, msg: 'no such endpoint: GET /api/v2/openapi.json/' });
  });

  it('sends browser headers with the document and the pages, none with the operational endpoints', async () => {
    const origin = { origin: FRONTEND };
    for (const path of ['/api/v2/openapi.json', '/docs/init.js']) {
      const response = await request('GET', path, origin);
      assert.equal(response.headers.get('content-security-policy'), API_POLICY, path);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(response.headers.get('x-frame-options'), 'DENY', path);
      assert.equal(response.headers.get('access-control-allow-origin'), FRONTEND, path);
    }
    const page = await request('GET', '/docs', origin);
    assert.match(page.headers.get('content-security-policy') ?? '', /^default-src 'self'; /);
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      const response = await request('GET', path, origin);
      assert.equal(response.headers.get('content-security-policy'), null, path);
      assert.equal(response.headers.get('access-control-allow-origin'), null, path);
    }
  });

  it('names each route in the request log and the metrics', async () => {
    const before = service.logs.length;
    for (const path of ['/healthz', '/api/v2/openapi.json', '/docs/init.js']) await request('GET', path);
    await request('POST', '/docs');
    const routes = service.logs
      .slice(before)
      .filter((line) => line.msg === 'request')
      .map((line) => `${String(line.method)} ${String(line.route)} ${String(line.status)}`);
    assert.deepEqual(routes, [
      'GET /healthz 200',
      'GET /api/v2/openapi.json 200',
      'GET /docs/init.js 200',
      'POST (unmatched) 405',
    ]);
    const metrics = await (await request('GET', '/metrics')).text();
    for (const operation of ['healthz', 'openapi', 'docs']) {
      assert.match(
        metrics,
        new RegExp(`http_requests_total\\{operation="${operation}",method="GET",status="200"\\} \\d+`),
      );
    }
  });
});
