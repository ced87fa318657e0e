// What an anonymous caller can make the OAuth2 sign-in store: `authorize` writes a pending sign-in
// per call, so it is limited per client address (OAUTH2_AUTHORIZE_PER_ADDRESS_PER_HOUR, here at
// its default), on both surfaces; and the sweep of expired pending sign-ins that every call runs
// has an index to use. Against a real OpenID provider (oidc-provider).
import assert from 'node:assert/strict';
import { createUsersClient, TRPCClientError } from '../../client';
import type { OpenIdProvider } from '../support/test-openid-provider';
import { startWithOpenIdProvider } from '../support/provider-service';
import type { TestService } from '../support/service';
import { restClient } from '../support/rest';
import { newUserBody } from '../support/fixtures';
import { assertReadsIndex } from '../support/plans';

const AUTHORIZE = '/api/v2/auth/oauth2/authorize';

describe('OAuth2 authorize: bounded per client address', function () {
  this.timeout(120_000);
  let op: OpenIdProvider;
  let service: TestService;

  before(async () => {
    ({ op, service } = await startWithOpenIdProvider({
      // the default (an empty variable is an unset one), not the tests' high one
      OAUTH2_AUTHORIZE_PER_ADDRESS_PER_HOUR: '',
      // so that a test can come from another address (one trusted proxy in front)
      TRUST_PROXY: 'true',
    }));
  });
  after(async () => {
    await service?.close();
    await op?.close();
  });

  const authorize = (from: string) =>
    fetch(`${service.baseUrl}${AUTHORIZE}?returnTo=/`, { redirect: 'manual', headers: { 'x-forwarded-for': from } });
  const pending = async () => (await service.sql('select count(*)::int as n from oauth_states'))[0]?.n as number;

  it('answers 429 with Retry-After once an address has started OAUTH2_AUTHORIZE_PER_ADDRESS_PER_HOUR sign-ins', async () => {
    const limit = service.config.OAUTH2_AUTHORIZE_PER_ADDRESS_PER_HOUR;
    assert.equal(limit, 60, 'the default');
    const before = await pending();
    const statuses: number[] = [];
    let refusal: Response | undefined;
    // the replay of the report: 300 anonymous calls from one address
    for (let call = 0; call < 300; call += 1) {
      const response = await authorize('198.51.100.7');
      statuses.push(response.status);
      if (response.status === 429) refusal ??= response;
      else await response.arrayBuffer();
    }
    assert.deepEqual(
      statuses.slice(0, limit),
      Array.from({ length: limit }, () => 302),
    );
    assert.deepEqual(
      statuses.slice(limit),
      Array.from({ length: 300 - limit }, () => 429),
    );
    assert.ok(refusal);
    const retryAfter = Number(refusal.headers.get('retry-after'));
    assert.ok(retryAfter > 0 && retryAfter <= 3600, `Retry-After: ${refusal.headers.get('retry-after')}`);
    assert.equal(refusal.headers.get('set-cookie'), null, 'a refused call sets no binding cookie');
    assert.deepEqual(await refusal.json(), {
      code: 100001,
      msg: `too many sign-ins started from this address; try again in ${retryAfter} s`,
    });
    assert.equal((await pending()) - before, limit, 'only the allowed calls stored a pending sign-in');

    // the same procedure over tRPC, from the same address
    const client = createUsersClient({
      url: `${service.baseUrl}/trpc`,
      fetch: (url, init) => fetch(url, { ...init, headers: { ...init?.headers, 'x-forwarded-for': '198.51.100.7' } }),
    });
    await assert.rejects(client.auth.oauth2.authorize.query({ returnTo: '/' }), (error) => {
      assert.ok(error instanceof TRPCClientError);
      assert.equal(error.data?.code, 'TOO_MANY_REQUESTS');
      assert.match(error.message, /^too many sign-ins started from this address; try again in \d+ s$/);
      return true;
    });

    // another address has its own budget
    assert.equal((await authorize('198.51.100.8')).status, 302);
  });

  it('gives the sweep of expired pending sign-ins an index (oauth_states.expires_at)', async () => {
    // enough rows that the planner prefers the index when it has one: a few expired among many live
    await service.sql(
      `insert into oauth_states (state_hash, binding_hash, return_to, expires_at)
       select 'bulk-' || i, 'b', '/', now() + case when i % 100 = 0 then interval '-1 hour' else interval '1 hour' end
       from generate_series(1, 20000) as i`,
    );
    try {
      // the statement authorize runs (router/auth/oauth2/oauth2-store.ts), as the planner would run it
      await assertReadsIndex(
        service,
        'oauth_states',
        'delete from oauth_states where expires_at < now()',
        'oauth_states_expires_at_index',
      );
    } finally {
      await service.sql(`delete from oauth_states where state_hash like 'bulk-%'`);
    }
  });

  it('gives the removal of expired login codes an index (oauth_login_codes.expires_at)', async () => {
    const body = newUserBody();
    const created = await restClient(service.baseUrl, service.adminToken).post('/api/v2/users', {
      ...body,
      email: { email: body.email.email, authMethod: 3 },
    });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    await service.sql(
      `insert into oauth_login_codes (code_hash, browser_hash, user_id, expires_at)
       select 'bulk-' || i, 'b', ?, now() + case when i % 100 = 0 then interval '-1 hour' else interval '1 hour' end
       from generate_series(1, 20000) as i`,
      [created.body.id],
    );
    try {
      // the retention round's subselect (router/auth/oauth2/oauth2-store.ts removeExpiredLoginCodes)
      await assertReadsIndex(
        service,
        'oauth_login_codes',
        'select code_hash from oauth_login_codes where expires_at < now() limit 1000 for update skip locked',
        'oauth_login_codes_expires_at_index',
      );
    } finally {
      await service.sql(`delete from oauth_login_codes where code_hash like 'bulk-%'`);
    }
  });
});
