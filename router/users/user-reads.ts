// The read side of users in SQL: one prepared statement per read, returning exactly the
// columns the public shape needs (never the hash), timestamps already as unix seconds.
// MikroORM stays the write path; these read through its connection pools (see database.ts), on a
// replica when one may serve the caller.
import type { PreparedStatement, ReadTarget, RequestDatabase } from '../../server/database/request-database';
import type { User, UserList, VersionedUser } from './user-schemas';
import type { ListSink } from '../trpc/list-sink';
import type { ListPosition } from './list-query';
import { createdAtKeySql } from './sort-keys';
import { userVersion } from './user-versions';
import { CALLER_COLUMNS, callerCte, type CallerFacts, type SessionCheck } from '../trpc/session-check';

export const COLUMNS = `u.id, u.name, u.age, u.gender,
  floor(extract(epoch from u.created_at))::int as created_at,
  floor(extract(epoch from u.updated_at))::int as updated_at,
  e.id as email_id, e.address, e.auth_method,
  floor(extract(epoch from e.created_at))::int as email_created_at,
  floor(extract(epoch from e.updated_at))::int as email_updated_at`;

// with the write counter: the version (ETag) comes with every read by id
const READ_ONE = `select ${COLUMNS}, u.version from users u join emails e on e.id = u.email_id where u.id = $1`;
const READ: PreparedStatement = { name: 'users_read_2', text: READ_ONE };
// The same read carrying the caller's session check (router/trpc/session-check): always one row,
// the check's facts, with the user's columns only when the caller is valid (null otherwise, or
// when there is no such user). Nothing of the user is read for a caller who is not.
const READ_CHECKED: PreparedStatement = {
  name: 'users_read_checked_1',
  text: `with ${callerCte(2)}
    select ${CALLER_COLUMNS}, r.* from caller c
    left join lateral (${READ_ONE} and c.caller_valid) r on true`,
  carriesCheck: true,
};

// The list reads the list index (see the migration of user_page_deltas, user_pages and
// user_chapters). Every user before a key is counted as the folded counts before it plus the
// pending deltas before it, so, in three small steps: the chapter the offset falls in (summing the
// chapters and the pending deltas), the page within that chapter (summing at most its pages), and
// a walk of at most one page of the (created_at, id) index from that page's first key; then only
// the requested rows are fetched and joined (a deferred join). The total is every chapter plus
// every pending delta. One statement, so one snapshot: the counts and the rows agree. Each row
// comes with its key as a cursor keeps it (`position_key`), so a page with more after it can say
// where the next one starts (the Link header).
//
// Two plans of it. A page (a limit of at most PAGE_LIMIT, what clients ask for) reads its offset
// and limit only through (select $n): the planner cannot see them, so every plan costs the same and
// after five executions PostgreSQL keeps the generic plan instead of planning each call (planning
// was most of a list's CPU). That plan must be right for any offset on its own: each row of the
// walked page is fetched by its key (lateral, `limit 1` so it is not flattened into a hash join),
// and a constant limit caps what the planner expects, so the plan's cost, and with it whether JIT
// compilation kicks in, does not grow with the table. A longer list (limit 0, no limit, or above
// PAGE_LIMIT) shows the planner its parameters and is planned for them each time.
const PAGE_LIMIT = 1000;

function listText(page: boolean, checked = false): string {
  const offset = page ? '(select $1::bigint)' : '$1::bigint';
  const limit = page ? '(select $2::bigint)' : '$2::bigint';
  const rows = page
    ? `cross join lateral (
        select users.created_at, users.id from (
          select users.created_at, users.id from users
          where (users.created_at, users.id) >= (page.ca, page.k)
          order by users.created_at, users.id
          offset ${offset} - page.before limit ${limit}) as users
        limit ${PAGE_LIMIT}
      ) walked
      cross join lateral (
        select ${COLUMNS} from users u join emails e on e.id = u.email_id where u.id = walked.id limit 1
      ) row`
    : `cross join lateral (
        select users.created_at, users.id from users
        where (users.created_at, users.id) >= (page.ca, page.k)
        order by users.created_at, users.id
        offset ${offset} - page.before limit ${limit}
      ) walked
      cross join lateral (select ${COLUMNS} from users u join emails e on e.id = u.email_id where u.id = walked.id) row`;
  // carrying the caller's session check: its facts on every row, and the total and the rows only
  // for a valid caller (an invalid one gets one row of its facts)
  const total = `((select coalesce(sum(n), 0) from user_chapters) + (select coalesce(sum(d), 0) from deltas))::int`;
  return `with ${checked ? `${callerCte(3)},` : ''} deltas as materialized (
      -- (the bound above every xid makes the planner expect a narrow range, and read the index)
      select created_at, id, d from user_page_deltas
      where tx between (select below from user_pages_folded) and '18446744073709551615'::xid8
    ), chapter as (
      select ca as from_ca, k as from_k, pages, before as from_before from (
        select kind, ca, k, pages, sum(n) over (order by ca, k, kind rows unbounded preceding) - n as before
        from (select 0 as kind, first_created_at as ca, first_id as k, pages, n from user_chapters
              union all
              select 1, created_at, id, null, d from deltas) as keyed
      ) as counted
      where kind = 0 and before <= ${offset}
      order by ca desc, k desc limit 1
    ), page as (
      select ca, k, before from (
        select kind, ca, k, chapter.from_before + sum(n) over (order by ca, k, kind rows unbounded preceding) - n as before
        from chapter
        cross join lateral (
          (select 0 as kind, first_created_at as ca, first_id as k, n from user_pages
           where (first_created_at, first_id) >= (chapter.from_ca, chapter.from_k)
           order by first_created_at, first_id limit chapter.pages)
          union all
          -- deltas past the chapter's last page come after every page in this order: harmless
          select 1, created_at, id, d from deltas where (created_at, id) >= (chapter.from_ca, chapter.from_k)
        ) as keyed
      ) as counted
      where kind = 0 and before <= ${offset}
      order by ca desc, k desc limit 1
    )
    select ${checked ? `${CALLER_COLUMNS}, case when c.caller_valid then ${total} end` : total} as total, p.*
    from ${checked ? 'caller c' : '(select 1) as one'}
    left join lateral (
      -- lateral, so the page's first key bounds the index scan rather than filtering it
      select row.*, walked.created_at as position, ${createdAtKeySql('walked.created_at')} as position_key
      from page ${rows}${checked ? ' where c.caller_valid' : ''}
    ) p on true
    order by p.position, p.id`;
}

export const LIST_PAGE: PreparedStatement = { name: 'users_list_page_2', text: listText(true) };
export const LIST_LONG: PreparedStatement = { name: 'users_list_long_2', text: listText(false) };
const LIST_PAGE_CHECKED: PreparedStatement = {
  name: 'users_list_page_checked_1',
  text: listText(true, true),
  carriesCheck: true,
};
const LIST_LONG_CHECKED: PreparedStatement = {
  name: 'users_list_long_checked_1',
  text: listText(false, true),
  carriesCheck: true,
};

export interface UserRow {
  id: string;
  name: string;
  age: number;
  gender: User['gender'];
  created_at: number;
  updated_at: number;
  email_id: number;
  address: string;
  auth_method: User['email']['authMethod'];
  email_created_at: number;
  email_updated_at: number;
}

// A streamed list walks the (created_at, id) index in batches, each from the last row's key
// (keyset), all in one snapshot: memory stays one batch whatever the table size. The start is
// found by the list statement (its offset), and each batch starts at a user's key, looked up by id
// so the timestamp is compared at its full precision.
const STREAM_BATCH = 1000;
function streamText(from: '>=' | '>'): string {
  return `select ${COLUMNS} from users u join emails e on e.id = u.email_id
    where (u.created_at, u.id) ${from} ((select created_at from users where id = $1), $1::varchar)
    order by u.created_at, u.id limit $2`;
}
const STREAM_FROM: PreparedStatement = { name: 'users_stream_from_1', text: streamText('>=') };
const STREAM_AFTER: PreparedStatement = { name: 'users_stream_after_1', text: streamText('>') };

/**
 * Writes the users from `offset` (at most `limit`, 0 = all) into `sink`, batch by batch, calling
 * `progressed` after each; returns the total, from the same snapshot as the rows. `beforeRows` is
 * told, before any row is written, the position of the last user the answer will hold when users
 * follow it (so the answer's headers can point at the next page).
 */
export async function streamUserViews(
  db: RequestDatabase,
  { offset, limit }: { offset: number; limit: number },
  sink: ListSink<User>,
  progressed: () => void,
  beforeRows: (last: ListPosition | undefined) => void,
): Promise<number> {
  return db.snapshot('read', async (read) => {
    const [start] = await read<{ total: number; id: string | null }>(LIST_LONG, [offset, 1]);
    // a limited list with users after it: the last it holds, and one more
    const ends =
      limit > 0 && start && offset + limit < start.total
        ? await read<{ id: string; position_key: string }>(LIST_LONG, [offset + limit - 1, 2])
        : [];
    beforeRows(ends.length === 2 ? { key: ends[0]!.position_key, id: ends[0]!.id } : undefined);
    let left = limit === 0 ? Infinity : limit;
    let from = start?.id ?? null;
    let statement = STREAM_FROM;
    while (from !== null && left > 0 && !sink.signal.aborted) {
      const wanted = Math.min(STREAM_BATCH, left);
      const rows = await read<UserRow>(statement, [from, wanted]);
      if (rows.length > 0) await sink.write(rows.map(fromRow));
      progressed();
      left -= rows.length;
      // a short batch is the end
      from = rows.length === wanted ? (rows[rows.length - 1]?.id ?? null) : null;
      statement = STREAM_AFTER;
    }
    return start?.total ?? 0;
  });
}

/** How many users a list from `offset` holds (for refusing one too long for one answer). */
export async function countFrom(db: RequestDatabase, offset: number): Promise<number> {
  const [row] = await db.prepared<{ total: number }>(LIST_LONG, [offset, 0], 'read');
  return Math.max(0, (row?.total ?? 0) - offset);
}

/**
 * The user and its version; from the primary when the caller goes on to write (`target`). With
 * the call's session check still to make (`check`), the read carries it: a refusal throws its 401.
 */
export async function findUserView(
  db: RequestDatabase,
  id: string,
  target: ReadTarget = 'read',
  check?: SessionCheck,
): Promise<VersionedUser | undefined> {
  const fold = check?.fold();
  type Row = UserRow & { version: number };
  const [row] = fold
    ? await fold.settle(db.prepared<Row & CallerFacts>(READ_CHECKED, [id, ...fold.values], target))
    : await db.prepared<Row>(READ, [id], target);
  // a checked read answers a row of the caller's facts when there is no such user
  return row && row.id !== null ? { user: fromRow(row), version: userVersion(row.email_id, row.version) } : undefined;
}

/**
 * A page of the list in creation order, and the position of its last user when more follow; the
 * read carries the call's session check when it is still to make (`check`).
 */
export async function listUserViews(
  db: RequestDatabase,
  offset: number,
  limit: number,
  check?: SessionCheck,
): Promise<{ list: UserList; last?: ListPosition }> {
  const page = limit > 0 && limit <= PAGE_LIMIT;
  const fold = check?.fold();
  type Row = UserRow & { total: number; position_key: string };
  // LIMIT NULL is no limit
  const values = [offset, limit === 0 ? null : limit];
  const rows = fold
    ? await fold.settle(
        db.prepared<Row & CallerFacts>(
          page ? LIST_PAGE_CHECKED : LIST_LONG_CHECKED,
          [...values, ...fold.values],
          'read',
        ),
      )
    : await db.prepared<Row>(page ? LIST_PAGE : LIST_LONG, values, 'read');
  const total = rows[0]?.total ?? 0;
  // an empty page still brings the total, on a row of nulls
  const present = rows.filter((row) => row.id !== null);
  const list = { items: present.map(fromRow), total, offset, limit };
  const end = present[present.length - 1];
  return end && offset + present.length < total ? { list, last: { key: end.position_key, id: end.id } } : { list };
}

export function fromRow(row: UserRow): User {
  return {
    id: row.id,
    name: row.name,
    age: row.age,
    gender: row.gender,
    email: {
      id: row.email_id,
      email: row.address,
      authMethod: row.auth_method,
      token: '',
      createdAt: row.email_created_at,
      updatedAt: row.email_updated_at,
    },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
