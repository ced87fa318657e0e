// The page index behind the list (migration user_pages): whatever happens to the users — bulk
// loads, creates, deletes, rows landing in the middle, keys rewritten, concurrent writers — the
// index stays exact, and every page the API answers is exactly the naive OFFSET/LIMIT page.
import assert from 'node:assert/strict';
import { newUserBody } from './support/fixtures';
import { startTestService, type TestService } from './support/service';

describe('the list page index', function () {
  this.timeout(60_000);
  let service: TestService;
  let seq = 0;

  before(async () => (service = await startTestService()));
  after(() => service.close());

  /** Inserts `count` users in one statement (emails first), created at `at` plus one ms each. */
  async function bulkInsert(count: number, at: string): Promise<void> {
    const from = seq;
    seq += count;
    await service.sql(
      `with e as (
         insert into emails (address, auth_method)
         select 'bulk' || g || '@example.com', 1 from generate_series(?::int, ?::int) g
         returning id, address)
       insert into users (id, name, age, gender, email_id, created_at)
       select 'bulk-' || lpad(split_part(split_part(e.address, '@', 1), 'bulk', 2), 7, '0'), 'bulk_user', 30, 0, e.id,
              ?::timestamptz + (split_part(split_part(e.address, '@', 1), 'bulk', 2)::int - ?) * interval '1 millisecond'
       from e`,
      [from, from + count - 1, at, from],
    );
  }

  /** Every page's count is what the users table holds in its key range; nothing is uncounted. */
  async function assertIndexExact(): Promise<void> {
    const [check] = await service.sql<{ wrong: number; total: number; counted: number; below: number }>(`
      with ranges as (
        select first_created_at, first_id, n,
               lead(first_created_at) over w as next_created_at, lead(first_id) over w as next_id
        from user_pages window w as (order by first_created_at, first_id))
      select
        (select count(*) from ranges r where r.n <> (select count(*) from users u
           where (u.created_at, u.id) >= (r.first_created_at, r.first_id)
             and (r.next_created_at is null or (u.created_at, u.id) < (r.next_created_at, r.next_id))))::int as wrong,
        (select count(*) from users)::int as total,
        (select coalesce(sum(n), 0) from user_pages)::int as counted,
        (select count(*) from users u where (u.created_at, u.id) < (select first_created_at, first_id
           from user_pages order by first_created_at, first_id limit 1))::int as below`);
    assert.deepEqual(check, { wrong: 0, total: check?.counted, counted: check?.total, below: 0 });
  }

  /** The API's pages against the naive query, at offsets across the whole list. */
  async function assertPagesMatchNaive(): Promise<void> {
    const { total } = await service.caller().users.list({ limit: 1 });
    const offsets = [0, 1, 999, 1000, 1001, Math.floor(total / 2), total - 3, total, total + 5];
    for (const offset of offsets) {
      for (const limit of [1, 7, 0]) {
        const page = await service.caller().users.list({ offset, limit });
        const naive = await service.sql<{ id: string }>(
          `select id from users order by created_at, id offset ? ${limit ? 'limit ?' : ''}`,
          limit ? [offset, limit] : [offset],
        );
        assert.deepEqual(
          page.items.map((user) => user.id),
          naive.map((row) => row.id),
          `offset ${offset} limit ${limit}`,
        );
        assert.equal(page.total, total);
      }
    }
  }

  it('is exact after a bulk load, creates that fill pages, and deletes that empty them', async () => {
    await bulkInsert(2500, '2026-01-01T00:00:00Z');
    await assertIndexExact();
    // creates append, opening a new page once the last one is full
    for (let i = 0; i < 5; i += 1) await service.caller().users.create(newUserBody());
    await assertIndexExact();
    // one page emptied completely, others thinned
    await service.sql(`delete from users where id between 'bulk-0001000' and 'bulk-0001999'`);
    await service.sql(`delete from users where id like 'bulk-%7'`);
    await assertIndexExact();
    await assertPagesMatchNaive();
  });

  it('is exact when rows land before, between and after the pages, and when keys change', async () => {
    await bulkInsert(3, '2020-01-01T00:00:00Z'); // before every page
    await bulkInsert(40, '2026-01-01T00:00:00.500Z'); // inside the first page
    await bulkInsert(2, '2030-01-01T00:00:00Z'); // after every page
    await assertIndexExact();
    await service.sql(`update users set created_at = created_at - interval '10 years' where id like 'bulk-%3'`);
    await assertIndexExact();
    await assertPagesMatchNaive();
  });

  it('is exact after concurrent creates and deletes', async () => {
    const created = await Promise.all(Array.from({ length: 20 }, () => service.caller().users.create(newUserBody())));
    await Promise.all(created.slice(0, 10).map((user) => service.caller().users.delete({ id: user.id })));
    await assertIndexExact();
    await assertPagesMatchNaive();
  });

  it('is empty, and the list too, after the table is emptied', async () => {
    await service.sql('truncate users cascade');
    await assertIndexExact();
    assert.deepEqual(await service.caller().users.list({}), { items: [], total: 0, offset: 0, limit: 10 });
  });
});
