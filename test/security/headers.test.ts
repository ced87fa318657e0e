// Browser-facing hygiene: security headers on every response, no answer kept by a cache, and CORS
// only for the frontend origins the configuration names (none by default).
import assert from 'node:assert/strict';
import { newUserBody } from '../support/fixtures';
import { startTestService, type TestService } from '../support/service';

describe('security headers and CORS', () => {
  let service: TestService;
  let open: TestService;
  const frontend = 'https://app.example.com';

  before(async () => {
    service = await startTestService({ CORS_ORIGINS: `${frontend}, https://admin.example.com` });
    open = await startTestService();
  });
  after(async () => {
    await service.close();
    await open.close();
  });

  const preflight = (base: string, origin: string) =>
    fetch(`${base}/api/v2/users`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });

  it('sends security headers', async () => {
    const response = await fetch(`${service.baseUrl}/api/v2/users`);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('x-frame-options'), 'DENY');
    assert.match(response.headers.get('strict-transport-security') ?? '', /max-age=/);
    assert.equal(response.headers.get('content-security-policy'), "default-src 'none';frame-ancestors 'none'");
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(response.headers.get('cross-origin-resource-policy'), 'same-origin');
    assert.equal(response.headers.get('x-powered-by'), null);
  });

  it('lets no cache keep an answer with a token, a secret or personal data (Cache-Control: no-store)', async () => {
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${open.baseUrl}${path}`, {
        ...init,
        headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
      });
    const admin = { authorization: `Bearer ${open.adminToken}` };
    const body = newUserBody();
    const created = await api('/api/v2/users', { method: 'POST', headers: admin, body: JSON.stringify(body) });
    const { id } = (await created.json()) as { id: string };
    const answers: Array<[string, Response]> = [
      ['a create', created],
      [
        'a sign-in, with its tokens',
        await api('/api/v2/auth/token', {
          method: 'POST',
          body: JSON.stringify({ email: body.email.email, password: body.email.password }),
        }),
      ],
      [
        "a machine client's secret",
        await api('/api/v2/clients', { method: 'POST', headers: admin, body: '{"name":"c"}' }),
      ],
      ['a read by id (the fast lane)', await api(`/api/v2/users/${id}`, { headers: admin })],
      ['a list', await api('/api/v2/users?offset=0&limit=5', { headers: admin })],
      ['a refusal', await api('/api/v2/users')],
      [
        'a tRPC query',
        await api(`/trpc/users.read?input=${encodeURIComponent(JSON.stringify({ id }))}`, { headers: admin }),
      ],
    ];
    for (const [what, response] of answers) {
      assert.ok(response.status < 500, what);
      assert.equal(response.headers.get('cache-control'), 'no-store', what);
    }
    // what may be cached says so itself
    const reference = await fetch(`${open.baseUrl}/docs`);
    assert.notEqual(reference.headers.get('cache-control'), 'no-store');
  });

  it('allows a configured frontend origin', async () => {
    const response = await preflight(service.baseUrl, frontend);
    assert.equal(response.headers.get('access-control-allow-origin'), frontend);
    assert.match(response.headers.get('access-control-allow-headers') ?? '', /Authorization/);
    const simple = await fetch(`${service.baseUrl}/api/v2/users`, { headers: { origin: frontend } });
    assert.equal(simple.headers.get('access-control-allow-origin'), frontend);
  });

  it('gives other origins nothing', async () => {
    const response = await preflight(service.baseUrl, 'https://evil.example.net');
    assert.equal(response.headers.get('access-control-allow-origin'), null);
  });

  it('allows no origin when none is configured', async () => {
    const response = await preflight(open.baseUrl, frontend);
    assert.equal(response.headers.get('access-control-allow-origin'), null);
  });
});
