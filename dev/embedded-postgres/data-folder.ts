// Where the cluster's data lives: the folder asked for, made and handed to the system user when
// root runs it; or, when that user cannot enter the folder's parent, a place of the same name on
// every run under /var/lib/users-service/embedded-postgres/ (so `npm start` keeps its data), with
// one log line saying where and why. Loosening the person's folders (chmod, ACLs) would also work,
// but it would change who may read their home behind their back; moving the data out does not.
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { EmbeddedPostgresError, explain } from './embedded-error';
import { canReach, makeRootOwnedDir, quote, type RunAs } from './system-user';

const RELOCATED_DATA = '/var/lib/users-service/embedded-postgres';

export async function prepareDataDir(
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
export function relocatedDataDir(requested: string): string {
  const hash = createHash('sha256').update(requested).digest('hex').slice(0, 12);
  const slug = path.basename(requested).replace(/[^\w.-]/g, '_');
  return path.join(RELOCATED_DATA, `${slug}-${hash}`);
}
