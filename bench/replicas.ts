// The replicas suite (issue 12): reads routed to a streaming replica against the primary alone.
// The suite builds a PostgreSQL primary and one hot standby of its own (dev/testing/
// replicated-postgres: initdb, pg_basebackup -R, in a temporary folder, on free ports), seeds
// `--users` users into the primary and waits until the replica has replayed them. Then the same
// service is measured with DATABASE_REPLICA_URLS naming the replica and without it, with GET by id
// and list offset 0, in interleaved rounds that alternate which goes first.
//
// The proof that the reads went to the replica is each cluster's own pg_stat_database for the
// bench database, read before and after each measurement. A backend flushes its statistics at
// most once a second while busy and up to 10 s after it goes idle, so every measurement gets a
// fresh service process that is stopped before the second reading: its backends then exit, and
// exiting flushes what they counted. The meters and readers connect to the `postgres` database,
// so none of their own queries are counted.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { HashCost } from '../server/crypto/password-hasher';
import { findProgram, POSTGRESQL_SERVER } from '../dev/testing/programs';
import {
  startReplicatedPostgres,
  type PostgresServer,
  type ReplicatedPostgres,
} from '../dev/testing/replicated-postgres';
import { BENCH_DATABASE, migrated } from './bench-database';
import { PostgresMeter } from './postgres-meter';
import { ProcessMeter } from './processes';
import { SCENARIOS, type ScenarioKey } from './scenarios';
import { seed } from './seed';
import { startServer, type RunningServer, type ServerSettings } from './servers';
import type { LoadResult, LoadSpec } from './workload';

export const REPLICA_SCENARIOS = ['rest-read', 'list-first'] as const satisfies readonly ScenarioKey[];
export type ReplicaScenario = (typeof REPLICA_SCENARIOS)[number];
/** Where the service's reads go: the primary alone (no DATABASE_REPLICA_URLS), or the replica. */
export type ReadsOn = 'primary' | 'replica';
export type ClusterMember = 'primary' | 'replica';

/** pg_stat_database of the bench database on one server: what changed over a measurement. */
export interface DatabaseActivity {
  xactCommit: number;
  tupReturned: number;
  tupFetched: number;
}

export interface ReplicaMeasurement {
  round: number;
  scenario: ReplicaScenario;
  readsOn: ReadsOn;
  load: LoadResult;
  peakRssBytes: number;
  cores: number;
  /** The CPU of the bench database's backends on each server, in cores. */
  pgCores: Record<ClusterMember, number>;
  /** From just before the load until the service's backends had exited. */
  activity: Record<ClusterMember, DatabaseActivity>;
}

export interface ReplicaResults {
  postgres: string;
  seedSeconds: number;
  catchUpSeconds: number;
  measurements: ReplicaMeasurement[];
}

export interface ReplicaRun {
  /** The folder of PostgreSQL's server binaries (findPostgresServer). */
  binDir: string;
  users: number;
  hashCost: HashCost;
  /** The service's settings; the database URLs are the suite's own. */
  settings: ServerSettings;
  rounds: number;
  spec(scenario: ScenarioKey, baseUrl: string, users: number): LoadSpec;
  load(spec: LoadSpec): Promise<LoadResult>;
  log: (line: string) => void;
  /** Keeps track of servers so an interrupted run stops them. */
  track(server: RunningServer): RunningServer;
  untrack(server: RunningServer): void;
  /** Hands over the clusters as soon as they run, so an interrupted run closes them too. */
  started(cluster: ReplicatedPostgres): void;
}

/** The folder with initdb, postgres and pg_basebackup (Debian's newest first, then PATH), if any. */
export function findPostgresServer(): string | undefined {
  return findProgram(POSTGRESQL_SERVER);
}

export const POSTGRESQL_SERVER_MISSING = `${POSTGRESQL_SERVER.name} not found in /usr/lib/postgresql/*/bin or on PATH (${POSTGRESQL_SERVER.install})`;

export async function runReplicas(run: ReplicaRun): Promise<ReplicaResults> {
  const cluster = await startReplicatedPostgres(run.binDir, 1);
  run.started(cluster);
  try {
    return await measure(run, cluster);
  } finally {
    await cluster.close();
  }
}

async function measure(run: ReplicaRun, cluster: ReplicatedPostgres): Promise<ReplicaResults> {
  const { primary } = cluster;
  const replica = cluster.replicas[0]!;
  const servers: Record<ClusterMember, PostgresServer> = { primary, replica };
  const url = await migrated(primary.url(), BENCH_DATABASE);
  const replicaUrl = replica.url(BENCH_DATABASE);
  const [{ version } = { version: '?' }] = await primary.query<{ version: string }>(
    `select current_setting('server_version') as version`,
  );
  const postgres = `PostgreSQL ${version} from ${run.binDir}: a primary and a streaming replica of the suite's own (ports ${primary.port}, ${replica.port})`;

  let started = Date.now();
  await seed({ url, users: run.users, hashCost: run.hashCost, force: true, log: run.log });
  const seedSeconds = (Date.now() - started) / 1000;
  started = Date.now();
  await caughtUp(cluster, run.log);
  const catchUpSeconds = (Date.now() - started) / 1000;
  run.log(`replicas: the replica replayed the seed ${catchUpSeconds.toFixed(1)} s after it was written`);

  const statistics = {
    primary: new pg.Client({ connectionString: primary.url() }),
    replica: new pg.Client({ connectionString: replica.url() }),
  };
  for (const client of Object.values(statistics)) {
    // an interrupted run stops the servers under these connections: that must not crash it
    client.on('error', () => undefined);
    await client.connect();
  }
  const meters = {
    primary: await PostgresMeter.open(primary.url(), BENCH_DATABASE),
    replica: await PostgresMeter.open(replica.url(), BENCH_DATABASE),
  };
  const activity = async (): Promise<Record<ClusterMember, DatabaseActivity>> => ({
    primary: await readActivity(statistics.primary),
    replica: await readActivity(statistics.replica),
  });

  const measurements: ReplicaMeasurement[] = [];
  try {
    for (let round = 1; round <= run.rounds; round++) {
      for (const scenario of REPLICA_SCENARIOS) {
        const order: ReadsOn[] = round % 2 ? ['primary', 'replica'] : ['replica', 'primary'];
        for (const readsOn of order) {
          const settings = {
            ...run.settings,
            databaseUrl: url,
            replicaUrl: readsOn === 'replica' ? replicaUrl : undefined,
          };
          const server = run.track(await startServer('service', settings));
          let measurement: ReplicaMeasurement;
          try {
            // until its first check of the replica has answered, the service reads on the primary
            if (readsOn === 'replica') await replicaInUse(server);
            const before = await activity();
            const meter = new ProcessMeter(server.pid);
            meter.start();
            await meters.primary.start();
            await meters.replica.start();
            const load = await run.load(run.spec(scenario, server.baseUrl, run.users));
            const pgCores = { primary: await meters.primary.stop(), replica: await meters.replica.stop() };
            const { peakRssBytes, cores } = meter.stop();
            await server.stop();
            await backendsExited(servers);
            const after = await settled(activity);
            measurement = {
              round,
              scenario,
              readsOn,
              load,
              peakRssBytes,
              cores,
              pgCores,
              activity: {
                primary: minus(after.primary, before.primary),
                replica: minus(after.replica, before.replica),
              },
            };
          } finally {
            await server.stop();
            run.untrack(server);
          }
          measurements.push(measurement);
          run.log(describe(measurement, run.rounds));
        }
      }
    }
  } finally {
    await meters.primary.close();
    await meters.replica.close();
    await statistics.primary.end();
    await statistics.replica.end();
  }
  return { postgres, seedSeconds, catchUpSeconds, measurements };
}

/** Waits for the replica to replay everything, a long seed included (caughtUp gives up after 30 s each). */
async function caughtUp(cluster: ReplicatedPostgres, log: (line: string) => void): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await cluster.caughtUp();
    } catch (error) {
      if (attempt >= 20) throw error;
      log(`replicas: the replica is still replaying the seed (${attempt * 30} s)`);
    }
  }
}

/** Resolves once the service's /readyz reports the replica usable. */
async function replicaInUse(server: RunningServer): Promise<void> {
  const deadline = performance.now() + 30_000;
  let last = '';
  while (performance.now() < deadline) {
    const response = await fetch(`${server.baseUrl}/readyz`);
    const body = (await response.json()) as { checks?: { replicas?: Record<string, string> } };
    last = JSON.stringify(body.checks?.replicas ?? {});
    if (body.checks?.replicas?.['replica 1'] === 'ok') return;
    await sleep(100);
  }
  throw new Error(`the service did not report the replica usable within 30 s: ${last}`);
}

/** Resolves once no backend is connected to the bench database on either server. */
async function backendsExited(servers: Record<ClusterMember, PostgresServer>): Promise<void> {
  const deadline = performance.now() + 15_000;
  for (const server of Object.values(servers)) {
    for (;;) {
      const [row] = await server.query<{ n: string }>('select count(*) as n from pg_stat_activity where datname = $1', [
        BENCH_DATABASE,
      ]);
      if (Number(row?.n) === 0) break;
      if (performance.now() > deadline) throw new Error(`${server.name}: the service's backends did not exit`);
      await sleep(50);
    }
  }
}

/**
 * The activity once it stops changing: a backend leaves pg_stat_activity a moment before its
 * exit flushes its counts.
 */
async function settled<T>(read: () => Promise<T>): Promise<T> {
  let last = await read();
  for (let attempt = 0; attempt < 20; attempt++) {
    await sleep(200);
    const now = await read();
    if (JSON.stringify(now) === JSON.stringify(last)) return now;
    last = now;
  }
  return last;
}

async function readActivity(client: pg.Client): Promise<DatabaseActivity> {
  // each query is a transaction of its own, so it sees the statistics as they are now
  const { rows } = await client.query<{ xact_commit: string; tup_returned: string; tup_fetched: string }>(
    'select xact_commit, tup_returned, tup_fetched from pg_stat_database where datname = $1',
    [BENCH_DATABASE],
  );
  const row = rows[0];
  return {
    xactCommit: Number(row?.xact_commit ?? NaN),
    tupReturned: Number(row?.tup_returned ?? NaN),
    tupFetched: Number(row?.tup_fetched ?? NaN),
  };
}

function minus(after: DatabaseActivity, before: DatabaseActivity): DatabaseActivity {
  return {
    xactCommit: after.xactCommit - before.xactCommit,
    tupReturned: after.tupReturned - before.tupReturned,
    tupFetched: after.tupFetched - before.tupFetched,
  };
}

export const replicaTitle = (scenario: ReplicaScenario): string => SCENARIOS[scenario].title;

function describe(m: ReplicaMeasurement, rounds: number): string {
  const { load, activity } = m;
  const problems = load.non2xx + load.errors;
  return (
    `replicas round ${m.round}/${rounds} ${m.scenario.padEnd(10)} reads on the ${m.readsOn.padEnd(7)}` +
    ` ${load.rps.toFixed(1)} req/s p50 ${load.p50Ms.toFixed(2)} ms p99 ${load.p99Ms.toFixed(2)} ms;` +
    ` transactions primary ${activity.primary.xactCommit} / replica ${activity.replica.xactCommit}` +
    (problems > 0 ? ` (${problems} non-2xx responses or errors!)` : '')
  );
}
