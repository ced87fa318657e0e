// Webhook delivery under load: does delivery keep up with writes? The service runs as its own
// process, started as `npm start` starts it (production mode, its real delivery loop), and a local
// receiver in this process verifies every signature with `standardwebhooks`. Two loads:
// - `--mode rate` (the default): a loader commits one event per transaction into the outbox at a
//   fixed rate from `--connections` connections (8), as the writes of that many creates would;
//   an event's lag runs from its commit (the loader's COMMIT returning) to its arrival;
// - `--mode creates`: real creates through the service (POST /api/v2/users, the password hashed
//   with scrypt at HASH_LOG_N, the user and its `user.created` event in one transaction), sent by
//   the bench's load generator (bench/load-generator.ts, autocannon) from `--connections`
//   connections (50), with the receiver registered for `user.created`; an event's lag runs from
//   its `time` (the start of its transaction: a few ms before the commit, so the lag is slightly
//   overstated) to its arrival.
// Each round starts from empty tables and a fresh service; the report gives each round and the
// medians of the rounds with their ranges: events (or creates) per second, deliveries per second,
// the lag's p50/p99/max, and what was missing or refused.
//   DATABASE_URL=postgres://… npm run bench:webhooks -- [--mode rate|creates] [--rate 1000] [--seconds 15]
//     [--connections N] [--rounds 3] [--hash-log-n 15] [--profile DIR]
// The delivery settings come from the environment like the service's (WEBHOOK_CONCURRENCY=16 …).
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { migrated } from './bench-database';
import { runLoad } from './loader';
import { markdownTable, median } from './report';
import { removeCreatedUsers } from './seed';
import { benchAdminToken, serverSettings, startServer, type RunningServer } from './servers';
import { loadConfig } from '../server/config/config';

const DATABASE = 'users_bench_webhooks';
/** How long after the load the receiver may still be waited for. */
const DRAIN_MS = 30_000;
const TARGET_LAG_MS = 1000;

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'rate' },
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '15' },
    connections: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    'hash-log-n': { type: 'string' },
    profile: { type: 'string' },
  },
});
const positive = (name: string, text: string) => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
};
if (values.mode !== 'rate' && values.mode !== 'creates') throw new Error('--mode must be rate or creates');
const MODE = values.mode;
const RATE = positive('rate', values.rate);
const SECONDS = positive('seconds', values.seconds);
const CONNECTIONS = positive('connections', values.connections ?? (MODE === 'rate' ? '8' : '50'));
const ROUNDS = positive('rounds', values.rounds);

const log = (line: string) =>
  process.stderr.write(`[bench:webhooks ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

interface RoundResult {
  /** Events committed per second by the load (rate mode: the loader's; creates mode: the service's creates). */
  writesPerSecond: number;
  events: number;
  delivered: number;
  duplicates: number;
  refused: number;
  deliveriesPerSecond: number;
  lagMs: { p50: number; p99: number; max: number };
  /** Creates mode: answers other than 2xx, and socket errors. */
  failedCreates?: number;
}

/** The receiver: verifies each delivery, keeps the first arrival of each event. */
class Receiver {
  readonly arrived = new Map<number, { at: number; time: string }>();
  duplicates = 0;
  refused = 0;
  verifier: Webhook | undefined;
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const at = Date.now();
      try {
        const { data } = this.verifier!.verify(
          Buffer.concat(chunks).toString('utf8'),
          req.headers as Record<string, string>,
        ) as { data: { id: number; time: string } };
        if (this.arrived.has(data.id)) this.duplicates += 1;
        else this.arrived.set(data.id, { at, time: data.time });
        res.writeHead(204).end();
      } catch {
        this.refused += 1;
        res.writeHead(400).end();
      }
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  reset(secret: string): void {
    this.arrived.clear();
    this.duplicates = 0;
    this.refused = 0;
    this.verifier = new Webhook(secret);
  }

  async waitFor(count: number, deadline: number): Promise<void> {
    while (this.arrived.size < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  close(): void {
    this.server.close();
  }
}

async function main(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('set DATABASE_URL to a PostgreSQL server');
  const url = await migrated(serverUrl, DATABASE);
  const pool = new pg.Pool({ connectionString: url, max: CONNECTIONS + 1 });
  // the bench's events take ids far above the service's own (its identity sequence gives the
  // endpoint's registration event id 1 in a new database): the two never meet
  await pool.query(`create sequence if not exists bench_event_ids start 1000000000`);

  const secret = randomBytes(32).toString('base64url');
  // the servers inherit these: a key for the sealed endpoint secrets, and local receivers allowed
  process.env.TOTP_KEY ??= randomBytes(32).toString('base64');
  process.env.WEBHOOK_ALLOW_PRIVATE = 'true';
  if (values['hash-log-n']) process.env.HASH_LOG_N = values['hash-log-n'];
  const config = loadConfig({ ...process.env, NODE_ENV: 'production', JWT_SECRET: secret, DATABASE_URL: url });
  const token = benchAdminToken(config, secret);
  const receiver = new Receiver();
  const receiverUrl = await receiver.start();
  const settings = `WEBHOOK_CONCURRENCY ${config.WEBHOOK_CONCURRENCY}, WEBHOOK_POLL_MS ${config.WEBHOOK_POLL_MS}`;
  log(
    MODE === 'rate'
      ? `fixed rate: ${RATE} events/s for ${SECONDS} s from ${CONNECTIONS} connections, ${ROUNDS} rounds; ${settings}`
      : `creates through the service: ${CONNECTIONS} connections for ${SECONDS} s, scrypt HASH_LOG_N ${config.HASH_LOG_N}, ${ROUNDS} rounds; ${settings}`,
  );

  const results: RoundResult[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    await pool.query(`truncate events, webhook_endpoints cascade`);
    await pool.query(`update webhook_fanout set last_txid = '0', last_id = 0`);
    if (MODE === 'creates') await removeCreatedUsers(url);
    const service = await startServer(
      'service',
      serverSettings(config, {
        databaseUrl: url,
        jwtSecret: secret,
        // unpinned: the service, its delivery loop, PostgreSQL, the receiver and the load share the machine
        cores: undefined,
      }),
      values.profile ? { dir: values.profile } : undefined,
    );
    try {
      const answer = await fetch(`${service.baseUrl}/api/v2/webhooks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: receiverUrl, types: MODE === 'rate' ? ['*'] : ['user.created'] }),
      });
      if (!answer.ok) throw new Error(`registering the receiver: ${answer.status} ${await answer.text()}`);
      receiver.reset(((await answer.json()) as { secret: string }).secret);
      const result =
        MODE === 'rate' ? await fixedRate(pool, receiver) : await creates(pool, receiver, service, token, round);
      results.push(result);
      log(
        `round ${round}: ${result.writesPerSecond.toFixed(1)} ${MODE === 'rate' ? 'events' : 'creates'}/s, ` +
          `${result.delivered}/${result.events} delivered at ${result.deliveriesPerSecond.toFixed(1)}/s, ` +
          `lag p50 ${result.lagMs.p50} ms, p99 ${result.lagMs.p99} ms, max ${result.lagMs.max} ms`,
      );
    } finally {
      await service.stop();
    }
  }
  receiver.close();
  await pool.end();
  report(results, config.HASH_LOG_N);
}

/** RATE events a second for SECONDS, each its own transaction, from CONNECTIONS connections. */
async function fixedRate(pool: pg.Pool, receiver: Receiver): Promise<RoundResult> {
  const committed = new Map<number, number>();
  const total = RATE * SECONDS;
  const started = Date.now();
  let next = 0;
  const writer = async () => {
    for (;;) {
      const n = next++;
      if (n >= total) return;
      const wait = started + (n * 1000) / RATE - Date.now();
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
  await receiver.waitFor(total, Date.now() + DRAIN_MS);
  const lags = [...committed].map(([id, at]) => Math.max(0, (receiver.arrived.get(id)?.at ?? Infinity) - at));
  return summarise(receiver, total, total / loadSeconds, started, lags);
}

/** Creates through the service for SECONDS from CONNECTIONS connections; every `user.created` event is waited for. */
async function creates(
  pool: pg.Pool,
  receiver: Receiver,
  service: RunningServer,
  token: string,
  round: number,
): Promise<RoundResult> {
  const started = Date.now();
  const load = await runLoad(
    {
      baseUrl: service.baseUrl,
      token,
      workload: 'create',
      users: 0,
      connections: CONNECTIONS,
      durationSeconds: SECONDS,
      warmupSeconds: 0,
      tag: `wh${Date.now().toString(36)}-${round}`,
    },
    'autocannon',
    undefined,
  );
  const { rows } = await pool.query<{ n: string }>(`select count(*) as n from events where type = 'user.created'`);
  const total = Number(rows[0]?.n);
  await receiver.waitFor(total, Date.now() + DRAIN_MS);
  const lags = [...receiver.arrived.values()].map(({ at, time }) => Math.max(0, at - Date.parse(time)));
  // an event not delivered counts as an infinite lag
  lags.push(...Array.from({ length: Math.max(0, total - lags.length) }, () => Infinity));
  return { ...summarise(receiver, total, load.rps, started, lags), failedCreates: load.non2xx + load.errors };
}

function summarise(
  receiver: Receiver,
  events: number,
  writesPerSecond: number,
  started: number,
  lags: number[],
): RoundResult {
  lags.sort((a, b) => a - b);
  const arrivals = [...receiver.arrived.values()].map(({ at }) => at);
  const lastArrival = arrivals.length > 0 ? Math.max(...arrivals) : started;
  return {
    writesPerSecond,
    events,
    delivered: receiver.arrived.size,
    duplicates: receiver.duplicates,
    refused: receiver.refused,
    deliveriesPerSecond: receiver.arrived.size / Math.max(0.001, (lastArrival - started) / 1000),
    lagMs: { p50: percentile(lags, 50), p99: percentile(lags, 99), max: lags.at(-1) ?? NaN },
  };
}

function report(results: RoundResult[], hashLogN: number): void {
  const number = (value: number, digits = 0) =>
    Number.isFinite(value)
      ? value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
      : '∞';
  const spread = (pick: (result: RoundResult) => number, digits = 0) => {
    const picked = results.map(pick);
    const low = Math.min(...picked);
    const high = Math.max(...picked);
    const middle = median(picked.map((value) => (Number.isFinite(value) ? value : Number.MAX_VALUE)));
    const shown = (value: number) => number(value >= Number.MAX_VALUE ? Infinity : value, digits);
    return results.length > 1 ? `${shown(middle)} (${shown(low)}–${shown(high)})` : shown(middle);
  };
  const load =
    MODE === 'rate'
      ? `${RATE} events/s, ${CONNECTIONS} connections, ${SECONDS} s`
      : `creates (scrypt logN ${hashLogN}), ${CONNECTIONS} connections, ${SECONDS} s`;
  const header = [
    'load',
    MODE === 'rate' ? 'events/s' : 'creates/s',
    'delivered',
    'deliveries/s',
    'lag p50 ms',
    'lag p99 ms',
    'lag max ms',
  ];
  const rows = [
    [
      `${load}: median of ${results.length} rounds (range)`,
      spread((r) => r.writesPerSecond, MODE === 'rate' ? 0 : 1),
      `${results.reduce((sum, r) => sum + r.delivered, 0)}/${results.reduce((sum, r) => sum + r.events, 0)}`,
      spread((r) => r.deliveriesPerSecond, MODE === 'rate' ? 0 : 1),
      spread((r) => r.lagMs.p50),
      spread((r) => r.lagMs.p99),
      spread((r) => r.lagMs.max),
    ],
  ];
  process.stdout.write(`${markdownTable(header, rows)}\n\n`);
  const worstP99 = Math.max(...results.map((r) => r.lagMs.p99));
  const duplicates = results.reduce((sum, r) => sum + r.duplicates, 0);
  const refused = results.reduce((sum, r) => sum + r.refused, 0);
  const failed = results.reduce((sum, r) => sum + (r.failedCreates ?? 0), 0);
  process.stdout.write(
    `event lag p99 < ${TARGET_LAG_MS} ms in every round: ${worstP99 < TARGET_LAG_MS ? 'met' : 'NOT met'} ` +
      `(worst round ${number(worstP99)} ms); duplicates ${duplicates}, refused signatures ${refused}` +
      `${MODE === 'creates' ? `, failed creates ${failed}` : ''}\n`,
  );
  process.stdout.write(`${JSON.stringify({ mode: MODE, rounds: results })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
