// The rule for outside programs (test/support/prerequisites.ts), as a person sees it: mocha runs
// a tiny spec whose suite needs a program no machine has. Without CI the suite is skipped and the
// end of the run names it with how to get the program; with CI=true the suite fails instead.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { requireProgram, type Program } from './support/prerequisites';
import { envWithout } from './support/process';

const ROOT = path.resolve(__dirname, '..');

function runFixture(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const mocha = path.join(ROOT, 'node_modules/mocha/bin/mocha.js');
  const args = ['--no-config', '--require', 'tsx/cjs', '--require', 'test/support/prerequisites.ts'];
  const child = spawn(process.execPath, [mocha, ...args, 'test/support/prerequisites.fixture.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, output })));
}

describe('outside programs a test needs (test/support/prerequisites.ts)', function () {
  this.timeout(60_000);

  it('skips a suite whose program is missing, and lists it with how to get it at the end of the run', async () => {
    const { code, output } = await runFixture(envWithout('CI'));
    assert.equal(code, 0, output);
    assert.match(output, /1 passing/);
    assert.match(output, /1 pending/);
    assert.doesNotMatch(output, /ran although its program is missing/);
    const lines = output.trimEnd().split('\n');
    assert.deepEqual(lines.slice(-2), [
      '  1 suite was skipped for a missing outside program (CI=true runs them all, and fails instead):',
      '    - a suite that needs a program no machine has: needs no-such-program-anywhere (looked for no-such-program-anywhere); apt-get install no-such-program-anywhere',
    ]);
  });

  it('fails that suite instead under CI=true', async () => {
    const { code, output } = await runFixture({ ...process.env, CI: 'true' });
    assert.equal(code, 1, output);
    assert.match(output, /1 passing/);
    assert.match(output, /1 failing/);
    assert.match(
      output,
      /no-such-program-anywhere \(looked for no-such-program-anywhere\) is missing: apt-get install no-such-program-anywhere\. CI=true runs every suite/,
    );
    assert.doesNotMatch(output, /skipped for a missing outside program/);
  });

  describe('finding a program', () => {
    let folder: string;
    before(() => {
      folder = mkdtempSync(path.join(tmpdir(), 'users-prerequisites-'));
      for (const name of ['initdb', 'postgres']) {
        writeFileSync(path.join(folder, name), '#!/bin/sh\n');
        chmodSync(path.join(folder, name), 0o755);
      }
      writeFileSync(path.join(folder, 'pg_ctl'), 'not executable\n');
    });
    after(() => rmSync(folder, { recursive: true, force: true }));

    it('returns the absolute path of one on PATH', function () {
      const shell = requireProgram(this, { name: 'sh', candidates: () => ['sh'], install: 'your system has it' });
      assert.ok(path.isAbsolute(shell) && shell.endsWith('/sh'), shell);
    });

    it('returns a folder only when it holds every executable asked for', function () {
      const complete: Program = {
        name: 'a folder',
        candidates: () => [folder],
        install: '-',
        contains: ['initdb', 'postgres'],
      };
      assert.equal(requireProgram(this, complete), folder);
      const notExecutable = { ...complete, contains: ['initdb', 'pg_ctl'] };
      const previous = process.env.CI;
      process.env.CI = 'true'; // a missing program throws here rather than skipping this test
      try {
        assert.throws(() => requireProgram(this, notExecutable), /a folder \(looked for .*\) is missing/);
      } finally {
        if (previous === undefined) delete process.env.CI;
        else process.env.CI = previous;
      }
    });
  });
});
