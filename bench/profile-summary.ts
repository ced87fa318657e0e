// Summarises a V8 .cpuprofile (from `node --cpu-prof`) by where the time goes: per package or
// module (koa, trpc-to-openapi, @trpc/server, @mikro-orm/*, knex, pg, zod, jsonwebtoken, the
// service's own folders, node internals, V8 builtins, GC), by self time and by total time (the
// time a package is anywhere on the stack), and the hottest functions by self time. Idle time
// is left out of every percentage.
//   npx tsx bench/profile-summary.ts bench/.profiles/<name>.cpuprofile [--top 25] [--window-ms … --skip-last-ms …]
// Without a window the whole profile counts, start-up (module loading, tsx) included.
// Used by bench/run.ts on the profiles it records, restricted to the measured window.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SummaryOptions {
  /** Only samples in [end - skipLastMs - windowMs, end - skipLastMs]; everything when omitted. */
  windowMs?: number;
  skipLastMs?: number;
  top?: number;
  /** The project root, to show the service's own files by relative path. */
  root?: string;
}

const ROOT = path.resolve(__dirname, '..');

/** The package or module a frame belongs to. */
export function categoryOf(frame: CallFrame, root = ROOT): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName === '(garbage collector)') return '(garbage collector)';
    if (functionName === '(program)') return '(program: V8/native, no JS frame)';
    if (functionName === '(idle)' || functionName === '(root)') return functionName;
    return '(V8 builtins, native bindings)';
  }
  if (url.startsWith('wasm:')) return '(wasm)';
  if (url.startsWith('node:')) {
    const name = url.slice('node:'.length);
    const parts = name.split('/');
    return `node:${parts[0] === 'internal' && parts.length > 2 ? `internal/${parts[1]}` : name}`;
  }
  const file = url.startsWith('file://') ? fileURLToPath(url) : url;
  const marker = '/node_modules/';
  const at = file.lastIndexOf(marker);
  if (at >= 0) {
    const [scope = '', name = ''] = file.slice(at + marker.length).split('/');
    return scope.startsWith('@') ? `${scope}/${name}` : scope;
  }
  const relative = path.relative(root, file);
  if (!relative.startsWith('..')) return `service: ${relative.split(path.sep)[0] ?? relative}/`;
  return file;
}

/** Broad areas, so the summary's first table reads as "where would a change pay off". */
const AREAS: Array<[string, (category: string) => boolean]> = [
  ['MikroORM (@mikro-orm/*)', (c) => c.startsWith('@mikro-orm/') || c === 'dataloader'],
  ['knex + tarn (query builder, pool)', (c) => ['knex', 'tarn', 'lodash', 'debug', 'ms'].includes(c)],
  ['pg driver', (c) => /^(pg|pg-.+|postgres-.+)$/.test(c)],
  [
    'JWT (jsonwebtoken, jws, crypto)',
    (c) => /^(jsonwebtoken|jws|jwa|safe-buffer|buffer-equal-constant-time|node:crypto|node:internal\/crypto)$/.test(c),
  ],
  ['@trpc/server', (c) => c === '@trpc/server'],
  ['trpc-to-openapi', (c) => c === 'trpc-to-openapi'],
  ['zod', (c) => c === 'zod' || c === 'zod-openapi'],
  ['Koa and its helpers', (c) => c === 'koa' || c === '@koa/router' || KOA_HELPERS.has(c)],
  ['the service’s own code', (c) => c.startsWith('service: ')],
  [
    'node http, net, streams, events',
    (c) =>
      /^node:(_http_|net|stream|events|internal\/(streams|stream_base_commons|http|events|event_target|abort_controller|deps))/.test(
        c,
      ),
  ],
  ['V8: GC, builtins, native code', (c) => c.startsWith('(')],
  ['other node internals', (c) => c.startsWith('node:')],
];
const KOA_HELPERS = new Set([
  'koa-compose',
  'delegates',
  'on-finished',
  'ee-first',
  'parseurl',
  'mime-types',
  'mime-db',
  'statuses',
  'http-errors',
  'type-is',
  'media-typer',
  'content-type',
  'accepts',
  'negotiator',
  'vary',
  'cookies',
  'keygrip',
  'destroy',
  'encodeurl',
  'escape-html',
  'fresh',
  'only',
  'http-assert',
  'content-disposition',
  'depd',
  'setprototypeof',
  'inherits',
  'toidentifier',
  'path-to-regexp',
]);

export function areaOf(category: string): string {
  return AREAS.find(([, test]) => test(category))?.[0] ?? 'other packages';
}

function location(frame: CallFrame, root: string): string {
  if (!frame.url) return '';
  const file = frame.url.startsWith('file://') ? fileURLToPath(frame.url) : frame.url;
  const marker = '/node_modules/';
  const at = file.lastIndexOf(marker);
  const shown =
    at >= 0
      ? file.slice(at + marker.length)
      : path.relative(root, file).startsWith('..')
        ? file
        : path.relative(root, file);
  return `${shown}:${frame.lineNumber + 1}`;
}

export function summarise(profile: CpuProfile, options: SummaryOptions = {}): string {
  const root = options.root ?? ROOT;
  const top = options.top ?? 25;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  // sample times, to keep only the measured window
  const end = profile.endTime - (options.skipLastMs ?? 0) * 1000;
  const start = options.windowMs === undefined ? -Infinity : end - options.windowMs * 1000;
  const selfByCategory = new Map<string, number>();
  const totalByCategory = new Map<string, number>();
  const selfByFunction = new Map<string, { frame: CallFrame; category: string; us: number }>();
  const selfByArea = new Map<string, number>();
  const totalByArea = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  let time = profile.startTime;
  profile.samples.forEach((nodeId, index) => {
    time += profile.timeDeltas[index] ?? 0;
    // a sample's time is attributed by the delta to the next sample
    const us = profile.timeDeltas[index + 1] ?? 0;
    if (time < start || time > end) return;
    const node = byId.get(nodeId);
    if (!node) return;
    const category = categoryOf(node.callFrame, root);
    if (category === '(idle)') {
      idle += us;
      return;
    }
    busy += us;
    add(selfByCategory, category, us);
    add(selfByArea, areaOf(category), us);
    const key = `${node.callFrame.functionName}|${node.callFrame.url}|${node.callFrame.lineNumber}`;
    const entry = selfByFunction.get(key) ?? { frame: node.callFrame, category, us: 0 };
    entry.us += us;
    selfByFunction.set(key, entry);
    // total time: each package once per sample, however deep it recurs
    const onStack = new Set<string>();
    for (let id: number | undefined = nodeId; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)?.callFrame;
      if (frame) onStack.add(categoryOf(frame, root));
    }
    onStack.delete('(root)');
    for (const name of onStack) add(totalByCategory, name, us);
    for (const name of new Set([...onStack].map(areaOf))) add(totalByArea, name, us);
  });

  const ms = (us: number) => (us / 1000).toFixed(0).padStart(7);
  const pct = (us: number) => `${((us / Math.max(busy, 1)) * 100).toFixed(1).padStart(5)}%`;
  // roots of nearly every stack (the microtask runner, the tick queue) make a "total" meaningless
  const roots = new Set(['node:internal/process', 'node:internal/timers', 'other node internals']);
  const totalOf = (map: Map<string, number>, name: string) =>
    name.startsWith('(') || name.startsWith('V8') || roots.has(name) ? '      —' : pct(map.get(name) ?? 0);
  const lines: string[] = [];
  lines.push(
    `window ${((busy + idle) / 1e6).toFixed(1)} s: main thread busy ${(busy / 1e6).toFixed(1)} s (${((busy / Math.max(busy + idle, 1)) * 100).toFixed(0)}%); idle time is left out of every percentage`,
    'self: in the function itself; total: with everything it calls (a package counted once per sample)',
  );
  lines.push('', `${'by area'.padEnd(36)}self ms   self %  total %`);
  for (const [name, us] of [...selfByArea.entries()].sort((a, b) => b[1] - a[1])) {
    lines.push(`  ${name.padEnd(34)}${ms(us)}  ${pct(us)}  ${totalOf(totalByArea, name)}`);
  }
  lines.push('', `${'by package / module (self ≥ 0.3%)'.padEnd(36)}self ms   self %  total %`);
  let rest = 0;
  let restCount = 0;
  for (const [name, us] of [...selfByCategory.entries()].sort((a, b) => b[1] - a[1])) {
    if (us / Math.max(busy, 1) < 0.003) {
      rest += us;
      restCount++;
      continue;
    }
    lines.push(`  ${name.slice(0, 34).padEnd(34)}${ms(us)}  ${pct(us)}  ${totalOf(totalByCategory, name)}`);
  }
  if (restCount > 0) lines.push(`  ${`(${restCount} others)`.padEnd(34)}${ms(rest)}  ${pct(rest)}`);
  lines.push('', `hottest ${top} functions by self time`);
  const functions = [...selfByFunction.values()].sort((a, b) => b.us - a.us).slice(0, top);
  for (const { frame, category, us } of functions) {
    const name = frame.functionName || '(anonymous)';
    lines.push(`  ${pct(us)} ${ms(us)} ms  ${name.slice(0, 32).padEnd(32)}  ${location(frame, root) || category}`);
  }
  return lines.join('\n');
}

function add(map: Map<string, number>, key: string, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

if (require.main === module) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      top: { type: 'string', default: '25' },
      // the window bench/run.ts summarised is printed next to each profile it records
      'window-ms': { type: 'string' },
      'skip-last-ms': { type: 'string' },
    },
  });
  if (positionals.length === 0) {
    process.stderr.write(
      'usage: npx tsx bench/profile-summary.ts FILE.cpuprofile [--top N] [--window-ms MS --skip-last-ms MS]\n',
    );
    process.exit(2);
  }
  for (const file of positionals) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    const window = {
      ...(values['window-ms'] ? { windowMs: Number(values['window-ms']) } : {}),
      ...(values['skip-last-ms'] ? { skipLastMs: Number(values['skip-last-ms']) } : {}),
    };
    process.stdout.write(`${file}\n${summarise(profile, { top: Number(values.top), ...window })}\n\n`);
  }
}
