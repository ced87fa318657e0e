// Outside programs a test needs (a browser, Redis, haproxy, PostgreSQL's server binaries): the
// project's own install does not bring them, so a suite either finds its program or is skipped,
// and the end of the mocha run lists every skipped suite with what was missing and how to get it.
// Under CI=true a missing program fails the suite instead: CI runs everything (.ci/run installs it).
//
//   import { CHROMIUM, requireProgram } from './support/prerequisites';
//
//   describe('the console, in headless Chromium', function () {
//     let chromiumPath: string;
//     before(function () {
//       chromiumPath = requireProgram(this, CHROMIUM); // its path, or this suite is skipped
//     });
//     ...
//   });
//
// Also REDIS_SERVER, HAPROXY and POSTGRESQL_SERVER (the folder that has initdb, pg_ctl, postgres
// and pg_basebackup). A program of your own is `{ name, candidates: () => [...], install }`;
// anything else the machine must give (a user the test may create) goes through `skipBecause`.
// Call it first in `before`, before starting anything: a skipped suite's `after` still runs.
// .mocharc.json requires this file, so that `mochaGlobalTeardown` below prints the list.
import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export interface Program {
  /** What a person reads: "Chromium", "redis-server". */
  name: string;
  /** Where to look, best first: absolute paths, or bare names looked up on PATH. */
  candidates(): string[];
  /** How to get it. */
  install: string;
  /** When the program is a folder of programs: the executables it must hold. */
  contains?: string[];
}

export const CHROMIUM: Program = {
  name: 'Chromium',
  candidates: () => [process.env.CHROMIUM_PATH || '/usr/bin/chromium'],
  install: 'apt-get install chromium (or set CHROMIUM_PATH to a Chromium), or run .ci/run',
};

export const REDIS_SERVER: Program = {
  name: 'redis-server',
  candidates: () => ['redis-server'],
  install: 'apt-get install redis-server, or run .ci/run',
};

export const HAPROXY: Program = {
  name: 'haproxy',
  candidates: () => ['haproxy'],
  install: 'apt-get install haproxy, or run .ci/run',
};

/** Debian's PostgreSQL server binaries, newest version first, then PATH: `requireProgram` returns the folder. */
export const POSTGRESQL_SERVER: Program = {
  name: "PostgreSQL's server binaries (initdb, pg_ctl, postgres, pg_basebackup)",
  candidates: () => [...debianPostgresqlFolders(), ...pathFolders()],
  contains: ['initdb', 'pg_ctl', 'postgres', 'pg_basebackup'],
  install: 'apt-get install postgresql-15, or run .ci/run',
};

interface Skipped {
  suite: string;
  needs: string;
  howToGet: string;
}

const skipped: Skipped[] = [];

/**
 * The program's absolute path (for a folder of programs, the folder). When it is missing, the
 * suite (or the test) `context` belongs to is skipped and listed at the end of the run; under
 * CI=true it fails instead.
 */
export function requireProgram(context: Mocha.Context, program: Program): string {
  const looked = program.candidates();
  const found = looked.map((candidate) => locate(candidate, program)).find((hit) => hit !== undefined);
  if (found) return found;
  const where = looked.length ? ` (looked for ${looked.join(', ')})` : '';
  return skipBecause(context, `${program.name}${where}`, program.install);
}

/**
 * The same for anything else a suite needs from the machine (a user it may create, say): skipped
 * and listed with `howToGet`, or under CI=true failed.
 */
export function skipBecause(context: Mocha.Context, needs: string, howToGet: string): never {
  if (onCi()) {
    throw new Error(
      `${needs} is missing: ${howToGet}. CI=true runs every suite, so this one fails instead of being skipped`,
    );
  }
  skipped.push({ suite: context.test?.parent?.fullTitle() || 'a suite', needs, howToGet });
  context.skip();
}

/** Every suite skipped so far, as the lines printed at the end of the run. */
export function skippedReport(): string[] {
  if (!skipped.length) return [];
  const count = skipped.length === 1 ? '1 suite was' : `${skipped.length} suites were`;
  return [
    `${count} skipped for a missing outside program (CI=true runs them all, and fails instead):`,
    ...skipped.map(({ suite, needs, howToGet }) => `  - ${suite}: needs ${needs}; ${howToGet}`),
  ];
}

export function mochaGlobalTeardown(): void {
  const lines = skippedReport();
  if (lines.length) process.stdout.write(`\n${lines.map((line) => `  ${line}`).join('\n')}\n\n`);
}

function onCi(): boolean {
  return process.env.CI === 'true' || process.env.CI === '1';
}

function locate(candidate: string, program: Program): string | undefined {
  const paths = path.isAbsolute(candidate) ? [candidate] : pathFolders().map((folder) => path.join(folder, candidate));
  return paths.find((file) =>
    program.contains
      ? program.contains.every((name) => isExecutableFile(path.join(file, name)))
      : isExecutableFile(file),
  );
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function pathFolders(): string[] {
  return (process.env.PATH ?? '').split(path.delimiter).filter((folder) => path.isAbsolute(folder));
}

function debianPostgresqlFolders(): string[] {
  const base = '/usr/lib/postgresql';
  try {
    return readdirSync(base)
      .filter((version) => /^\d+$/.test(version))
      .sort((a, b) => Number(b) - Number(a))
      .map((version) => path.join(base, version, 'bin'));
  } catch {
    return [];
  }
}
