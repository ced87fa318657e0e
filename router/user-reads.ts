// The read side of users in SQL: one prepared statement per read, returning exactly the
// columns the public shape needs (never the hash), timestamps already as unix seconds.
// MikroORM stays the write path; these read through its connection pools (see database.ts), on a
// replica when one may serve the caller.
import type { PreparedStatement, RequestDatabase } from './database';
import type { User, UserList } from './schemas/user';

const COLUMNS = `u.id, u.name, u.age, u.gender,
  floor(extract(epoch from u.created_at))::int as created_at,
  floor(extract(epoch from u.updated_at))::int as updated_at,
  e.id as email_id, e.address, e.auth_method,
  floor(extract(epoch from e.created_at))::int as email_created_at,
  floor(extract(epoch from e.updated_at))::int as email_updated_at`;

const READ: PreparedStatement = {
  name: 'users_read_1',
  text: `select ${COLUMNS} from users u join emails e on e.id = u.email_id where u.id = $1`,
};

// The list reads the page index (see the user_pages migration): the pages before the offset
// are summed, and only the page the offset falls in is walked on the (created_at, id) index;
// then only the requested rows are fetched and joined (a deferred join). The total is the sum of
// all pages, read in the same statement, so the same snapshot, as the rows.
const LIST: PreparedStatement = {
  name: 'users_list_3',
  text: `with pages as (
      select first_created_at, first_id, n, sum(n) over (order by first_created_at, first_id) - n as before
      from user_pages
    ), start as (
      select first_created_at, first_id, before from pages
      where before + n > $1 order by first_created_at, first_id limit 1
    )
    select (select coalesce(sum(n), 0)::int from user_pages) as total, p.*
    from (select 1) as one
    left join lateral (
      select ${COLUMNS}, u.created_at as position
      from start
      -- lateral, so the page's first key bounds the index scan rather than filtering it
      cross join lateral (
        select users.id from users
        where (users.created_at, users.id) >= (start.first_created_at, start.first_id)
        order by users.created_at, users.id
        offset $1::bigint - start.before limit $2
      ) page
      join users u on u.id = page.id
      join emails e on e.id = u.email_id
    ) p on true
    order by p.position, p.id`,
};

interface UserRow {
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

export async function findUserView(db: RequestDatabase, id: string): Promise<User | undefined> {
  const [row] = await db.prepared<UserRow>(READ, [id], 'read');
  return row && fromRow(row);
}

export async function listUserViews(db: RequestDatabase, offset: number, limit: number): Promise<UserList> {
  // LIMIT NULL is no limit
  const rows = await db.prepared<UserRow & { total: number }>(LIST, [offset, limit === 0 ? null : limit], 'read');
  const total = rows[0]?.total ?? 0;
  // an empty page still brings the total, on a row of nulls
  const items = rows.filter((row) => row.id !== null).map(fromRow);
  return { items, total, offset, limit };
}

function fromRow(row: UserRow): User {
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
