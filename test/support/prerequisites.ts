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
import { findProgram, type Program } from '../../dev/testing/programs';

export { CHROMIUM, HAPROXY, POSTGRESQL_SERVER, REDIS_SERVER, type Program } from '../../dev/testing/programs';

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
  const found = findProgram(program);
  if (found) return found;
  const looked = program.candidates();
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
