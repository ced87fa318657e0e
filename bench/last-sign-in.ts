// Each user's last sign-in (router/sessions/sign-in-activity.ts), what it costs a sign-in and what
// finding users by it costs a list, in one run:
// 1. The list's `signedInSince` / `notSignedInSince` on `--users` seeded users (bench/dataset.ts),
//    on two databases side by side (./filter-sides.ts: user_sign_ins analyzed, or never), beside
//    `status=enabled`, a filter every user passes, counted as these are. Of the n-th user (from 1):
//    every 1,000th signed in an hour ago (0.1%), the others with n % 10 < 3 two to eight days ago
//    (about 30%), with n % 10 < 6 100 to 299 days ago (about 30%), the rest never (about 40%).
//    Each answer's `total` is checked against those counts.
// 2. The statement that begins a sign-in's session (`insertSession`, as the service sends it), from
//    `--write-connections` callers at once in a closed loop, as a sign-in (its user's last sign-in
//    written with it) beside the same statement as an impersonation begins it (the row not
//    written): the same statement, the same sessions, the activity's row the one difference.
//    Rounds alternate which goes first; before each measurement the sessions are emptied and the
//    tables vacuumed, as autovacuum would have.
// 3. What DORMANT_ACCOUNT_DAYS adds to each instance's retention round when nobody is due (the
//    usual round: every user looked at, none warned or disabled; days of a century here), beside
//    the retention round itself on the same database, alternating.
//   DATABASE_URL=postgres://… npm run bench:last-sign-in -- [--users 200000] [--rounds 3] [--requests 10]
//     [--write-connections 1,10] [--seconds 5]
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { EntityManager } from '@mikro-orm/postgresql';
import { migrated, withClient } from './bench-database';
import { seededUserId } from './dataset';
import { runSides, sidesLog, sidesOptions, type SideFilter } from './filter-sides';
import { markdownTable, median } from './report';
import { seed } from './seed';
import { openDatabase } from '../server/database/open-database';
import { DEFAULT_HASH_COST } from '../server/crypto/password-hasher';
import { insertSession } from '../router/sessions/sessions-store';
import { handleDormant, removeExpired } from '../server/start/retention';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** The run's "now": the load's sign-in times and the filters' bounds count from it. */
const NOW = Date.now();
const log = sidesLog('bench:last-sign-in');

/** When the n-th user last signed in (ms), or null: never. The load writes the same in SQL. */
function lastSignIn(n: number): number | null {
  if (n % 1000 === 0) return NOW - HOUR_MS;
  if (n % 10 < 3) return NOW - (2 + (n % 7)) * DAY_MS;
  if (n % 10 < 6) return NOW - (100 + (n % 200)) * DAY_MS;
  return null;
}

function countOf(users: number, test: (at: number | null) => boolean): number {
  let count = 0;
  for (let n = 1; n <= users; n++) if (test(lastSignIn(n))) count++;
  return count;
}

function filters(users: number): SideFilter[] {
  const dayAgo = NOW - DAY_MS;
  const monthAgo = NOW - 30 * DAY_MS;
  const seconds = (ms: number) => String(Math.floor(ms / 1000));
  const since = (bound: number) => countOf(users, (at) => at !== null && at >= Math.floor(bound / 1000) * 1000);
  return [
    {
      name: 'signed in within a day (0.1%)',
      params: { signedInSince: seconds(dayAgo) },
      matches: since(dayAgo),
    },
    {
      name: 'the same, sort=name',
      params: { signedInSince: seconds(dayAgo), sort: 'name' },
      matches: since(dayAgo),
    },
    {
      name: 'signed in within 30 days (about 30%)',
      params: { signedInSince: seconds(monthAgo) },
      matches: since(monthAgo),
    },
    {
      name: 'not within 30 days, or never (about 70%)',
      params: { notSignedInSince: seconds(monthAgo) },
      matches: users - since(monthAgo),
    },
    { name: 'baseline: status=enabled (every user)', params: { status: 'enabled' }, matches: users },
  ];
}

/** The seeded users' last sign-ins, as `lastSignIn` says, written anew for this run's NOW. */
async function load(url: string, users: number, analyze: boolean): Promise<void> {
  await seed({ url, users, hashCost: DEFAULT_HASH_COST, force: false, log });
  await withClient(url, async (client) => {
    await client.query('truncate user_sign_ins');
    await client.query(
      `insert into user_sign_ins (user_id, last_at, last_method, count)
       select id, to_timestamp($1::bigint / 1000.0) - case
                when n % 1000 = 0 then interval '1 hour'
                when n % 10 < 3 then (2 + n % 7) * interval '1 day'
                else (100 + n % 200) * interval '1 day' end,
              case when n % 1000 = 0 then 'passkey' when n % 10 < 3 then 'password' else 'email_code' end,
              1 + n % 50
         from (select id, row_number() over (order by created_at, id) as n from users) as seeded
        where n % 1000 = 0 or n % 10 < 6`,
      [NOW],
    );
    await client.query('vacuum (analyze) users, emails, user_search');
    // the one difference between the two databases: statistics of user_sign_ins, or none at all
    await client.query("delete from pg_statistic where starelid = 'user_sign_ins'::regclass");
    await client.query(analyze ? 'vacuum (analyze) user_sign_ins' : 'vacuum user_sign_ins');
  });
}

type Kind = 'sign-in' | 'no activity row';

/** `connections` callers beginning sessions for seeded users, for `seconds`: statements a second. */
async function beginSessions(em: EntityManager, kind: Kind, users: number, connections: number, seconds: number) {
  const until = Date.now() + seconds * 1000;
  let next = 0;
  let done = 0;
  const caller = async () => {
    const own = em.fork();
    while (Date.now() < until) {
      const now = new Date();
      await insertSession(
        own,
        {
          id: randomUUID(),
          userId: seededUserId(next++ % users),
          epoch: randomUUID(),
          method: 'password',
          now,
          expiresAt: new Date(now.getTime() + 30 * DAY_MS),
          clientAddress: '127.0.0.1',
          userAgent: 'bench',
          tokenHash: randomBytes(32).toString('base64url'),
          // an impersonation's session: the same statement, the activity's row left unwritten
          ...(kind === 'sign-in' ? {} : { impersonator: 'bench' }),
        },
        new Date(now.getTime() - 14 * DAY_MS),
      );
      done++;
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: connections }, caller));
  return done / ((Date.now() - started) / 1000);
}

async function measureWrites(url: string, users: number, rounds: number): Promise<void> {
  const { values } = parseArgs({
    options: { 'write-connections': { type: 'string', default: '1,10' }, seconds: { type: 'string', default: '5' } },
    strict: false,
  });
  const connectionCounts = String(values['write-connections']).split(',').map(Number);
  const seconds = Number(values.seconds);
  const orm = await openDatabase({ url, poolSize: Math.max(...connectionCounts) });
  const rows: string[][] = [];
  try {
    const prepare = () =>
      withClient(url, async (client) => {
        await client.query('truncate sessions cascade');
        await client.query('vacuum (analyze) sessions, session_tokens, user_sign_ins');
        await client.query('checkpoint');
      });
    for (const connections of connectionCounts) {
      const rates: Record<Kind, number[]> = { 'sign-in': [], 'no activity row': [] };
      const ratios: number[] = [];
      for (let round = 1; round <= rounds; round++) {
        const order: Kind[] = round % 2 === 1 ? ['sign-in', 'no activity row'] : ['no activity row', 'sign-in'];
        for (const kind of order) {
          await prepare();
          await beginSessions(orm.em, kind, users, connections, 1); // warm-up
          const rate = await beginSessions(orm.em, kind, users, connections, seconds);
          rates[kind].push(rate);
          log(`round ${round}, ${connections} connections, ${kind}: ${rate.toFixed(0)} sessions/s`);
        }
        ratios.push(rates['sign-in'].at(-1)! / rates['no activity row'].at(-1)!);
      }
      const cell = (values: number[]) =>
        `${median(values).toFixed(0)} (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)})`;
      rows.push([
        String(connections),
        cell(rates['no activity row']),
        cell(rates['sign-in']),
        `${median(ratios).toFixed(2)}× (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`,
      ]);
    }
  } finally {
    await orm.close(true);
  }
  process.stdout.write(
    `\nThe session statement of a sign-in, ${rounds} rounds of ${seconds} s: statements a second, medians of the rounds (range)\n\n` +
      markdownTable(['connections', 'without the activity row', 'with it (a sign-in)', 'with / without'], rows) +
      '\n',
  );
}

/** The retention round beside the dormant accounts' step when nobody is due: ms of each, per round. */
async function measureDormancyRound(url: string, rounds: number): Promise<void> {
  const orm = await openDatabase({ url });
  const times: Record<'retention round' | 'dormant accounts step', number[]> = {
    'retention round': [],
    'dormant accounts step': [],
  };
  const mail = { serviceName: 'Users service', signInUrl: 'https://id.example.com/' };
  try {
    const step = {
      'retention round': () => removeExpired(orm, 90, Date.now()),
      'dormant accounts step': async () => {
        const done = await handleDormant(orm, 36_500, Date.now(), mail);
        if (done.warned + done.disabled > 0) throw new Error(`nobody is due, yet ${JSON.stringify(done)}`);
      },
    };
    for (let round = 0; round <= rounds; round++) {
      const order =
        round % 2 === 1
          ? (['retention round', 'dormant accounts step'] as const)
          : (['dormant accounts step', 'retention round'] as const);
      for (const name of order) {
        const started = process.hrtime.bigint();
        await step[name]();
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        // round 0 warms the caches, unmeasured
        if (round > 0) {
          times[name].push(ms);
          log(`round ${round}, ${name}: ${ms.toFixed(0)} ms`);
        }
      }
    }
  } finally {
    await orm.close(true);
  }
  const cell = (values: number[]) =>
    `${median(values).toFixed(0)} (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)})`;
  process.stdout.write(
    `\nA retention round, and DORMANT_ACCOUNT_DAYS's step when nobody is due, ${rounds} rounds: ms, medians of the rounds (range)\n\n` +
      markdownTable(
        ['retention round (no dormancy)', 'the dormant accounts step it adds'],
        [[cell(times['retention round']), cell(times['dormant accounts step'])]],
      ) +
      '\n',
  );
}

async function main(): Promise<void> {
  const options = sidesOptions({ users: 200_000 });
  await runSides(
    {
      tag: 'bench:last-sign-in',
      databases: { analyzed: 'users_bench_sign_ins', 'never analyzed': 'users_bench_sign_ins_fresh' },
      load: (url, users, analyze) => load(url, users, analyze),
      filters,
      heading: 'last sign-in filter',
      requestsAre: 'sort=createdAt unless named',
    },
    options,
  );
  const url = await migrated(process.env.DATABASE_URL!, 'users_bench_sign_ins');
  await measureWrites(url, options.users, options.rounds);
  await measureDormancyRound(url, options.rounds);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
