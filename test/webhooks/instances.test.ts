// Several instances on one database share the deliveries: two in this process, each with its
// own delivery loop, deliver every event exactly once when nothing fails (no attempt is sent by
// both: the claim is `for update skip locked` with a lease); and an instance killed with SIGKILL
// in the middle of a delivery loses nothing: its claim runs out, and another instance delivers
// the same message (same webhook-id).
import assert from 'node:assert/strict';
import { startTestService, TEST_JWT_SECRET, TEST_TOTP_KEY, type TestService } from '../support/service';
import { restClient } from '../support/rest';
import { WebhookReceiver } from '../support/webhook-receiver';
import { insertEvents } from '../support/events';
import { envWithout, runScript } from '../support/process';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { readUntil } from '../support/eventually';

const FAST = { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_POLL_MS: '20', WEBHOOK_CONCURRENCY: '4' };

describe('webhook deliveries across instances', function () {
  this.timeout(90_000);

  it('two instances deliver every event, none twice', async () => {
    const first = await startTestService(FAST);
    const second = await startTestService(FAST, { url: first.databaseUrl });
    const receiver = await new WebhookReceiver().start();
    try {
      const { body: endpoint } = await restClient(first.baseUrl, first.adminToken).post('/api/v2/webhooks', {
        url: receiver.url,
        types: ['*'],
      });
      receiver.secret = endpoint.secret;
      // each answer takes a while: deliveries are in flight while the other instance looks for work
      receiver.delayMs = 100;
      const ids: number[] = [];
      // in several transactions, on both instances' connections
      for (let i = 0; i < 10; i++) {
        const db = i % 2 === 0 ? first : second;
        ids.push(
          ...(await insertEvents(
            db,
            Array.from({ length: 20 }, () => ({ type: 'user.updated' })),
          )),
        );
      }
      await receiver.waitFor((r) => r.length >= ids.length);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const delivered = receiver.received.map((r) => r.verified?.data.id);
      assert.equal(receiver.received.length, ids.length, 'no event delivered twice');
      assert.deepEqual(
        [...delivered].sort((a, b) => Number(a) - Number(b)),
        ids,
        'every event, each verified',
      );
      assert.equal(new Set(receiver.received.map((r) => r.webhookId)).size, ids.length);
      // every answer recorded (a moment after the receiver gave it), and none of them twice
      const recorded = await readUntil(
        'every attempt recorded',
        async () => Number((await first.sql<{ count: string }>(`select count(*) from webhook_attempts`))[0]?.count),
        (count) => count >= ids.length,
      );
      assert.equal(recorded, ids.length, 'one attempt per delivery');
    } finally {
      await receiver.stop();
      await second.close();
      await first.close();
    }
  });

  describe('kill -9 in the middle of a delivery', () => {
    let database: TestDatabase;
    let survivor: TestService | undefined;
    const receiver = new WebhookReceiver();

    before(async () => {
      database = await createTestDatabase();
      await receiver.start();
    });
    after(async () => {
      await receiver.stop();
      await survivor?.close();
      await database.drop();
    });

    it('another instance delivers what the killed one had claimed, with the same webhook-id', async () => {
      const env = {
        ...envWithout('PORT', 'NODE_ENV', 'LOG_LEVEL'),
        NODE_ENV: 'test',
        DATABASE_URL: database.url,
        JWT_SECRET: TEST_JWT_SECRET,
        TOTP_KEY: TEST_TOTP_KEY,
        PORT: '0',
        WEBHOOK_ALLOW_PRIVATE: 'true',
        WEBHOOK_POLL_MS: '50',
        // the claim lasts the timeout plus 5 s
        WEBHOOK_TIMEOUT_MS: '1000',
      };
      const child = runScript('server/start/main.ts', [], env);
      const [, baseUrl] = await child.waitFor(/listening on (http:\/\/[\d.:]+)/);
      survivor = await startTestService({ ...FAST, WEBHOOK_WORKER: 'false' }, { url: database.url });
      const { body: endpoint } = await restClient(baseUrl!, survivor.adminToken).post('/api/v2/webhooks', {
        url: receiver.url,
        types: ['*'],
      });
      receiver.secret = endpoint.secret;
      receiver.answers = ['hold'];

      const [id] = await insertEvents(survivor, [{ type: 'user.created' }]);
      const [held] = await receiver.waitFor((r) => r.length === 1);
      assert.equal(held!.verified?.data.id, id);
      child.child.kill('SIGKILL');
      assert.deepEqual(await child.exited, { code: null, signal: 'SIGKILL' });
      const killedAt = Date.now();

      // an instance with a delivery loop comes up (another one, or the same one restarted)
      await survivor.close();
      survivor = await startTestService(FAST, { url: database.url });
      const got = await receiver.waitFor((r) => r.length >= 2, 20_000);
      assert.equal(got[1]!.webhookId, held!.webhookId, 'the same message, the same webhook-id');
      assert.equal(got[1]!.verified?.data.id, id);
      assert.ok(got[1]!.at - killedAt < 8000, 'once the claim ran out');
      // the receiver has answered; the survivor records that answer a moment after
      const rest = restClient(survivor.baseUrl, survivor.adminToken);
      const [delivery] = await readUntil(
        'the second attempt recorded',
        async () => (await rest.get(`/api/v2/webhooks/${endpoint.id}/deliveries`)).body.items,
        ([d]) => d && d.state !== 'pending',
      );
      assert.equal(delivery.state, 'succeeded');
      // the killed attempt left no outcome; the second claim's attempt is number 2
      assert.deepEqual(
        delivery.attempts.map((a: { attempt: number; status: number }) => [a.attempt, a.status]),
        [[2, 200]],
      );
    });
  });
});
