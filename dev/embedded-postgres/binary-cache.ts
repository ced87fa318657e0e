// Root's copy of the binaries: the system user the cluster runs as may not reach node_modules (a
// clone in /root, a `mktemp -d` folder), so they are copied once (per version and content) to
// /var/cache/users-service/: root-owned and world-readable, so that user may run them and no one
// else may change them; a cache, as the copy can always be made again from node_modules.
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, cpSync, existsSync, lstatSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { EmbeddedPostgresError, explain } from './embedded-error';
import { binaryPath, type Binaries } from './platform-binaries';
import { assertRootOwned, canReach, makeRootOwnedDir, quote, type RunAs } from './system-user';

const BINARY_CACHE = '/var/cache/users-service';

function reachTest(binaries: Binaries): string {
  const bki = path.join(binaries.root, 'share', 'postgresql', 'postgres.bki');
  return `test -x ${quote(binaries.initdb)} && test -x ${quote(binaries.postgres)} && test -r ${quote(bki)}`;
}

export async function reachableBinaries(
  binaries: Binaries,
  runAs: RunAs,
  log: (line: string) => void,
): Promise<Binaries> {
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
