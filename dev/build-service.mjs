// Builds the service into build/ with tsc (tsconfig.build.json): `npm run build`. `npm start` runs
// the compiled JavaScript (build/server/start/main.js) with plain Node, and its prestart runs this
// with --if-stale, so that `npm ci && npm start` works on a bare machine and never runs stale code.
//
//   node dev/build-service.mjs              a clean build: build/ is emptied, compiled, stamped
//   node dev/build-service.mjs --if-stale   the same, only when the build is missing or stale
//   node dev/build-service.mjs --check      says whether it is stale (exit 1) or fresh (exit 0)
//   --out-dir DIR                           another folder than build/ (the tests build their own)
//
// Stale means: no stamp (or a build that never finished), no build/server/start/main.js, or the
// inputs differ from those the stamp records: a file added, removed or renamed, or one whose
// content changed. The check stats the inputs (about a hundred files) and compares size and
// mtime with the stamp; only when one differs does it hash the contents, so a touched or re-checked
// out file whose content is the same costs a hash, not a build (and the stamp takes its new
// mtime). Plain JavaScript, so that the check costs a bare Node start (no TypeScript loaded).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const PROJECT = 'tsconfig.build.json';
/**
 * What the build is made of, relative to the root: the folders and files tsconfig.build.json
 * includes (a build fails when the two disagree, see checkInputs), and what else decides the
 * output: the compiler settings, the module type (package.json), the compiler's version (the
 * lock) and this script.
 */
const SOURCE_ROOTS = ['server', 'router', 'entities', 'migrations', 'dev/embedded-postgres', 'mikro-orm.config.ts'];
const SETTINGS = ['tsconfig.json', PROJECT, 'package.json', 'package-lock.json', 'dev/build-service.mjs'];
const STAMP = '.build-stamp.json';
/** The entry point, relative to the output folder. */
const ENTRY = path.join('server', 'start', 'main.js');

/** @typedef {{ size: number, mtimeMs: number }} FileState */
/** @typedef {{ files: Record<string, FileState>, hash: string }} Stamp */

/** Every input file, relative to the root (sorted, '/'-separated), with its size and mtime. */
function inputs() {
  /** @type {Record<string, FileState>} */
  const files = {};
  const visit = (relative) => {
    const stats = statSync(path.join(ROOT, relative));
    if (stats.isDirectory()) {
      for (const entry of readdirSync(path.join(ROOT, relative)).sort()) visit(`${relative}/${entry}`);
    } else {
      files[relative] = { size: stats.size, mtimeMs: stats.mtimeMs };
    }
  };
  for (const relative of [...SOURCE_ROOTS, ...SETTINGS]) visit(relative);
  return files;
}

/** One hash of the inputs' names and contents. */
function contentHash(names) {
  const hash = createHash('sha256');
  for (const name of names) {
    hash.update(`${name}\0`);
    hash.update(readFileSync(path.join(ROOT, name)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** @returns {Stamp | undefined} */
function readStamp(outDir) {
  try {
    return JSON.parse(readFileSync(path.join(outDir, STAMP), 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Why the build in `outDir` is stale, or undefined when it is fresh. A fresh build whose inputs
 * were only touched gets its stamp updated, so the next check is a stat again.
 * @returns {string | undefined}
 */
function staleness(outDir) {
  const stamp = readStamp(outDir);
  if (!stamp?.files || typeof stamp.hash !== 'string') return 'no finished build';
  if (!existsSync(path.join(outDir, ENTRY))) return `${ENTRY} is missing`;
  const files = inputs();
  const names = Object.keys(files);
  const before = Object.keys(stamp.files);
  const added = names.filter((name) => !(name in stamp.files));
  const removed = before.filter((name) => !(name in files));
  if (added.length || removed.length) {
    const list = [...added.map((name) => `+${name}`), ...removed.map((name) => `-${name}`)];
    return `the set of files changed (${list.slice(0, 5).join(', ')}${list.length > 5 ? ', …' : ''})`;
  }
  const changed = names.filter(
    (name) => files[name].size !== stamp.files[name].size || files[name].mtimeMs !== stamp.files[name].mtimeMs,
  );
  if (!changed.length) return undefined;
  if (contentHash(names) !== stamp.hash) {
    return `${changed.slice(0, 3).join(', ')}${changed.length > 3 ? ` and ${changed.length - 3} more` : ''} changed`;
  }
  writeStamp(outDir, { files, hash: stamp.hash });
  return undefined;
}

function writeStamp(outDir, stamp) {
  writeFileSync(path.join(outDir, STAMP), `${JSON.stringify(stamp, null, 1)}\n`);
}

/** A clean build into `outDir`; throws with tsc's output when it fails. */
function build(outDir) {
  // taken before compiling: a file edited during the build leaves the build stale, never stamped fresh
  const files = inputs();
  const hash = contentHash(Object.keys(files));
  rmSync(outDir, { recursive: true, force: true });
  // marks the folder as a build's until the real stamp replaces it: a failed build is rebuilt
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, STAMP), '{"unfinished":true}\n');
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(
    process.execPath,
    [tsc, '-p', path.join(ROOT, PROJECT), '--outDir', outDir, '--listEmittedFiles', '--pretty', 'false'],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (result.status !== 0) {
    const output = `${result.stdout}${result.stderr}`
      .split('\n')
      .filter((line) => !line.startsWith('TSFILE: '))
      .join('\n')
      .trim();
    throw new Error(`tsc -p ${PROJECT} failed:\n${output || result.error?.message || `exit ${result.status}`}`);
  }
  const emitted = result.stdout
    .split('\n')
    .filter((line) => line.startsWith('TSFILE: '))
    .map((line) => path.relative(outDir, line.slice('TSFILE: '.length).trim()).split(path.sep).join('/'));
  checkInputs(files, emitted);
  writeStamp(outDir, { files, hash });
}

/** tsconfig.build.json's include and SOURCE_ROOTS must name the same TypeScript files. */
function checkInputs(files, emitted) {
  const compiled = new Set(emitted.filter((name) => name.endsWith('.js')).map((name) => name.replace(/\.js$/, '.ts')));
  const tracked = new Set(Object.keys(files).filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts')));
  const untracked = [...compiled].filter((name) => !tracked.has(name));
  const uncompiled = [...tracked].filter((name) => !compiled.has(name));
  if (untracked.length || uncompiled.length) {
    throw new Error(
      `${PROJECT} and SOURCE_ROOTS in dev/build-service.mjs disagree: ` +
        [
          untracked.length ? `compiled but not watched for staleness: ${untracked.join(', ')}` : '',
          uncompiled.length ? `watched but not compiled: ${uncompiled.join(', ')}` : '',
        ]
          .filter(Boolean)
          .join('; '),
    );
  }
}

function main(argv) {
  const at = argv.indexOf('--out-dir');
  const outDir = path.resolve(at >= 0 && argv[at + 1] ? argv[at + 1] : path.join(ROOT, 'build'));
  const shown = path.relative(process.cwd(), outDir) || '.';
  if (argv.includes('--check')) {
    const why = staleness(outDir);
    process.stdout.write(why ? `service: ${shown} is stale: ${why}\n` : `service: ${shown} is fresh\n`);
    return why ? 1 : 0;
  }
  let why = 'a clean build was asked for';
  if (argv.includes('--if-stale')) {
    why = staleness(outDir);
    if (!why) return 0;
  }
  // a clean build empties the folder first: only build/, a new folder, or one a build made
  const ours = outDir === path.join(ROOT, 'build') || !existsSync(outDir) || existsSync(path.join(outDir, STAMP));
  if (!ours || path.relative(outDir, ROOT).split(path.sep)[0] !== '..') {
    process.stderr.write(
      `service: refusing to build into ${outDir}: a build empties it first, and it is not a build's folder\n`,
    );
    return 2;
  }
  const started = Date.now();
  process.stdout.write(`service: building ${shown} (${why})\n`);
  try {
    build(outDir);
  } catch (error) {
    process.stderr.write(`service: the build failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  process.stdout.write(`service: built ${shown} in ${Date.now() - started} ms\n`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
