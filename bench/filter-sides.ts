// The list's filters on two databases side by side in one run: the same load in both, one whose
// filtered table was analyzed after the load, as autovacuum would have, and one whose table never
// was (vacuumed, no statistics: a table filled since its last analyze). No read path may need the
// statistics to stay fast, so the second must answer as the first does. A service runs on each;
// each round sends every filter `requests` times, one after another, to each (the order flips every
// round), checking each answer's `total` against the load's own count. Reported per filter: the
// median time of a request, the median of the rounds with their range, on each side, and their
// ratio. The filters' own loads and counts are their bench's (./metadata.ts, ./last-sign-in.ts).
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { migrated } from './bench-database';
import { markdownTable, median } from './report';
import { benchAdminToken, serverSettings, startServer, type RunningServer } from './servers';
import { canPin } from './processes';
import { loadConfig } from '../server/config/config';

export type Side = 'analyzed' | 'never analyzed';
export const SIDES: Side[] = ['analyzed', 'never analyzed'];

/** A list request's parameters (beside `limit=10`), and how many users it matches. */
export interface SideFilter {
  name: string;
  params: Record<string, string>;
  matches: number;
}

export interface SidesRun {
  /** The log's tag, `bench:metadata`. */
  tag: string;
  /** The two databases' names (made on DATABASE_URL's server, migrated). */
  databases: Record<Side, string>;
  /** Loads `url` for `users`, then leaves the filtered table analyzed or never analyzed. */
  load(url: string, users: number, analyze: boolean, log: (line: string) => void): Promise<void>;
  /** The filters, for `users` loaded. */
  filters(users: number): SideFilter[];
  /** The first column's heading, and what the report says of the requests (`sort=name`). */
  heading: string;
  requestsAre: string;
}

export interface SidesOptions {
  users: number;
  rounds: number;
  requests: number;
  serverCores: string;
}

/** The usual options: `--users`, `--rounds`, `--requests`, `--server-cores`. */
export function sidesOptions(defaults: { users: number }): SidesOptions {
  const { values } = parseArgs({
    options: {
      users: { type: 'string', default: String(defaults.users) },
      rounds: { type: 'string', default: '3' },
      requests: { type: 'string', default: '10' },
      'server-cores': { type: 'string', default: '0' },
    },
    strict: false,
  });
  const count = (name: 'users' | 'rounds' | 'requests') => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
    return value;
  };
  return {
    users: count('users'),
    rounds: count('rounds'),
    requests: count('requests'),
    serverCores: String(values['server-cores']),
  };
}

export function sidesLog(tag: string): (line: string) => void {
  return (line) => process.stderr.write(`[${tag} ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

async function timedRequest(service: RunningServer, token: string, filter: SideFilter): Promise<number> {
  const query = new URLSearchParams({ ...filter.params, limit: '10' });
  const started = process.hrtime.bigint();
  const response = await fetch(`${service.baseUrl}/api/v2/users?${query}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await response.json()) as { total?: number };
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (response.status !== 200 || body.total !== filter.matches) {
    throw new Error(`${query}: ${response.status}, total ${body.total} where the load has ${filter.matches}`);
  }
  return ms;
}

/** Loads both databases, measures every filter on each, and prints the report. */
export async function runSides(run: SidesRun, options: SidesOptions): Promise<void> {
  const log = sidesLog(run.tag);
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('set DATABASE_URL to a PostgreSQL server');
  const secret = randomBytes(32).toString('base64url');
  process.env.TOTP_KEY ??= randomBytes(32).toString('base64');
  process.env.WEBHOOK_WORKER = 'false';
  const filters = run.filters(options.users);
  const services = new Map<Side, RunningServer>();
  const times = new Map<string, number[]>(); // `${side}|${filter}` → per-round medians
  try {
    for (const side of SIDES) {
      const url = await migrated(serverUrl, run.databases[side]);
      await run.load(url, options.users, side === 'analyzed', log);
      const config = loadConfig({ ...process.env, NODE_ENV: 'production', JWT_SECRET: secret, DATABASE_URL: url });
      const cores = canPin ? options.serverCores : undefined;
      services.set(
        side,
        await startServer('service', serverSettings(config, { databaseUrl: url, jwtSecret: secret, cores })),
      );
    }
    const token = benchAdminToken(
      loadConfig({ ...process.env, NODE_ENV: 'production', JWT_SECRET: secret, DATABASE_URL: serverUrl }),
      secret,
    );
    // every filter once on each side first, unmeasured: the services' and PostgreSQL's caches
    for (const side of SIDES) for (const filter of filters) await timedRequest(services.get(side)!, token, filter);
    for (let round = 1; round <= options.rounds; round++) {
      for (const side of round % 2 === 1 ? SIDES : [...SIDES].reverse()) {
        for (const filter of filters) {
          const ms: number[] = [];
          for (let n = 0; n < options.requests; n++) ms.push(await timedRequest(services.get(side)!, token, filter));
          const key = `${side}|${filter.name}`;
          times.set(key, [...(times.get(key) ?? []), median(ms)]);
          log(`round ${round} ${side}: ${filter.name}: ${median(ms).toFixed(1)} ms (${filter.matches} matches)`);
        }
      }
    }
  } finally {
    for (const service of services.values()) await service.stop();
  }
  report(run, filters, times, options);
}

function report(run: SidesRun, filters: SideFilter[], times: Map<string, number[]>, options: SidesOptions): void {
  const cell = (values: number[]) =>
    `${median(values).toFixed(1)} (${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)})`;
  const rows = filters.map((filter) => {
    const [analyzed, fresh] = SIDES.map((side) => times.get(`${side}|${filter.name}`)!);
    const ratios = fresh!.map((ms, round) => ms / analyzed![round]!);
    return [
      filter.name,
      String(filter.matches),
      cell(analyzed!),
      cell(fresh!),
      `${median(ratios).toFixed(2)}× (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`,
    ];
  });
  process.stdout.write(
    `\n${options.users} users, ${options.rounds} rounds of ${options.requests} requests per filter, ${run.requestsAre}; ms per request: medians of the rounds (range)\n\n` +
      markdownTable([run.heading, 'matches', 'analyzed, ms', 'never analyzed, ms', 'never analyzed / analyzed'], rows) +
      '\n',
  );
}
