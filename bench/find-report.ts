// The find suite's tables (issue 20), as Markdown like the other suites' (bench/report.ts): the loads
// at both sizes with the ratio of the large to the small one, the `q` strings and their matches, the
// single searches by how much they match, and the creates with and without issue 20's indexes;
// then the targets, each met or missed, and what has no target but is to be read (the broad `q`).
import { FIND_SCENARIOS, PAGE_SORTS, type FindResults } from './find';
import type { QueryCount } from './find-queries';
import {
  markdownTable,
  median,
  millis,
  pairedRatio,
  percent,
  rate,
  spread,
  stats,
  times,
  type Check,
  type Stats,
} from './report';
import type { ScaleSize } from './scale';
import type { WriteMeasurement } from './writes';

export interface FindReport {
  tables: string;
  checks: Check[];
  /** Figures without a target, to be read beside the checks. */
  notes: string[];
  warnings: string[];
}

const count = (value: number) => value.toLocaleString('en-US');
const share = (matches: number, users: number) => {
  const pct = (matches / users) * 100;
  return `${pct >= 1 ? pct.toFixed(1) : pct >= 0.1 ? pct.toFixed(2) : pct.toFixed(4)}%`;
};

export function buildFindReport(results: FindResults): FindReport {
  const { data, measurements } = results;
  const users = (size: ScaleSize) => data[size].users;
  const [small, large] = [count(users('small')), count(users('large'))];
  const checks: Check[] = [];
  const notes: string[] = [];
  const warnings: string[] = [];
  const of = (scenario: string, size: ScaleSize): Stats =>
    stats(measurements.filter((m) => m.scenario === scenario && m.size === size));

  const loads: string[][] = [];
  for (const scenario of FIND_SCENARIOS) {
    const a = of(scenario.key, 'small');
    const b = of(scenario.key, 'large');
    if (a.rpsByRound.size === 0 || b.rpsByRound.size === 0) continue;
    loads.push([
      scenario.title,
      rate(a.rps),
      millis(a.p50),
      millis(a.p99),
      rate(b.rps),
      millis(b.p50),
      millis(b.p99),
      `${times(pairedRatio(b.rpsByRound, a.rpsByRound))}${spread(b.rpsByRound, a.rpsByRound)}`,
      times(b.p99 / a.p99),
      `${percent(a.cores)} + ${percent(a.pgCores)} / ${percent(b.cores)} + ${percent(b.pgCores)}`,
    ]);
    for (const [size, s] of [
      [small, a],
      [large, b],
    ] as const) {
      if (s.invalid > 0) warnings.push(`${scenario.title}: ${s.invalid} non-2xx responses or errors at ${size} users`);
      if (s.loaderCores > 0.9) {
        warnings.push(
          `${scenario.title}: the load generator used ${percent(s.loaderCores)} of its core at ${size} users; its req/s may be the generator's limit`,
        );
      }
    }
  }
  const invalid = measurements.reduce((sum, m) => sum + m.load.non2xx + m.load.errors, 0);
  checks.push({
    target: 'every answer of every load 2xx, without an error',
    measured: `${count(invalid)} non-2xx or errors in ${count(measurements.reduce((sum, m) => sum + m.load.ok, 0))} answers`,
    met: invalid === 0,
  });

  // 1. the lookup by address against the read by id, on the same server in the same round
  for (const size of ['large', 'small'] as const) {
    const read = of('read', size);
    const email = of('email', size);
    if (read.rpsByRound.size === 0 || email.rpsByRound.size === 0) continue;
    const ratio = pairedRatio(email.rpsByRound, read.rpsByRound);
    const measured = `${times(ratio)}${spread(email.rpsByRound, read.rpsByRound)} (${rate(email.rps)} vs ${rate(read.rps)} req/s)`;
    if (size === 'large') {
      checks.push({
        target: `?email= at ${large} users ≥ 0.80× GET by id on the same server`,
        measured,
        met: ratio >= 0.8,
      });
    } else {
      notes.push(`?email= at ${small} users against GET by id on the same server: ${measured}`);
    }
  }

  // 2. narrow searches: what one takes, at the large size
  for (const [key, queries] of [
    ['q-full-name', data.large.queries.fullNames],
    ['q-last-name', data.large.queries.lastNames],
  ] as const) {
    const s = of(key, 'large');
    if (s.rpsByRound.size === 0) continue;
    const most = Math.max(...queries.map((query) => query.matches));
    checks.push({
      target: `${FIND_SCENARIOS.find((scenario) => scenario.key === key)!.title} (each under 1%: at most ${count(most)} of ${large}) at ${large} users: p50 ≤ 20 ms`,
      measured: `${millis(s.p50)} ms (p99 ${millis(s.p99)} ms)`,
      met: s.p50 <= 20,
    });
  }

  // 3. each sort's second page, large against small
  for (const sort of PAGE_SORTS) {
    const a = of(`page ${sort}`, 'small');
    const b = of(`page ${sort}`, 'large');
    if (a.rpsByRound.size === 0 || b.rpsByRound.size === 0) continue;
    const ratio = pairedRatio(b.rpsByRound, a.rpsByRound);
    checks.push({
      target: `cursor page 2, sort=${sort}: at ${large} users ≥ 0.80× its throughput at ${small}`,
      measured: `${times(ratio)}${spread(b.rpsByRound, a.rpsByRound)}`,
      met: ratio >= 0.8,
    });
  }

  // 4. the broad search: no target, its time and its total
  for (const size of ['large', 'small'] as const) {
    const s = of('q-broad', size);
    if (s.rpsByRound.size === 0) continue;
    const { q, matches } = data[size].queries.broad;
    const answered = measurements
      .filter((m) => m.scenario === 'q-broad' && m.size === size)
      .reduce((sum, m) => sum + m.load.ok, 0);
    notes.push(
      `?q=${q} at ${count(users(size))} users (total ${count(matches)}, ${share(matches, users(size))}), one at a time: ` +
        `p50 ${millis(s.p50)} ms, p99 ${millis(s.p99)} ms (medians of the rounds; ${answered} answers in all)`,
    );
  }
  const read = [of('read', 'small'), of('read', 'large')];
  notes.push(
    `GET by id, REST, 10 connections: ${rate(read[0]!.rps)} req/s at ${small} users, ${rate(read[1]!.rps)} at ${large} ` +
      '(compare with the scale suite’s figures in docs/performance.md)',
  );

  const loadTable = markdownTable(
    [
      'scenario',
      `${small} users req/s`,
      'p50 ms',
      'p99 ms',
      `${large} users req/s`,
      'p50 ms',
      'p99 ms',
      'ratio: median of rounds (range)',
      'p99 ×',
      'CPU server + PostgreSQL, small / large',
    ],
    loads,
  );

  const kinds: Array<[string, (size: ScaleSize) => QueryCount[]]> = [
    ['a first and last name', (size) => data[size].queries.fullNames],
    ['a last name', (size) => data[size].queries.lastNames],
    ['half of the users', (size) => [data[size].queries.broad]],
  ];
  const queryTable = markdownTable(
    ['q', 'strings', `matches at ${small}`, `matches at ${large}`],
    kinds.map(([kind, at]) => [
      kind,
      at('large')
        .map(({ q }) => `\`${q}\``)
        .join(', '),
      matchRange(at('small'), users('small')),
      matchRange(at('large'), users('large')),
    ]),
  );

  const seriesTable = markdownTable(
    [
      'q, alone, one after another',
      `matches at ${small}`,
      'ms: median (range)',
      `matches at ${large}`,
      'ms: median (range)',
    ],
    data.large.queries.series.map(({ q }, at) => {
      const cell = (size: ScaleSize) => {
        const ms = results.singles.filter((single) => single.size === size && single.q === q).flatMap((s) => s.ms);
        const matches = data[size].queries.series[at]!.matches;
        return [
          `${count(matches)} (${share(matches, users(size))})`,
          ms.length > 0 ? `${millis(median(ms))} (${millis(Math.min(...ms))}–${millis(Math.max(...ms))})` : '—',
        ];
      };
      return [`\`${q}\``, ...cell('small'), ...cell('large')];
    }),
  );

  const narrowedTable = markdownTable(
    [`the broad q at ${large} users, alone`, 'total', 'ms: median (range)'],
    results.narrowed.map(({ how, path, total, ms }) => [
      `${how}: \`${path}\``,
      count(total),
      `${millis(median(ms))} (${millis(Math.min(...ms))}–${millis(Math.max(...ms))})`,
    ]),
  );
  if (results.atOnce.length > 0) {
    notes.push(
      `?q=${data.large.queries.broad.q} from ${results.atOnce.length} callers at once at ${large} users: ` +
        results.atOnce.map(({ status, ms }) => `${status} after ${millis(ms)} ms`).join(', '),
    );
  }

  const writes = writeTable(results.writes, checks, warnings);
  return {
    tables: [loadTable, queryTable, seriesTable, narrowedTable, writes].join('\n\n'),
    checks,
    notes,
    warnings,
  };
}

function matchRange(queries: QueryCount[], users: number): string {
  const matches = queries.map((query) => query.matches);
  const [least, most] = [Math.min(...matches), Math.max(...matches)];
  const range = least === most ? count(least) : `${count(least)}–${count(most)}`;
  return `${range} (${least === most ? share(least, users) : `${share(least, users)}–${share(most, users)}`})`;
}

/** The creates into the real schema against the same tables without issue 20's indexes. */
function writeTable(measurements: WriteMeasurement[], checks: Check[], warnings: string[]): string {
  const rows: string[][] = [];
  const loaders = [...new Set(measurements.map((m) => m.loader))].join(', ');
  const as = (target: WriteMeasurement['target'], connections: number): Stats =>
    stats(
      measurements
        .filter((m) => m.target === target && m.connections === connections)
        .map((m) => ({ ...m, peakRssBytes: NaN, cores: NaN, pgCores: NaN })),
    );
  for (const connections of [...new Set(measurements.map((m) => m.connections))]) {
    const without = as('unindexed', connections);
    const indexed = as('indexed', connections);
    if (without.rpsByRound.size === 0 || indexed.rpsByRound.size === 0) continue;
    const ratio = pairedRatio(indexed.rpsByRound, without.rpsByRound);
    const title = `${connections} connection${connections === 1 ? '' : 's'} (${loaders})`;
    rows.push([
      title,
      rate(without.rps),
      millis(without.p50),
      millis(without.p99),
      rate(indexed.rps),
      millis(indexed.p50),
      millis(indexed.p99),
      `${times(ratio)}${spread(indexed.rpsByRound, without.rpsByRound)}`,
      times(indexed.p99 / without.p99),
    ]);
    // one connection waits on its own commits' flushes: noise on a shared machine, shown without a target
    if (connections >= 10) {
      checks.push({
        target: `creates at ${connections} connections with issue 20's indexes ≥ 0.70× the same without them`,
        measured: `${times(ratio)}${spread(indexed.rpsByRound, without.rpsByRound)} (${rate(indexed.rps)} vs ${rate(without.rps)} tx/s)`,
        met: ratio >= 0.7,
      });
    }
    for (const [name, s] of [
      ['without the indexes', without],
      ['with them', indexed],
    ] as const) {
      if (s.invalid > 0) warnings.push(`${title}: ${s.invalid} failed transactions ${name}`);
    }
  }
  return markdownTable(
    [
      'create transaction (email + user), seeded tables',
      'without issue 20 indexes tx/s',
      'p50 ms',
      'p99 ms',
      'with them tx/s',
      'p50 ms',
      'p99 ms',
      'ratio: median of rounds (range)',
      'p99 ×',
    ],
    rows,
  );
}
