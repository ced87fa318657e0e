// The scale suite (issue 12): the same service, started twice, on a database of `--users` (100,000)
// and on one of `--scale-users` (2,000,000) seeded users, measured side by side in one run, round
// after round, alternating which goes first: GET by id, list offset 0, list offset 90%. The ratio
// of the large database's throughput to the small one's is what stays flat, or does not. Then,
// in fresh processes again, one `limit=0` request over all users on each (bench/limit-zero.ts):
// its peak RSS must stay flat too, however many users the answer holds.
import type { LimitZeroResult } from './limit-zero';
import { ProcessMeter } from './processes';
import { PostgresMeter } from './postgres-meter';
import { SCENARIOS, type ScenarioKey } from './scenarios';
import { startServer, type RunningServer, type ServerSettings } from './servers';
import type { LoadResult, LoadSpec } from './workload';

export const SCALE_DATABASE = 'users_bench_scale';
export const SCALE_SCENARIOS = ['rest-read', 'list-first', 'list-deep'] as const satisfies readonly ScenarioKey[];
export type ScaleScenario = (typeof SCALE_SCENARIOS)[number];
export type ScaleSize = 'small' | 'large';

export interface ScaleMeasurement {
  round: number;
  scenario: ScaleScenario;
  size: ScaleSize;
  users: number;
  load: LoadResult;
  peakRssBytes: number;
  cores: number;
  pgCores: number;
}

/** One `limit=0` request over all the users of one size. */
export interface ScaleSingle extends LimitZeroResult {
  round: number;
  size: ScaleSize;
  users: number;
}

export interface ScaleResults {
  measurements: ScaleMeasurement[];
  singles: ScaleSingle[];
}

export interface ScaleRun {
  /** Database URL and seeded users of each size. */
  databases: Record<ScaleSize, { url: string; users: number }>;
  settings: ServerSettings;
  rounds: number;
  /** A load spec for the scenario against a server, with everything but the target filled in. */
  spec(scenario: ScenarioKey, baseUrl: string, users: number): LoadSpec;
  load(spec: LoadSpec): Promise<LoadResult>;
  /** The limit=0 request, or undefined to skip it (--no-limit-zero). */
  limitZero: ((server: RunningServer) => Promise<LimitZeroResult>) | undefined;
  log(line: string): void;
  /** Keeps track of servers so an interrupted run stops them. */
  track(server: RunningServer): RunningServer;
  untrack(server: RunningServer): void;
}

export async function runScale(run: ScaleRun): Promise<ScaleResults> {
  const measurements: ScaleMeasurement[] = [];
  const singles: ScaleSingle[] = [];
  const meters = {
    small: await PostgresMeter.open(run.databases.small.url),
    large: await PostgresMeter.open(run.databases.large.url),
  };
  try {
    for (let round = 1; round <= run.rounds; round++) {
      // fresh processes each round, as in the service suite
      let servers = await startBoth(run);
      try {
        for (const scenario of SCALE_SCENARIOS) {
          const order: ScaleSize[] = round % 2 ? ['small', 'large'] : ['large', 'small'];
          for (const size of order) {
            const { users } = run.databases[size];
            const meter = new ProcessMeter(servers[size].pid);
            meter.start();
            await meters[size].start();
            const load = await run.load(run.spec(scenario, servers[size].baseUrl, users));
            const pgCores = await meters[size].stop();
            const { peakRssBytes, cores } = meter.stop();
            const measurement = { round, scenario, size, users, load, peakRssBytes, cores, pgCores };
            measurements.push(measurement);
            run.log(
              `scale round ${round}/${run.rounds} ${scenario.padEnd(10)} ${users.toLocaleString('en-US').padStart(9)} users:` +
                ` ${load.rps.toFixed(1)} req/s p50 ${load.p50Ms.toFixed(2)} ms p99 ${load.p99Ms.toFixed(2)} ms` +
                (load.non2xx + load.errors > 0 ? ` (${load.non2xx + load.errors} non-2xx responses or errors!)` : ''),
            );
          }
        }
        if (run.limitZero) {
          // in fresh processes, so the peak owes nothing to what the loads above left in the heap
          await stopBoth(run, servers);
          servers = await startBoth(run);
          const order: ScaleSize[] = round % 2 ? ['small', 'large'] : ['large', 'small'];
          for (const size of order) {
            const { users } = run.databases[size];
            const single: ScaleSingle = { round, size, users, ...(await run.limitZero(servers[size])) };
            singles.push(single);
            run.log(
              `scale round ${round}/${run.rounds} limit=0 ${users.toLocaleString('en-US').padStart(9)} users: ` +
                `${single.status}, ${single.items} items of ${single.total}, ${(single.bytes / 2 ** 20).toFixed(0)} MB ` +
                `in ${single.ms.toFixed(0)} ms, peak RSS ${(single.peakRssBytes / 2 ** 20).toFixed(0)} MB` +
                (single.complete ? '' : ` (INCOMPLETE: ${single.problem})`),
            );
          }
        }
      } finally {
        await stopBoth(run, servers);
      }
    }
  } finally {
    await meters.small.close();
    await meters.large.close();
  }
  return { measurements, singles };
}

async function startBoth(run: ScaleRun): Promise<Record<ScaleSize, RunningServer>> {
  return {
    small: run.track(await startServer('service', { ...run.settings, databaseUrl: run.databases.small.url })),
    large: run.track(await startServer('service', { ...run.settings, databaseUrl: run.databases.large.url })),
  };
}

async function stopBoth(run: ScaleRun, servers: Record<ScaleSize, RunningServer>): Promise<void> {
  for (const server of Object.values(servers)) {
    await server.stop();
    run.untrack(server);
  }
}

export const scaleTitle = (scenario: ScaleScenario): string => SCENARIOS[scenario].title;
