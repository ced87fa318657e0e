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
import { withClient } from './bench-database';
import { runSides, sidesOptions, type SideFilter } from './filter-sides';
import { seed } from './seed';
import { DEFAULT_HASH_COST } from '../server/crypto/password-hasher';

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

/** The seeded users' metadata (as FILTERS count it), made again only when the users changed. */
async function load(url: string, users: number, analyze: boolean, log: (line: string) => void): Promise<void> {
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

runSides(
  {
    tag: 'bench:metadata',
    databases: { analyzed: 'users_bench_metadata', 'never analyzed': 'users_bench_metadata_fresh' },
    load,
    filters: (users) =>
      FILTERS.map((entry) => ({
        name: entry.name,
        params: { metadata: JSON.stringify(entry.filter), sort: 'name' },
        matches: entry.matches(users),
      })) satisfies SideFilter[],
    heading: 'metadata filter',
    requestsAre: 'sort=name',
  },
  sidesOptions({ users: 200_000 }),
).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
