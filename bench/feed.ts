// The event feed at 10 million events against 100,000 (issue 21: "reading a page costs the same
// as at 100k"), side by side in one run. Two databases on the DATABASE_URL server hold only bulk
// events: `users_bench_feed_<N>` for each size, loaded once by INSERT … SELECT generate_series (in
// chunks of a million, with every index in place, as the service's own inserts would grow them),
// then VACUUM (ANALYZE) as autovacuum would (the bench's server runs with autovacuum off), and kept
// between runs (a rerun with the same sizes loads nothing; --reload forces it).
//
// The events: types in fixed shares (user.updated 30 %, auth.signed_in 30 %, user.created 10 %, …,
// auth.totp_reset 1 in 10,000), each about one of size/100 users (so a user has about 100 events
// at either size), in id order over the last 30 days. Scenarios, each a page of 100 after a random
// id (uniform over the ids):
//   GET /api/v2/events?after=<id>&limit=100
//   GET /api/v2/events?after=<id>&limit=100&type=user.updated
//   GET /api/v2/events?after=<id>&limit=100&type=auth.totp_reset      (a rare type)
//   GET /api/v2/events?after=<id>&limit=100&type=user.disabled        (a type with no events)
//   GET /api/v2/events?after=<id>&limit=100&userId=<random user>
// The service is started once per database (as `npm start` starts it, pinned to --server-cores,
// its webhook worker and retention off: neither is what is measured), the load generator
// (autocannon, in a process of its own on --load-cores) measures each scenario at both sizes in
// turn, the order flipping every round. The report: req/s, p50 and p99 at both sizes, the median
// of the per-round ratios (large / small) with their range, and what a page costs PostgreSQL
// (buffers touched and execution time of the statement the feed sends, from EXPLAIN ANALYZE of
// random pages): that figure does not move with other work on the machine.
//   DATABASE_URL=postgres://… npm run bench:feed -- [--large 10000000] [--small 100000] [--rounds 3]
//     [--duration 10] [--warmup 2] [--connections 10] [--server-cores 0] [--load-cores 1] [--reload]
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { autocannonRun } from './autocannon-run';
import pg from 'pg';
import { migrated } from './bench-database';
import { canPin, startPinned } from './processes';
import { markdownTable, median } from './report';
import { benchAdminToken, ROOT, serverSettings, startServer, type RunningServer } from './servers';
import { RESULT_MARKER, type LoadResult } from './workload';
import { loadConfig } from '../server/config/config';
import { feedStatement, type FeedQuery } from '../router/events/events-store';

const SCENARIOS = {
  all: 'feed, no filter',
  type: 'feed, type=user.updated',
  rare: 'feed, type=auth.totp_reset (1 in 10,000)',
  absent: 'feed, type=user.disabled (none)',
  user: 'feed, userId=<random user>',
} as const;
type Scenario = keyof typeof SCENARIOS;
/** The type each type scenario filters by: a common one, a rare one, one the load never holds. */
const FILTERED_TYPES: Partial<Record<Scenario, string>> = {
  type: 'user.updated',
  rare: 'auth.totp_reset',
  absent: 'user.disabled',
};
/** What the load holds besides its size; a database loaded with another mix is loaded again. */
const MIX = 'shares-2: auth.totp_reset 1/10000';
const PAGE = 100;
/** Events per user, at either size. */
const EVENTS_PER_USER = 100;
const CHUNK = 1_000_000;

/** What one load-generator process sends and to whom. */
interface FeedLoadSpec {
  baseUrl: string;
  token: string;
  scenario: Scenario;
  maxId: number;
  users: number;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
}

const log = (line: string) => process.stderr.write(`[bench:feed ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

const userName = (index: number) => `feed-user-${index}`;

/** A page of `scenario` after a random id. */
function feedQuery(spec: Pick<FeedLoadSpec, 'scenario' | 'maxId' | 'users'>): FeedQuery {
  const type = FILTERED_TYPES[spec.scenario];
  return {
    after: Math.floor(Math.random() * spec.maxId),
    limit: PAGE,
    ...(type ? { types: [type] } : {}),
    ...(spec.scenario === 'user' ? { userId: userName(Math.floor(Math.random() * spec.users)) } : {}),
  };
}

function feedPath(spec: Pick<FeedLoadSpec, 'scenario' | 'maxId' | 'users'>): string {
  const query = feedQuery(spec);
  const filter =
    (query.types ? `&type=${query.types.join(',')}` : '') + (query.userId ? `&userId=${query.userId}` : '');
  return `/api/v2/events?after=${query.after}&limit=${query.limit}${filter}`;
}

// ---- the load generator (this file again, in a process of its own) ----

async function loadRun(spec: FeedLoadSpec, seconds: number): Promise<LoadResult> {
  return autocannonRun({
    url: spec.baseUrl,
    connections: spec.connections,
    duration: seconds,
    headers: { authorization: `Bearer ${spec.token}` },
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: feedPath(spec) }) }],
  });
}

async function loadGenerator(specText: string): Promise<void> {
  const spec = JSON.parse(specText) as FeedLoadSpec;
  if (spec.warmupSeconds > 0) await loadRun(spec, spec.warmupSeconds);
  const result = await loadRun(spec, spec.durationSeconds);
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify(result)}\n`);
}

async function runFeedLoad(spec: FeedLoadSpec, cores: string | undefined): Promise<LoadResult> {
  const child = startPinned(
    'feed load',
    cores,
    process.execPath,
    ['--require', 'tsx/cjs', path.join(ROOT, 'bench/feed.ts'), '--load-generator', JSON.stringify(spec)],
    process.env,
  );
  const code = await child.exited;
  const line = child
    .output()
    .split('\n')
    .find((text) => text.startsWith(RESULT_MARKER));
  if (code !== 0 || !line) throw new Error(`the load generator failed (exit ${code}):\n${child.output()}`);
  return JSON.parse(line.slice(RESULT_MARKER.length), (_key, value: unknown) => value ?? NaN) as LoadResult;
}

// ---- the databases ----

interface FeedDatabase {
  size: number;
  url: string;
  maxId: number;
  users: number;
}

/** The database of `size` events, loaded (and vacuumed) unless it already holds exactly that load. */
async function feedDatabase(serverUrl: string, size: number, reload: boolean): Promise<FeedDatabase> {
  const url = await migrated(serverUrl, `users_bench_feed_${size}`);
  const users = Math.max(1, Math.round(size / EVENTS_PER_USER));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create table if not exists bench_feed_load (events bigint not null, users bigint not null,
      loaded_at timestamptz not null default now())`);
    await client.query(`alter table bench_feed_load add column if not exists mix text`);
    const [marker] = (
      await client.query<{ events: string; users: string; mix: string | null }>(
        `select events, users, mix from bench_feed_load`,
      )
    ).rows;
    if (reload || !marker || Number(marker.events) !== size || Number(marker.users) !== users || marker.mix !== MIX) {
      const started = Date.now();
      log(`loading ${size.toLocaleString('en-US')} events about ${users.toLocaleString('en-US')} users into ${url}`);
      await client.query(`truncate events, bench_feed_load restart identity cascade`);
      for (let from = 1; from <= size; from += CHUNK) {
        const to = Math.min(size, from + CHUNK - 1);
        // hashint8extended: a fixed pseudo-random number per event, for its type and its user
        await client.query(
          `insert into events (type, actor, user_id, request_id, client_address, data, time)
           select k.type, 'bench-admin', 'feed-user-' || (abs(hashint8extended(g, 2)) % $3), md5(g::text), '127.0.0.1',
                  case k.type
                    when 'user.updated' then '{"fields":["name"],"changes":{"name":{"before":"before","after":"after"}}}'::jsonb
                    when 'auth.signed_in' then '{"method":"password"}'::jsonb
                    when 'auth.sign_in_failed' then '{"method":"password","reason":"wrong_password"}'::jsonb
                    else '{}'::jsonb end,
                  now() - interval '30 days' * (1 - g::float8 / $4)
             from generate_series($1::bigint, $2::bigint) g,
                  lateral (select case
                    when s < 30 then 'user.updated' when s < 60 then 'auth.signed_in' when s < 70 then 'user.created'
                    when s < 80 then 'auth.signed_out' when s < 90 then 'auth.sign_in_failed'
                    when s < 97 then 'auth.credentials_changed' when s < 99 then 'user.deleted'
                    when abs(hashint8extended(g, 3)) % 100 = 0 then 'auth.totp_reset'
                    else 'auth.totp_enrolled' end as type
                    from (select abs(hashint8extended(g, 1)) % 100 as s) as shares) k
            order by g`,
          [from, to, users, size],
        );
        log(`  ${to.toLocaleString('en-US')} events (${Math.round((Date.now() - started) / 1000)} s)`);
      }
      // what autovacuum would have done by now: the visibility map set, the statistics gathered
      await client.query(`vacuum (analyze) events`);
      await client.query(`insert into bench_feed_load (events, users, mix) values ($1, $2, $3)`, [size, users, MIX]);
      log(`  loaded and vacuumed in ${Math.round((Date.now() - started) / 1000)} s`);
    } else {
      log(`${size.toLocaleString('en-US')} events already loaded (kept from an earlier run)`);
    }
    const { rows } = await client.query<{ max: string }>(`select max(id) as max from events`);
    return { size, url, maxId: Number(rows[0]?.max), users };
  } finally {
    await client.end();
  }
}

/**
 * What a page costs PostgreSQL: EXPLAIN (ANALYZE, BUFFERS) of the statement readFeed sends
 * (feedStatement in router/events/events-store.ts; its id lock left out), over `samples` random
 * pages: the median buffers touched, execution time and events answered.
 */
async function pageCost(db: FeedDatabase, scenario: Scenario, samples: number) {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const buffers: number[] = [];
    const times: number[] = [];
    const rows: number[] = [];
    for (let i = 0; i < samples; i++) {
      const statement = feedStatement(feedQuery({ scenario, maxId: db.maxId, users: db.users }));
      let binding = 0;
      const { rows: plan } = await client.query<{
        'QUERY PLAN': Array<{ Plan: Record<string, number> } & Record<string, number>>;
      }>(
        // knex-style `?` bindings as pg's $n (the statement holds no other `?`)
        `explain (analyze, buffers, format json) ${statement.sql.replace(/\?/g, () => `$${++binding}`)}`,
        statement.params,
      );
      const top = plan[0]!['QUERY PLAN'][0]!;
      buffers.push((top.Plan['Shared Hit Blocks'] ?? 0) + (top.Plan['Shared Read Blocks'] ?? 0));
      times.push(top['Execution Time'] ?? NaN);
      rows.push(top.Plan['Actual Rows'] ?? NaN);
    }
    return { buffers: median(buffers), ms: median(times), rows: median(rows) };
  } finally {
    await client.end();
  }
}

// ---- the run ----

interface Measurement {
  round: number;
  scenario: Scenario;
  size: number;
  load: LoadResult;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      large: { type: 'string', default: '10000000' },
      small: { type: 'string', default: '100000' },
      rounds: { type: 'string', default: '3' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      connections: { type: 'string', default: '10' },
      'server-cores': { type: 'string', default: '0' },
      'load-cores': { type: 'string', default: '1' },
      samples: { type: 'string', default: '200' },
      reload: { type: 'boolean', default: false },
    },
  });
  const count = (name: keyof typeof values, min: number) => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer of at least ${min}`);
    return value;
  };
  const [large, small] = [count('large', 1000), count('small', 1000)];
  const rounds = count('rounds', 1);
  const durationSeconds = count('duration', 1);
  const warmupSeconds = count('warmup', 0);
  const connections = count('connections', 1);
  const samples = count('samples', 1);
  const serverCores = canPin ? values['server-cores'] : undefined;
  const loadCores = canPin ? values['load-cores'] : undefined;
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('set DATABASE_URL to a PostgreSQL server');

  const databases = [
    await feedDatabase(serverUrl, small, values.reload),
    await feedDatabase(serverUrl, large, values.reload),
  ];

  const secret = randomBytes(32).toString('base64url');
  process.env.TOTP_KEY ??= randomBytes(32).toString('base64');
  // neither the delivery loop (it would fan the bulk events out) nor retention is what is measured
  process.env.WEBHOOK_WORKER = 'false';
  process.env.EVENT_RETENTION_DAYS = '36500';
  const config = loadConfig({ ...process.env, NODE_ENV: 'production', JWT_SECRET: secret, DATABASE_URL: serverUrl });
  const token = benchAdminToken(config, secret);

  const services = new Map<number, RunningServer>();
  try {
    for (const db of databases) {
      const service = await startServer(
        'service',
        serverSettings(config, { databaseUrl: db.url, jwtSecret: secret, cores: serverCores }),
      );
      services.set(db.size, service);
      await checkAnswers(service, token, db);
    }
    log(`both services answer pages of ${PAGE}, in order and filtered as asked`);

    const measurements: Measurement[] = [];
    for (let round = 1; round <= rounds; round++) {
      for (const scenario of Object.keys(SCENARIOS) as Scenario[]) {
        const order = round % 2 === 1 ? databases : [...databases].reverse();
        for (const db of order) {
          const load = await runFeedLoad(
            {
              baseUrl: services.get(db.size)!.baseUrl,
              token,
              scenario,
              maxId: db.maxId,
              users: db.users,
              connections,
              durationSeconds,
              warmupSeconds,
            },
            loadCores,
          );
          measurements.push({ round, scenario, size: db.size, load });
          log(
            `round ${round} ${SCENARIOS[scenario]} at ${db.size.toLocaleString('en-US')}: ${Math.round(load.rps)} req/s, ` +
              `p50 ${load.p50Ms.toFixed(2)} ms, p99 ${load.p99Ms.toFixed(2)} ms` +
              (load.non2xx + load.errors > 0 ? `, ${load.non2xx} non-200, ${load.errors} errors` : ''),
          );
        }
      }
    }
    const costs = new Map<string, Awaited<ReturnType<typeof pageCost>>>();
    for (const scenario of Object.keys(SCENARIOS) as Scenario[]) {
      for (const db of databases) costs.set(`${scenario}:${db.size}`, await pageCost(db, scenario, samples));
    }
    report(measurements, costs, databases, { rounds, durationSeconds, warmupSeconds, connections, samples });
  } finally {
    for (const service of services.values()) await service.stop();
  }
}

/**
 * Each service answers a page of each scenario: `PAGE` events (or what is left: a rare type's few,
 * none of the absent type), in id order, filtered.
 */
async function checkAnswers(service: RunningServer, token: string, db: FeedDatabase): Promise<void> {
  for (const scenario of Object.keys(SCENARIOS) as Scenario[]) {
    const path = feedPath({ scenario, maxId: Math.floor(db.maxId / 2), users: db.users });
    const answer = await fetch(`${service.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await answer.json()) as { items?: Array<{ id: number; type: string; userId: string }> };
    const items = body.items ?? [];
    const after = Number(new URL(path, service.baseUrl).searchParams.get('after'));
    const userId = new URL(path, service.baseUrl).searchParams.get('userId');
    const type = FILTERED_TYPES[scenario];
    const problems = [
      answer.status !== 200 && `status ${answer.status}`,
      scenario === 'absent'
        ? items.length !== 0 && 'events of a type the load never holds'
        : items.length === 0 && 'no events',
      (scenario === 'all' || scenario === 'type') && items.length !== PAGE && `${items.length} events, not ${PAGE}`,
      items.some((item, index) => item.id <= (index === 0 ? after : items[index - 1]!.id)) &&
        'not in id order after `after`',
      type && items.some((item) => item.type !== type) && 'another type',
      scenario === 'user' && items.some((item) => item.userId !== userId) && 'another user',
    ].filter(Boolean);
    if (problems.length > 0) throw new Error(`${path} at ${db.size}: ${problems.join(', ')}`);
  }
}

function report(
  measurements: Measurement[],
  costs: Map<string, { buffers: number; ms: number; rows: number }>,
  databases: FeedDatabase[],
  run: { rounds: number; durationSeconds: number; warmupSeconds: number; connections: number; samples: number },
): void {
  const [small, large] = databases as [FeedDatabase, FeedDatabase];
  const label = (size: number) => size.toLocaleString('en-US');
  const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : '—');
  const rows: string[][] = [];
  const ratios: Array<[Scenario, number]> = [];
  for (const scenario of Object.keys(SCENARIOS) as Scenario[]) {
    const of = (size: number) => measurements.filter((m) => m.scenario === scenario && m.size === size);
    const stats = (size: number) => ({
      rps: median(of(size).map((m) => m.load.rps)),
      p50: median(of(size).map((m) => m.load.p50Ms)),
      p99: median(of(size).map((m) => m.load.p99Ms)),
    });
    const [s, l] = [stats(small.size), stats(large.size)];
    const perRound = of(large.size).map(
      (m) => m.load.rps / (of(small.size).find((n) => n.round === m.round)?.load.rps ?? NaN),
    );
    const ratio = median(perRound);
    ratios.push([scenario, ratio]);
    const [cs, cl] = [costs.get(`${scenario}:${small.size}`)!, costs.get(`${scenario}:${large.size}`)!];
    rows.push([
      SCENARIOS[scenario],
      Math.round(s.rps).toLocaleString('en-US'),
      fixed(s.p50, 2),
      fixed(s.p99, 2),
      Math.round(l.rps).toLocaleString('en-US'),
      fixed(l.p50, 2),
      fixed(l.p99, 2),
      `${ratio.toFixed(2)}× (${Math.min(...perRound).toFixed(2)}–${Math.max(...perRound).toFixed(2)})`,
      `${(l.p99 / s.p99).toFixed(2)}×`,
      `${cs.buffers} / ${cl.buffers}`,
      `${cs.ms.toFixed(3)} / ${cl.ms.toFixed(3)}`,
    ]);
  }
  const errors = measurements.reduce((sum, m) => sum + m.load.non2xx + m.load.errors, 0);
  process.stdout.write(
    `\nThe feed at ${label(large.size)} against ${label(small.size)} events: ${run.connections} connections, ` +
      `${run.rounds} rounds × (${run.warmupSeconds} s warm-up + ${run.durationSeconds} s), pages of ${PAGE} after a random id; ` +
      `PostgreSQL's cost per page: medians of ${run.samples} random pages\n\n`,
  );
  process.stdout.write(
    `${markdownTable(
      [
        'scenario',
        `${label(small.size)} req/s`,
        'p50 ms',
        'p99 ms',
        `${label(large.size)} req/s`,
        'p50 ms',
        'p99 ms',
        'ratio: median of rounds (range)',
        'p99 ×',
        'buffers/page small / large',
        'PostgreSQL ms/page small / large',
      ],
      rows,
    )}\n\n`,
  );
  for (const [scenario, ratio] of ratios) {
    process.stdout.write(
      `  ${ratio >= 0.8 ? 'met   ' : 'MISSED'}  ${SCENARIOS[scenario]} at ${label(large.size)} ≥ 0.80× its throughput at ${label(small.size)}: ${ratio.toFixed(2)}×\n`,
    );
  }
  if (errors > 0) process.stdout.write(`  ${errors} answers were not 200 or failed: the run is not valid\n`);
}

if (process.argv[2] === '--load-generator') {
  loadGenerator(process.argv[3] ?? '').catch((error: unknown) => {
    process.stderr.write(`load: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
} else {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
