// The find suite (issue 20): finding, sorting and paging by cursor, measured side by side in one
// run on the scale suite's two databases (`--users`, 100,000, and `--scale-users`, 2,000,000, the
// same deterministic users: bench/dataset.ts), with the same service started on each, round after
// round, alternating which goes first:
// - GET by id and `?email=` (a random seeded user per request), at 10 connections: the lookup by
//   address against the read by id, on the same server;
// - `q` (bench/find-queries.ts picks the strings from the seeded data and counts their matches):
//   a first and last name, a last name, and a broad one that half of the users match, each at one
//   connection, so that p50 is what one search takes rather than how long it queued;
// - the second page of every sort (both directions), read with the cursor of the first page's
//   `Link: <…>; rel="next"`, at 10 connections: its throughput at 2,000,000 against 100,000;
// - after each round's loads, single searches one after another over `q`s from a few dozen to a
//   few ten thousand matches: how a search's time grows with what it matches;
// - once, at the large size: the broad `q` narrowed as a caller can (a time window, a sign-in
//   method, a limit of 1), alone, and the broad `q` sent by several callers at once, which meets the
//   request timeout (REQUEST_TIMEOUT_MS: the 503 of router/trpc/deadline.ts, and PostgreSQL's
//   statement timeout cancels the statement).
// Before anything is measured every request is checked: 200, the right user for an address, the
// `total` of each `q` equal to the dataset's own count, pages full and in order. Then the create
// transaction (bench/writes.ts) into the real schema against a database without issue 20's
// indexes, both holding the seeded users.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { seedRow, seededUserId } from './dataset';
import { chooseQueries, countMatches, rowMatches, type QueryCount } from './find-queries';
import type { ServiceSuiteRun } from './closed-loop';
import { PostgresMeter } from './postgres-meter';
import { ProcessMeter } from './processes';
import type { ScaleSize } from './scale';
import { startServer, type RunningServer } from './servers';
import { findEmailPath, searchPath, type LoadResult, type LoadSpec, type Workload } from './workload';
import {
  removeWrittenUsers,
  runWriteLoad,
  type WriteLoader,
  type WriteMeasurement,
  type WriteSpec,
  type WriteTarget,
} from './writes';

/** The creates' databases: the real schema, and it without issue 20's indexes (writes.ts's FIND_INDEXES). */
export const FIND_WRITES_DATABASE = 'users_bench_find_writes';
export const FIND_UNINDEXED_DATABASE = 'users_bench_find_unindexed';

/** The sorts whose second page is read, each field in both directions. */
export const PAGE_SORTS = ['createdAt', '-createdAt', 'name', '-name', 'email', '-email', 'age', '-age'] as const;
export type PageSort = (typeof PAGE_SORTS)[number];

/** What one size's database holds, as the scenarios need it. */
export interface FindData {
  users: number;
  queries: FindQueries;
  /** The second page of each sort: the path of the first page's `Link` (rel="next"). */
  pages: Record<PageSort, string>;
}

/** The `q` strings of the run, with how many users each matches at one size. */
export interface FindQueries {
  fullNames: QueryCount[];
  lastNames: QueryCount[];
  broad: QueryCount;
  /** For the single searches: from a few dozen matches to a few ten thousand. */
  series: QueryCount[];
}

export interface FindScenario {
  key: string;
  title: string;
  /** Connections of the load generator; undefined: the run's (--connections). */
  connections?: number;
  /** A search that takes seconds needs a longer window to answer more than a few times. */
  minDurationSeconds?: number;
  load(data: FindData): { workload: Workload; paths?: string[] };
}

const qPaths = (queries: QueryCount[]) => queries.map(({ q }) => searchPath({ q }));

export const FIND_SCENARIOS: readonly FindScenario[] = [
  { key: 'read', title: 'GET by id, REST', load: () => ({ workload: 'rest-read' }) },
  {
    key: 'email',
    title: '?email= (a random seeded address per request)',
    load: () => ({ workload: 'find-email' }),
  },
  {
    key: 'q-full-name',
    title: '?q= a first and last name, 1 connection',
    connections: 1,
    load: (data) => ({ workload: 'paths', paths: qPaths(data.queries.fullNames) }),
  },
  {
    key: 'q-last-name',
    title: '?q= a last name, 1 connection',
    connections: 1,
    load: (data) => ({ workload: 'paths', paths: qPaths(data.queries.lastNames) }),
  },
  {
    key: 'q-broad',
    title: '?q= half of the users (exact total), 1 connection',
    connections: 1,
    minDurationSeconds: 20,
    load: (data) => ({ workload: 'paths', paths: qPaths([data.queries.broad]) }),
  },
  ...PAGE_SORTS.map((sort): FindScenario => ({
    key: `page ${sort}`,
    title: `cursor page 2, sort=${sort}`,
    load: (data) => ({ workload: 'paths', paths: [data.pages[sort]] }),
  })),
];

export interface FindMeasurement {
  round: number;
  scenario: string;
  size: ScaleSize;
  users: number;
  load: LoadResult;
  peakRssBytes: number;
  cores: number;
  pgCores: number;
}

/** One search of the series, sent alone: its time and the total it answered. */
export interface SingleSearch {
  round: number;
  size: ScaleSize;
  q: string;
  matches: number;
  ms: number[];
}

/** A broad search narrowed as a caller can, sent alone a few times (large size, once a run). */
export interface NarrowedSearch {
  how: string;
  path: string;
  total: number;
  ms: number[];
}

/** One of the broad searches sent at once. */
export interface ConcurrentSearch {
  status: number;
  ms: number;
}

/** How many callers send the broad search at once. */
export const BROAD_AT_ONCE = 4;

export interface FindResults {
  data: Record<ScaleSize, FindData>;
  checked: string[];
  measurements: FindMeasurement[];
  singles: SingleSearch[];
  narrowed: NarrowedSearch[];
  atOnce: ConcurrentSearch[];
  writes: WriteMeasurement[];
  writeLoader: WriteLoader;
}

/** A find run: a suite run of servers of its own (./closed-loop), whose tracking hands the server back. */
export interface FindRun extends Omit<ServiceSuiteRun, 'track'> {
  databases: Record<ScaleSize, { url: string; users: number }>;
  /** The seeded databases the creates go to: the real schema, and it without FIND_INDEXES. */
  writeDatabases: Record<'indexed' | 'unindexed', string>;
  writeConnections: number[];
  writeLoader: WriteLoader;
  pgbench: string | undefined;
  loadCores: string | undefined;
  /** What the load generator sends to a server (the scenario then sets the workload and its paths). */
  spec(baseUrl: string, users: number): LoadSpec;
  load(spec: LoadSpec): Promise<LoadResult>;
  track(server: RunningServer): RunningServer;
}

const SIZES: readonly ScaleSize[] = ['small', 'large'];
const orderOf = (round: number): ScaleSize[] => (round % 2 ? ['small', 'large'] : ['large', 'small']);

/** The `q` strings of the run (chosen on the small size's users) and their matches at each size. */
export function findQueries(sizes: Record<ScaleSize, number>): Record<ScaleSize, FindQueries> {
  const choice = chooseQueries(sizes.small, { count: 4, maxShare: 0.01, sample: 100_000 });
  const all = [...choice.fullNames, ...choice.lastNames, choice.broad, ...choice.series];
  const at = (users: number): FindQueries => {
    const counts = new Map(countMatches([...new Set(all)], users).map((count) => [count.q, count]));
    const of = (q: string) => counts.get(q)!;
    return {
      fullNames: choice.fullNames.map(of),
      lastNames: choice.lastNames.map(of),
      broad: of(choice.broad),
      series: choice.series.map(of),
    };
  };
  return { small: at(sizes.small), large: at(sizes.large) };
}

export async function runFind(run: FindRun): Promise<FindResults> {
  run.log('find: counting the matches of each q in the seeded data');
  const queries = findQueries({ small: run.databases.small.users, large: run.databases.large.users });
  const meters = {
    small: await PostgresMeter.open(run.databases.small.url),
    large: await PostgresMeter.open(run.databases.large.url),
  };
  const measurements: FindMeasurement[] = [];
  const singles: SingleSearch[] = [];
  let narrowed: NarrowedSearch[] = [];
  let atOnce: ConcurrentSearch[] = [];
  let data: Record<ScaleSize, FindData> | undefined;
  const checked: string[] = [];
  try {
    for (let round = 1; round <= run.rounds; round++) {
      // fresh processes each round, as in the other suites
      const servers = await startBoth(run);
      try {
        if (!data) {
          const probed = await Promise.all(
            SIZES.map(async (size) => {
              const { url, users } = run.databases[size];
              return probe(servers[size], run.token, users, queries[size], await byteOrder(url));
            }),
          );
          data = { small: probed[0]!.data, large: probed[1]!.data };
          for (const [at, size] of SIZES.entries()) {
            checked.push(...probed[at]!.checked.map((line) => `${run.databases[size].users} users: ${line}`));
          }
          run.log(`find: every request answers as it should (${checked.length} checks)`);
        }
        for (const scenario of FIND_SCENARIOS) {
          for (const size of orderOf(round)) {
            const { users } = run.databases[size];
            const server = servers[size];
            const meter = new ProcessMeter(server.pid);
            meter.start();
            await meters[size].start();
            const load = await run.load({
              ...run.spec(server.baseUrl, users),
              ...(scenario.connections ? { connections: scenario.connections } : {}),
              durationSeconds: Math.max(run.durationSeconds, scenario.minDurationSeconds ?? 0),
              ...scenario.load(data[size]),
            });
            const pgCores = await meters[size].stop();
            const { peakRssBytes, cores } = meter.stop();
            measurements.push({ round, scenario: scenario.key, size, users, load, peakRssBytes, cores, pgCores });
            run.log(
              `find round ${round}/${run.rounds} ${scenario.key.padEnd(16)} ${users.toLocaleString('en-US').padStart(9)} users:` +
                ` ${load.rps.toFixed(1)} req/s p50 ${load.p50Ms.toFixed(2)} ms p99 ${load.p99Ms.toFixed(2)} ms` +
                (load.non2xx + load.errors > 0 ? ` (${load.non2xx + load.errors} non-2xx responses or errors!)` : ''),
            );
          }
        }
        for (const size of orderOf(round)) {
          for (const { q, matches } of queries[size].series) {
            const ms = await searchAlone(servers[size], run.token, q, matches);
            singles.push({ round, size, q, matches, ms });
          }
        }
        if (round === 1) {
          const { users } = run.databases.large;
          narrowed = await narrowBroad(servers.large, run.token, users, data.large.queries.broad.q);
          atOnce = await broadAtOnce(servers.large, run.token, data.large.queries.broad.q);
          run.log(
            `find: ${BROAD_AT_ONCE} broad searches at once: ${atOnce.map((s) => `${s.status} in ${s.ms.toFixed(0)} ms`).join(', ')}`,
          );
        }
      } finally {
        for (const server of Object.values(servers)) {
          await server.stop();
          run.untrack(server);
        }
      }
    }
  } finally {
    await meters.small.close();
    await meters.large.close();
  }
  const writes = await runFindWrites(run);
  return { data: data!, checked, measurements, singles, narrowed, atOnce, writes, writeLoader: run.writeLoader };
}

async function startBoth(run: FindRun): Promise<Record<ScaleSize, RunningServer>> {
  return {
    small: run.track(await startServer('service', { ...run.settings, databaseUrl: run.databases.small.url })),
    large: run.track(await startServer('service', { ...run.settings, databaseUrl: run.databases.large.url })),
  };
}

/** The creates, into the real schema and into it without issue 20's indexes, alternating which goes first. */
async function runFindWrites(run: FindRun): Promise<WriteMeasurement[]> {
  const measurements: WriteMeasurement[] = [];
  for (let round = 1; round <= run.rounds; round++) {
    for (const connections of run.writeConnections) {
      const order: WriteTarget[] = round % 2 ? ['unindexed', 'indexed'] : ['indexed', 'unindexed'];
      for (const target of order) {
        const url = run.writeDatabases[target === 'indexed' ? 'indexed' : 'unindexed'];
        await removeWrittenUsers(url);
        const spec: WriteSpec = {
          url,
          kind: 'create',
          target,
          connections,
          durationSeconds: run.durationSeconds,
          warmupSeconds: run.warmupSeconds,
        };
        const load = await runWriteLoad(spec, run.writeLoader, run.pgbench, run.loadCores);
        measurements.push({ round, kind: 'create', connections, target, loader: run.writeLoader, load });
        run.log(
          `find writes round ${round}/${run.rounds} ${String(connections).padStart(3)} connections ${target.padEnd(9)}` +
            ` ${load.rps.toFixed(1)} tx/s p50 ${load.p50Ms.toFixed(2)} ms p99 ${load.p99Ms.toFixed(2)} ms` +
            (load.errors > 0 ? ` (${load.errors} failed!)` : ''),
        );
      }
    }
  }
  for (const url of Object.values(run.writeDatabases)) await removeWrittenUsers(url);
  return measurements;
}

interface User {
  id: string;
  name: string;
  age: number;
  createdAt: number;
  email: { email: string };
}

interface Page {
  status: number;
  items: User[];
  total: number;
  next: string | undefined;
  ms: number;
  text: string;
}

async function getPage(server: RunningServer, token: string, path: string): Promise<Page> {
  const started = performance.now();
  const response = await fetch(`${server.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  const ms = performance.now() - started;
  const link = response.headers.get('link');
  const next = link && /rel="next"/.test(link) ? /<([^>]+)>/.exec(link)?.[1] : undefined;
  let items: User[] = [];
  let total = NaN;
  if (response.ok) {
    const body = JSON.parse(text) as { items: User[]; total: number };
    items = body.items;
    total = body.total;
  }
  return { status: response.status, items, total, next, ms, text };
}

/** Sends `q` alone, 2 times unmeasured then 9 times measured, one after another; checks every answer. */
async function searchAlone(server: RunningServer, token: string, q: string, matches: number): Promise<number[]> {
  const times: number[] = [];
  for (let n = 0; n < 11; n++) {
    const page = await getPage(server, token, searchPath({ q }));
    if (page.status !== 200 || page.total !== matches) {
      throw new Error(`q=${q}: ${page.status}, total ${page.total} where the dataset has ${matches}`);
    }
    if (n >= 2) times.push(page.ms);
  }
  return times;
}

/**
 * The broad `q` as it is, with a limit of 1, with one sign-in method, and with the last 1% of the
 * users' creation times: 1 unmeasured and 3 measured requests each, one after another.
 */
async function narrowBroad(server: RunningServer, token: string, users: number, q: string): Promise<NarrowedSearch[]> {
  // seeded users are created one second apart (dataset.ts): after this one come the last 1%
  const recent = Math.floor(seedRow(Math.floor(users * 0.99)).createdAt.getTime() / 1000);
  const variants: Array<[string, Record<string, string>]> = [
    ['as it is', { q }],
    ['limit=1', { q, limit: '1' }],
    ['authMethod=1 (a tenth of the users)', { q, authMethod: '1' }],
    ['createdAfter: the last 1% of the users', { q, createdAfter: String(recent) }],
  ];
  const narrowed: NarrowedSearch[] = [];
  for (const [how, params] of variants) {
    const path = searchPath(params);
    const ms: number[] = [];
    let total = NaN;
    for (let n = 0; n < 4; n++) {
      const page = await getPage(server, token, path);
      if (page.status !== 200 || page.items.length === 0) {
        throw new Error(`find: ${path}: ${page.status} ${page.text.slice(0, 200)}`);
      }
      total = page.total;
      if (n > 0) ms.push(page.ms);
    }
    narrowed.push({ how, path, total, ms });
  }
  return narrowed;
}

/** The broad `q` from BROAD_AT_ONCE callers at the same time: what each is answered, and when. */
async function broadAtOnce(server: RunningServer, token: string, q: string): Promise<ConcurrentSearch[]> {
  const pages = await Promise.all(
    Array.from({ length: BROAD_AT_ONCE }, () => getPage(server, token, searchPath({ q }))),
  );
  return pages.map((page) => ({ status: page.status, ms: page.ms })).sort((a, b) => a.ms - b.ms);
}

/** Whether the database orders text by its bytes (C or POSIX), as JavaScript compares ASCII strings. */
async function byteOrder(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ collation: string }>(
      'select datcollate as collation from pg_database where datname = current_database()',
    );
    return /^(C|POSIX)(\.|$)/i.test(rows[0]?.collation ?? '');
  } finally {
    await client.end();
  }
}

/** The values a sort orders by, as the service compares them (the address by its key). */
const SORT_VALUES: Record<string, (user: User) => number | string> = {
  createdAt: (user) => user.createdAt,
  age: (user) => user.age,
  name: (user) => user.name,
  email: (user) => user.email.email.replace(/[A-Z]/g, (letter) => letter.toLowerCase()),
};

/**
 * Every request the scenarios send, once, checked: an address finds its user and only it (in
 * another case too), each `q` answers the dataset's own count as its total and a full page of users
 * that contain it, and each sort's first page leads by its `Link` to a full second page that
 * continues it without repeating a user, in order (text in order only where the database orders it
 * by bytes). Returns the second pages' paths.
 */
async function probe(
  server: RunningServer,
  token: string,
  users: number,
  queries: FindQueries,
  byBytes: boolean,
): Promise<{ data: FindData; checked: string[] }> {
  const checked: string[] = [];
  const fail = (what: string, page: Page) => {
    throw new Error(`find: ${what} (${users} users; ${page.status}: ${page.text.slice(0, 300)})`);
  };
  for (const index of [0, Math.floor(users / 3), users - 1]) {
    const row = seedRow(index);
    const page = await getPage(server, token, findEmailPath(row.address.toUpperCase()));
    if (
      page.status !== 200 ||
      page.total !== 1 ||
      page.items.length !== 1 ||
      page.items[0]!.id !== seededUserId(index)
    ) {
      fail(`?email=${row.address.toUpperCase()} did not find exactly user ${index}`, page);
    }
  }
  checked.push('?email= finds exactly its user (in upper case too)');
  const all = [...queries.fullNames, ...queries.lastNames, queries.broad, ...queries.series];
  for (const { q, matches } of all) {
    const page = await getPage(server, token, searchPath({ q }));
    if (page.status !== 200 || page.total !== matches) {
      fail(`?q=${q}: total ${page.total} where the dataset has ${matches}`, page);
    }
    if (page.items.length !== Math.min(10, matches) || !page.items.every((user) => rowMatches(userRow(user), q))) {
      fail(`?q=${q}: a page of ${page.items.length} users, or one that does not contain it`, page);
    }
  }
  checked.push(`?q= totals equal the dataset's counts (${all.length} strings), pages contain q`);
  const pages = {} as Record<PageSort, string>;
  for (const sort of PAGE_SORTS) {
    const first = await getPage(server, token, searchPath({ sort, limit: '10' }));
    if (first.status !== 200 || first.items.length !== 10 || !first.next)
      fail(`sort=${sort}: no full first page`, first);
    const second = await getPage(server, token, first.next!);
    if (second.status !== 200 || second.items.length !== 10 || !second.next) {
      fail(`sort=${sort}: no full second page from the Link`, second);
    }
    const field = sort.replace(/^-/, '');
    const descending = sort.startsWith('-');
    const value = SORT_VALUES[field]!;
    const both = [...first.items, ...second.items];
    if (new Set(both.map((user) => user.id)).size !== both.length) fail(`sort=${sort}: the pages overlap`, second);
    const numeric = field === 'createdAt' || field === 'age';
    const inOrder = both.every((user, at) => {
      if (at === 0 || (!numeric && !byBytes)) return true;
      const [a, b] = [both[at - 1]!, user];
      const [va, vb] = [value(a), value(b)];
      const cmp = va < vb ? -1 : va > vb ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
      return descending ? cmp > 0 : cmp < 0;
    });
    if (!inOrder) fail(`sort=${sort}: the first two pages are not in order`, second);
    pages[sort] = first.next!;
  }
  checked.push(`each sort's second page by the Link of the first continues it in order (${PAGE_SORTS.length} sorts)`);
  return { data: { users, queries, pages }, checked };
}

const userRow = (user: User) => ({ name: user.name, address: user.email.email });
