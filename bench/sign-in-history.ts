// What a sign-in's look at its user's history costs (router/auth/auth-events.ts: whether the user
// signed in before, and from this client address, to tell it of an unusual sign-in), with the
// sign-ins' own index (migrations/Migration20270112100000.ts) against without it, side by side in
// one run. A seeded user is given 100,000 earlier sign-ins (from three addresses), another 10,
// in the bench database's events, vacuumed and analysed as autovacuum would; each round times the
// service's own statement (SIGN_IN_HISTORY_SQL) for each case, with the index, and without it (the
// index dropped inside a transaction that is rolled back), alternating which goes first. The
// events it added are removed after.
import pg from 'pg';
import { performance } from 'node:perf_hooks';
import { SIGN_IN_HISTORY_SQL } from '../router/auth/auth-events';
import { markdownTable, median } from './report';

const MARK = 'sign-in-history-bench';
const INDEX = 'events_signed_in_user_address_index';
const LONG_HISTORY = 100_000;
const SHORT_HISTORY = 10;
const EXECUTIONS = 15;

export type HistoryCase =
  'long history, a new address' | 'long history, a known address' | 'short history, a new address';
export type IndexVariant = 'with the index' | 'without';

export interface HistoryMeasurement {
  round: number;
  variant: IndexVariant;
  case: HistoryCase;
  /** The median of the round's executions, in milliseconds. */
  ms: number;
}

export async function runSignInHistory(databaseUrl: string, rounds: number, log: (line: string) => void) {
  const client = new pg.Client(databaseUrl);
  await client.connect();
  // the service's statement, its `?` placeholders as node-postgres numbers them
  let n = 0;
  const statement = SIGN_IN_HISTORY_SQL.replace(/\?/g, () => `$${++n}`);
  try {
    const users = await client.query<{ id: string }>('select id from users order by id limit 2');
    if (users.rows.length < 2) throw new Error('the bench database holds fewer than two users');
    const [long, short] = users.rows.map((row) => row.id) as [string, string];
    for (const [userId, count] of [
      [long, LONG_HISTORY],
      [short, SHORT_HISTORY],
    ] as const) {
      await client.query(
        `insert into events (type, actor, user_id, client_address, data)
         select 'auth.signed_in', $1, $2, '198.51.100.' || (g % 3), '{"method":"password"}'
           from generate_series(1, $3::int) g`,
        [MARK, userId, count],
      );
    }
    await client.query('vacuum (analyze) events');
    const cases: Array<[HistoryCase, string, string]> = [
      ['long history, a new address', long, '203.0.113.7'],
      ['long history, a known address', long, '198.51.100.1'],
      ['short history, a new address', short, '203.0.113.7'],
    ];
    const measurements: HistoryMeasurement[] = [];
    for (let round = 1; round <= rounds; round++) {
      const order: IndexVariant[] = round % 2 ? ['with the index', 'without'] : ['without', 'with the index'];
      for (const variant of order) {
        await client.query('begin');
        try {
          if (variant === 'without') await client.query(`drop index ${INDEX}`);
          for (const [which, userId, address] of cases) {
            const times: number[] = [];
            for (let i = 0; i < EXECUTIONS; i++) {
              const started = performance.now();
              const answer = await client.query<{ before: boolean; here: boolean }>(statement, [address, userId]);
              times.push(performance.now() - started);
              const expected = { before: true, here: which === 'long history, a known address' };
              const row = answer.rows[0];
              if (row?.before !== expected.before || row.here !== expected.here) {
                throw new Error(`${which}: answered ${JSON.stringify(row)}`);
              }
            }
            measurements.push({ round, variant, case: which, ms: median(times) });
          }
        } finally {
          await client.query('rollback');
        }
        log(`sign-in history round ${round} ${variant}: done`);
      }
    }
    return {
      measurements,
      checked: `every answer as expected (signed in before; from the known address only); ${LONG_HISTORY.toLocaleString('en')} and ${SHORT_HISTORY} sign-ins`,
    };
  } finally {
    await client.query(`delete from events where actor = $1`, [MARK]);
    await client.query('vacuum (analyze) events');
    await client.end();
  }
}

/** Per case: the medians of the rounds with their ranges, with and without the index, and their ratio. */
export function signInHistoryReport(measurements: HistoryMeasurement[]): string {
  const cases = [...new Set(measurements.map((m) => m.case))];
  const rows = cases.map((which) => {
    const of = (variant: IndexVariant) => measurements.filter((m) => m.case === which && m.variant === variant);
    const [indexed, bare] = [of('with the index'), of('without')];
    const figure = (list: HistoryMeasurement[]) => {
      const values = list.map((m) => m.ms);
      return `${ms(median(values))} (${ms(Math.min(...values))}–${ms(Math.max(...values))})`;
    };
    const ratios = indexed.map((m) => (bare.find((b) => b.round === m.round)?.ms ?? NaN) / m.ms);
    return [
      which,
      figure(bare),
      figure(indexed),
      `${median(ratios).toFixed(0)}× (${Math.min(...ratios).toFixed(0)}–${Math.max(...ratios).toFixed(0)})`,
    ];
  });
  return markdownTable(
    [
      'the check of a sign-in',
      'without the index: ms (range)',
      'with it: ms (range)',
      'faster: median of rounds (range)',
    ],
    rows,
  );
}

const ms = (value: number) => (value >= 10 ? value.toFixed(1) : value.toFixed(2));
