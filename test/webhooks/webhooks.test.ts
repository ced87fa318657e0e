// Signed webhooks end to end, on one instance: an admin registers a real HTTP receiver (which
// verifies every signature with the `standardwebhooks` package), events written to the outbox
// reach it in the Standard Webhooks shape, failures are retried with the same webhook-id and
// growing gaps, a receiver that is down gets its deliveries once it is back, a redirect is not
// followed, pause/resume/test/redeliver do what they say, and the secret is shown once only.
import assert from 'node:assert/strict';
import { TRPCError } from '@trpc/server';
import pg from 'pg';
import { startTestService, type TestService } from '../support/service';
import { restClient } from '../support/rest';
import { verifiedWith, WebhookReceiver } from '../support/webhook-receiver';
import { insertEvents } from '../support/events';
import { readUntil } from '../support/eventually';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('signed webhooks', function () {
  this.timeout(60_000);
  let service: TestService;
  let receiver: WebhookReceiver;
  let rest: ReturnType<typeof restClient>;
  let endpoint: { id: string; url: string; types: string[]; secret: string };

  before(async () => {
    service = await startTestService({
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_POLL_MS: '50',
      WEBHOOK_RETRY_BASE_MS: '400',
      WEBHOOK_TIMEOUT_MS: '2000',
    });
    rest = restClient(service.baseUrl, service.adminToken);
    receiver = await new WebhookReceiver().start();
    const created = await rest.post('/api/v2/webhooks', {
      url: receiver.url,
      types: ['user.created', 'user.updated', 'webhook.test'],
    });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    endpoint = created.body;
    receiver.secret = endpoint.secret;
  });
  after(async () => {
    await receiver?.stop();
    await service?.close();
  });

  /** The deliveries log of the endpoint, over REST. */
  const deliveries = async () => (await rest.get(`/api/v2/webhooks/${endpoint.id}/deliveries?limit=100`)).body.items;

  it('answers a registration with the endpoint and a Standard Webhooks secret, shown once', async () => {
    assert.match(endpoint.id, /^[0-9a-f-]{36}$/);
    assert.equal(endpoint.url, receiver.url);
    assert.deepEqual(endpoint.types, ['user.created', 'user.updated', 'webhook.test']);
    assert.match(endpoint.secret, /^whsec_[A-Za-z0-9+/]{32}$/);

    const list = await rest.get('/api/v2/webhooks');
    const read = await rest.get(`/api/v2/webhooks/${endpoint.id}`);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.items[0], { ...read.body });
    assert.deepEqual(read.body, {
      id: endpoint.id,
      url: receiver.url,
      types: endpoint.types,
      status: 'active',
      statusReason: null,
      createdAt: read.body.createdAt,
      previousSecretExpiresAt: null,
    });
    const key = endpoint.secret.slice('whsec_'.length);
    for (const answer of [list, read]) assert.ok(!JSON.stringify(answer.body).includes(key), 'no secret in a read');
    const trpcList = await service.caller().webhooks.list({});
    assert.ok(!JSON.stringify(trpcList).includes(key));
    // stored sealed, under TOTP_KEY
    const [row] = await service.sql<{ secret: string }>(`select secret from webhook_endpoints where id = ?`, [
      endpoint.id,
    ]);
    assert.ok(row && !row.secret.includes(key) && row.secret.startsWith('v2.'));
  });

  it('delivers an event, signed, in the Standard Webhooks shape, with the event as the feed shows it', async () => {
    const [created, ignored, updated] = await insertEvents(service, [
      { type: 'user.created', userId: 'u-1' },
      { type: 'auth.signed_in', userId: 'u-1' },
      { type: 'user.updated', userId: 'u-1', data: { changes: { name: { before: 'Ann', after: 'Anna' } } } },
    ]);
    const got = await receiver.waitFor((r) => r.filter((x) => x.verified).length >= 2);
    const [first, second] = got;
    assert.ok(first?.verified && second?.verified, 'both signatures verify with the standardwebhooks package');
    assert.match(first.webhookId, /^msg_/);
    assert.equal(first.headers['content-type'], 'application/json');
    assert.match(String(first.headers['webhook-signature']), /^v1,/);
    assert.deepEqual(Object.keys(first.verified).sort(), ['data', 'timestamp', 'type']);
    assert.equal(first.verified.type, 'user.created');
    // exactly the feed's item for that event
    const feed = await rest.get(`/api/v2/events?after=${created! - 1}&limit=3`);
    assert.deepEqual(first.verified.data, feed.body.items[0]);
    assert.deepEqual(second.verified.data, feed.body.items[2]);
    assert.deepEqual(
      [first.verified.data.id, first.verified.data.type, first.verified.data.actor, first.verified.data.userId],
      [created, 'user.created', 'test-admin', 'u-1'],
    );
    assert.match(String(first.verified.data.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual(second.verified.data.changes, { name: { before: 'Ann', after: 'Anna' } });
    assert.equal(second.verified.data.id, updated);
    await sleep(300);
    assert.ok(!receiver.received.some((r) => r.verified?.data.id === ignored), 'a type not subscribed is not sent');
    assert.ok(
      !service.logs.some((line) => JSON.stringify(line).includes(endpoint.secret.slice(6))),
      'no secret in logs',
    );
  });

  it('never skips an event whose transaction commits after a later one: none is lost to the cursor', async () => {
    receiver.received.length = 0;
    // a writer that took its event id first and commits last
    const slow = new pg.Client({ connectionString: service.databaseUrl });
    await slow.connect();
    try {
      await slow.query('begin');
      await slow.query(
        `insert into events (id, type, actor) overriding system value values (500001, 'user.created', 'slow')`,
      );
      await service.sql(
        `insert into events (id, type, actor) overriding system value values (500002, 'user.created', 'fast')`,
      );
      await sleep(500);
      assert.deepEqual(
        receiver.received.map((r) => r.verified?.data.id),
        [],
        'the later event waits while an earlier transaction is open',
      );
      await slow.query('commit');
    } finally {
      await slow.end();
    }
    const got = await receiver.waitFor((r) => r.length >= 2);
    assert.deepEqual(got.map((r) => r.verified?.data.id).sort(), [500001, 500002]);
  });

  it('retries a receiver answering 500 twice with the same webhook-id, at growing gaps, then succeeds', async () => {
    receiver.received.length = 0;
    receiver.answers = [500, 500];
    const [id] = await insertEvents(service, [{ type: 'user.created', userId: 'u-2' }]);
    const got = await receiver.waitFor((r) => r.length >= 3);
    assert.deepEqual(new Set(got.map((r) => r.webhookId)).size, 1, 'one webhook-id on every attempt');
    assert.ok(got.every((r) => r.verified?.data.id === id));
    const gaps = [got[1]!.at - got[0]!.at, got[2]!.at - got[1]!.at];
    // base 400 ms, doubling, ±25 %: 300–500 ms, then 600–1000 ms
    assert.ok(gaps[0]! >= 250 && gaps[1]! > gaps[0]!, `growing gaps: ${gaps.join(', ')}`);
    // the receiver has answered the third; the service records that answer a moment after
    const [delivery] = await readUntil(
      'the third attempt recorded',
      async () => (await deliveries()).filter((d: { eventId: number }) => d.eventId === id),
      ([d]) => d && d.state !== 'pending',
    );
    assert.equal(delivery.state, 'succeeded');
    assert.equal(delivery.webhookId, got[0]!.webhookId);
    assert.deepEqual(
      delivery.attempts.map((a: { status: number }) => a.status),
      [500, 500, 200],
    );
    assert.equal(delivery.nextAttemptAt, null);
  });

  it('keeps retrying while the receiver is down, and delivers once it is back', async () => {
    await receiver.stop();
    receiver.received.length = 0;
    const [id] = await insertEvents(service, [{ type: 'user.created', userId: 'u-3' }]);
    const [pending] = await readUntil(
      'two failed attempts',
      async () => (await deliveries()).filter((d: { eventId: number }) => d.eventId === id),
      ([d]) => d?.attempts.length >= 2,
    );
    assert.equal(pending.state, 'pending');
    assert.match(pending.attempts[0].error, /connection failed: ECONNREFUSED/);
    assert.equal(pending.attempts[0].status, null);
    assert.ok(Date.parse(pending.nextAttemptAt) > Date.now() - 1000, 'it says when it tries next');
    await receiver.start(receiver.port);
    const [got] = await receiver.waitFor((r) => r.some((x) => x.verified?.data.id === id));
    assert.equal(got!.webhookId, pending.webhookId);
  });

  it('does not follow a redirect: a 3xx is a failed attempt, retried', async () => {
    receiver.received.length = 0;
    receiver.answers = [302];
    const [id] = await insertEvents(service, [{ type: 'user.created' }]);
    await receiver.waitFor((r) => r.length >= 2);
    assert.deepEqual(
      receiver.received.map((r) => r.path),
      ['/hook', '/hook'],
      'the Location (/elsewhere) is never visited',
    );
    const [delivery] = (await deliveries()).filter((d: { eventId: number }) => d.eventId === id);
    assert.equal(delivery.attempts[0].status, 302);
    assert.match(delivery.attempts[0].error, /redirects are not followed/);
  });

  it('holds deliveries while paused, sends them on resume; sends a test event; redelivers an event', async () => {
    const paused = await rest.post(`/api/v2/webhooks/${endpoint.id}/pause`, {});
    assert.equal(paused.status, 200);
    assert.deepEqual([paused.body.status, paused.body.statusReason], ['paused', 'paused by an admin']);
    receiver.received.length = 0;
    const [id] = await insertEvents(service, [{ type: 'user.created' }]);
    await sleep(600);
    assert.equal(receiver.received.length, 0, 'nothing is sent while paused');
    const resumed = await rest.post(`/api/v2/webhooks/${endpoint.id}/resume`, {});
    assert.deepEqual([resumed.body.status, resumed.body.statusReason], ['active', null]);
    const [first] = await receiver.waitFor((r) => r.some((x) => x.verified?.data.id === id));

    const test = await rest.post(`/api/v2/webhooks/${endpoint.id}/test`, {});
    assert.equal(test.status, 200);
    const tested = (await receiver.waitFor((r) => r.some((x) => x.webhookId === test.body.webhookId))).find(
      (x) => x.webhookId === test.body.webhookId,
    );
    assert.equal(tested?.verified?.type, 'webhook.test');
    assert.equal(tested?.verified?.data.actor, 'test-admin');

    const again = await rest.post(`/api/v2/webhooks/${endpoint.id}/redeliver`, { eventId: id });
    assert.equal(again.status, 200);
    assert.equal(again.body.webhookId, first!.webhookId, 'a redelivery keeps the webhook-id');
    await receiver.waitFor((r) => r.filter((x) => x.webhookId === first!.webhookId).length === 2);

    const missing = await rest.post(`/api/v2/webhooks/${endpoint.id}/redeliver`, { eventId: 999_999 });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.msg, 'event not found');
  });

  it('sends a redelivery asked for while the first attempt is still in flight, once that attempt has ended', async () => {
    // the first attempt held open by the receiver; meanwhile an admin asks for the event again
    receiver.answers = ['hold'];
    const [id] = await insertEvents(service, [{ type: 'user.created' }]);
    const [first] = (await receiver.waitFor((r) => r.some((x) => x.verified?.data.id === id))).filter(
      (x) => x.verified?.data.id === id,
    );
    // paused, so that nothing claims the redelivery before the held attempt's outcome is recorded:
    // the order in which a busy instance may record them
    assert.equal((await rest.post(`/api/v2/webhooks/${endpoint.id}/pause`, {})).status, 200);
    const again = await rest.post(`/api/v2/webhooks/${endpoint.id}/redeliver`, { eventId: id });
    assert.equal(again.body.webhookId, first!.webhookId);
    receiver.held.shift()!.writeHead(200).end('ok');
    const delivery = await readUntil(
      'the held attempt recorded',
      async () =>
        ((await deliveries()) as Array<{ webhookId: string; state: string; attempts: Array<{ status: number }> }>).find(
          (item) => item.webhookId === first!.webhookId,
        ),
      (item) => item?.attempts.length === 1,
    );
    assert.equal(delivery?.attempts[0]?.status, 200);
    assert.equal(delivery?.state, 'pending', 'the redelivery is still to send: the ended attempt did not settle it');

    assert.equal((await rest.post(`/api/v2/webhooks/${endpoint.id}/resume`, {})).status, 200);
    await receiver.waitFor((r) => r.filter((x) => x.webhookId === first!.webhookId).length === 2);
    const sent = await readUntil(
      'the redelivery recorded',
      async () =>
        ((await deliveries()) as Array<{ webhookId: string; state: string }>).find(
          (item) => item.webhookId === first!.webhookId,
        ),
      (item) => item?.state === 'succeeded',
    );
    assert.equal(sent?.state, 'succeeded');
  });

  it("rotates an endpoint's secret: both sign while the old one lasts, then only the new; 0 hours ends the old at once", async () => {
    const created = await rest.post('/api/v2/webhooks', { url: receiver.url, types: ['webhook.test'] });
    assert.equal(created.status, 200);
    const id = String(created.body.id);
    const rotate = (body: unknown) => rest.post(`/api/v2/webhooks/${id}/rotate-secret`, body);
    const delivered = async () => {
      const test = await rest.post(`/api/v2/webhooks/${id}/test`, {});
      assert.equal(test.status, 200);
      const got = await receiver.waitFor((r) => r.some((x) => x.webhookId === test.body.webhookId));
      return got.find((x) => x.webhookId === test.body.webhookId)!;
    };
    const first = String(created.body.secret);

    const rotated = await rotate({});
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    const second = String(rotated.body.secret);
    assert.match(second, /^whsec_[A-Za-z0-9+/]{32}$/);
    assert.notEqual(second, first);
    assert.deepEqual([rotated.body.id, rotated.body.url, rotated.body.types], [id, receiver.url, ['webhook.test']]);
    const overlapEnds = Date.parse(String(rotated.body.previousSecretExpiresAt));
    assert.ok(Math.abs(overlapEnds - (Date.now() + 24 * 3_600_000)) < 60_000, 'the old secret lasts 24 hours');
    const read = await rest.get(`/api/v2/webhooks/${id}`);
    assert.equal(read.body.previousSecretExpiresAt, rotated.body.previousSecretExpiresAt);
    const list = await rest.get('/api/v2/webhooks');
    for (const secret of [first, second]) {
      assert.ok(!JSON.stringify([read.body, list.body]).includes(secret.slice(6)), 'no secret in a read');
    }
    const [row] = await service.sql<{ secret: string; previous_secret: string }>(
      `select secret, previous_secret from webhook_endpoints where id = ?`,
      [id],
    );
    assert.ok(row?.secret.startsWith('v2.') && row.previous_secret.startsWith('v2.'), 'both kept sealed');
    assert.ok(!JSON.stringify(row).includes(first.slice(6)) && !JSON.stringify(row).includes(second.slice(6)));

    const during = await delivered();
    assert.ok(verifiedWith(second, during), 'the new secret verifies');
    assert.ok(verifiedWith(first, during), 'and so does the old one, while it lasts');
    assert.equal(String(during.headers['webhook-signature']).split(' ').length, 2);

    // the overlap over: only the new secret signs
    await service.sql(
      `update webhook_endpoints set previous_secret_expires_at = now() - interval '1 second' where id = ?`,
      [id],
    );
    assert.equal((await rest.get(`/api/v2/webhooks/${id}`)).body.previousSecretExpiresAt, null);
    const after = await delivered();
    assert.ok(verifiedWith(second, after));
    assert.ok(!verifiedWith(first, after), 'the old secret no longer verifies');
    assert.equal(String(after.headers['webhook-signature']).split(' ').length, 1);

    // a leaked secret ends at once
    const leaked = await rotate({ previousValidHours: 0 });
    assert.equal(leaked.status, 200);
    assert.equal(leaked.body.previousSecretExpiresAt, null);
    const third = String(leaked.body.secret);
    const now = await delivered();
    assert.ok(verifiedWith(third, now));
    assert.ok(!verifiedWith(second, now), 'the replaced secret stopped at once');

    // bad input is refused and changes nothing
    for (const bad of [-1, 169, 1.5, '24']) {
      const refused = await rotate({ previousValidHours: bad });
      assert.equal(refused.status, 400, String(bad));
      assert.equal(refused.body.msg, 'previousValidHours: must be a whole number of hours from 0 to 168');
    }
    assert.ok(verifiedWith(third, await delivered()), 'the secret is still the same');
    const missing = await rest.post(`/api/v2/webhooks/00000000-0000-4000-8000-000000000000/rotate-secret`, {});
    assert.equal(missing.status, 404);
    assert.equal((await rest.delete(`/api/v2/webhooks/${id}`)).status, 204);
  });

  it('updates an endpoint, refuses bad input with a 400 that says why, and deletes it', async () => {
    const changed = await rest.call('PATCH', `/api/v2/webhooks/${endpoint.id}`, { body: { types: ['*'] } });
    assert.equal(changed.status, 200);
    assert.deepEqual(changed.body.types, ['*']);
    const bad = await rest.post('/api/v2/webhooks', { url: receiver.url, types: [] });
    assert.equal(bad.status, 400);
    assert.match(bad.body.msg, /at least one event type/);
    const badUrl = await rest.post('/api/v2/webhooks', { url: 'ftp://example.com/', types: ['*'] });
    assert.equal(badUrl.status, 400);
    assert.match(badUrl.body.msg, /must be an https:\/\/ or http:\/\/ URL/);
    assert.equal((await rest.get('/api/v2/webhooks')).body.items.length, 1, 'nothing was added');

    const other = await rest.post('/api/v2/webhooks', { url: receiver.url, types: ['user.deleted'] });
    assert.equal((await rest.delete(`/api/v2/webhooks/${other.body.id}`)).status, 204);
    assert.equal((await rest.get(`/api/v2/webhooks/${other.body.id}`)).status, 404);
  });

  it('records who changed which endpoint, without a secret; * does not deliver them, naming one does', async () => {
    // an endpoint that names one webhook event, and one on * (which does not take them)
    const watcher = await rest.post('/api/v2/webhooks', { url: `${receiver.url}/watcher`, types: ['webhook.deleted'] });
    const everything = await rest.post('/api/v2/webhooks', { url: `${receiver.url}/everything`, types: ['*'] });
    const id = String(everything.body.id);
    const secrets = [String(watcher.body.secret), String(everything.body.secret)];
    await rest.call('PATCH', `/api/v2/webhooks/${id}`, { body: { types: ['*', 'user.created'] } });
    await rest.post(`/api/v2/webhooks/${id}/pause`, {});
    await rest.post(`/api/v2/webhooks/${id}/resume`, {});
    const rotated = await rest.post(`/api/v2/webhooks/${id}/rotate-secret`, { previousValidHours: 2 });
    secrets.push(String(rotated.body.secret));
    assert.equal((await rest.delete(`/api/v2/webhooks/${id}`)).status, 204);
    // a change that finds no endpoint records nothing
    assert.equal((await rest.post(`/api/v2/webhooks/${id}/pause`, {})).status, 404);

    const feed = await rest.get(
      `/api/v2/events?after=0&limit=100&type=webhook.created,webhook.updated,webhook.paused,webhook.resumed,webhook.secret_rotated,webhook.deleted`,
    );
    assert.equal(feed.status, 200);
    const mine = feed.body.items.filter((event: { data: { endpoint: string } }) => event.data.endpoint === id);
    assert.deepEqual(
      mine.map((event: { type: string }) => event.type),
      [
        'webhook.created',
        'webhook.updated',
        'webhook.paused',
        'webhook.resumed',
        'webhook.secret_rotated',
        'webhook.deleted',
      ],
    );
    for (const event of mine) {
      assert.equal(event.actor, 'test-admin');
      assert.equal(event.userId, null);
      assert.equal(event.data.url, `${receiver.url}/everything`);
    }
    // only what changed, as a user's update says it: the URL stayed
    assert.deepEqual(mine[1].data.fields, ['types']);
    assert.deepEqual(mine[1].changes, { types: { before: ['*'], after: ['*', 'user.created'] } });
    assert.equal(mine[4].data.previousValidHours, 2);
    const stored = JSON.stringify(await service.sql(`select * from events where type like 'webhook.%'`));
    for (const secret of secrets) assert.ok(!stored.includes(secret.slice(6)), 'no secret in an event');

    // the endpoint that named webhook.deleted is sent it; the one on * was sent none of them
    const deleted = await receiver.waitFor((r) => r.some((x) => x.path === '/hook/watcher'));
    const sent = deleted.find((x) => x.path === '/hook/watcher')!;
    assert.equal(JSON.parse(sent.body).type, 'webhook.deleted');
    assert.ok(
      !receiver.received.some((x) => x.path === '/hook/everything' && JSON.parse(x.body).type.startsWith('webhook.')),
    );
    await rest.delete(`/api/v2/webhooks/${String(watcher.body.id)}`);
  });

  it('refuses everyone but an admin, over both surfaces', async () => {
    const { token } = service.tokens.issue({ id: 'plain-user', role: 'user' });
    for (const [method, path] of [
      ['GET', '/api/v2/webhooks'],
      ['POST', '/api/v2/webhooks'],
      ['GET', `/api/v2/webhooks/${endpoint.id}/deliveries`],
      ['POST', `/api/v2/webhooks/${endpoint.id}/test`],
      ['POST', `/api/v2/webhooks/${endpoint.id}/rotate-secret`],
    ] as const) {
      const body = method === 'POST' ? { url: receiver.url, types: ['*'] } : undefined;
      const answer = await rest.call(method, path, { token, body });
      assert.equal(answer.status, 403, `${method} ${path}`);
      assert.equal(answer.body.msg, 'admin role required');
      assert.equal((await rest.call(method, path, { token: null, body })).status, 401);
    }
    const user = { id: 'plain-user', role: 'user' as const, issuedAt: Math.floor(Date.now() / 1000) };
    await assert.rejects(
      service.caller(user).webhooks.create({ url: receiver.url, types: ['*'] }),
      (error: TRPCError) => error.code === 'FORBIDDEN',
    );
    assert.equal((await rest.get('/api/v2/webhooks')).body.items.length, 1, 'nothing was added');
  });
});

describe('a webhook endpoint that keeps failing', function () {
  this.timeout(60_000);
  let service: TestService;
  let receiver: WebhookReceiver;

  before(async () => {
    service = await startTestService({
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_POLL_MS: '50',
      WEBHOOK_RETRY_BASE_MS: '200',
      WEBHOOK_RETRY_MAX_DELAY_MS: '400',
      // 1.8 seconds
      WEBHOOK_RETRY_HOURS: '0.0005',
    });
    receiver = await new WebhookReceiver().start();
    receiver.defaultAnswer = 503;
  });
  after(async () => {
    await receiver?.stop();
    await service?.close();
  });

  it('is paused once a delivery has failed for WEBHOOK_RETRY_HOURS, its status says why, and the audit trail by whom', async () => {
    const rest = restClient(service.baseUrl, service.adminToken);
    const { body: endpoint } = await rest.post('/api/v2/webhooks', { url: receiver.url, types: ['*'] });
    await insertEvents(service, [{ type: 'user.deleted' }]);
    const read = await readUntil(
      'the endpoint paused',
      async () => (await rest.get(`/api/v2/webhooks/${endpoint.id}`)).body,
      (body) => body.status === 'paused',
    );
    assert.equal(read.status, 'paused');
    assert.match(read.statusReason, /^a delivery failed for 0\.0005 hours \(last: answered 503\)$/);
    const [delivery] = (await rest.get(`/api/v2/webhooks/${endpoint.id}/deliveries`)).body.items;
    assert.equal(delivery.state, 'failed');
    assert.ok(delivery.attempts.length >= 3, `retried: ${delivery.attempts.length} attempts`);
    assert.ok(new Set(receiver.received.map((r) => r.webhookId)).size === 1);
    // recorded with the pause, as an admin's pause is, but by the service itself
    const paused = (await rest.get('/api/v2/events?type=webhook.paused')).body.items;
    assert.deepEqual(
      paused.map((event: { actor: string; data: Record<string, unknown> }) => [event.actor, event.data]),
      [['service', { endpoint: endpoint.id, url: receiver.url, types: ['*'], reason: read.statusReason }]],
    );
  });
});
