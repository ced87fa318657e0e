// Browser-facing hygiene: security headers on every response, and CORS only for the frontend
// origins the configuration names (none by default).
import assert from 'node:assert/strict';
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
