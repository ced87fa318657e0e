// Webhook delivery under load: does delivery keep up with writes? The service runs as its own
// process (its real delivery loop), a local receiver in this process verifies every signature
// with `standardwebhooks`, and a loader commits one event per transaction into the outbox at a
// fixed rate, from several connections at once, as the writes of that many creates would. The
// lag of an event is from its commit (the loader's COMMIT returning) to its arrival at the
// receiver. Reports the lag's p50/p99/max and deliveries per second.
//   DATABASE_URL=postgres://… npx tsx bench/webhooks.ts [--rate 300] [--seconds 20] [--connections 8]
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { migrated } from './bench-database';
import { TokenService } from '../server/crypto/token-service';

const ROOT = path.resolve(__dirname, '..');
const arg = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
};
const RATE = arg('rate', 300);
const SECONDS = arg('seconds', 20);
const CONNECTIONS = arg('connections', 8);
const JWT_SECRET = 'bench-secret-that-is-at-least-32-bytes-long';
const TOTP_KEY = Buffer.alloc(32, 7).toString('base64');

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function main(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('set DATABASE_URL to a PostgreSQL server');
  const url = await migrated(serverUrl, 'users_bench_webhooks');
  const pool = new pg.Pool({ connectionString: url, max: CONNECTIONS + 1 });
  await pool.query(`truncate events, webhook_endpoints cascade`);
  await pool.query(`update webhook_fanout set last_txid = '0', last_id = 0`);
  await pool.query(`create sequence if not exists bench_event_ids`);

  // the receiver: verifies, records when each event arrived
  const arrived = new Map<number, number>();
  // set once the endpoint is registered (its secret)
  const signing: { verifier?: Webhook } = {};
  let refused = 0;
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        const event = signing.verifier!.verify(
          Buffer.concat(chunks).toString('utf8'),
          req.headers as Record<string, string>,
        ) as {
          data: { id: number };
        };
        if (!arrived.has(event.data.id)) arrived.set(event.data.id, Date.now());
        res.writeHead(204).end();
      } catch {
        refused += 1;
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverPort = (receiver.address() as AddressInfo).port;

  const service = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, 'server/start/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: url,
      JWT_SECRET,
      TOTP_KEY,
      PORT: '0',
      LOG_LEVEL: 'info',
      WEBHOOK_ALLOW_PRIVATE: 'true',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let text = '';
    service.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const match = /listening on (http:\/\/[\d.:]+)/.exec(text);
      if (match?.[1]) resolve(match[1]);
    });
    service.once('exit', () => reject(new Error(`the service exited:\n${text}`)));
  });
  const token = new TokenService({
    secret: JWT_SECRET,
    issuer: 'users-service',
    audience: 'users-api',
    ttlSeconds: 3600,
    clockToleranceSeconds: 30,
  }).issue({ id: 'bench', role: 'admin' }).token;
  const created = (await (
    await fetch(`${baseUrl}/api/v2/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: `http://127.0.0.1:${receiverPort}/hook`, types: ['*'] }),
    })
  ).json()) as { secret: string };
  signing.verifier = new Webhook(created.secret);

  // the load: RATE events a second, each its own transaction, from CONNECTIONS connections
  const committed = new Map<number, number>();
  const total = RATE * SECONDS;
  const started = Date.now();
  let next = 0;
  const writer = async () => {
    for (;;) {
      const n = next++;
      if (n >= total) return;
      const due = started + (n * 1000) / RATE;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const { rows } = await pool.query<{ id: string }>(
        `insert into events (id, type, actor, user_id, data) overriding system value
         values (nextval('bench_event_ids'), 'user.created', 'bench', 'u', '{}') returning id`,
      );
      committed.set(Number(rows[0]!.id), Date.now());
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, writer));
  const loadSeconds = (Date.now() - started) / 1000;
  const deadline = Date.now() + 30_000;
  while (arrived.size < total && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  const lastArrival = Math.max(...arrived.values());

  const lags = [...committed].map(([id, at]) => Math.max(0, (arrived.get(id) ?? Infinity) - at)).sort((a, b) => a - b);
  const deliverySeconds = (lastArrival - started) / 1000;
  const report = {
    rate: RATE,
    seconds: SECONDS,
    connections: CONNECTIONS,
    committedPerSecond: Math.round(total / loadSeconds),
    delivered: arrived.size,
    missing: total - arrived.size,
    refusedSignatures: refused,
    deliveriesPerSecond: Math.round(arrived.size / deliverySeconds),
    lagMs: { p50: percentile(lags, 50), p99: percentile(lags, 99), max: lags.at(-1) },
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(
    `event lag p99 ${report.lagMs.p99} ms (target < 1000 ms): ${report.lagMs.p99 < 1000 ? 'met' : 'NOT met'}\n`,
  );
  service.kill('SIGTERM');
  await new Promise((resolve) => service.once('exit', resolve));
  receiver.close();
  await pool.end();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
