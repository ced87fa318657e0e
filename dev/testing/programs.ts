// The outside programs the tests and the bench look for (a browser, Redis, haproxy, PostgreSQL's
// server binaries): what each is called, where to look, and how to get it. Shared by test/ (which
// skips or fails a suite without one, test/support/prerequisites.ts) and bench/.
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

/** The program's absolute path (for a folder of programs, the folder), or undefined when missing. */
export function findProgram(program: Program): string | undefined {
  return program
    .candidates()
    .map((candidate) => locate(candidate, program))
    .find((hit) => hit !== undefined);
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
