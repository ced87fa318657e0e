// Turns the measurements of all rounds into results tables (medians across rounds, as Markdown
// so they can go straight into the README) and the targets, each met or missed: issues 6, 13 and
// 23's for the service suite, issue 12's for the writes and scale suites.
import { SCALE_SCENARIOS, scaleTitle, type ScaleMeasurement, type ScaleResults, type ScaleSingle } from './scale';
import type { LimitZeroResult } from './limit-zero';
import { REPLICA_SCENARIOS, replicaTitle, type ReadsOn, type ReplicaMeasurement } from './replicas';
import type { ScenarioKey } from './scenarios';
import { SCENARIOS } from './scenarios';
import type { Target } from './servers';
import type { LoadResult } from './workload';
import type { WriteKind, WriteMeasurement } from './writes';

export interface Measurement {
  round: number;
  scenario: ScenarioKey;
  target: Target;
  load: LoadResult;
  /** create-read only: the GET-by-id load sent while the creates ran. */
  reads?: LoadResult;
  peakRssBytes: number;
  /** The server's CPU use over the measurement, in cores (1 = the one core it is pinned to, fully busy). */
  cores: number;
  /** PostgreSQL's CPU over the same time (the bench database's backends), in cores. */
  pgCores: number;
}

/** The single `limit=0` request over all users, in the service suite. */
export interface SingleRequest extends LimitZeroResult {
  round: number;
  target: Target;
}

export interface Check {
  target: string;
  measured: string;
  met: boolean;
}

export function median(values: number[]): number {
  const sorted = values.filter((value) => !Number.isNaN(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export interface Stats {
  rps: number;
  p50: number;
  p99: number;
  rss: number;
  cores: number;
  pgCores: number;
  loaderCores: number;
  /** Per round, for the spread of the ratios. */
  rpsByRound: Map<number, number>;
  invalid: number;
}

export type Measured = Pick<Measurement, 'round' | 'load' | 'peakRssBytes' | 'cores' | 'pgCores'>;

export function stats(rows: Measured[]): Stats {
  return {
    cores: median(rows.map((row) => row.cores)),
    pgCores: median(rows.map((row) => row.pgCores)),
    loaderCores: median(rows.map((row) => row.load.loaderCores)),
    rps: median(rows.map((row) => row.load.rps)),
    p50: median(rows.map((row) => row.load.p50Ms)),
    p99: median(rows.map((row) => row.load.p99Ms)),
    rss: Math.max(...rows.map((row) => row.peakRssBytes)),
    rpsByRound: new Map(rows.map((row) => [row.round, row.load.rps])),
    invalid: rows.reduce((sum, row) => sum + row.load.non2xx + row.load.errors, 0),
  };
}

export const mb = (bytes: number): string => (Number.isFinite(bytes) ? `${Math.round(bytes / 2 ** 20)} MB` : '—');
export const rate = (value: number): string =>
  Number.isFinite(value) ? (value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1)) : '—';
export const millis = (value: number): string =>
  Number.isFinite(value) ? (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)) : '—';
export const percent = (cores: number): string => (Number.isFinite(cores) ? `${Math.round(cores * 100)}%` : '—');
export const times = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(2)}×` : '—');
const micros = (value: number): string => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '—');

/**
 * The server's CPU time per answered request, in µs (issue 13's measure): the median of the
 * rounds' cores over their median req/s. On one pinned core this is what a request costs the
 * process, whatever the machine's other work did to its throughput.
 */
const cpuPerRequest = (s: Stats): number => (s.cores * 1e6) / s.rps;

/**
 * The median of the per-round ratios: each round measures both sides minutes apart at most, so a
 * ratio taken within a round cancels what the machine's other work did to both; used by the
 * issue 12 suites, whose machine is shared.
 */
export function pairedRatio(numerator: Map<number, number>, denominator: Map<number, number>): number {
  return median([...numerator.entries()].map(([round, value]) => value / (denominator.get(round) ?? NaN)));
}

/** Per-round ratios, for how much a ratio moved between rounds. */
export function spread(numerator: Map<number, number>, denominator: Map<number, number>): string {
  const ratios = [...numerator.entries()]
    .map(([round, value]) => value / (denominator.get(round) ?? NaN))
    .filter(Number.isFinite);
  if (ratios.length < 2) return '';
  return ` (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`;
}

export interface Report {
  table: string;
  checks: Check[];
  warnings: string[];
}

export function buildReport(
  measurements: Measurement[],
  singles: SingleRequest[],
  scenarios: ScenarioKey[],
  users: number,
): Report {
  // issue 23: two raw servers, with the session check's statement (`baseline`) and without it
  // (`raw`), and the service against each
  const header = [
    'scenario',
    'raw req/s',
    'p99 ms',
    'baseline req/s',
    'p99 ms',
    'service req/s',
    'p50 ms',
    'p99 ms',
    'ratio to raw (per-round range)',
    'ratio to baseline (per-round range)',
    'p99 × raw / baseline',
    'peak RSS raw / baseline / service',
    'CPU server + PostgreSQL, raw / baseline / service',
    'server CPU µs/request, raw / baseline / service',
  ];
  const rows: string[][] = [];
  const checks: Check[] = [];
  const warnings: string[] = [];
  const pick = (scenario: ScenarioKey, target: Target) =>
    measurements.filter((m) => m.scenario === scenario && m.target === target);
  const readsWithoutCreates = new Map<Target, Stats>();
  const cpuOf = (s: Stats | undefined) => (s ? cpuPerRequest(s) : NaN);

  const addRow = (title: string, raw: Stats | undefined, base: Stats, service: Stats) => {
    const ratioTo = (other: Stats | undefined) =>
      other
        ? `${times(pairedRatio(service.rpsByRound, other.rpsByRound))}${spread(service.rpsByRound, other.rpsByRound)}`
        : '—';
    rows.push([
      title,
      rate(raw?.rps ?? NaN),
      millis(raw?.p99 ?? NaN),
      rate(base.rps),
      millis(base.p99),
      rate(service.rps),
      millis(service.p50),
      millis(service.p99),
      ratioTo(raw),
      ratioTo(base),
      `${times(service.p99 / (raw?.p99 ?? NaN))} / ${times(service.p99 / base.p99)}`,
      `${mb(raw?.rss ?? NaN)} / ${mb(base.rss)} / ${mb(service.rss)}`,
      `${raw ? `${percent(raw.cores)} + ${percent(raw.pgCores)}` : '—'} / ` +
        `${percent(base.cores)} + ${percent(base.pgCores)} / ${percent(service.cores)} + ${percent(service.pgCores)}`,
      `${micros(cpuOf(raw))} / ${micros(cpuPerRequest(base))} / ${micros(cpuPerRequest(service))}`,
    ]);
    for (const [name, s] of [
      ['raw server', raw],
      ['baseline', base],
      ['service', service],
    ] as const) {
      if (!s) continue;
      if (s.invalid > 0) warnings.push(`${title}: the ${name} had ${s.invalid} non-2xx responses or errors`);
      if (s.loaderCores > 0.9) {
        warnings.push(
          `${title}: the load generator used ${percent(s.loaderCores)} of its core against the ${name}; its req/s may be the generator's limit`,
        );
      }
    }
  };

  for (const scenario of scenarios) {
    const base = pick(scenario, 'baseline');
    const service = pick(scenario, 'service');
    if (base.length === 0 || service.length === 0) continue;
    const rawRows = pick(scenario, 'raw');
    const r = rawRows.length > 0 ? stats(rawRows) : undefined;
    const b = stats(base);
    const s = stats(service);
    const title = SCENARIOS[scenario].title;
    if (scenario !== 'create-read') {
      addRow(title, r, b, s);
      if (scenario === 'rest-read') {
        readsWithoutCreates.set('baseline', b);
        readsWithoutCreates.set('service', s);
      }
    } else {
      addRow(`${title}: creates/s`, r, b, s);
      const reads = (rows: Measurement[]) => stats(rows.map((m) => ({ ...m, load: m.reads! })));
      const br = reads(base);
      const sr = reads(service);
      addRow('GET by id, REST, during those creates', rawRows.length > 0 ? reads(rawRows) : undefined, br, sr);
      const alone = readsWithoutCreates.get('service');
      if (alone) {
        const kept = median([...sr.rpsByRound].map(([round, rps]) => rps / (alone.rpsByRound.get(round) ?? NaN)));
        const baseAlone = readsWithoutCreates.get('baseline')!;
        const baseKept = median(
          [...br.rpsByRound].map(([round, rps]) => rps / (baseAlone.rpsByRound.get(round) ?? NaN)),
        );
        checks.push({
          target: 'GET by id during creates ≥ 0.70× of the service’s own GET by id without creates',
          measured: `${times(kept)} (${rate(sr.rps)} vs ${rate(alone.rps)} req/s; the baseline keeps ${times(baseKept)})`,
          met: kept >= 0.7,
        });
      }
    }
    const ratio = s.rps / b.rps;
    const p99 = s.p99 / b.p99;
    if (scenario === 'rest-read' || scenario === 'trpc-read') {
      const name = scenario === 'rest-read' ? 'REST' : 'native tRPC';
      checks.push({ target: `GET by id over ${name} ≥ 0.50× baseline`, measured: times(ratio), met: ratio >= 0.5 });
      checks.push({
        target: `GET by id over ${name}: p99 ≤ 3× the baseline’s`,
        measured: `${times(p99)} (${millis(s.p99)} vs ${millis(b.p99)} ms)`,
        met: p99 <= 3,
      });
    } else if (scenario === 'rest-read-50' || scenario === 'trpc-read-50') {
      // issue 13: the same reads under 50 callers at once, against the baseline with the check
      const name = scenario === 'rest-read-50' ? 'REST' : 'native tRPC';
      const paired = pairedRatio(s.rpsByRound, b.rpsByRound);
      checks.push({
        target: `GET by id over ${name}, 50 connections ≥ 0.60× baseline (median of per-round ratios)`,
        measured: `${times(paired)}${spread(s.rpsByRound, b.rpsByRound)}`,
        met: paired >= 0.6,
      });
      checks.push({
        target: `GET by id over ${name}, 50 connections: p99 ≤ 2.5× the baseline’s`,
        measured: `${times(p99)} (${millis(s.p99)} vs ${millis(b.p99)} ms)`,
        met: p99 <= 2.5,
      });
      const cpu = cpuPerRequest(s) / cpuPerRequest(b);
      checks.push({
        target: `GET by id over ${name}, 50 connections: server CPU per request ≤ 1.8× the baseline’s`,
        measured: `${times(cpu)} (${micros(cpuPerRequest(s))} vs ${micros(cpuPerRequest(b))} µs)`,
        met: cpu <= 1.8,
      });
      // issue 23: against the raw server without the check, one statement per read
      if (r) {
        const toRaw = pairedRatio(s.rpsByRound, r.rpsByRound);
        checks.push({
          target: `GET by id over ${name}, 50 connections ≥ 0.50× the raw server without the check (issue 23)`,
          measured: `${times(toRaw)}${spread(s.rpsByRound, r.rpsByRound)}`,
          met: toRaw >= 0.5,
        });
        const p99Raw = s.p99 / r.p99;
        checks.push({
          target: `GET by id over ${name}, 50 connections: p99 ≤ 2.5× the raw server’s (issue 23)`,
          measured: `${times(p99Raw)} (${millis(s.p99)} vs ${millis(r.p99)} ms)`,
          met: p99Raw <= 2.5,
        });
        const cpuRaw = cpuPerRequest(s) / cpuPerRequest(r);
        checks.push({
          target: `GET by id over ${name}, 50 connections: server CPU per request ≤ 2× the raw server’s (issue 23)`,
          measured: `${times(cpuRaw)} (${micros(cpuPerRequest(s))} vs ${micros(cpuPerRequest(r))} µs)`,
          met: cpuRaw <= 2,
        });
      }
    } else if (scenario === 'list-first') {
      checks.push({
        target: 'list offset 0 limit 10 ≥ 2× the counting baseline',
        measured: times(ratio),
        met: ratio >= 2,
      });
    } else if (scenario === 'list-deep') {
      checks.push({ target: 'list offset 90% ≥ 20× the counting baseline', measured: times(ratio), met: ratio >= 20 });
    }
  }

  const getRss = (['rest-read', 'trpc-read', 'rest-read-50', 'trpc-read-50'] as const)
    .flatMap((scenario) => pick(scenario, 'service'))
    .map((m) => m.peakRssBytes);
  if (getRss.length > 0) {
    // issue 13 raised the budget from issue 6's 150 MB, to be spent on a young generation that saves CPU
    const peak = Math.max(...getRss);
    checks.push({ target: 'service RSS under the GET loads ≤ 256 MB', measured: mb(peak), met: peak <= 256 * 2 ** 20 });
  }

  if (singles.length > 0) {
    const of = (target: Target) => singles.filter((single) => single.target === target);
    const base = of('baseline');
    const service = of('service');
    const baseMs = median(base.map((single) => single.ms));
    const serviceMs = median(service.map((single) => single.ms));
    const baseRss = Math.max(...base.map((single) => single.peakRssBytes));
    const serviceRss = Math.max(...service.map((single) => single.peakRssBytes));
    rows.push([
      `limit=0 over all ${users.toLocaleString('en-US')} users (1 request: its time, not req/s)`,
      '—',
      '—',
      `${millis(baseMs)} ms`,
      '—',
      `${millis(serviceMs)} ms`,
      '—',
      '—',
      '—',
      `${times(baseMs / serviceMs)} (time ratio)`,
      '—',
      `— / ${mb(baseRss)} / ${mb(serviceRss)}`,
      '—',
      '—',
    ]);
    const complete = service.every((single) => single.status === 200 && single.complete);
    checks.push({
      target: 'limit=0 completes with service peak RSS ≤ 400 MB',
      measured: `${mb(serviceRss)}, ${millis(serviceMs)} ms${complete ? '' : ', INCOMPLETE'}`,
      met: complete && serviceRss <= 400 * 2 ** 20,
    });
  }

  return { table: markdownTable(header, rows), checks, warnings };
}

export function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join(' | ')} |`;
  const rule = `|${widths.map((width, column) => (column === 0 ? `:${'-'.repeat(width + 1)}` : `${'-'.repeat(width + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

export function formatChecks(checks: Check[]): string {
  return checks.map((check) => `  ${check.met ? 'met   ' : 'MISSED'}  ${check.target}: ${check.measured}`).join('\n');
}

/** The write suite: creates with the list index against the same inserts without it. */
export function buildWriteReport(measurements: WriteMeasurement[], connections: number[]): Report {
  const header = [
    'create transaction (email + user)',
    'no index tx/s',
    'p50 ms',
    'p99 ms',
    'list index tx/s',
    'p50 ms',
    'p99 ms',
    'ratio: median of rounds (range)',
    'p99 ×',
  ];
  const rows: string[][] = [];
  const checks: Check[] = [];
  const warnings: string[] = [];
  const loaders = [...new Set(measurements.map((m) => m.loader))].join(', ');
  const as = (target: WriteMeasurement['target'], count: number): Stats =>
    stats(
      measurements
        .filter((m) => m.kind === 'create' && m.target === target && m.connections === count)
        .map((m) => ({ ...m, peakRssBytes: NaN, cores: NaN, pgCores: NaN })),
    );
  for (const count of connections) {
    const plain = as('plain', count);
    // the list index alone: the service's schema without issue 20's additions
    const indexed = as('unindexed', count);
    if (plain.rpsByRound.size === 0 || indexed.rpsByRound.size === 0) continue;
    const title = `${count} connection${count === 1 ? '' : 's'} (${loaders})`;
    rows.push([
      title,
      rate(plain.rps),
      millis(plain.p50),
      millis(plain.p99),
      rate(indexed.rps),
      millis(indexed.p50),
      millis(indexed.p99),
      `${times(pairedRatio(indexed.rpsByRound, plain.rpsByRound))}${spread(indexed.rpsByRound, plain.rpsByRound)}`,
      times(indexed.p99 / plain.p99),
    ]);
    for (const [name, s] of [
      ['tables without the index', plain],
      ['list index', indexed],
    ] as const) {
      if (s.invalid > 0) warnings.push(`${title}: ${s.invalid} failed transactions against the ${name}`);
    }
    if (count === 50) {
      const ratio = pairedRatio(indexed.rpsByRound, plain.rpsByRound);
      checks.push({
        target: 'creates at 50 connections with the list index ≥ 0.80× the same inserts without it',
        measured: `${times(ratio)}${spread(indexed.rpsByRound, plain.rpsByRound)} (${rate(indexed.rps)} vs ${rate(plain.rps)} tx/s)`,
        met: ratio >= 0.8,
      });
    }
  }
  return { table: markdownTable(header, rows), checks, warnings };
}

/** Where the outbox's pairs were measured: the bare transactions, or the service's own writes over REST. */
export type OutboxLevel = 'transactions' | 'service';

/**
 * The outbox (issue 21): creates and updates with their event written in the same transaction (the
 * id lock and the insert) against the same writes without it, side by side: each ratio is the median
 * of the rounds' ratios, with their range. `transactions`: the bare transactions on the real schema
 * (./writes.ts); `service`: the service's creates and PUTs, against the service recording no events
 * (./service-writes.ts).
 */
export function buildOutboxReport(
  measurements: Array<Pick<WriteMeasurement, 'round' | 'kind' | 'connections' | 'target' | 'load'>>,
  connections: number[],
  level: OutboxLevel = 'transactions',
): Report {
  const unit = level === 'service' ? 'req/s' : 'tx/s';
  const header = [
    level === 'service' ? 'request' : 'transaction',
    `without event ${unit}`,
    'p50 ms',
    'p99 ms',
    `with event ${unit}`,
    'p50 ms',
    'p99 ms',
    'ratio: median of rounds (range)',
  ];
  const rows: string[][] = [];
  const checks: Check[] = [];
  const warnings: string[] = [];
  const titleOf = (kind: WriteKind) =>
    level === 'transactions' ? kind : kind === 'create' ? 'POST, by email code' : 'PUT';
  const as = (kind: WriteKind, target: WriteMeasurement['target'], count: number): Stats =>
    stats(
      measurements
        .filter((m) => m.kind === kind && m.target === target && m.connections === count)
        .map((m) => ({ ...m, peakRssBytes: NaN, cores: NaN, pgCores: NaN })),
    );
  for (const kind of ['create', 'update'] as const) {
    for (const count of connections) {
      const without = as(kind, 'indexed', count);
      const outbox = as(kind, 'outbox', count);
      if (without.rpsByRound.size === 0 || outbox.rpsByRound.size === 0) continue;
      const ratio = pairedRatio(outbox.rpsByRound, without.rpsByRound);
      const measured = `${times(ratio)}${spread(outbox.rpsByRound, without.rpsByRound)}`;
      const title = `${titleOf(kind)}, ${count} connection${count === 1 ? '' : 's'}`;
      rows.push([
        title,
        rate(without.rps),
        millis(without.p50),
        millis(without.p99),
        rate(outbox.rps),
        millis(outbox.p50),
        millis(outbox.p99),
        measured,
      ]);
      for (const [name, s] of [
        ['without event', without],
        ['with event', outbox],
      ] as const) {
        const failed = level === 'service' ? 'non-2xx responses or errors' : 'failed transactions';
        if (s.invalid > 0) warnings.push(`${title}: ${s.invalid} ${failed} ${name}`);
      }
      const same = level === 'service' ? 'the same service recording none' : 'the same transaction without it';
      checks.push({
        target:
          `${kind}s${level === 'service' ? ' through the service' : ''} at ${count} connection${count === 1 ? '' : 's'} ` +
          `with their event ≥ 0.90× ${same}`,
        measured: `${measured} (${rate(outbox.rps)} vs ${rate(without.rps)} ${unit})`,
        met: ratio >= 0.9,
      });
    }
  }
  return { table: markdownTable(header, rows), checks, warnings };
}

/** The scale suite: the same service on the large database against the small one. */
export function buildScaleReport({ measurements, singles }: ScaleResults): Report {
  const users = (size: ScaleMeasurement['size']) =>
    (measurements.find((m) => m.size === size)?.users ?? NaN).toLocaleString('en-US');
  const [small, large] = [users('small'), users('large')];
  const header = [
    'scenario',
    `${small} users req/s`,
    'p50 ms',
    'p99 ms',
    `${large} users req/s`,
    'p50 ms',
    'p99 ms',
    'ratio: median of rounds (range)',
    'p99 ×',
    'peak RSS small / large',
    'CPU server + PostgreSQL, small / large',
  ];
  const rows: string[][] = [];
  const checks: Check[] = [];
  const warnings: string[] = [];
  for (const scenario of SCALE_SCENARIOS) {
    const of = (size: ScaleMeasurement['size']) =>
      stats(measurements.filter((m) => m.scenario === scenario && m.size === size));
    const a = of('small');
    const b = of('large');
    if (a.rpsByRound.size === 0 || b.rpsByRound.size === 0) continue;
    const title = scaleTitle(scenario);
    rows.push([
      title,
      rate(a.rps),
      millis(a.p50),
      millis(a.p99),
      rate(b.rps),
      millis(b.p50),
      millis(b.p99),
      `${times(pairedRatio(b.rpsByRound, a.rpsByRound))}${spread(b.rpsByRound, a.rpsByRound)}`,
      times(b.p99 / a.p99),
      `${mb(a.rss)} / ${mb(b.rss)}`,
      `${percent(a.cores)} + ${percent(a.pgCores)} / ${percent(b.cores)} + ${percent(b.pgCores)}`,
    ]);
    const ratio = pairedRatio(b.rpsByRound, a.rpsByRound);
    checks.push({
      target: `${title}: at ${large} users ≥ 0.80× its throughput at ${small}`,
      measured: `${times(ratio)}${spread(b.rpsByRound, a.rpsByRound)}`,
      met: ratio >= 0.8,
    });
    for (const [name, s] of [
      [small, a],
      [large, b],
    ] as const) {
      if (s.invalid > 0) warnings.push(`${title}: ${s.invalid} non-2xx responses or errors at ${name} users`);
      if (s.loaderCores > 0.9) {
        warnings.push(
          `${title}: the load generator used ${percent(s.loaderCores)} of its core at ${name} users; its req/s may be the generator's limit`,
        );
      }
    }
  }
  let table = markdownTable(header, rows);
  if (singles.length > 0) {
    const limitZero = limitZeroAtScale(singles);
    table += `\n\n${limitZero.table}`;
    checks.push(...limitZero.checks);
  }
  return { table, checks, warnings };
}

const megabytes = (bytes: number): string => {
  const value = bytes / 2 ** 20;
  return Number.isFinite(value) ? value.toFixed(value >= 10 ? 0 : 1) : '—';
};

/** The scale suite's limit=0 requests: one per round and size, in fresh processes. */
function limitZeroAtScale(singles: ScaleSingle[]): { table: string; checks: Check[] } {
  const header = [
    'limit=0, one request per round',
    'complete',
    'time ms: median (range)',
    'MB sent',
    'MB/s',
    'service peak RSS: max (range)',
  ];
  const rows: string[][] = [];
  const checks: Check[] = [];
  for (const size of ['small', 'large'] as const) {
    const of = singles.filter((single) => single.size === size);
    if (of.length === 0) continue;
    const users = of[0]!.users.toLocaleString('en-US');
    const ms = of.map((single) => single.ms);
    const rss = of.map((single) => single.peakRssBytes);
    const complete = of.filter((single) => single.status === 200 && single.complete).length;
    const time = median(ms);
    const bytes = median(of.map((single) => single.bytes));
    const peak = Math.max(...rss);
    const range = (values: number[], format: (value: number) => string) =>
      values.length > 1 ? ` (${format(Math.min(...values))}–${format(Math.max(...values))})` : '';
    rows.push([
      `all ${users} users`,
      `${complete} of ${of.length}`,
      `${millis(time)}${range(ms, millis)}`,
      megabytes(bytes),
      megabytes(bytes / (time / 1000)),
      `${mb(peak)}${range(rss, mb)}`,
    ]);
    const problems = [...new Set(of.flatMap((single) => (single.problem ? [single.problem] : [])))];
    checks.push({
      target: `limit=0 at ${users} users: one complete document, service peak RSS ≤ 250 MB`,
      measured:
        `${mb(peak)}, ${millis(time)} ms` +
        (complete === of.length ? '' : `, INCOMPLETE ${of.length - complete} of ${of.length}: ${problems.join('; ')}`),
      met: complete === of.length && peak <= 250 * 2 ** 20,
    });
  }
  return { table: markdownTable(header, rows), checks };
}

/**
 * The replicas suite: the service reading on a streaming replica against the same service on the
 * primary alone, and where the bench database's transactions ran in each case (over all rounds).
 */
export function buildReplicaReport(measurements: ReplicaMeasurement[]): Report {
  const header = [
    'scenario',
    'primary alone req/s',
    'p50 ms',
    'p99 ms',
    'reads on the replica req/s',
    'p50 ms',
    'p99 ms',
    'ratio: median of rounds (range)',
    'p99 ×',
    'transactions primary / replica: primary alone',
    'reads on the replica',
    'peak RSS alone / replica',
    'CPU server + primary + replica: alone / on the replica',
  ];
  const rows: string[][] = [];
  const checks: Check[] = [];
  const warnings: string[] = [];
  const count = (value: number) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '—');
  for (const scenario of REPLICA_SCENARIOS) {
    const of = (readsOn: ReadsOn) => measurements.filter((m) => m.scenario === scenario && m.readsOn === readsOn);
    const alone = of('primary');
    const routed = of('replica');
    if (alone.length === 0 || routed.length === 0) continue;
    // the CPU columns show the primary's backends; the replica's are added below
    const a = stats(alone.map((m) => ({ ...m, pgCores: m.pgCores.primary })));
    const r = stats(routed.map((m) => ({ ...m, pgCores: m.pgCores.primary })));
    const replicaCores = (rows: ReplicaMeasurement[]) => median(rows.map((m) => m.pgCores.replica));
    const transactions = (rows: ReplicaMeasurement[], member: 'primary' | 'replica') =>
      rows.reduce((sum, m) => sum + m.activity[member].xactCommit, 0);
    const title = replicaTitle(scenario);
    const ratio = pairedRatio(r.rpsByRound, a.rpsByRound);
    rows.push([
      title,
      rate(a.rps),
      millis(a.p50),
      millis(a.p99),
      rate(r.rps),
      millis(r.p50),
      millis(r.p99),
      `${times(ratio)}${spread(r.rpsByRound, a.rpsByRound)}`,
      times(r.p99 / a.p99),
      `${count(transactions(alone, 'primary'))} / ${count(transactions(alone, 'replica'))}`,
      `${count(transactions(routed, 'primary'))} / ${count(transactions(routed, 'replica'))}`,
      `${mb(a.rss)} / ${mb(r.rss)}`,
      `${percent(a.cores)} + ${percent(a.pgCores)} + ${percent(replicaCores(alone))} / ` +
        `${percent(r.cores)} + ${percent(r.pgCores)} + ${percent(replicaCores(routed))}`,
    ]);
    const onReplica = transactions(routed, 'replica');
    const share = onReplica / (onReplica + transactions(routed, 'primary'));
    checks.push({
      target: `${title}: with DATABASE_REPLICA_URLS, ≥ 90% of the bench database's transactions ran on the replica`,
      measured:
        `${Number.isFinite(share) ? `${(share * 100).toFixed(1)}%` : '—'} (${count(onReplica)} transactions; ` +
        `primary alone: ${count(transactions(alone, 'replica'))} on the replica)`,
      met: share >= 0.9,
    });
    checks.push({
      target: `${title}: reads on the replica without a non-2xx response or an error`,
      measured: `${r.invalid} in ${count(routed.reduce((sum, m) => sum + m.load.ok, 0))} answers`,
      met: r.invalid === 0,
    });
    if (a.invalid > 0)
      warnings.push(`${title}: the service on the primary alone had ${a.invalid} non-2xx responses or errors`);
    for (const [name, s] of [
      ['on the primary alone', a],
      ['reading on the replica', r],
    ] as const) {
      if (s.loaderCores > 0.9) {
        warnings.push(
          `${title}: the load generator used ${percent(s.loaderCores)} of its core against the service ${name}; its req/s may be the generator's limit`,
        );
      }
    }
  }
  return { table: markdownTable(header, rows), checks, warnings };
}
