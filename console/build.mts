// Builds the console into console/dist with Vite: `npm run console:build`. With --if-stale, only
// when the bundle is missing or older than anything it is built from (`npm start` and the browser
// tests use that, so neither ever serves a stale console, and neither waits for a needless build).
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));
const project = path.dirname(root);
const built = path.join(root, 'dist', 'index.html');
/** What the bundle is made of: the console, the typed client it runs, and the locked dependencies. */
const SOURCES = [root, path.join(project, 'client'), path.join(project, 'package-lock.json')];
const SKIPPED = new Set([path.join(root, 'dist'), path.join(root, 'type-tests')]);

function newest(file: string): number {
  const stats = statSync(file);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let latest = 0;
  for (const entry of readdirSync(file)) {
    const child = path.join(file, entry);
    if (!SKIPPED.has(child)) latest = Math.max(latest, newest(child));
  }
  return latest;
}

function builtAt(): number | undefined {
  try {
    return statSync(built).mtimeMs;
  } catch {
    return undefined;
  }
}

const since = builtAt();
if (process.argv.includes('--if-stale') && since !== undefined && since >= Math.max(...SOURCES.map(newest))) {
  process.exit(0);
}
const started = Date.now();
// imported only now: a fresh bundle costs no Vite start-up
const { build } = await import('vite');
await build({ configFile: path.join(root, 'vite.config.mts') });
process.stdout.write(
  `console: built ${path.relative(process.cwd(), path.dirname(built))} in ${Date.now() - started} ms\n`,
);
