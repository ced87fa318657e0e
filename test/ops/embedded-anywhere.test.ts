// Issue 14: `npm start` and the tests' database set-up work from a clone in a folder other users
// may not enter (0700, like /root or a `mktemp -d` folder), run by root (as CI is) and by an
// ordinary user (one this test creates when it runs as root; itself otherwise). A broken embedded
// start ends both with one clear line and exit 1. The project is copied into a fresh 0700
// folder, node_modules too: hard links on the same file system, a real copy otherwise, never a
// symlink, because the point is that the PostgreSQL binaries live inside that folder.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chownSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { embeddedBinaries } from '../../dev/embedded-postgres/embedded-postgres';
import { newUserBody } from '../support/fixtures';
import { skipBecause } from '../support/prerequisites';
import { restClient } from '../support/rest';

const ROOT = path.resolve(__dirname, '../..');
const isRoot = process.getuid?.() === 0;
const WAY_OUT = '. Set DATABASE_URL to a PostgreSQL of your own to run without it.';

/** Whom a command runs as; undefined: as this test process. */
interface Identity {
  name: string;
  uid: number;
  gid: number;
}

interface Copy {
  folder: string;
  app: string;
}

/** The project as a clone has it (tracked files, and new ones not yet committed), in a fresh 0700 folder. */
function copyProject(owner: Identity | undefined): Copy {
  const folder = mkdtempSync(path.join(tmpdir(), 'users-anywhere-'));
  const app = path.join(folder, 'app');
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT })
    .toString('utf8')
    .split('\0')
    .filter((file) => file && existsSync(path.join(ROOT, file)));
  for (const file of files) {
    mkdirSync(path.dirname(path.join(app, file)), { recursive: true });
    copyFileSync(path.join(ROOT, file), path.join(app, file));
  }
  const modules = path.join(app, 'node_modules');
  let linked = statSync(ROOT).dev === statSync(folder).dev;
  if (linked) linked = spawnSync('cp', ['-al', path.join(ROOT, 'node_modules'), app]).status === 0;
  if (!linked) {
    rmSync(modules, { recursive: true, force: true });
    execFileSync('cp', ['-a', path.join(ROOT, 'node_modules'), app]);
  }
  mkdirSync(path.join(folder, 'home'));
  if (owner) {
    const ids = `${owner.uid}:${owner.gid}`;
    // hard-linked files are the worktree's own inodes: only the new folders (and real copies) change hands
    execFileSync('chown', ['-R', ids, path.join(folder, 'home')]);
    for (const file of files) chownSync(path.join(app, file), owner.uid, owner.gid);
    execFileSync('find', [app, ...(linked ? ['-type', 'd'] : []), '-exec', 'chown', '-h', ids, '{}', '+']);
    chownSync(folder, owner.uid, owner.gid);
  }
  return { folder, app };
}

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

interface Launched {
  child: ChildProcess;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  finished: Promise<Finished>;
}

/** A command run in the copy as `owner` would run it: its own HOME, none of this run's settings. */
function launch(
  copy: Copy,
  owner: Identity | undefined,
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Launched {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) =>
        !/^(npm_.*|INIT_CWD|DATABASE_URL|TEST_PG_URL|EMBEDDED_PG_DIR|PORT|HOST|JWT_SECRET|NODE_ENV|LOG_LEVEL)$/.test(
          key,
        ),
    ),
  );
  const PATH = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((folder) => !folder.includes('node_modules'))
    .join(path.delimiter);
  const child = spawn(command, args, {
    cwd: copy.app,
    // a process group of its own: stopping it is a terminal's Ctrl-C (npm does not pass SIGTERM on)
    detached: true,
    ...(owner ? { uid: owner.uid, gid: owner.gid } : {}),
    env: {
      ...inherited,
      PATH,
      HOME: path.join(copy.folder, 'home'),
      PORT: '0',
      npm_config_update_notifier: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    for (const listener of listeners) listener();
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const finished = new Promise<Finished>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return {
    child,
    finished,
    waitFor(pattern, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = stdout.match(pattern);
          if (match) done(() => resolve(match));
        };
        const timer = setTimeout(
          () => done(() => reject(new Error(`no ${pattern} in time:\n${stdout}${stderr}`))),
          timeoutMs,
        );
        const done = (then: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          then();
        };
        listeners.add(check);
        void finished.then(
          () => listeners.has(check) && done(() => reject(new Error(`exited before ${pattern}:\n${stdout}${stderr}`))),
        );
        check();
      });
    },
  };
}

function npmStart(copy: Copy, owner: Identity | undefined, env: Record<string, string> = {}): Launched {
  return launch(copy, owner, 'npm', ['start'], env);
}

async function stop(service: Launched): Promise<Finished> {
  if (service.child.pid) process.kill(-service.child.pid, 'SIGINT');
  const finished = await service.finished;
  assert.match(finished.stdout, /"msg":"stopped"/, `it stopped in order:\n${finished.stdout}${finished.stderr}`);
  return finished;
}

/** Mocha in the copy, with the project's own global setup, on a one-test spec that makes a test database. */
function testRun(copy: Copy, owner: Identity | undefined): Promise<Finished> {
  const { require: requires } = JSON.parse(readFileSync(path.join(copy.app, '.mocharc.json'), 'utf8')) as {
    require: string[];
  };
  const mocha = path.join(copy.app, 'node_modules/mocha/bin/mocha.js');
  const args = [mocha, '--no-config', ...requires.flatMap((file) => ['--require', file]), '--timeout', '120000'];
  return launch(copy, owner, process.execPath, [...args, 'test/support/embedded-probe.fixture.ts']).finished;
}

/** A path named in a log line of the service, e.g. where root moved the data. */
function logged(output: string, pattern: RegExp): string | undefined {
  return output.match(pattern)?.[1];
}
const RELOCATED = /keeps its data in (\/\S+?):/;
const COPIED = /copied the PostgreSQL binaries to (\/\S+?):/;

function idOf(name: string): Identity {
  const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
  return { name, uid: id('-u'), gid: id('-g') };
}

const identities = [
  { who: 'root', root: true },
  { who: 'an ordinary user', root: false },
] as const;

describe('the service from a clone in a 0700 folder', function () {
  this.timeout(240_000);
  this.slow(30_000);

  for (const { who, root } of identities) {
    describe(`run by ${who}`, function () {
      let owner: Identity | undefined;
      let created: string | undefined;
      let copy: Copy | undefined;
      const leftovers: string[] = []; // what root's runs put outside the copy

      before(function () {
        if (root && !isRoot) {
          skipBecause(this, `root (this run is uid ${process.getuid?.()})`, 'run the tests as root, as CI does');
        }
        if (!root && isRoot) {
          const name = `users-anyw-${randomBytes(3).toString('hex')}`;
          const made = spawnSync('useradd', ['--no-create-home', '--user-group', '--shell', '/bin/sh', name], {
            encoding: 'utf8',
          });
          if (made.status !== 0) {
            const why = made.error?.message ?? made.stderr.trim();
            skipBecause(
              this,
              `an ordinary user this test may create (useradd: ${why})`,
              'run the tests as an ordinary user, or as root where useradd works',
            );
          }
          created = name;
          owner = idOf(name);
        }
        copy = copyProject(owner);
        assert.equal(statSync(copy.folder).mode & 0o777, 0o700, 'a folder no one else may enter');
      });

      after(() => {
        if (copy) rmSync(copy.folder, { recursive: true, force: true });
        for (const leftover of leftovers) rmSync(leftover, { recursive: true, force: true });
        if (created) spawnSync('userdel', [created]);
      });

      it('serves on the embedded default: /healthz, a REST call with the printed admin token, an admin made while it runs', async function () {
        const at = copy!;
        const service = npmStart(at, owner);
        let id: string;
        let email: unknown;
        try {
          const [, baseUrl] = await service.waitFor(/listening on (http:\/\/[\d.:]+)/);
          const [, token] = await service.waitFor(/admin token[^\n]*\n\s*\n\s*(\S+)/);
          assert.equal((await fetch(`${baseUrl}/healthz`)).status, 200);
          const createdUser = await restClient(baseUrl!, token).post('/api/v2/users', newUserBody());
          assert.equal(createdUser.status, 200, JSON.stringify(createdUser.body));
          ({ id, email } = createdUser.body);
          // an admin made while it runs, on the cluster it runs (found by hand: as root, the CLI
          // looked for the cluster's postmaster.pid where the data was asked for, not where it went)
          const admin = await launch(at, owner, 'npm', [
            'run',
            '-s',
            'admin',
            '--',
            '--email',
            'ops@example.com',
            '--password',
            'a long passphrase',
          ]).finished;
          assert.equal(admin.code, 0, `${admin.stdout}${admin.stderr}`);
          assert.match(admin.stdout, /in the running embedded PostgreSQL/);
          const signIn = await restClient(baseUrl!).post('/api/v2/auth/token', {
            email: 'ops@example.com',
            password: 'a long passphrase',
          });
          assert.equal(signIn.status, 200, JSON.stringify(signIn.body));
        } finally {
          await stop(service);
        }
        const { stdout } = await service.finished;
        const relocated = logged(stdout, RELOCATED);
        if (relocated) leftovers.push(relocated);
        if (!root) {
          assert.equal(relocated, undefined, 'an ordinary user keeps the data where it asked');
          assert.ok(existsSync(path.join(at.app, '.data/postgres/PG_VERSION')), 'the data is in .data/postgres');
          return;
        }
        // as root: the postgres user could not enter this folder, so the data went where it can
        assert.ok(relocated?.startsWith('/var/lib/users-service/embedded-postgres/'), stdout);
        const postgres = idOf('postgres');
        const binary = path.join(at.app, path.relative(ROOT, embeddedBinaries().postgres));
        const reach = spawnSync('/bin/sh', ['-c', 'test -x "$1"', 'sh', binary], {
          uid: postgres.uid,
          gid: postgres.gid,
          cwd: '/',
        });
        assert.notEqual(reach.status, 0, 'the postgres user cannot reach the binaries in the copy');

        // and `npm start` keeps its data between runs
        const again = npmStart(at, owner);
        try {
          const [, baseUrl] = await again.waitFor(/listening on (http:\/\/[\d.:]+)/);
          const [, token] = await again.waitFor(/admin token[^\n]*\n\s*\n\s*(\S+)/);
          const read = await restClient(baseUrl!, token).get(`/api/v2/users/${id}`);
          assert.equal(read.status, 200, JSON.stringify(read.body));
          assert.deepEqual(read.body.email, email);
        } finally {
          await stop(again);
        }
      });

      it("sets up the test database from there, as mocha's global setup does", async () => {
        const run = await testRun(copy!, owner);
        assert.equal(run.code, 0, `${run.stdout}${run.stderr}`);
        assert.match(run.stdout, /1 passing/);
      });

      it(`ends a broken embedded start with one clear line and exit 1, in npm start${root ? ' and in the test run' : ''}`, async () => {
        const at = copy!;
        // initdb made unrunnable in the copy only (a new file: the hard link to the worktree's goes)
        const initdb = path.join(at.app, path.relative(ROOT, embeddedBinaries().initdb));
        rmSync(initdb);
        writeFileSync(initdb, '#!/nonexistent/interpreter\n', { mode: 0o755 });
        const cannotRun =
          /initdb could not initialise \S+: \S+\/initdb cannot be run: the interpreter or loader it names is missing \(a broken install: run npm ci again\)/;

        const start = await npmStart(at, owner, { EMBEDDED_PG_DIR: '.data/broken' }).finished;
        for (const pattern of [RELOCATED, COPIED]) {
          const leftover = logged(start.stdout, pattern);
          if (leftover) leftovers.push(leftover);
        }
        assert.equal(start.code, 1, `${start.stdout}${start.stderr}`);
        const [line, ...more] = start.stderr.trimEnd().split('\n');
        assert.deepEqual(more, [], `one line: ${start.stderr}`);
        assert.ok(
          line?.startsWith('start-up failed: the embedded PostgreSQL failed: ') && line.endsWith(WAY_OUT),
          line,
        );
        assert.match(line ?? '', cannotRun);
        assert.doesNotMatch(`${start.stdout}${start.stderr}`, /Unhandled|node:events|\n\s+at /);

        // the test run's line comes from the same code whoever runs it: once, as root (as CI runs it)
        if (!root) return;
        const run = await testRun(at, owner);
        assert.equal(run.code, 1, `${run.stdout}${run.stderr}`);
        const [testLine, ...testMore] = run.stderr.trimEnd().split('\n');
        assert.deepEqual(testMore, [], `one line: ${run.stderr}`);
        assert.ok(
          testLine?.startsWith('[mocha] no test database: the embedded PostgreSQL failed: ') &&
            testLine.endsWith(WAY_OUT),
          testLine,
        );
        assert.match(testLine ?? '', cannotRun);
        assert.doesNotMatch(`${run.stdout}${run.stderr}`, /Unhandled|node:events|\n\s+at /);
      });
    });
  }
});
