// The list index (migration of user_page_deltas, user_pages and user_chapters): whatever happens
// to the users — bulk loads, creates, deletes, rows landing in the middle, keys rewritten, the
// table emptied, any of it by plain SQL, from many connections at once, folded or still pending —
// the index stays exact, and every page the API answers is exactly the naive OFFSET/LIMIT page.
// And writers never wait for one another on it, and readers never wait for a vacuum.
import assert from 'node:assert/strict';
import pg from 'pg';
import { LIST_PAGE as LIST } from '../router/users/user-reads';

interface PlanNode {
  'Relation Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Shared Hit Blocks': number;
  'Shared Read Blocks': number;
  Plans?: PlanNode[];
}
import { newUserBody } from './support/fixtures';
import { startTestService, type TestService } from './support/service';

describe('the list index', function () {
  this.timeout(120_000);
  let service: TestService;
  /** A connection of the test's own, folding at the default rate. */
  let sql: pg.Client;
  let seq = 0;

  before(async () => {
    service = await startTestService();
    sql = await connect();
  });
  after(async () => {
    await sql.end();
    await service.close();
  });

  /** A connection of its own, as psql or a bulk loader would have; `compactEvery` sets how often it folds. */
  async function connect(compactEvery?: number): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: service.databaseUrl });
    await client.connect();
    if (compactEvery !== undefined) await client.query(`set users.pages_compact_every = ${compactEvery}`);
    return client;
  }

  /** Inserts `count` users in one statement (emails first), created at `at` plus one ms each. */
  async function bulkInsert(count: number, at: string, db: pg.Client = sql): Promise<void> {
    const from = seq;
    seq += count;
    const text = `with e as (
         insert into emails (address, auth_method)
         select 'bulk' || g || '@example.com', 1 from generate_series($1::int, $2::int) g
         returning id, address)
       insert into users (id, name, age, gender, email_id, created_at)
       select 'bulk-' || lpad(split_part(split_part(e.address, '@', 1), 'bulk', 2), 7, '0'), 'bulk_user', 30, 0, e.id,
              $3::timestamptz + (split_part(split_part(e.address, '@', 1), 'bulk', 2)::int - $1) * interval '1 millisecond'
       from e`;
    await db.query(text, [from, from + count - 1, at]);
  }

  /** Rejects if `promise` takes longer than `ms`: a writer that waits fails instead of hanging. */
  function within<T>(ms: number, promise: Promise<T>): Promise<T> {
    return Promise.race([
      promise,
      new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms).unref()),
    ]);
  }

  /**
   * The index's own invariants, against the users table: every page's count plus the pending
   * deltas in its range is what the table holds in that range; the pages start below every key;
   * every chapter starts at a page and counts exactly its pages; no pending delta lies below the
   * folded mark (a reader would miss it). Returns how many deltas are pending.
   */
  async function assertIndexExact(): Promise<number> {
    const [check] = await service.sql<Record<string, number>>(`
      with pages as (
        select first_created_at a, first_id b, n,
               lead(first_created_at) over w as na, lead(first_id) over w as nb
        from user_pages window w as (order by first_created_at, first_id)),
      chapters as (
        select first_created_at a, first_id b, n, pages,
               lead(first_created_at) over w as na, lead(first_id) over w as nb
        from user_chapters window w as (order by first_created_at, first_id)),
      pending as (select created_at, id, d from user_page_deltas)
      select
        (select count(*) from pages p where p.n + coalesce((select sum(d) from pending x
            where (x.created_at, x.id) >= (p.a, p.b) and (p.na is null or (x.created_at, x.id) < (p.na, p.nb))), 0)
          <> (select count(*) from users u
            where (u.created_at, u.id) >= (p.a, p.b) and (p.na is null or (u.created_at, u.id) < (p.na, p.nb))))::int
          as wrong_pages,
        (select count(*) from chapters c
          where not exists (select 1 from user_pages p where (p.first_created_at, p.first_id) = (c.a, c.b))
             or (c.n, c.pages) <> (select coalesce(sum(n), 0), count(*) from user_pages p
                  where (p.first_created_at, p.first_id) >= (c.a, c.b)
                    and (c.na is null or (p.first_created_at, p.first_id) < (c.na, c.nb))))::int as wrong_chapters,
        (select count(*) from pages where (a, b) = ('-infinity', ''))::int as first_page,
        (select count(*) from chapters where (a, b) = ('-infinity', ''))::int as first_chapter,
        (select count(*) from user_page_deltas where tx < (select below from user_pages_folded))::int as below_mark,
        (select count(*) from users)::int as users,
        ((select sum(n) from user_chapters) + (select coalesce(sum(d), 0) from pending))::int as counted,
        (select count(*) from pending)::int as pending`);
    assert.ok(check);
    const { pending, ...rest } = check;
    assert.deepEqual(rest, {
      wrong_pages: 0,
      wrong_chapters: 0,
      first_page: 1,
      first_chapter: 1,
      below_mark: 0,
      users: rest.counted,
      counted: rest.users,
    });
    return pending ?? 0;
  }

  /** The API's pages against the naive query, around every page boundary and at the ends. */
  async function assertPagesMatchNaive(): Promise<void> {
    const { total } = await service.caller().users.list({ limit: 1 });
    const boundaries = await service.sql<{ before: number }>(
      `select (select count(*) from users u where (u.created_at, u.id) < (p.first_created_at, p.first_id))::int as before
       from user_pages p`,
    );
    const offsets = new Set([0, 1, Math.floor(total / 2), total - 3, total - 1, total, total + 5]);
    for (const { before } of boundaries) for (const offset of [before - 1, before, before + 1]) offsets.add(offset);
    for (const offset of [...offsets].filter((value) => value >= 0)) {
      for (const limit of [1, 7]) {
        const page = await service.caller().users.list({ offset, limit });
        const naive = await service.sql<{ id: string }>(
          'select id from users order by created_at, id offset ? limit ?',
          [offset, limit],
        );
        assert.deepEqual(
          page.items.map((user) => user.id),
          naive.map((row) => row.id),
          `offset ${offset} limit ${limit}`,
        );
        assert.equal(page.total, total);
      }
    }
    // the longer lists are planned apart from the pages (see user-reads.ts): both ends of the cut
    for (const limit of [1000, 1001, 0]) {
      const offset = Math.max(0, total - 1500);
      const list = await service.caller().users.list({ offset, limit });
      const naive = await service.sql<{ id: string }>(
        `select id from users order by created_at, id offset ? ${limit ? 'limit ?' : ''}`,
        limit ? [offset, limit] : [offset],
      );
      assert.deepEqual(
        list.items.map((user) => user.id),
        naive.map((row) => row.id),
        `offset ${offset} limit ${limit}`,
      );
    }
  }

  it('is exact after a bulk load, creates that fill pages, and deletes that empty them', async () => {
    await bulkInsert(2500, '2026-01-01T00:00:00Z');
    await assertIndexExact();
    // creates append, the last page is cut once it holds more than twice a page
    for (let i = 0; i < 5; i += 1) await service.caller().users.create(newUserBody());
    await bulkInsert(3000, '2026-06-01T00:00:00Z');
    await assertIndexExact();
    assert.ok((await service.sql<{ n: number }>('select max(n) as n from user_pages'))[0]!.n <= 2000);
    // one page emptied completely, others thinned
    await service.sql(`delete from users where id between 'bulk-0001000' and 'bulk-0001999'`);
    await service.sql(`delete from users where id like 'bulk-%7'`);
    await service.sql('select user_pages_compact()');
    assert.equal(await assertIndexExact(), 0);
    await assertPagesMatchNaive();
  });

  it('is exact when rows land before, between and after the pages, and when keys change', async () => {
    await bulkInsert(3, '2020-01-01T00:00:00Z'); // before every page
    await bulkInsert(40, '2026-01-01T00:00:00.500Z'); // inside the first page
    await bulkInsert(2, '2030-01-01T00:00:00Z'); // after every page
    await bulkInsert(4000, '2026-03-01T00:00:00Z'); // a bulk load in the middle, cut into pages
    await assertIndexExact();
    await service.sql(`update users set created_at = created_at - interval '10 years' where id like 'bulk-%3'`);
    await service.sql(`update users set id = id || '-renamed' where id like 'bulk-%11'`);
    await service.sql(`update users set name = 'renamed'`); // no key changes: nothing to count
    await assertIndexExact();
    await assertPagesMatchNaive();
  });

  it('counts writes made by plain SQL in every form, pending or folded', async () => {
    // never folding on its own here: everything stays pending until the explicit fold
    const db = await connect(1_000_000_000);
    try {
      await db.query(
        `insert into emails (address, auth_method) values ('plain-1@example.com', 1), ('plain-2@example.com', 1)`,
      );
      await db.query(`insert into users (id, name, age, gender, email_id, created_at)
        select 'plain-' || right(split_part(address, '@', 1), 1), 'plain', 40, 1, id, '2025-05-05'
        from emails where address like 'plain-%'`);
      await db.query(`merge into users u using (select id from emails where address = 'plain-1@example.com') e
        on u.email_id = e.id when matched then update set created_at = '2031-01-01'`);
      await db.query(`insert into users (id, name, age, gender, email_id) values ('plain-1', 'x', 1, 0, 1)
        on conflict (id) do update set id = 'plain-1-moved'`);
      await db.query(
        `delete from users u using emails e where e.id = u.email_id and e.address = 'plain-2@example.com'`,
      );
      const pending = await assertIndexExact();
      assert.ok(pending >= 4, `${pending} deltas pending`);
      await assertPagesMatchNaive();
      await db.query('select user_pages_compact()');
      assert.equal(await assertIndexExact(), 0);
      await assertPagesMatchNaive();
    } finally {
      await db.end();
    }
  });

  it('stays exact under many connections inserting, deleting and folding at once', async () => {
    const before = (await service.sql<{ n: number }>('select count(*)::int as n from users'))[0]!.n;
    let created = 0;
    let deleted = 0;
    // half the connections fold at every write they can, half at the default rate
    const work = Array.from({ length: 12 }, async (_, worker) => {
      const db = await connect(worker % 2 ? 1 : undefined);
      try {
        for (let i = 0; i < 40; i += 1) {
          const tag = `w${worker}-${i}`;
          const step = i % 4;
          if (step === 0) {
            // the service's create transaction: an email, then its user
            await db.query('begin');
            const email = await db.query<{ id: number }>(
              `insert into emails (address, auth_method) values ($1, 1) returning id`,
              [`${tag}@example.com`],
            );
            await db.query(`insert into users (id, name, age, gender, email_id) values ($1, 'worker', 30, 1, $2)`, [
              tag,
              email.rows[0]!.id,
            ]);
            await db.query('commit');
            created += 1;
          } else if (step === 1) {
            // a few rows in the middle of the list, in one statement
            const { rowCount } = await db.query(
              `with e as (insert into emails (address, auth_method)
                 select $1 || g || '@example.com', 1 from generate_series(1, 5) g returning id, address)
               insert into users (id, name, age, gender, email_id, created_at)
               select split_part(address, '@', 1), 'middle', 30, 0, id, '2026-01-01'::timestamptz + random() * interval '10 seconds'
               from e`,
              [`${tag}-`],
            );
            created += rowCount ?? 0;
          } else if (step === 2) {
            const { rowCount } = await db.query(
              `delete from users where id in (select id from users where id like 'bulk-%' order by random() limit 3)`,
            );
            deleted += rowCount ?? 0;
          } else {
            const { rowCount } = await db.query(`delete from users where id = $1`, [`w${worker}-${i - 3}`]);
            deleted += rowCount ?? 0;
          }
        }
      } finally {
        await db.end();
      }
    });
    await Promise.all(work);
    const after = (await service.sql<{ n: number }>('select count(*)::int as n from users'))[0]!.n;
    assert.equal(after, before + created - deleted);
    await assertIndexExact();
    await assertPagesMatchNaive();
    await service.sql('select user_pages_compact()');
    assert.equal(await assertIndexExact(), 0);
    await assertPagesMatchNaive();
  });

  it('never makes a writer wait for another, even one that is folding and has not committed', async () => {
    const folding = await connect(1);
    const other = await connect(1);
    try {
      // this transaction folds (it holds the fold lock) and stays open
      await folding.query('begin');
      await bulkInsert(1500, '2027-01-01T00:00:00Z', folding);
      const [{ held }] = (
        await other.query<{ held: boolean }>(
          `select exists (select 1 from pg_locks where locktype = 'advisory' and granted and pid = $1) as held`,
          [(folding as unknown as { processID: number }).processID],
        )
      ).rows as [{ held: boolean }];
      assert.equal(held, true, 'the open transaction holds the fold lock');
      // meanwhile others create, bulk-load and delete, and would fail rather than wait
      await other.query(`set lock_timeout = '1s'`);
      await other.query(`set statement_timeout = '10s'`);
      const created = await within(5_000, service.caller().users.create(newUserBody()));
      await within(5_000, bulkInsert(1200, '2028-01-01T00:00:00Z', other));
      await within(5_000, service.caller().users.delete({ id: created.id }));
      await within(5_000, other.query(`delete from users where id like 'bulk-%' and created_at >= '2028-01-01'`));
      const { total } = await service.caller().users.list({ limit: 1 });
      const [{ n }] = (await other.query<{ n: number }>('select count(*)::int as n from users')).rows as [
        { n: number },
      ];
      assert.equal(total, n);
      await folding.query('commit');
      await assertIndexExact();
      await assertPagesMatchNaive();
    } finally {
      await folding.query('rollback').catch(() => {});
      await folding.end();
      await other.end();
    }
  });

  it('leaves the writes of REPEATABLE READ transactions pending, counted, for a later fold', async () => {
    const db = await connect(1);
    try {
      await db.query('begin isolation level repeatable read');
      await bulkInsert(1100, '2029-01-01T00:00:00Z', db);
      await db.query('commit');
      assert.ok((await assertIndexExact()) >= 1100);
      await assertPagesMatchNaive();
      // the next READ COMMITTED write folds them
      await bulkInsert(1000, '2029-02-01T00:00:00Z', db);
      assert.equal(await assertIndexExact(), 0);
    } finally {
      await db.end();
    }
  });

  it('cuts a page exactly while deltas in its range are pending (writes that commit during a fold)', async () => {
    // A fold deletes what its first statement sees; writes that commit before its next statement
    // cuts a page are in that page's range but not folded. That race is made here by hand: the
    // deltas stay pending (written at REPEATABLE READ), then the cut runs under the fold lock, as
    // the fold calls it.
    await sql.query('select user_pages_compact()');
    const db = await connect();
    try {
      await db.query('begin isolation level repeatable read');
      await bulkInsert(1500, '2026-03-01T00:00:00.000250Z', db);
      await db.query('commit');
      await db.query('begin');
      await db.query(`select pg_advisory_xact_lock(hashtext('user_pages'))`);
      const { rows } = await db.query<{ a: string; b: string }>(
        `select first_created_at as a, first_id as b from user_pages
         where (first_created_at, first_id) <= ('2026-03-01T00:00:00.000250Z', '')
         order by first_created_at desc, first_id desc limit 1`,
      );
      await db.query('select user_pages_split($1, $2)', [rows[0]!.a, rows[0]!.b]);
      await db.query('commit');
      assert.ok((await assertIndexExact()) >= 1500);
      await assertPagesMatchNaive();
    } finally {
      await db.end();
    }
  });

  it('gives a reader with an old snapshot the counts of that snapshot, whatever was folded since', async () => {
    const reader = await connect();
    try {
      await reader.query('begin isolation level repeatable read');
      const [{ n: seen }] = (await reader.query<{ n: number }>('select count(*)::int as n from users')).rows as [
        { n: number },
      ];
      await bulkInsert(2200, '2029-03-01T00:00:00Z');
      await service.sql(`delete from users where id in (select id from users order by created_at limit 50)`);
      await service.sql('select user_pages_compact()');
      // the service's own list statement, in the old snapshot
      for (const offset of [0, Math.floor(seen / 2), seen - 1]) {
        const list = await reader.query<{ total: number; id: string }>({ ...LIST, values: [offset, 3] });
        const naive = await reader.query<{ id: string }>(
          'select id from users order by created_at, id offset $1 limit 3',
          [offset],
        );
        assert.equal(list.rows[0]?.total, seen);
        assert.deepEqual(
          list.rows.map((row) => row.id),
          naive.rows.map((row) => row.id),
        );
      }
      await reader.query('commit');
    } finally {
      await reader.end();
    }
  });

  /**
   * What the list statement reads of user_page_deltas for one page, from PostgreSQL's own account of
   * running it (EXPLAIN ANALYZE, BUFFERS): the rows the scan returned and the buffers it touched.
   */
  async function deltasRead(db: pg.Client): Promise<{ rows: number; buffers: number }> {
    await db.query('deallocate all');
    await db.query(`prepare list_page as ${LIST.text}`);
    const { rows } = await db.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
      'explain (analyze, buffers, format json) execute list_page(0, 10)',
    );
    const scans: PlanNode[] = [];
    const visit = (node: PlanNode) => {
      if (node['Relation Name'] === 'user_page_deltas') scans.push(node);
      node.Plans?.forEach(visit);
    };
    visit(rows[0]!['QUERY PLAN'][0]!.Plan);
    assert.ok(scans.length > 0, 'the list reads the pending deltas');
    return {
      rows: scans.reduce((sum, scan) => sum + scan['Actual Rows'] * scan['Actual Loops'], 0),
      buffers: scans.reduce((sum, scan) => sum + scan['Shared Hit Blocks'] + scan['Shared Read Blocks'], 0),
    };
  }

  it('lets readers skip what a bulk load folded, with no write and no vacuum after it', async () => {
    await service.sql('select user_pages_compact()');
    // as on a server with autovacuum off: the folded deltas stay in the table, dead
    await service.sql('alter table user_page_deltas set (autovacuum_enabled = false)');
    const loader = await connect();
    const reader = await connect();
    try {
      // one INSERT … SELECT of more users than a fold looks up one by one: the loading transaction
      // rebuilds the index inside itself, then commits; then silence
      await loader.query('begin');
      const [{ tx }] = (await loader.query<{ tx: string }>('select pg_current_xact_id()::text as tx')).rows as [
        { tx: string },
      ];
      await bulkInsert(60_000, '2033-01-01T00:00:00Z', loader);
      await loader.query('commit');

      const [{ below }] = (await reader.query<{ below: string }>('select below::text as below from user_pages_folded'))
        .rows as [{ below: string }];
      assert.ok(BigInt(below) > BigInt(tx), `the mark (${below}) moved past the loading transaction (${tx})`);
      assert.equal(await assertIndexExact(), 0);
      // the dead deltas are there, and a page reads none of them
      const [{ dead }] = (
        await reader.query<{ dead: string }>(
          `select n_dead_tup::text as dead from pg_stat_user_tables where relname = 'user_page_deltas'`,
        )
      ).rows as [{ dead: string }];
      const read = await deltasRead(reader);
      assert.deepEqual(
        { rows: read.rows, fewBuffers: read.buffers <= 5 },
        { rows: 0, fewBuffers: true },
        `a page read ${read.rows} deltas in ${read.buffers} buffers (${dead} dead deltas in the table)`,
      );

      // select user_pages_compact() moves a mark that a transaction left behind once it is over
      const open = await connect();
      try {
        await open.query('begin');
        await open.query('select pg_current_xact_id()');
        await bulkInsert(1500, '2033-06-01T00:00:00Z', loader);
        const held = (await reader.query<{ below: string }>('select below::text as below from user_pages_folded'))
          .rows[0]!.below;
        await open.query('commit');
        await reader.query('select user_pages_compact()');
        const moved = (await reader.query<{ below: string }>('select below::text as below from user_pages_folded'))
          .rows[0]!.below;
        assert.ok(BigInt(moved) > BigInt(held), `compact moved the mark from ${held} to ${moved}`);
      } finally {
        await open.end();
      }
      // (the next tests compare pages with the naive query: keep the table small)
      await loader.query(`delete from users where created_at >= '2033-01-01'`);
      assert.equal(await assertIndexExact(), 0);
    } finally {
      await service.sql('alter table user_page_deltas reset (autovacuum_enabled)');
      await loader.end();
      await reader.end();
    }
  });

  it('keeps a mark that moved past a transaction correct when that transaction writes again', async () => {
    // `set constraints all immediate` runs the move before the transaction ends; its later deltas
    // must still be counted
    const db = await connect();
    try {
      await db.query('begin');
      await bulkInsert(1200, '2034-01-01T00:00:00Z', db);
      await db.query('set constraints all immediate');
      await db.query(`delete from users where id in (select id from users where created_at >= '2034-01-01' limit 7)`);
      await bulkInsert(3, '2034-02-01T00:00:00Z', db);
      await db.query('commit');
      await assertIndexExact();
      await assertPagesMatchNaive();
    } finally {
      await db.end();
    }
  });

  it('is empty, and the list too, after the table is emptied', async () => {
    await service.sql('truncate users cascade');
    assert.equal(await assertIndexExact(), 0);
    assert.deepEqual(await service.caller().users.list({}), { items: [], total: 0, offset: 0, limit: 10 });
  });
});
