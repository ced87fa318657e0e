// Runs one load-generator process on the load core(s): autocannon (bench/load-generator.ts) by default,
// or wrk (bench/wrk/workload.lua) when asked for and installed. Both send the requests
// bench/workload.ts describes and report a LoadResult.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { seedRow, seededUserId } from './dataset';
import { startPinned } from './processes';
import { ROOT } from './servers';
import {
  RESULT_MARKER,
  createBody,
  findEmailPath,
  listPath,
  readPath,
  trpcReadPath,
  type LoadResult,
  type LoadSpec,
} from './workload';

export type LoaderName = 'autocannon' | 'wrk';

export const wrkInstalled = (): boolean => spawnSync('wrk', ['-v']).error === undefined;

export async function runLoad(spec: LoadSpec, loader: LoaderName, cores: string | undefined): Promise<LoadResult> {
  const phases = loader === 'wrk' ? wrkPhases(spec) : [autocannonPhase(spec)];
  let result: LoadResult | undefined;
  for (const [command, args] of phases) {
    const child = startPinned(loader, cores, command, args, process.env);
    const code = await child.exited;
    const line = child
      .output()
      .split('\n')
      .find((text) => text.startsWith(RESULT_MARKER));
    if (code !== 0 || !line) throw new Error(`${loader} failed (exit ${code}):\n${child.output()}`);
    // JSON has no NaN: a percentile of no responses arrives as null
    const parsed = JSON.parse(line.slice(RESULT_MARKER.length), (_key, value: unknown) => value ?? NaN) as LoadResult;
    // wrk does not report its own CPU
    result = { ...parsed, loaderCores: parsed.loaderCores ?? NaN };
  }
  if (!result) throw new Error('no load phase ran');
  return result;
}

/** bench/load-generator.ts does its warm-up and measured run in one process. */
function autocannonPhase(spec: LoadSpec): [string, string[]] {
  return [process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, 'bench/load-generator.ts'), JSON.stringify(spec)]];
}

let scratch: string | undefined;
const pathFiles = new Map<string, string>();

/** wrk runs twice: a warm-up whose result is dropped, then the measured run. */
function wrkPhases(spec: LoadSpec): Array<[string, string[]]> {
  const phase = (seconds: number, name: string): [string, string[]] => [
    'wrk',
    [
      '-t1',
      `-c${spec.connections}`,
      `-d${seconds}s`,
      '--timeout',
      '30s',
      '-s',
      path.join(ROOT, 'bench/wrk/workload.lua'),
      spec.baseUrl,
      '--',
      ...wrkArgs(spec, name),
    ],
  ];
  const measured = phase(spec.durationSeconds, 'measure');
  return spec.warmupSeconds > 0 ? [phase(spec.warmupSeconds, 'warmup'), measured] : [measured];
}

function wrkArgs(spec: LoadSpec, phase: string): string[] {
  switch (spec.workload) {
    case 'rest-read':
    case 'trpc-read':
    case 'find-email':
      return ['read', spec.token, readPathsFile(spec)];
    case 'paths':
      return ['read', spec.token, pathsFile(spec.paths ?? [])];
    case 'list':
      return ['list', spec.token, listPath(spec.offset ?? 0, spec.limit ?? 10)];
    case 'create':
      return ['create', spec.token, createBody(`${spec.tag}-${phase}`, '{n}')];
    case 'create-by-code':
    case 'update':
      // only the writes suite sends these, always with autocannon
      throw new Error(`--loader wrk does not send the ${spec.workload} workload`);
  }
}

/** Every seeded user's read path (or address lookup), one a line, for the Lua script to pick from. */
function readPathsFile(spec: LoadSpec): string {
  const key = `${spec.workload}:${spec.users}`;
  let file = pathFiles.get(key);
  if (!file) {
    file = path.join(scratchDir(), `${spec.workload}-${spec.users}.txt`);
    const toPath =
      spec.workload === 'find-email'
        ? (index: number) => findEmailPath(seedRow(index).address)
        : (index: number) => (spec.workload === 'trpc-read' ? trpcReadPath : readPath)(seededUserId(index));
    writeFileSync(file, Array.from({ length: spec.users }, (_, index) => toPath(index)).join('\n'));
    pathFiles.set(key, file);
  }
  return file;
}

/** Given paths, one a line. */
function pathsFile(paths: string[]): string {
  const file = path.join(scratchDir(), `paths-${pathFiles.size}.txt`);
  writeFileSync(file, paths.join('\n'));
  pathFiles.set(file, file);
  return file;
}

function scratchDir(): string {
  if (!scratch) {
    const dir = mkdtempSync(path.join(tmpdir(), 'users-bench-wrk-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    scratch = dir;
  }
  return scratch;
}
