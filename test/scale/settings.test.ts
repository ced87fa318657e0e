// The settings of running several instances, as the configuration schema reads them: what is
// refused (with the variable's name), and the defaults the README's table gives.
import assert from 'node:assert/strict';
import { loadConfig } from '../../server/config/config';

const SECRETS = {
  JWT_SECRET: 'a-secret-that-is-at-least-32-bytes-long!!',
  TOTP_KEY: Buffer.alloc(32, 7).toString('base64'),
};

describe('settings for several instances', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    assert.deepEqual(config.DATABASE_REPLICA_URLS, []);
    assert.equal(config.REPLICA_MAX_LAG_MS, 5000);
    assert.equal(config.TRUST_PROXY, false);
    assert.equal(config.TRUST_PROXY_HOPS, 1);
    assert.equal(config.KEEP_ALIVE_TIMEOUT_MS, 65_000);
    assert.equal(config.HEADERS_TIMEOUT_MS, 66_000);
    assert.equal(config.SHUTDOWN_DRAIN_DELAY_MS, 0, 'no balancer to wait for in development');
    assert.equal(loadConfig({ NODE_ENV: 'production', ...SECRETS }).SHUTDOWN_DRAIN_DELAY_MS, 10_000);
    assert.equal(
      loadConfig({ NODE_ENV: 'production', ...SECRETS, SHUTDOWN_DRAIN_DELAY_MS: '0' }).SHUTDOWN_DRAIN_DELAY_MS,
      0,
    );
  });

  it('reads replica URLs as a comma-separated list', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://primary/users',
      DATABASE_REPLICA_URLS: 'postgres://replica-1/users, postgresql://replica-2:5433/users',
    });
    assert.deepEqual(config.DATABASE_REPLICA_URLS, ['postgres://replica-1/users', 'postgresql://replica-2:5433/users']);
  });

  const refused: Array<[string, Record<string, string>, RegExp]> = [
    [
      'a replica that is no postgres:// URL',
      { DATABASE_URL: 'postgres://p/u', DATABASE_REPLICA_URLS: 'postgres://r/u,redis://x' },
      /DATABASE_REPLICA_URLS\.1: must be a postgres:\/\/ URL/,
    ],
    [
      'replicas without a primary',
      { DATABASE_REPLICA_URLS: 'postgres://r/u' },
      /DATABASE_REPLICA_URLS: needs DATABASE_URL/,
    ],
    [
      'a header timeout not above the keep-alive one',
      { KEEP_ALIVE_TIMEOUT_MS: '70000', HEADERS_TIMEOUT_MS: '70000' },
      /HEADERS_TIMEOUT_MS: must be above KEEP_ALIVE_TIMEOUT_MS/,
    ],
    ['no hops', { TRUST_PROXY_HOPS: '0' }, /TRUST_PROXY_HOPS/],
    ['a lag below what the checks can tell', { REPLICA_MAX_LAG_MS: '50' }, /REPLICA_MAX_LAG_MS/],
  ];
  for (const [what, env, message] of refused) {
    it(`refuses ${what}, naming the variable`, () => {
      assert.throws(() => loadConfig(env), message);
    });
  }
});
