// Finding the cluster a running `npm start` keeps, for tools (`npm run admin`) that must use it
// as it is rather than start another on the same folder.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { relocatedDataDir } from './data-folder';
import { readPassword, SUPERUSER } from './superuser-password';

/**
 * The URL of the cluster a running `npm start` keeps for `dataDir`, read off its postmaster.pid
 * (pid on line 1, port on line 4) in the folder itself or where root's run moved it; undefined
 * when none runs. Starting another on the same folder would stop it, so tools (`npm run admin`)
 * use the running one as it is, with the password kept in its data folder.
 */
export function runningEmbeddedCluster(dataDir: string): string | undefined {
  const requested = path.resolve(dataDir);
  for (const folder of [requested, relocatedDataDir(requested)]) {
    const pidFile = path.join(folder, 'postmaster.pid');
    if (!existsSync(pidFile)) continue;
    const lines = readFileSync(pidFile, 'utf8').split('\n');
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0) continue;
    try {
      process.kill(pid, 0);
    } catch {
      continue;
    }
    return `postgres://${SUPERUSER}:${encodeURIComponent(readPassword(folder))}@127.0.0.1:${port}/postgres`;
  }
  return undefined;
}
