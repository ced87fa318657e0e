// A PostgreSQL primary and streaming replicas of the test's own, from PostgreSQL's server binaries
// (`requireProgram(this, POSTGRESQL_SERVER)`), in a temporary folder, on free ports: `initdb` for
// the primary, `pg_basebackup -R` for each replica (a hot standby that streams from it). Never the
// machine's shared server. As root, the servers run as the `postgres` system user (PostgreSQL
// refuses root), as dev/embedded-postgres/embedded-postgres does; otherwise as the current user.
//
// The clusters are throwaway and listen on 127.0.0.1 only, without a Unix socket; they trust
// local connections (no password to hand around), which other local users could use for as long
// as the test runs: they hold only test data.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '../embedded-postgres/embedded-postgres';

const run = promisify(execFile);

export interface PostgresServer {
  name: string;
  port: number;
  dataDir: string;
  /** A URL for `database` on this server. */
  url(database?: string): string;
  query<T = Record<string, unknown>>(text: string, values?: unknown[], database?: string): Promise<T[]>;
  /** Fast shutdown (sessions are cut). */
  stop(): Promise<void>;
  /** Starts it again, on the same port. */
  start(): Promise<void>;
  readonly running: boolean;
}

export interface ReplicatedPostgres {
  primary: PostgresServer;
  replicas: PostgresServer[];
  /** Resolves once every running replica has replayed everything the primary has written. */
  caughtUp(): Promise<void>;
  close(): Promise<void>;
}

interface RunAs {
  uid: number;
  gid: number;
}

export async function startReplicatedPostgres(binDir: string, replicaCount = 1): Promise<ReplicatedPostgres> {
  const runAs = process.getuid?.() === 0 ? await postgresUser() : undefined;
  const base = mkdtempSync(path.join(tmpdir(), 'users-test-replication-'));
  if (runAs) chownSync(base, runAs.uid, runAs.gid);
  const servers: PostgresServer[] = [];
  try {
    const primaryDir = path.join(base, 'primary');
    // prettier-ignore
    await tool(binDir, 'initdb', runAs, [
      '-D', primaryDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync',
    ]);
    const primary = server('primary', binDir, primaryDir, await freePort(), runAs, [
      // a throwaway cluster need not wait for the disk
      '-c',
      'fsync=off',
      '-c',
      'wal_level=replica',
      '-c',
      'max_wal_senders=10',
    ]);
    servers.push(primary);
    await primary.start();
    const replicas: PostgresServer[] = [];
    for (let index = 1; index <= replicaCount; index += 1) {
      const dataDir = path.join(base, `replica-${index}`);
      // prettier-ignore
      await tool(binDir, 'pg_basebackup', runAs, [
        '-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres',
        '-D', dataDir, '-R', '-X', 'stream', '-c', 'fast', '--no-sync',
      ]);
      const replica = server(`replica ${index}`, binDir, dataDir, await freePort(), runAs, [
        '-c',
        'hot_standby=on',
        // report replay positions quickly, and never cancel a test's read for a conflicting replay
        '-c',
        'wal_receiver_status_interval=1s',
        '-c',
        'max_standby_streaming_delay=-1',
      ]);
      servers.push(replica);
      await replica.start();
      replicas.push(replica);
    }
    return {
      primary,
      replicas,
      async caughtUp() {
        const [{ position } = { position: '' }] = await primary.query<{ position: string }>(
          'select pg_current_wal_lsn()::text as position',
        );
        for (const replica of replicas.filter((candidate) => candidate.running)) {
          for (const deadline = Date.now() + 30_000; ; await sleep(50)) {
            const [row] = await replica.query<{ done: boolean }>(
              'select pg_last_wal_replay_lsn() >= $1::pg_lsn as done',
              [position],
            );
            if (row?.done) break;
            if (Date.now() > deadline) throw new Error(`${replica.name} did not replay ${position} within 30 s`);
          }
        }
      },
      async close() {
        for (const each of servers.reverse()) await each.stop();
        rmSync(base, { recursive: true, force: true });
      },
    };
  } catch (error) {
    for (const each of servers.reverse()) await each.stop().catch(() => undefined);
    rmSync(base, { recursive: true, force: true });
    throw error;
  }
}

function server(
  name: string,
  binDir: string,
  dataDir: string,
  port: number,
  runAs: RunAs | undefined,
  settings: string[],
): PostgresServer {
  let child: ChildProcess | undefined;
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const self: PostgresServer = {
    name,
    port,
    dataDir,
    url,
    get running() {
      return child !== undefined;
    },
    async query<T>(text: string, values: unknown[] = [], database = 'postgres'): Promise<T[]> {
      const client = new pg.Client({ connectionString: url(database) });
      await client.connect();
      try {
        return (await client.query(text, values)).rows as T[];
      } finally {
        await client.end();
      }
    },
    async start() {
      // prettier-ignore
      const args = [
        '-D', dataDir, '-p', String(port),
        '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'lc_messages=C',
        ...settings,
      ];
      const started = spawn(path.join(binDir, 'postgres'), args, {
        ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
        cwd: '/',
        stdio: 'ignore',
      });
      child = started;
      stopOnExit(started);
      let exited = false;
      started.once('exit', () => (exited = true));
      for (const deadline = Date.now() + 60_000; ; await sleep(100)) {
        if (exited) throw new Error(`${name}: postgres exited during start-up (see ${dataDir})`);
        try {
          await self.query('select 1');
          return;
        } catch {
          if (Date.now() > deadline) throw new Error(`${name}: not ready within 60 s`);
        }
      }
    },
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGINT'); // fast shutdown
      await exited;
    },
  };
  return self;
}

const running = new Set<ChildProcess>();
let exitHook = false;

/** A test run that ends without `close()` (a crash, ^C) takes its servers down with it. */
function stopOnExit(child: ChildProcess): void {
  if (!exitHook) process.once('exit', () => running.forEach((each) => each.kill('SIGINT')));
  exitHook = true;
  running.add(child);
  child.once('exit', () => running.delete(child));
}

async function tool(binDir: string, name: string, runAs: RunAs | undefined, args: string[]): Promise<void> {
  try {
    await run(path.join(binDir, name), args, { ...(runAs ?? {}), cwd: '/', env: { ...process.env, LC_ALL: 'C' } });
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(`${name} failed: ${stderr?.trim() || String(error)}`);
  }
}

/** As root: the `postgres` system user the servers run as (Debian's PostgreSQL packages create it). */
async function postgresUser(): Promise<RunAs> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    throw new Error(
      'running as root, and there is no "postgres" user to run PostgreSQL as (useradd --system postgres)',
    );
  }
}
