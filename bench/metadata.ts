// Finding users by their metadata (`GET /api/v2/users?metadata=…`), on the same users and metadata
// in two databases side by side in one run: one whose user_metadata was analyzed, as autovacuum
// would have after the load, and one whose user_metadata never was (vacuumed, no statistics: a
// table filled since the last analyze). No read path may need the statistics to stay fast, so the
// second must answer as the first does; before the filter collected its matches first, a rare value
// sorted by name walked every user there (10 s and a 503 at 1,000,000 users, docs/performance.md).
// Each database holds `--users` seeded users (bench/dataset.ts), every one with app metadata: a
// plan (enterprise 0.1%, pro 9.9%, team about 36%, free about 54%), a seat count and tags, and every
// 10,000th a CRM id in its admin part. Each round sends every filter `--requests` times, one after
// another, to each database's service (the order flips every round), sorted by name, and checks
// each answer's total against the load's own count. Reported per filter: the median time of a
// request, the median of the rounds with their range, for each database and their ratio.
//   DATABASE_URL=postgres://… npm run bench:metadata -- [--users 200000] [--rounds 3] [--requests 10]
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { migrated, withClient } from './bench-database';
import { markdownTable, median } from './report';
import { seed } from './seed';
import { benchAdminToken, serverSettings, startServer, type RunningServer } from './servers';
import { canPin } from './processes';
import { loadConfig } from '../server/config/config';
import { DEFAULT_HASH_COST } from '../server/crypto/password-hasher';

type Side = 'analyzed' | 'never analyzed';
const SIDES: Side[] = ['analyzed', 'never analyzed'];
const DATABASES: Record<Side, string> = {
  analyzed: 'users_bench_metadata',
  'never analyzed': 'users_bench_metadata_fresh',
};

/** The filters sent, and how many of `users` seeded users each matches (the n-th user, from 1). */
const FILTERS: Array<{ name: string; filter: unknown; matches: (users: number) => number }> = [
  {
    name: 'one CRM id (admin part)',
    filter: { admin: { crm: 'C-10000' } },
    matches: (users) => (users >= 10000 ? 1 : 0),
  },
  {
    name: 'plan enterprise (0.1%)',
    filter: { app: { plan: 'enterprise' } },
    matches: (users) => Math.floor(users / 1000),
  },
  {
    name: 'enterprise and tag beta',
    filter: { app: { plan: 'enterprise', tags: ['beta'] } },
    matches: (users) => countOf(users, (n) => n % 1000 === 0 && n % 7 === 0),
  },
  {
    name: 'plan pro (9.9%)',
    filter: { app: { plan: 'pro' } },
    matches: (users) => countOf(users, (n) => n % 1000 !== 0 && n % 100 < 10),
  },
  {
    name: 'plan free (about 54%)',
    filter: { app: { plan: 'free' } },
    matches: (users) => countOf(users, (n) => n % 1000 !== 0 && n % 100 >= 10 && n % 10 >= 4),
  },
  { name: 'a plan nobody has', filter: { app: { plan: 'nobody' } }, matches: () => 0 },
];

function countOf(users: number, test: (n: number) => boolean): number {
  let count = 0;
  for (let n = 1; n <= users; n++) if (test(n)) count++;
  return count;
}

const log = (line: string) =>
  process.stderr.write(`[bench:metadata ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

/** The seeded users' metadata (as FILTERS count it), made again only when the users changed. */
async function load(url: string, users: number, analyze: boolean): Promise<void> {
  await seed({ url, users, hashCost: DEFAULT_HASH_COST, force: false, log });
  await withClient(url, async (client) => {
    const { rows } = await client.query<{ n: string }>('select count(*) as n from user_metadata');
    if (Number(rows[0]?.n) !== users) {
      await client.query('truncate user_metadata');
      await client.query(`insert into user_metadata (user_id, app_data, admin_data, version)
        select id,
          jsonb_build_object(
            'plan', case when n % 1000 = 0 then 'enterprise' when n % 100 < 10 then 'pro' when n % 10 < 4 then 'team' else 'free' end,
            'seats', n % 50,
            'tags', case when n % 7 = 0 then '["beta","eu"]'::jsonb else '["eu"]'::jsonb end),
          case when n % 10000 = 0 then jsonb_build_object('crm', 'C-' || n) else '{}'::jsonb end,
          nextval('user_metadata_versions')
        from (select id, row_number() over (order by created_at, id) as n from users) as seeded`);
    }
    await client.query('vacuum (analyze) users, emails, user_search');
    // the one difference between the two databases: statistics of user_metadata, or none at all
    await client.query("delete from pg_statistic where starelid = 'user_metadata'::regclass");
    await client.query(analyze ? 'vacuum (analyze) user_metadata' : 'vacuum user_metadata');
  });
}

async function timedRequest(service: RunningServer, token: string, filter: unknown, expected: number): Promise<number> {
  const query = new URLSearchParams({ metadata: JSON.stringify(filter), sort: 'name', limit: '10' });
  const started = process.hrtime.bigint();
  const response = await fetch(`${service.baseUrl}/api/v2/users?${query}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await response.json()) as { total?: number };
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (response.status !== 200 || body.total !== expected) {
    throw new Error(
      `metadata=${JSON.stringify(filter)}: ${response.status}, total ${body.total} where the load has ${expected}`,
    );
  }
  return ms;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      users: { type: 'string', default: '200000' },
      rounds: { type: 'string', default: '3' },
      requests: { type: 'string', default: '10' },
      'server-cores': { type: 'string', default: '0' },
    },
  });
  const count = (name: 'users' | 'rounds' | 'requests') => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
    return value;
  };
  const [users, rounds, requests] = [count('users'), count('rounds'), count('requests')];
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('set DATABASE_URL to a PostgreSQL server');

  const secret = randomBytes(32).toString('base64url');
  process.env.TOTP_KEY ??= randomBytes(32).toString('base64');
  process.env.WEBHOOK_WORKER = 'false';
  const services = new Map<Side, RunningServer>();
  const times = new Map<string, number[]>(); // `${side}|${filter}` → per-round medians
  try {
    for (const side of SIDES) {
      const url = await migrated(serverUrl, DATABASES[side]);
      await load(url, users, side === 'analyzed');
      const config = loadConfig({ ...process.env, NODE_ENV: 'production', JWT_SECRET: secret, DATABASE_URL: url });
      services.set(
        side,
        await startServer(
          'service',
          serverSettings(config, {
            databaseUrl: url,
            jwtSecret: secret,
            cores: canPin ? values['server-cores'] : undefined,
          }),
        ),
      );
    }
    const token = benchAdminToken(
      loadConfig({ ...process.env, NODE_ENV: 'production', JWT_SECRET: secret, DATABASE_URL: serverUrl }),
      secret,
    );
    const expected = FILTERS.map((entry) => entry.matches(users));
    // every filter once on each side first, unmeasured: the services' and PostgreSQL's caches
    for (const side of SIDES) {
      for (const [at, entry] of FILTERS.entries())
        await timedRequest(services.get(side)!, token, entry.filter, expected[at]!);
    }
    for (let round = 1; round <= rounds; round++) {
      const order = round % 2 === 1 ? SIDES : [...SIDES].reverse();
      for (const side of order) {
        for (const [at, entry] of FILTERS.entries()) {
          const ms: number[] = [];
          for (let n = 0; n < requests; n++)
            ms.push(await timedRequest(services.get(side)!, token, entry.filter, expected[at]!));
          const key = `${side}|${entry.name}`;
          times.set(key, [...(times.get(key) ?? []), median(ms)]);
          log(`round ${round} ${side}: ${entry.name}: ${median(ms).toFixed(1)} ms (${expected[at]} matches)`);
        }
      }
    }
  } finally {
    for (const service of services.values()) await service.stop();
  }
  report(times, { users, rounds, requests });
}

function report(times: Map<string, number[]>, run: { users: number; rounds: number; requests: number }): void {
  const cell = (values: number[]) =>
    `${median(values).toFixed(1)} (${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)})`;
  const rows = FILTERS.map((entry) => {
    const [analyzed, fresh] = SIDES.map((side) => times.get(`${side}|${entry.name}`)!);
    const ratios = fresh!.map((ms, round) => ms / analyzed![round]!);
    return [
      entry.name,
      String(entry.matches(run.users)),
      cell(analyzed!),
      cell(fresh!),
      `${median(ratios).toFixed(2)}× (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`,
    ];
  });
  process.stdout.write(
    `\n${run.users} users, ${run.rounds} rounds of ${run.requests} requests per filter, sort=name; ms per request: medians of the rounds (range)\n\n` +
      markdownTable(
        ['metadata filter', 'matches', 'analyzed, ms', 'never analyzed, ms', 'never analyzed / analyzed'],
        rows,
      ) +
      '\n',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
