// Who the cluster runs as. An ordinary user runs it as themselves; root cannot (PostgreSQL refuses
// root), so it runs as an unprivileged system user, created with useradd (only then, only by root)
// when it is missing. Whether that user can reach a path is checked exactly, by running `test` as
// it; what root prepares for it lives in folders only root may change.
import type { SpawnOptions } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync } from 'node:fs';
import { run } from './child-programs';
import { EmbeddedPostgresError } from './embedded-error';

/** Who the cluster runs as: undefined for the current user, a system user when we are root. */
export interface RunAs {
  name: string;
  uid: number;
  gid: number;
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

export async function systemUser(name: string, log: (line: string) => void): Promise<RunAs> {
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
export async function canReach(runAs: RunAs, tests: string): Promise<boolean> {
  const result = await run('/bin/sh', ['-c', tests], { uid: runAs.uid, gid: runAs.gid, cwd: '/' });
  return result.code === 0;
}

/** One word for /bin/sh whatever the path holds, for the `test` lines `canReach` runs. */
export function quote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function asUser(runAs: RunAs | undefined): SpawnOptions {
  // the current folder may be one that user cannot enter, and PostgreSQL's tools look it up
  return runAs ? { uid: runAs.uid, gid: runAs.gid, cwd: '/' } : { cwd: '/' };
}

export function makeRootOwnedDir(folder: string): void {
  mkdirSync(folder, { recursive: true });
  assertRootOwned(folder);
  chmodSync(folder, 0o755); // whatever the umask: the system user must pass through
}

/** Root runs what is in there (as another user): only root may have put it there. */
export function assertRootOwned(folder: string): void {
  const stats = lstatSync(folder);
  if (!stats.isDirectory() || stats.uid !== 0 || stats.mode & 0o022) {
    throw new EmbeddedPostgresError(
      `${folder} is not a folder only root may change`,
      'it must be a root-owned directory, not group- or world-writable: remove it and start again',
    );
  }
}
