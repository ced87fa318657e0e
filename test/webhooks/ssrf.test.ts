// Where a webhook may not go (SSRF), with WEBHOOK_ALLOW_PRIVATE unset as in production: a
// registration to plain http:, to a loopback, private, link-local or metadata address, or to a
// name that resolves to one (`localhost`), is refused with a 400 that says why and stores
// nothing; and a stored endpoint whose name resolves to such an address at delivery time is not
// contacted (the check is made again on every attempt, on the address that is then connected to).
import assert from 'node:assert/strict';
import { startTestService, type TestService } from '../support/service';
import { restClient } from '../support/rest';
import { WebhookReceiver } from '../support/webhook-receiver';
import { insertEvents } from '../support/events';
import { isRefusedAddress } from '../../server/webhooks/address-policy';

describe('webhook SSRF rules', function () {
  this.timeout(60_000);
  let strict: TestService;
  let rest: ReturnType<typeof restClient>;

  before(async () => {
    strict = await startTestService({ WEBHOOK_POLL_MS: '50', WEBHOOK_RETRY_BASE_MS: '300' });
    rest = restClient(strict.baseUrl, strict.adminToken);
  });
  after(() => strict?.close());

  it('refuses URLs that are not https:, or that point at a refused address, before or after DNS', async () => {
    const refusals: Array<[string, RegExp]> = [
      ['http://example.com/hook', /^url must be an https:\/\/ URL$/],
      ['https://127.0.0.1/hook', /resolves to 127\.0\.0\.1, a loopback, private, link-local or reserved address/],
      ['https://localhost:8443/hook', /^url host localhost resolves to (127\.0\.0\.1|::1), a loopback/],
      ['https://169.254.169.254/latest/meta-data/', /resolves to 169\.254\.169\.254/],
      ['https://10.1.2.3/hook', /resolves to 10\.1\.2\.3/],
      ['https://192.168.1.1/hook', /resolves to 192\.168\.1\.1/],
      ['https://[::1]/hook', /resolves to ::1/],
      ['https://[::ffff:127.0.0.1]/hook', /resolves to ::ffff:7f00:1/],
      ['https://[fd00:ec2::254]/hook', /resolves to fd00:ec2::254/],
      ['https://user:pass@example.com/hook', /must not carry a user name or password/],
      ['not a url', /must be an absolute URL/],
    ];
    for (const [url, message] of refusals) {
      const answer = await rest.post('/api/v2/webhooks', { url, types: ['*'] });
      assert.equal(answer.status, 400, url);
      assert.equal(answer.body.code, 100001);
      assert.match(answer.body.msg, message, url);
    }
    const created = await rest.post('/api/v2/webhooks', { url: 'https://203.0.113.10/hook', types: ['*'] });
    assert.equal(created.status, 200, 'a public address is accepted');
    const changed = await rest.call('PATCH', `/api/v2/webhooks/${created.body.id}`, {
      body: { url: 'https://localhost/hook' },
    });
    assert.equal(changed.status, 400, 'an update is held to the same rules');
    const { items } = (await rest.get('/api/v2/webhooks')).body;
    assert.deepEqual(
      items.map((item: { url: string }) => item.url),
      ['https://203.0.113.10/hook'],
      'nothing refused was stored',
    );
    await rest.delete(`/api/v2/webhooks/${created.body.id}`);
  });

  it('judges addresses in every form: IPv4, IPv6, IPv4 inside IPv6', () => {
    for (const address of [
      '127.0.0.1',
      '127.1.2.3',
      '0.0.0.0',
      '10.0.0.1',
      '172.16.5.4',
      '172.31.255.255',
      '192.168.0.1',
      '169.254.169.254',
      '100.100.100.200',
      '168.63.129.16',
      '224.0.0.1',
      '255.255.255.255',
      '::',
      '::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:a9fe:a9fe',
      'fe80::1',
      'fc00::1',
      'fd00:ec2::254',
      '64:ff9b::7f00:1',
    ]) {
      assert.equal(isRefusedAddress(address), true, address);
    }
    for (const address of ['203.0.113.10', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8']) {
      assert.equal(isRefusedAddress(address), false, address);
    }
  });

  it('does not deliver to an endpoint whose name resolves to a refused address at delivery time', async () => {
    const receiver = await new WebhookReceiver().start();
    // registered by an instance that allowed private addresses (and runs no delivery loop), on the
    // same database: as if the name had resolved to a public address at registration, then changed
    const lenient = await startTestService(
      { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_WORKER: 'false' },
      { url: strict.databaseUrl },
    );
    try {
      const { body: endpoint } = await restClient(lenient.baseUrl, lenient.adminToken).post('/api/v2/webhooks', {
        url: `http://localhost:${receiver.port}/hook`,
        types: ['*'],
      });
      receiver.secret = endpoint.secret;
      const [id] = await insertEvents(strict, [{ type: 'user.created' }]);
      let delivery;
      for (let i = 0; i < 100 && !(delivery?.attempts.length >= 2); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        [delivery] = (await rest.get(`/api/v2/webhooks/${endpoint.id}/deliveries`)).body.items;
      }
      assert.equal(delivery.eventId, id);
      assert.equal(delivery.state, 'pending');
      assert.match(delivery.attempts[0].error, /^url must be an https:\/\/ URL$/);
      // with https: the name is resolved and its address refused
      await lenient.sql(`update webhook_endpoints set url = ? where id = ?`, [
        `https://localhost:${receiver.port}/hook`,
        endpoint.id,
      ]);
      await rest.post(`/api/v2/webhooks/${endpoint.id}/redeliver`, { eventId: id });
      for (let i = 0; i < 100; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        [delivery] = (await rest.get(`/api/v2/webhooks/${endpoint.id}/deliveries`)).body.items;
        if (/localhost/.test(delivery.attempts.at(-1)?.error ?? '')) break;
      }
      assert.match(delivery.attempts.at(-1).error, /^url host localhost resolves to (127\.0\.0\.1|::1), a loopback/);
      assert.equal(receiver.received.length, 0, 'the receiver was never contacted');
    } finally {
      await lenient.close();
      await receiver.stop();
    }
  });
});
