// A new cluster: `initdb` run as the cluster's user, with a random superuser password (kept in
// the data folder afterwards) and a UTF-8 locale when the system has one.
import { randomBytes } from 'node:crypto';
import { chownSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { childEnv, run, type RunResult } from './child-programs';
import { EmbeddedPostgresError, explain, firstError } from './embedded-error';
import type { Binaries } from './platform-binaries';
import { PASSWORD_FILE, SUPERUSER } from './superuser-password';
import { asUser, type RunAs } from './system-user';

export async function initialise(
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

/** A UTF-8 locale every glibc has, so that lower() knows non-ASCII letters; "C" otherwise. */
async function bestLocale(): Promise<string> {
  const { output } = await run('locale', ['-a']);
  const available = new Set(output.split('\n').map((line) => line.trim()));
  return ['C.UTF-8', 'C.utf8', 'en_US.UTF-8', 'en_US.utf8'].find((name) => available.has(name)) ?? 'C';
}
