// Behind TRUST_PROXY the client is the address the outermost trusted proxy saw: the
// TRUST_PROXY_HOPS-th entry of X-Forwarded-For from the right. Entries left of it are the
// client's own words, so making them up changes nothing (here: the login limit still counts the
// same client); the proxies' own addresses, right of it, are not the client either.
import assert from 'node:assert/strict';
import { newUserBody } from '../support/fixtures';
import { restClient } from '../support/rest';
import { startTestService, type TestService } from '../support/service';

describe('the client address behind trusted proxies', () => {
  let service: TestService;

  before(
    async () =>
      (service = await startTestService({
        TRUST_PROXY: 'true',
        TRUST_PROXY_HOPS: '2',
        LOGIN_MAX_CONSECUTIVE_FAILS: '2',
      })),
  );
  after(() => service.close());

  async function user() {
    const body = newUserBody();
    assert.equal((await restClient(service.baseUrl, service.adminToken).post('/api/v2/users', body)).status, 200);
    return { email: body.email.email, password: String(body.email.password) };
  }
  const signIn = (who: { email: string }, password: string, forwardedFor: string) =>
    restClient(service.baseUrl).post(
      '/api/v2/auth/token',
      { email: who.email, password },
      { headers: { 'x-forwarded-for': forwardedFor } },
    );

  it('counts the address the outer proxy saw, whatever the client puts before it', async () => {
    const victim = await user();
    // a CDN saw 203.0.113.7 and appended it; the balancer appended the CDN's 10.0.0.1
    assert.equal((await signIn(victim, 'guess 1', 'made.up.1, 203.0.113.7, 10.0.0.1')).status, 401);
    assert.equal((await signIn(victim, 'guess 2', '198.51.100.99, 203.0.113.7, 10.0.0.1')).status, 401);
    const refused = await signIn(victim, victim.password, 'yet.another.lie, 203.0.113.7, 10.0.0.1');
    assert.equal(refused.status, 429, 'the same client, whatever it made up');
  });

  it('tells clients behind the same proxies apart', async () => {
    const victim = await user();
    assert.equal((await signIn(victim, 'guess 1', '203.0.113.20, 10.0.0.1')).status, 401);
    assert.equal((await signIn(victim, 'guess 2', '203.0.113.20, 10.0.0.1')).status, 401);
    assert.equal((await signIn(victim, victim.password, '203.0.113.20, 10.0.0.1')).status, 429);
    // same proxies, another client: not the proxy's address that counts
    assert.equal((await signIn(victim, victim.password, '203.0.113.21, 10.0.0.1')).status, 200);
  });
});
