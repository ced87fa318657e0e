// One delivery attempt over HTTP: the Standard Webhooks body and headers, signed with the
// `standardwebhooks` package, sent to the address that was checked (the socket's `lookup` is
// pinned to it, so a DNS answer that changes between the check and the connection, DNS
// rebinding, cannot move the request), with a timeout, a limit on how much of the answer is
// read, and no redirects: a 3xx is a failure, its Location never visited.
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { AddressRefused, resolveTarget } from './address-policy';

/**
 * Kept-alive connections, one agent per checked address (and host name, for TLS): a socket in an
 * agent only ever connected to that agent's address, so reusing it keeps the pin. Bounded: past
 * the limit the agents are dropped (their sockets close) and made again. An agent allows as many
 * sockets as a worker has deliveries in flight (WEBHOOK_CONCURRENCY, at most 256): a request never
 * waits in the agent's queue, where its timeout would run before it was sent.
 */
const agents = new Map<string, http.Agent>();
const MAX_AGENTS = 1000;

function agentFor(url: URL, address: string): http.Agent {
  const key = `${url.protocol}//${url.hostname}:${url.port}@${address}`;
  let agent = agents.get(key);
  if (!agent) {
    if (agents.size >= MAX_AGENTS) {
      for (const old of agents.values()) old.destroy();
      agents.clear();
    }
    const options = { keepAlive: true, maxSockets: 256, timeout: 30_000 };
    agent = url.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
    agents.set(key, agent);
  }
  return agent;
}

export interface SendSettings {
  allowPrivate: boolean;
  timeoutMs: number;
  responseLimitBytes: number;
}

export interface OutgoingMessage {
  url: string;
  /**
   * The endpoint's signing secrets, `whsec_…`: the current one, and while a rotation's overlap
   * lasts the one it replaced. The message carries a signature by each (space-separated, as
   * Standard Webhooks allows), so a receiver with either secret verifies it.
   */
  secrets: string[];
  /** `webhook-id`: the same on every attempt of one delivery, so receivers can drop duplicates. */
  messageId: string;
  type: string;
  data: unknown;
}

/** What an attempt came to: `ok` for a 2xx; otherwise the status (if any) and why it failed. */
export interface AttemptOutcome {
  ok: boolean;
  status: number | null;
  error: string | null;
  durationMs: number;
}

export async function sendWebhook(message: OutgoingMessage, settings: SendSettings): Promise<AttemptOutcome> {
  const started = Date.now();
  const done = (status: number | null, error: string | null): AttemptOutcome => ({
    ok: error === null && status !== null && status >= 200 && status < 300,
    status,
    error,
    durationMs: Date.now() - started,
  });
  let target;
  try {
    target = await resolveTarget(message.url, settings.allowPrivate);
  } catch (error) {
    if (error instanceof AddressRefused) return done(null, error.message);
    throw error;
  }
  const timestamp = new Date();
  const body = JSON.stringify({ type: message.type, timestamp: timestamp.toISOString(), data: message.data });
  const signature = message.secrets
    .map((secret) => new Webhook(secret).sign(message.messageId, timestamp, body))
    .join(' ');
  // every connection goes to the checked address, whatever the name would resolve to now
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const transport = target.url.protocol === 'https:' ? https : http;

  return new Promise<AttemptOutcome>((resolve) => {
    let settled = false;
    let cleanEnd = false;
    const finish = (status: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // a whole answer leaves its socket for the next delivery; anything else closes it
      if (!cleanEnd) request.destroy();
      resolve(done(status, error));
    };
    const request = transport.request(
      target.url,
      {
        method: 'POST',
        lookup: pinned,
        agent: agentFor(target.url, target.address),
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'users-service-webhooks/1',
          'webhook-id': message.messageId,
          'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
          'webhook-signature': signature,
        },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        if (status >= 300 && status < 400) return finish(status, `answered ${status}: redirects are not followed`);
        // the answer is read only up to the limit (its content is not kept): a receiver that
        // streams without end cannot hold the worker
        let received = 0;
        response.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > settings.responseLimitBytes) {
            finish(status, status >= 200 && status < 300 ? null : `answered ${status}`);
          }
        });
        response.on('end', () => {
          cleanEnd = true;
          finish(status, status >= 200 && status < 300 ? null : `answered ${status}`);
        });
        response.on('error', () => finish(status, `answered ${status}, then the connection failed`));
      },
    );
    const timer = setTimeout(() => finish(null, `no answer within ${settings.timeoutMs} ms`), settings.timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) =>
      finish(null, `connection failed: ${error.code ?? error.message}`),
    );
    request.end(body);
  });
}
