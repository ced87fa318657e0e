// The outbox through the service (issue 21, part of the writes suite): the service's own creates
// and updates over REST, with their events, beside the same service recording none
// (bench/without-events.ts), side by side in one run, round after round, alternating which goes
// first. What a product team's callers see of the outbox: the event's statement among everything
// else a write costs (HTTP, validation, the session check, the ORM's unit of work). The writes
// suite's bare transactions (./writes.ts) measure the event against the SQL alone.
//
// Creates are of users who sign in by email code: a password's hash (scrypt, tens of milliseconds
// at the service's cost) would hide the event's cost entirely. Updates are PUTs of random seeded
// users (a new name and age), in the updates' database.
import { removeCreatedUsers } from './seed';
import { startServer, type RunningServer, type ServerSettings } from './servers';
import { resetUpdateTables, type WriteKind, type WriteMeasurement } from './writes';
import type { LoadResult, LoadSpec, Workload } from './workload';

/** `outbox`: the service as it is; `indexed`: the same service recording no events (as in ./writes.ts's pairs). */
export type ServiceWriteTarget = Extract<WriteMeasurement['target'], 'indexed' | 'outbox'>;

export type ServiceWriteMeasurement = Pick<WriteMeasurement, 'round' | 'kind' | 'connections' | 'load'> & {
  target: ServiceWriteTarget;
};

export interface ServiceWritesRun {
  /** The servers' settings; its databaseUrl holds `users` seeded users (the updates' database). */
  settings: ServerSettings;
  users: number;
  rounds: number;
  connections: number[];
  /** A load spec for `workload` at `connections` against a server, everything else filled in. */
  spec(workload: Workload, baseUrl: string, connections: number): LoadSpec;
  load(spec: LoadSpec): Promise<LoadResult>;
  log(line: string): void;
  /** Keeps track of servers so an interrupted run stops them. */
  track(server: RunningServer): RunningServer;
  untrack(server: RunningServer): void;
}

const WORKLOADS: Record<WriteKind, Workload> = { create: 'create-by-code', update: 'update' };

export async function runServiceWrites(run: ServiceWritesRun): Promise<ServiceWriteMeasurement[]> {
  const url = run.settings.databaseUrl;
  const measurements: ServiceWriteMeasurement[] = [];
  for (let round = 1; round <= run.rounds; round++) {
    // fresh processes each round, both alive throughout it, so each sees the same machine
    const servers: Record<ServiceWriteTarget, RunningServer> = {
      outbox: run.track(await startServer('service', run.settings)),
      indexed: run.track(await startServer('service', { ...run.settings, withoutEvents: true })),
    };
    try {
      for (const connections of run.connections) {
        for (const kind of ['create', 'update'] as const) {
          const order: ServiceWriteTarget[] = round % 2 ? ['indexed', 'outbox'] : ['outbox', 'indexed'];
          for (const target of order) {
            // every measurement from the seeded users alone, no events, no dead rows
            await removeCreatedUsers(url);
            await resetUpdateTables(url);
            const load = await run.load(run.spec(WORKLOADS[kind], servers[target].baseUrl, connections));
            measurements.push({ round, kind, connections, target, load });
            run.log(
              `writes through the service round ${round}/${run.rounds} ${String(connections).padStart(3)} connections ` +
                `${kind} ${target === 'outbox' ? 'with events ' : 'no events   '} ${load.rps.toFixed(1)} req/s ` +
                `p50 ${load.p50Ms.toFixed(2)} ms p99 ${load.p99Ms.toFixed(2)} ms` +
                (load.non2xx + load.errors > 0 ? ` (${load.non2xx + load.errors} non-2xx responses or errors!)` : ''),
            );
          }
        }
      }
    } finally {
      for (const server of Object.values(servers)) {
        await server.stop();
        run.untrack(server);
      }
    }
  }
  await removeCreatedUsers(url);
  await resetUpdateTables(url);
  return measurements;
}
