// The flags of `npm run bench -- …`, with their defaults and checks.
import { parseArgs } from 'node:util';
import type { LoaderName } from './loader';
import { SCENARIO_KEYS, type ScenarioKey } from './scenarios';
import type { WriteLoader } from './writes';

/**
 * What a run measures: the service against the raw baseline (issue 6), writes, scale, replicas
 * (issue 12), find, sort and cursor pages at scale (issue 20).
 */
export const SUITES = ['service', 'writes', 'scale', 'replicas', 'find', 'sign-in', 'tokens'] as const;
export type Suite = (typeof SUITES)[number];

export interface BenchOptions {
  users: number;
  durationSeconds: number;
  warmupSeconds: number;
  rounds: number;
  connections: number;
  createConnections: number;
  loader: LoaderName;
  serverCores: string;
  loadCores: string;
  reseed: boolean;
  scenarios: ScenarioKey[];
  /** Scenarios to record a CPU profile of the service for, after the measured rounds. */
  profile: ScenarioKey[];
  limitZero: boolean;
  suites: Suite[];
  /** Users of the scale suite's large database (the small one is `users`). */
  scaleUsers: number;
  writeConnections: number[];
  /** undefined: pgbench when installed, else node-postgres. */
  writeLoader: WriteLoader | undefined;
}

export const USAGE = `usage: npm run bench -- [options]
  --suites LIST           comma-separated subset of ${SUITES.join(',')} (default all):
                            service: the service against the raw baseline, over HTTP (issues 6, 13)
                            writes:  creates at --write-connections, with the list index and without (issue 12)
                                     and creates and updates of --users seeded users with their event and without (issue 21),
                                     as bare transactions, then through the service (over REST, with the service
                                     recording its events and the same service recording none)
                            scale:   the service on --users against --scale-users users, and limit=0 on both (issue 12)
                            replicas: reads on a streaming replica against the primary alone, --users users, on
                                     a primary and replica of the suite's own (needs PostgreSQL's server binaries)
                            find:    ?email=, ?q=, each sort's cursor page on --users and --scale-users users, and
                                     creates with and without issue 20's indexes (issue 20)
                            sign-in: sign-ins by password and by passkey against the same service
                            tokens:  ES256 access tokens (JWT_SIGNING_KEY) against HS256: signed and verified
                                     in the process, refreshes and reads with unseen tokens through two servers
  --users N               users to seed (default 100000)
  --scale-users N         users of the scale and find suites' large database (default 2000000; seeded once, kept)
  --write-connections L   connection counts of the writes suite and the find suite's creates (default 1,10,50)
  --write-loader NAME     pgbench (default, when installed) or node (node-postgres)
  --duration S            seconds per measurement (default 10)
  --warmup S              unmeasured seconds before each measurement (default 2)
  --rounds R              interleaved rounds; the table shows medians (default 3)
  --connections C         concurrent connections of the load generator (default 10)
  --create-connections C  connections sending creates in the create scenario (default 8)
  --loader NAME           autocannon (default) or wrk (when installed)
  --server-cores LIST     taskset cores for the servers (default 0)
  --load-cores LIST       taskset cores for the load generator (default 1)
  --scenarios LIST        comma-separated subset of ${SCENARIO_KEYS.join(',')}
  --profile LIST          scenarios to CPU-profile the service under (default rest-read-50,trpc-read-50; none to skip)
  --no-limit-zero         skip the limit=0 requests over all users (service and scale suites)
  --reseed                seed again even when the database already holds the seed`;

function integer(name: string, text: string | undefined, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer of at least ${min}`);
  return value;
}

function scenarioList(name: string, text: string): ScenarioKey[] {
  if (text === 'none') return [];
  const keys = text.split(',').map((key) => key.trim());
  for (const key of keys) {
    if (!SCENARIO_KEYS.includes(key as ScenarioKey)) {
      throw new Error(`--${name}: unknown scenario ${key}; known: ${SCENARIO_KEYS.join(', ')}`);
    }
  }
  return keys as ScenarioKey[];
}

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      users: { type: 'string', default: '100000' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      rounds: { type: 'string', default: '3' },
      connections: { type: 'string', default: '10' },
      'create-connections': { type: 'string', default: '8' },
      loader: { type: 'string', default: 'autocannon' },
      'server-cores': { type: 'string', default: '0' },
      'load-cores': { type: 'string', default: '1' },
      scenarios: { type: 'string', default: SCENARIO_KEYS.join(',') },
      profile: { type: 'string', default: 'rest-read-50,trpc-read-50' },
      'no-limit-zero': { type: 'boolean', default: false },
      reseed: { type: 'boolean', default: false },
      suites: { type: 'string', default: SUITES.join(',') },
      'scale-users': { type: 'string', default: '2000000' },
      'write-connections': { type: 'string', default: '1,10,50' },
      'write-loader': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (values.loader !== 'autocannon' && values.loader !== 'wrk') throw new Error('--loader must be autocannon or wrk');
  const scenarios = scenarioList('scenarios', values.scenarios);
  const profile = scenarioList('profile', values.profile);
  if (profile.includes('create-read'))
    throw new Error('--profile: create-read runs two loads at once; profile its parts');
  const suites = values.suites.split(',').map((suite) => suite.trim());
  for (const suite of suites) {
    if (!SUITES.includes(suite as Suite))
      throw new Error(`--suites: unknown suite ${suite}; known: ${SUITES.join(', ')}`);
  }
  const writeConnections = values['write-connections'].split(',').map((text) => integer('write-connections', text, 1));
  const writeLoader = values['write-loader'];
  if (writeLoader !== undefined && writeLoader !== 'pgbench' && writeLoader !== 'node') {
    throw new Error('--write-loader must be pgbench or node');
  }
  return {
    users: integer('users', values.users, 100),
    durationSeconds: integer('duration', values.duration, 1),
    warmupSeconds: integer('warmup', values.warmup, 0),
    rounds: integer('rounds', values.rounds, 1),
    connections: integer('connections', values.connections, 1),
    createConnections: integer('create-connections', values['create-connections'], 1),
    loader: values.loader,
    serverCores: values['server-cores'],
    loadCores: values['load-cores'],
    reseed: values.reseed,
    scenarios,
    profile,
    limitZero: !values['no-limit-zero'],
    suites: suites as Suite[],
    scaleUsers: integer('scale-users', values['scale-users'], 100),
    writeConnections,
    writeLoader: writeLoader === 'node' ? 'node-postgres' : writeLoader,
  };
}
