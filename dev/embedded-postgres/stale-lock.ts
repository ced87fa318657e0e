// A postmaster.pid left behind by a killed run, and maybe its server: what is stopped, what is
// left alone (PIDs are reused), and a folder another live run is using.
import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EmbeddedPostgresError } from './embedded-error';

/** Marks the postmaster with the PID of the run that started it (see `clearStaleLock`). */
export const OWNER_VARIABLE = 'USERS_SERVICE_EMBEDDED_OWNER';

/**
 * A run that was killed leaves `postmaster.pid`, and maybe its server. The PID in it is signalled
 * only when it is really this cluster's postmaster (a `postgres` process working in this data
 * folder) and the run that started it is gone; PIDs are reused, so anything else is left alone.
 * A PID that is gone needs nothing: PostgreSQL replaces such a file itself.
 */
export async function clearStaleLock(dataDir: string): Promise<void> {
  const lockFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(lockFile)) return;
  const pid = Number(readFileSync(lockFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  const stale = `${lockFile} names PID ${pid}, which is running`;
  if (process.platform !== 'linux') {
    throw new EmbeddedPostgresError(
      stale,
      "this platform cannot check it is this cluster's server: stop it, or delete the file if it is not PostgreSQL",
    );
  }
  const here = realpathSync(dataDir);
  const postmaster = postgresIn(pid, here);
  if (postmaster === 'unknown') {
    // another user's process: PostgreSQL's own check passes it over (it may not signal it either)
    return;
  }
  if (postmaster) {
    const owner = Number(postmaster.env[OWNER_VARIABLE]);
    if (owner > 0 && postmaster.ppid === owner) {
      throw new EmbeddedPostgresError(
        `another run (PID ${owner}) is using the data folder ${dataDir}`,
        'stop it first, or give this one another EMBEDDED_PG_DIR',
      );
    }
    process.kill(pid, 'SIGINT'); // the run that started it is gone: PostgreSQL's fast shutdown
    for (let waited = 0; isAlive(pid) && waited < 15_000; waited += 100) await sleep(100);
    if (isAlive(pid))
      throw new EmbeddedPostgresError(
        stale,
        'a server left behind by an earlier run did not stop within 15 s of SIGINT',
      );
    return;
  }
  // the PID belongs to something else now; the file may go unless a server of this cluster lingers
  const lingering = processIds().find((other) => {
    const found = postgresIn(other, here);
    return found && found !== 'unknown';
  });
  if (lingering) {
    throw new EmbeddedPostgresError(
      `a PostgreSQL process (PID ${lingering}) still works in ${dataDir}`,
      'it was left by an earlier run: stop it first',
    );
  }
  rmSync(lockFile, { force: true });
}

interface PostgresProcess {
  ppid: number;
  env: Record<string, string>;
}

/** A postgres process working in `dataDir`, null if that PID is something else, 'unknown' if we may not look. */
function postgresIn(pid: number, dataDir: string): PostgresProcess | null | 'unknown' {
  const proc = `/proc/${pid}`;
  try {
    const stat = readFileSync(`${proc}/stat`, 'utf8');
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split at the last ')'
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    if (comm !== 'postgres') return null;
    let cwd: string;
    try {
      cwd = readlinkSync(`${proc}/cwd`);
    } catch {
      return 'unknown';
    }
    if (cwd !== dataDir) return null;
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const env: Record<string, string> = {};
    for (const entry of readFileSync(`${proc}/environ`, 'utf8').split('\0')) {
      const equals = entry.indexOf('=');
      if (equals > 0) env[entry.slice(0, equals)] = entry.slice(equals + 1);
    }
    return { ppid, env };
  } catch {
    return isAlive(pid) ? 'unknown' : null;
  }
}

function processIds(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
