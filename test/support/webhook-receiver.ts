// A real webhook receiver for tests: a node:http server that verifies every delivery's
// signature with the `standardwebhooks` package, as a customer's receiver would, and records what
// came. What it answers is up to the test: a status per request (500 twice, then 200), holding a
// request open, or being down (closed) for a while.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  at: number;
  path: string;
  webhookId: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The parsed body, when its signature verified under the secret in force; null when it did not. */
  verified: { type: string; timestamp: string; data: Record<string, unknown> } | null;
}

export type Answer = number | 'hold';

/** The delivery as a receiver holding only `secret` reads it, with the package: parsed, or null if it does not verify. */
export function verifiedWith(secret: string, delivery: Pick<Received, 'body' | 'headers'>): Received['verified'] {
  try {
    return new Webhook(secret).verify(
      delivery.body,
      delivery.headers as Record<string, string>,
    ) as Received['verified'];
  } catch {
    return null;
  }
}

export class WebhookReceiver {
  readonly received: Received[] = [];
  /** The signing secret deliveries are verified with (set once the endpoint is registered). */
  secret: string | undefined;
  /** What the next requests are answered, in order; then `defaultAnswer`. */
  answers: Answer[] = [];
  defaultAnswer: Answer = 200;
  /** How long each answer takes (a slow receiver keeps deliveries in flight). */
  delayMs = 0;
  /** Requests held open (`'hold'`), to be answered or dropped by the test. */
  readonly held: http.ServerResponse[] = [];
  private server: http.Server | undefined;
  private waiters = new Set<() => void>();
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  async start(port = 0): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const verified = verifiedWith(this.secret ?? 'whsec_', { body, headers: req.headers });
        this.received.push({
          at: Date.now(),
          path: req.url ?? '',
          webhookId: String(req.headers['webhook-id']),
          headers: req.headers,
          body,
          verified,
        });
        for (const waiter of this.waiters) waiter();
        const answer = this.answers.shift() ?? this.defaultAnswer;
        if (answer === 'hold') {
          this.held.push(res);
          return;
        }
        const reply = () =>
          // a 3xx points elsewhere on this receiver: a sender that followed it would show up there
          res
            .writeHead(answer, {
              'content-type': 'text/plain',
              ...(answer >= 300 && answer < 400 ? { location: '/elsewhere' } : {}),
            })
            .end(answer < 300 ? 'ok' : 'no');
        if (this.delayMs > 0) setTimeout(reply, this.delayMs);
        else reply();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Stops listening (the port stays this receiver's for a later `start()`). */
  async stop(): Promise<void> {
    for (const res of this.held.splice(0)) res.destroy();
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Resolves once `predicate` holds for what was received. */
  async waitFor(predicate: (received: Received[]) => boolean, timeoutMs = 20_000): Promise<Received[]> {
    if (predicate(this.received)) return this.received;
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate(this.received)) return;
        cleanup();
        resolve(this.received);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `timed out; received so far: ${JSON.stringify(this.received.map((r) => [r.webhookId, r.verified?.type]))}`,
          ),
        );
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }
}
