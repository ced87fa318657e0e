// The write suite (issue 12): the service's create transaction — an email row, then its user row,
// committed — sent straight to PostgreSQL by pgbench at 1, 10 and 50 connections, into the
// service's schema without issue 20's additions (the list index's triggers alone) and into the same
// tables without them, side by side in one run. Without pgbench (it comes with PostgreSQL's server packages), bench/write-load.ts sends
// the same transactions over node-postgres, and the report says so. The find suite (issue 20,
// find.ts) sends the same transactions into the real schema and into a database of its own without
// the indexes of the list's sorts and searches (`unindexed`), both holding the seeded users. The
// outbox (issue 21): creates, and updates of random seeded users (UPDATES_DATABASE), each with the
// event the service records in the same transaction (`outbox`) and without it (`indexed`).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { withClient } from './bench-database';
import { startPinned } from './processes';
import { ROOT } from './servers';
import { RESULT_MARKER, percentile, type LoadResult } from './workload';
import { EVENT_ID_LOCK } from '../router/events/events-store';
import { FIRST_NAMES, LAST_NAMES } from './dataset';

/** The outbox's creates (issue 21): the service's schema, whole. */
export const WRITES_DATABASE = 'users_bench_writes';
/**
 * The list index's creates (issue 12): the service's schema without issue 20's additions
 * (`unindexed`, dropFindIndexes), and beside it the same tables without the list index (`plain`),
 * so that the comparison is of the list index alone.
 */
export const LIST_WRITES_DATABASE = 'users_bench_list_writes';
/** The update measurements' database: --users seeded users (bench/seed.ts), kept between runs. */
export const UPDATES_DATABASE = 'users_bench_updates';
/** The schema of the tables without the list index. */
export const PLAIN_SCHEMA = 'bench_plain';

/**
 * What issue 20 added to a write for the list's sorts and for `q`: the `(name, id)` and `(age, id)`
 * indexes (Migration20261210120000), and the search's copy of each user, `user_search`, kept by
 * triggers and searched through its trigram index (Migration20261223100000; on its lower-cased
 * copies since Migration20261224100000, one index over both texts since Migration20261225100000).
 * The `unindexed` target's database has neither.
 */
export const FIND_INDEXES = ['users_name_id_index', 'users_age_id_index'] as const;
/** The triggers that keep `user_search`, each with its table. */
export const FIND_TRIGGERS = [
  ['users_search_inserted', 'users'],
  ['users_search_deleted', 'users'],
  ['users_search_changed', 'users'],
  ['emails_search_changed', 'emails'],
  ['users_search_truncated', 'users'],
] as const;

/** The domain of the addresses the create transactions write (so they can be removed). */
export const WRITE_DOMAIN = 'write.bench.example';

/**
 * `indexed`: the service's schema; `plain`: the same tables without the list index; `outbox`: the
 * service's schema with the event the service records last in the same transaction (issue 21:
 * the id lock, then the insert into `events`, as router/events/events-store.ts sends them);
 * `unindexed`: the service's schema without FIND_INDEXES and FIND_TRIGGERS, in a database of its
 * own (issue 20's creates against `indexed`; issue 12's list index against `plain`).
 */
export type WriteTarget = 'plain' | 'indexed' | 'outbox' | 'unindexed';
export type WriteLoader = 'pgbench' | 'node-postgres';
/**
 * `create`: a new user (issue 12); `update`: a PUT of a random seeded user (issue 21), measured on
 * `indexed` and `outbox` only, in UPDATES_DATABASE.
 */
export type WriteKind = 'create' | 'update';

export interface WriteSpec {
  url: string;
  kind: WriteKind;
  target: WriteTarget;
  /** Updates: how many seeded users the database holds (bench/seed.ts), to pick from. */
  users?: number;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
}

export interface WriteMeasurement {
  round: number;
  kind: WriteKind;
  connections: number;
  target: WriteTarget;
  loader: WriteLoader;
  load: LoadResult;
}

const schemaOf = (target: WriteTarget) => (target === 'plain' ? PLAIN_SCHEMA : 'public');

/** A random first or last name of the seeded users' kind, in SQL (so trigram indexes see real names). */
const randomOf = (names: readonly string[]) =>
  `(array[${names.map((name) => `'${name}'`).join(',')}])[1 + floor(random() * ${names.length})::int]`;

/** The name at 1-based position `at` (an SQL integer expression) of `names`, in SQL. */
const nameAt = (names: readonly string[], at: string) =>
  `(array[${names.map((name) => `'${name}'`).join(',')}])[${at}]`;

/**
 * One write transaction as a loader sends it, between its `begin` and `commit`: `:name` in a
 * statement is a variable, either one of `randoms` (drawn anew for each transaction, pgbench's
 * `\set name random(min, max)`) or a column of the row a `keep` statement returned (pgbench's
 * `\gset`). pgbench (-M prepared) and bench/write-load.ts both send each variable as a parameter.
 */
export interface WriteScript {
  randoms: Array<{ name: string; min: number; max: number }>;
  statements: Array<{ sql: string; keep?: boolean }>;
}

export function writeScript(kind: WriteKind, target: WriteTarget, users = 0): WriteScript {
  return kind === 'create' ? createScript(target) : updateScript(target, users);
}

/**
 * The statements of one create, as the service sends them (the hash is the size of a real one), for
 * a user with a name and address of the seeded users' kind (Anna_Okafor, anna.okafor1234@…,
 * bench/dataset.ts). The address's number is the email's own id, drawn from the table's sequence as
 * the service's insert draws it, so addresses stay unique without a statement more. (Until 6
 * December it was a UUID: addresses of 70 characters against the seeded users' 30, which a trigram
 * index pays for per character, docs/performance.md.)
 */
function createScript(target: WriteTarget): WriteScript {
  const schema = schemaOf(target);
  const email = `insert into ${schema}.emails (id, address, auth_method, password_hash)
      select next.id, lower(${randomOf(FIRST_NAMES)} || '.' || ${randomOf(LAST_NAMES)}) || next.id || '@${WRITE_DOMAIN}', 0,
             '$scrypt$ln=15,r=8,p=1$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4qbdRSzgxHLaVqwI+Kwn6U'
      from (select nextval('${schema}.emails_id_seq') as id) as next returning id`;
  const user = `insert into ${schema}.users (id, name, age, gender, email_id)
      values (gen_random_uuid()::text, ${randomOf(FIRST_NAMES)} || '_' || ${randomOf(LAST_NAMES)},
              18 + floor(random() * 70)::int, floor(random() * 3)::int, :id)`;
  // the event of a create as the service writes it (the shared id lock, then the row): who, the
  // request, the fields (never the hash)
  const event = `insert into public.events (type, actor, user_id, request_id, client_address, data)
      select 'user.created', 'bench-admin', gen_random_uuid()::text, gen_random_uuid()::text, '127.0.0.1',
        jsonb_build_object('fields', jsonb_build_array('name', 'age', 'gender', 'email', 'authMethod'),
          'changes', jsonb_build_object(
            'name', jsonb_build_object('before', null::text, 'after', 'bench_write'),
            'age', jsonb_build_object('before', null::int, 'after', 30),
            'gender', jsonb_build_object('before', null::int, 'after', 1),
            'email', jsonb_build_object('before', null::text, 'after', 'x@write.bench.example'),
            'authMethod', jsonb_build_object('before', null::int, 'after', 0)))
      from (select pg_advisory_xact_lock_shared(${EVENT_ID_LOCK})) as id_lock`;
  return {
    randoms: [],
    statements: [{ sql: email, keep: true }, { sql: user }, ...(target === 'outbox' ? [{ sql: event }] : [])],
  };
}

/**
 * The id of seeded user `index` (an SQL integer expression), computed in SQL as bench/dataset.ts's
 * seededUserId computes it, so pgbench, which has no string functions, can pick a random seeded user.
 */
export function seededUserIdSql(index: string): string {
  return `(select lpad(to_hex(${index}), 8, '0') || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-'
      || to_hex((('x' || substr(h, 17, 1))::bit(4)::int & 3) | 8) || substr(h, 18, 3) || '-' || substr(h, 21, 12)
    from (select md5('bench-user-' || ${index})) as hash(h))`;
}

/**
 * The statements of one update (a PUT renaming a random seeded user and changing its age, without a
 * new password), in the service's order as it sends them (router/users/user-service.ts updateUser,
 * read off node-postgres): the user and its email read under a row lock (the email is kept, so no
 * row of it is written: neither its password, since 6 December, nor, since 7 December, its
 * `updated_at`), the user's row at its version, and, for the outbox,
 * the `user.updated` event with each changed field before and after, as user-changes.ts makes it.
 * The first and last seeded users are never picked: bench/seed.ts checks those to keep its seed.
 */
function updateScript(target: WriteTarget, users: number): WriteScript {
  if (target !== 'indexed' && target !== 'outbox')
    throw new Error(`updates are measured on indexed and outbox, not ${target}`);
  if (users < 3) throw new Error('updates need at least 3 seeded users');
  const name = `${nameAt(FIRST_NAMES, ':first::int')} || '_' || ${nameAt(LAST_NAMES, ':last::int')}`;
  const read = `select u0.*, e1.id as e1__id, e1.created_at as e1__created_at, e1.updated_at as e1__updated_at,
        e1.address as e1__address, e1.auth_method as e1__auth_method
      from users as u0 inner join emails as e1 on u0.email_id = e1.id
      where u0.id = ${seededUserIdSql(':n::int')} limit 1 for update`;
  const user = `update users set updated_at = now(), name = ${name}, age = :age_after::int, version = version + 1
      where id = :id and version = :version::int returning version`;
  const event = `insert into events (type, actor, user_id, request_id, client_address, data)
      select 'user.updated', 'bench-admin', :id::text, gen_random_uuid()::text, '127.0.0.1',
        jsonb_build_object('fields', jsonb_build_array('name', 'age'),
          'changes', jsonb_build_object(
            'name', jsonb_build_object('before', :name::text, 'after', ${name}),
            'age', jsonb_build_object('before', :age::int, 'after', :age_after::int)))
      from (select pg_advisory_xact_lock_shared(${EVENT_ID_LOCK})) as id_lock`;
  return {
    randoms: [
      { name: 'n', min: 1, max: users - 2 },
      { name: 'first', min: 1, max: FIRST_NAMES.length },
      { name: 'last', min: 1, max: LAST_NAMES.length },
      { name: 'age_after', min: 18, max: 87 },
    ],
    statements: [{ sql: read, keep: true }, { sql: user }, ...(target === 'outbox' ? [{ sql: event }] : [])],
  };
}

/** `:name` of a variable (not the second colon of a cast). */
const VARIABLE = /(?<![:\w]):([a-z_][a-z0-9_]*)/g;

/** A statement with its variables as numbered parameters, for node-postgres. */
export interface CompiledStatement {
  name: string;
  text: string;
  variables: string[];
  keep: boolean;
}

export function compileScript(script: WriteScript): CompiledStatement[] {
  return script.statements.map(({ sql, keep }, index) => {
    const variables: string[] = [];
    const text = sql.replace(VARIABLE, (_match, variable: string) => {
      if (!variables.includes(variable)) variables.push(variable);
      return `$${variables.indexOf(variable) + 1}`;
    });
    // named by its text: one connection may prepare the statements of several scripts
    const name = `write${index}_${createHash('md5').update(text).digest('hex').slice(0, 12)}`;
    return { name, text, variables, keep: keep ?? false };
  });
}

/** Draws a transaction's random variables, as pgbench's random(min, max) does. */
export function drawRandoms(script: WriteScript): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (const { name, min, max } of script.randoms) values.set(name, min + Math.floor(Math.random() * (max - min + 1)));
  return values;
}

/**
 * Sends one transaction over node-postgres as named prepared statements (pgbench's -M prepared),
 * with the variables `values` starts from; rolls back on an error and rethrows it.
 */
export async function sendWriteTransaction(
  client: pg.Client,
  statements: CompiledStatement[],
  values: Map<string, unknown>,
): Promise<void> {
  await client.query('begin');
  try {
    for (const statement of statements) {
      const params = statement.variables.map((variable) => {
        if (!values.has(variable)) throw new Error(`${statement.name}: no value for :${variable}`);
        return values.get(variable);
      });
      const { rows } = await client.query<Record<string, unknown>>({
        name: statement.name,
        text: statement.text,
        values: params,
      });
      if (statement.keep) {
        if (rows.length !== 1) throw new Error(`${statement.name}: ${rows.length} rows where one is kept`);
        for (const [column, value] of Object.entries(rows[0]!)) values.set(column, value);
      }
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  }
}

/** The script in pgbench's dialect: one statement per line, `\gset` keeps a returned row's columns. */
export function pgbenchScript(script: WriteScript): string {
  const line = (sql: string) => sql.replace(/\s+/g, ' ').trim();
  return [
    ...script.randoms.map(({ name, min, max }) => `\\set ${name} random(${min}, ${max})`),
    'begin;',
    ...script.statements.map(({ sql, keep }) => `${line(sql)}${keep ? ' \\gset' : ';'}`),
    'end;',
  ].join('\n');
}

/** pgbench on PATH, or in PostgreSQL's Debian folders; undefined when there is none. */
export function findPgbench(): string | undefined {
  if (spawnSync('pgbench', ['--version']).status === 0) return 'pgbench';
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return versions.map((version) => path.join(root, version, 'bin/pgbench')).find((file) => existsSync(file));
}

/**
 * The tables without the index, made afresh from the live ones each run: LIKE … INCLUDING ALL
 * copies columns, defaults, constraints and indexes but no triggers; the email ids get a
 * sequence of their own and users keep their foreign key to emails.
 */
export async function preparePlainTables(url: string): Promise<void> {
  await withClient(url, async (client) => {
    await client.query(`drop schema if exists ${PLAIN_SCHEMA} cascade`);
    await client.query(`create schema ${PLAIN_SCHEMA}`);
    await client.query(`create table ${PLAIN_SCHEMA}.emails (like public.emails including all)`);
    await client.query(`create sequence ${PLAIN_SCHEMA}.emails_id_seq owned by ${PLAIN_SCHEMA}.emails.id`);
    await client.query(
      `alter table ${PLAIN_SCHEMA}.emails alter column id set default nextval('${PLAIN_SCHEMA}.emails_id_seq')`,
    );
    await client.query(`create table ${PLAIN_SCHEMA}.users (like public.users including all)`);
    await client.query(`alter table ${PLAIN_SCHEMA}.users add foreign key (email_id)
      references ${PLAIN_SCHEMA}.emails (id) on update cascade on delete restrict`);
  });
}

/** The tables emptied and vacuumed (the plain ones too, where there are), so every measurement starts from the same state. */
export async function resetWriteTables(url: string): Promise<void> {
  await withClient(url, async (client) => {
    // through the trigger on the real users table, which empties the index too; cascade: the
    // sign-in tables refer to users and emails (and are empty here)
    await client.query('truncate public.users, public.emails restart identity cascade');
    await client.query('truncate public.events restart identity');
    const { rows } = await client.query<{ plain: boolean }>(
      `select to_regclass('${PLAIN_SCHEMA}.users') is not null as plain`,
    );
    if (rows[0]!.plain) await client.query(`truncate ${PLAIN_SCHEMA}.users, ${PLAIN_SCHEMA}.emails restart identity`);
    await client.query('vacuum analyze');
  });
}

/**
 * The updates' database before each measurement: no events, and the dead rows the last one left
 * vacuumed away (the users stay as updated: their names and ages are of the seeded kind).
 */
export async function resetUpdateTables(url: string): Promise<void> {
  await withClient(url, async (client) => {
    await client.query('truncate events restart identity');
    await client.query('vacuum analyze users, emails, events');
  });
}

/** The `unindexed` target's database: the service's schema without FIND_INDEXES and FIND_TRIGGERS (kept so between runs). */
export async function dropFindIndexes(url: string): Promise<void> {
  await withClient(url, async (client) => {
    await client.query(`drop index if exists ${FIND_INDEXES.map((name) => `"${name}"`).join(', ')}`);
    for (const [name, table] of FIND_TRIGGERS) await client.query(`drop trigger if exists "${name}" on "${table}"`);
    await client.query('truncate user_search');
  });
}

/**
 * Deletes the users the create transactions added to a seeded database and vacuums, so that every
 * measurement starts from the seeded users (the find suite's databases are not emptied: an index
 * holding 100,000 users costs a write more than an empty one).
 */
export async function removeWrittenUsers(url: string): Promise<void> {
  await withClient(url, async (client) => {
    const pattern = `%@${WRITE_DOMAIN}`;
    await client.query('begin');
    await client.query('delete from users where email_id in (select id from emails where address like $1)', [pattern]);
    await client.query('delete from emails where address like $1', [pattern]);
    await client.query('commit');
    await client.query('vacuum analyze');
  });
}

/** One measured run (after its warm-up) of the create or update transaction. */
export async function runWriteLoad(
  spec: WriteSpec,
  loader: WriteLoader,
  pgbench: string | undefined,
  cores: string | undefined,
): Promise<LoadResult> {
  if (loader === 'node-postgres') {
    const child = startPinned(
      'write-load',
      cores,
      process.execPath,
      ['--require', 'tsx/cjs', path.join(ROOT, 'bench/write-load.ts'), JSON.stringify(spec)],
      process.env,
    );
    const code = await child.exited;
    const line = child
      .output()
      .split('\n')
      .find((text) => text.startsWith(RESULT_MARKER));
    if (code !== 0 || !line) throw new Error(`write-load failed (exit ${code}):\n${child.output()}`);
    return JSON.parse(line.slice(RESULT_MARKER.length), (_key, value: unknown) => value ?? NaN) as LoadResult;
  }
  if (!pgbench) throw new Error('pgbench is not installed');
  const dir = mkdtempSync(path.join(tmpdir(), 'users-bench-pgbench-'));
  try {
    const script = path.join(dir, `${spec.kind}.sql`);
    writeFileSync(script, pgbenchScript(writeScript(spec.kind, spec.target, spec.users)));
    // one run, warm-up included, so the measured transactions run on warm sessions (plans cached,
    // the list index's functions compiled), as a service's pooled connections are; only the
    // transactions that completed in the last `durationSeconds` are counted
    const seconds = spec.warmupSeconds + spec.durationSeconds;
    const args = ['-n', '-f', script, '-c', String(spec.connections), '-j', '1', '-T', String(seconds)];
    args.push('-M', 'prepared', '-l', '--log-prefix', path.join(dir, 'tx'), spec.url);
    const child = startPinned('pgbench', cores, pgbench, args, process.env);
    const code = await child.exited;
    if (code !== 0) throw new Error(`pgbench failed (exit ${code}):\n${child.output()}`);
    return pgbenchResult(child.output(), dir, spec.durationSeconds);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * From pgbench's per-transaction logs ("client transaction latency-µs script end-s end-µs"): the
 * transactions that ended in the last `seconds` of the run, and their latencies.
 */
function pgbenchResult(output: string, dir: string, seconds: number): LoadResult {
  const failed = Number(/number of failed transactions: (\d+)/.exec(output)?.[1] ?? 0);
  const ended: number[] = [];
  const latencies: number[] = [];
  for (const file of readdirSync(dir).filter((name) => name.startsWith('tx'))) {
    for (const row of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      const [, , micros, , endSeconds, endMicros] = row.split(' ').map(Number);
      if (!Number.isFinite(micros) || !Number.isFinite(endSeconds) || !Number.isFinite(endMicros)) continue;
      ended.push(endSeconds! + endMicros! / 1e6);
      latencies.push(micros! / 1000);
    }
  }
  const last = Math.max(...ended);
  const measured = latencies.filter((_, index) => ended[index]! > last - seconds);
  const sorted = Float64Array.from(measured).sort();
  return {
    ok: measured.length,
    seconds,
    rps: measured.length / seconds,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    non2xx: 0,
    errors: failed,
    loaderCores: NaN,
  };
}
