// The receiver the README shows under "Webhooks", taken from the README itself: type-checked
// strictly, run as its own process with the secret of an endpoint registered for it, and fed by the
// service. It prints each event once (a redelivery with the same webhook-id is answered but not
// handled again) and refuses a body that its signature does not cover. So the example a receiver's
// author copies is one that works against this service.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { Webhook } from 'standardwebhooks';
import { startTestService, type TestService } from '../support/service';
import { restClient } from '../support/rest';
import { newUserBody } from '../support/fixtures';
import { runNode, type Running } from '../support/process';
import { freePort } from '../../dev/embedded-postgres/embedded-postgres';
import { readUntil } from '../support/eventually';

const ROOT = path.resolve(__dirname, '../..');
const MODULES = path.join(ROOT, 'node_modules');

/** The first TypeScript block of the README's Webhooks section. */
function readmeReceiver(): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Webhooks\n'));
  const block = /```ts\n([\s\S]*?)```/.exec(section.slice(0, section.indexOf('\n## ', 1)));
  assert.ok(block?.[1], "the README's Webhooks section shows a receiver in a ts block");
  return block[1];
}

describe("the README's webhook receiver", function () {
  this.timeout(60_000);
  let service: TestService;
  let dir: string;
  let file: string;
  let receiver: Running | undefined;

  before(async () => {
    service = await startTestService({ WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_POLL_MS: '50' });
    dir = mkdtempSync(path.join(tmpdir(), 'users-readme-receiver-'));
    file = path.join(dir, 'receiver.ts');
    writeFileSync(file, readmeReceiver());
  });
  after(async () => {
    if (receiver && receiver.child.exitCode === null) {
      receiver.child.kill();
      await receiver.exited;
    }
    rmSync(dir, { recursive: true, force: true });
    await service?.close();
  });

  it('type-checks under strict settings, with the packages this project installs', () => {
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      esModuleInterop: true,
      types: ['node'],
      typeRoots: [path.join(MODULES, '@types')],
      // the file sits outside the project: its imports resolve in the project's node_modules
      baseUrl: dir,
      paths: { '*': [path.join(MODULES, '*')] },
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    assert.deepEqual(problems, []);
  });

  it('prints each event once, as the service delivers it, and refuses a body changed after it was signed', async () => {
    const rest = restClient(service.baseUrl, service.adminToken);
    const port = await freePort();
    const registered = await rest.post('/api/v2/webhooks', { url: `http://127.0.0.1:${port}/`, types: ['*'] });
    assert.equal(registered.status, 200, JSON.stringify(registered.body));
    const endpoint = registered.body as { id: string; secret: string };

    receiver = runNode(['--require', 'tsx/cjs', file], {
      ...process.env,
      NODE_PATH: MODULES,
      WEBHOOK_SECRET: endpoint.secret,
      PORT: String(port),
    });
    // listening: a request without a signature is refused
    let answer: Response | undefined;
    for (let tries = 0; !answer && tries < 100; tries += 1) {
      answer = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{}' }).catch(async () => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        return undefined;
      });
    }
    assert.equal(answer?.status, 400, receiver.output());

    const created = await rest.post('/api/v2/users', newUserBody());
    assert.equal(created.status, 200);
    const userId = (created.body as { id: string }).id;
    const [, eventId] = await receiver.waitFor(new RegExp(`^user\\.created (\\d+) ${userId}$`, 'm'), 20_000);

    // the same event again, with the same webhook-id: answered (204, so the attempt succeeds) and not handled twice
    const again = await rest.post(`/api/v2/webhooks/${endpoint.id}/redeliver`, { eventId: Number(eventId) });
    assert.equal(again.status, 200, JSON.stringify(again.body));
    const log = async () =>
      (await rest.get(`/api/v2/webhooks/${endpoint.id}/deliveries?limit=100`)).body.items as Array<{
        eventId: number | null;
        attempts: Array<{ status: number | null }>;
      }>;
    const statuses = await readUntil(
      'both attempts recorded',
      async () =>
        (await log()).find((item) => item.eventId === Number(eventId))?.attempts.map((attempt) => attempt.status) ?? [],
      (recorded) => recorded.length >= 2,
    );
    assert.deepEqual(statuses, [204, 204]);
    assert.equal(receiver.output().match(new RegExp(`^user\\.created ${eventId} `, 'gm'))?.length, 1);

    // a body changed after it was signed with the endpoint's secret is refused; the one signed is taken
    const signer = new Webhook(endpoint.secret);
    const at = new Date();
    const body = JSON.stringify({ type: 'user.deleted', timestamp: at.toISOString(), data: { id: 1, userId: 'u-9' } });
    const headers = {
      'webhook-id': 'msg_signed_here',
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': signer.sign('msg_signed_here', at, body),
    };
    const before = receiver.output();
    const send = (payload: string) => fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers, body: payload });
    assert.equal((await send(body.replace('u-9', 'u-8'))).status, 400);
    assert.equal(receiver.output(), before, 'a changed body is not handled');
    assert.equal((await send(body)).status, 204);
    await receiver.waitFor(/^user\.deleted 1 u-9$/m, 5_000);
  });
});
