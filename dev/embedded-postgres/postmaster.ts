// The server process: `postgres` started as the cluster's user on 127.0.0.1 only, with no Unix
// socket, ready once its postmaster.pid says so; a port taken before it binds is told apart
// from other failures (the caller tries another). It is a child of this process: `stopServer`
// ends it, and so does an exit of this process (a SIGKILL leaves it running: the next start
// stops it, see stale-lock.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { childEnv } from './child-programs';
import { cannotRun, explain, firstError } from './embedded-error';
import type { Binaries } from './platform-binaries';
import { OWNER_VARIABLE } from './stale-lock';
import { asUser, type RunAs } from './system-user';

const READY_TIMEOUT_MS = 60_000;

/** This process's servers, which its exit takes down (see `installExitHook`). */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

type Started = { child: ChildProcess } | { portTaken: boolean; why: string };

export async function startServer(
  bin: Binaries,
  dataDir: string,
  port: number,
  runAs: RunAs | undefined,
  settings: Record<string, string> = {},
): Promise<Started> {
  const logFile = path.join(dataDir, 'postgres.log');
  let logFd: number;
  try {
    logFd = openSync(logFile, 'w', 0o600);
  } catch (error) {
    return { portTaken: false, why: `could not open ${logFile}: ${explain(error)}` };
  }
  // prettier-ignore
  const args = [
    '-D', dataDir,
    '-p', String(port),
    '-c', 'listen_addresses=127.0.0.1',
    '-c', 'unix_socket_directories=',
    '-c', 'lc_messages=C',
    ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
  ];
  let child: ChildProcess;
  try {
    child = spawn(bin.postgres, args, {
      ...asUser(runAs),
      env: childEnv({ [OWNER_VARIABLE]: String(process.pid) }),
      stdio: ['ignore', logFd, logFd],
    });
  } finally {
    closeSync(logFd);
  }
  let ended = false;
  const failed = new Promise<string>((resolve) => {
    // kept for the child's whole life: a failed kill() is an 'error' event too
    child.on('error', (error) => resolve(cannotRun(bin.postgres, error)));
    child.once('exit', (code, signal) =>
      resolve(signal ? `postgres was killed by ${signal}` : `postgres exited with code ${code}`),
    );
  }).finally(() => (ended = true));
  const ready = (async () => {
    const lockFile = path.join(dataDir, 'postmaster.pid');
    for (const deadline = Date.now() + READY_TIMEOUT_MS; !ended && Date.now() < deadline; await sleep(50)) {
      // line 8 of postmaster.pid turns "ready" once it accepts connections (what pg_ctl -w reads)
      const lines = safeRead(lockFile).split('\n');
      if (Number(lines[0]) === child.pid && lines[7]?.trim() === 'ready') return true;
    }
    return false;
  })();
  const outcome = await Promise.race([ready, failed]);
  if (outcome === true) {
    child.unref(); // it must not keep Node running once the service is done
    running.add(child);
    child.once('exit', () => running.delete(child));
    installExitHook();
    return { child };
  }
  if (outcome === false && !ended) {
    await stopServer(child);
    return { portTaken: false, why: `it was not ready within ${READY_TIMEOUT_MS / 1000} s (its log: ${logFile})` };
  }
  const why = await failed;
  const log = safeRead(logFile);
  if (/could not bind .*Address already in use/.test(log))
    return { portTaken: true, why: `127.0.0.1:${port} is in use` };
  return { portTaken: false, why: firstError(log) ?? why };
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT'); // fast shutdown: sessions are cut, the data is left consistent
  const timer = setTimeout(() => child.kill('SIGQUIT'), 30_000);
  await exited;
  clearTimeout(timer);
}

/** A Node process that ends with clusters still up (an error after start-up) takes them down. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) child.kill('SIGINT');
  });
}

/** '' for a file that is not there (yet): postmaster.pid and the log appear as the server starts. */
function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
