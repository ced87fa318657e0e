// The list with filters, another order, or from a cursor, as one SQL statement built for the
// request: the page (keyset: from the cursor's key and id, through the index of the order) and the
// total of the filtered set, in one snapshot. Without a filter the total is the list index's (as the
// published list's); with one it is counted. Every value is a parameter; only the shape of the
// statement depends on the request, and it is made from the fixed pieces below.
//
// Plans: an address looked up alone (`?email=`) is a named statement, planned once per connection
// (one probe of the address's index, whatever the value). Every other shape is planned for its
// values each time: how many users a `q` or a time range matches, and how far a limit reaches, decide
// between walking the order's index and collecting the matches first, and a plan kept for one value
// could be slow for the next.
import { createHash } from 'node:crypto';
import { emailKeySql } from '../../entities/email-key';
import type { RequestDatabase, SnapshotRead } from '../../server/database/request-database';
import type { ListSink } from '../trpc/list-sink';
import { hasFilters, type ListFilters, type ListPosition, type ListRequest } from './list-query';
import { SORT_KEYS } from './sort-keys';
import { signedInSinceSql } from '../sessions/sign-in-activity';
import { METADATA_COLUMNS, type MetadataFilter, type MetadataPart } from '../metadata/metadata-schemas';
import { COLUMNS, fromRow, type UserRow } from './user-reads';
import type { User, UserList } from './user-schemas';
import { CALLER_COLUMNS, callerCte, type CallerFacts, type Fold, type SessionCheck } from '../trpc/session-check';

/** A page of a search, and the position of its last user when more follow. */
export interface SearchPage {
  list: UserList;
  last?: ListPosition;
}

type SearchRow = UserRow & { total: number; sort_key: string | number };

class Statement {
  readonly values: unknown[] = [];
  param(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** `%`, `_` and `\` stand for themselves in a LIKE pattern (escaped with `\`). */
export function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/**
 * How `q` is matched: `matches` collects the users it matches first, through the search's trigram
 * index, once for the page and the total alike (few matches are found at once, and the total needs
 * them all anyway: see `matchedCte`); `walk` tests each user met while walking the
 * order's index (the later batches of a streamed search, so the whole stream reads the table once
 * rather than its matches once a batch).
 */
type SearchBy = 'matches' | 'walk';

/** The conditions of every filter but `q` (and of `q` too when walking). */
function filterConditions(
  filters: ListFilters,
  statement: Statement,
  by: SearchBy,
  { withMetadata = true }: { withMetadata?: boolean } = {},
): string[] {
  const conditions: string[] = [];
  if (filters.emailKey !== undefined) {
    conditions.push(`${emailKeySql('e.address')} = ${statement.param(filters.emailKey)}`);
  }
  if (filters.q !== undefined && by === 'walk') {
    // the users' own texts, lower-cased as the search's copies are: the same match as `matched`'s
    conditions.push(textMatches('lower(u.name)', 'lower(e.address)', statement.param(containing(filters.q))));
  }
  if (filters.authMethods !== undefined) {
    conditions.push(`e.auth_method = any(${statement.param(filters.authMethods)}::smallint[])`);
  }
  // createdAt is shown in whole seconds: "after T" starts at the next second
  if (filters.createdAfter !== undefined) {
    conditions.push(`u.created_at >= to_timestamp(${statement.param(filters.createdAfter)}::bigint + 1)`);
  }
  if (filters.createdBefore !== undefined) {
    conditions.push(`u.created_at < to_timestamp(${statement.param(filters.createdBefore)}::bigint)`);
  }
  // the last sign-in (../sessions/sign-in-activity.ts): the two filters are each other's complement
  if (filters.signedInSince !== undefined) {
    conditions.push(signedInSinceSql('u.id', `to_timestamp(${statement.param(filters.signedInSince)}::bigint)`));
  }
  if (filters.notSignedInSince !== undefined) {
    conditions.push(
      `not ${signedInSinceSql('u.id', `to_timestamp(${statement.param(filters.notSignedInSince)}::bigint)`)}`,
    );
  }
  // disabled: disabled, and its end date (if any) not reached (as ./account-state.ts judges it)
  if (filters.status !== undefined) {
    const at = statement.param(new Date(filters.status.at).toISOString());
    const disabled = `u.disabled_at is not null and (u.disabled_until is null or u.disabled_until > ${at}::timestamptz)`;
    conditions.push(filters.status.state === 'disabled' ? `(${disabled})` : `not (${disabled})`);
  }
  // the user's metadata row holds the JSON of each part named (unless it is what `matched` is read from)
  if (filters.metadata !== undefined && withMetadata) {
    conditions.push(
      `exists (select from user_metadata um where um.user_id = u.id and ${metadataContains(filters.metadata, statement)})`,
    );
  }
  return conditions;
}

/** The metadata row `um` holds the JSON of each part `filter` names (@>, each part's GIN index). */
function metadataContains(filter: MetadataFilter, statement: Statement): string {
  return Object.entries(filter)
    .map(
      ([part, json]) =>
        `um.${METADATA_COLUMNS[part as MetadataPart]} @> ${statement.param(JSON.stringify(json))}::jsonb`,
    )
    .join(' and ');
}

/**
 * The users after `position` in the order. Over `users u join emails e`: one row comparison on an
 * index of users, or for the address's key its expansion, the key's own bound first so its index is
 * read from there. Over collected matches (`m`): one row comparison.
 */
function afterCondition(
  request: ListRequest,
  position: ListPosition,
  statement: Statement,
  over: 'table' | 'matched',
): string {
  const sortKey = SORT_KEYS[request.order.field];
  const key = sortKey.fromCursor(statement.param(position.key));
  const id = `${statement.param(position.id)}::varchar`;
  const [beyond, from] = request.order.descending ? ['<', '<='] : ['>', '>='];
  if (over === 'matched') return `(m.sort_value, m.id) ${beyond} (${key}, ${id})`;
  if (sortKey.ofUsers) return `(${sortKey.expression}, u.id) ${beyond} (${key}, ${id})`;
  return `${sortKey.expression} ${from} ${key} and (${sortKey.expression} ${beyond} ${key} or u.id ${beyond} ${id})`;
}

const FROM = 'users u join emails e on e.id = u.email_id';
const INDEXED_TOTAL = `(select coalesce(sum(n), 0) from user_chapters)
  + (select coalesce(sum(d), 0) from user_page_deltas
     where tx between (select below from user_pages_folded) and '18446744073709551615'::xid8)`;
const where = (conditions: string[]) => (conditions.length > 0 ? `where ${conditions.join(' and ')}` : '');
const withClause = (ctes: string[]) => (ctes.length > 0 ? `with ${ctes.join(',\n    ')}\n    ` : '');

interface Built {
  name: string;
  text: string;
  values: unknown[];
  carriesCheck?: true;
}

/** Whether the request looks up one address and filters on nothing else (`?email=` alone). */
const isLookup = (request: ListRequest) =>
  Object.keys(request.filters).length === 1 && request.filters.emailKey !== undefined;

/**
 * The names of the lookup's statements by their text: a handful of shapes (the order, the fold, the
 * total), each hashed once rather than on every lookup (a sha1 a request was 2.7% of the service's
 * CPU under `?email=`).
 */
const lookupNames = new Map<string, string>();
const LOOKUP_SHAPES_KEPT = 64;

function lookupName(text: string): string {
  let name = lookupNames.get(text);
  if (name === undefined) {
    name = `users_search_${createHash('sha1').update(text).digest('hex').slice(0, 12)}`;
    if (lookupNames.size >= LOOKUP_SHAPES_KEPT) lookupNames.clear();
    lookupNames.set(text, name);
  }
  return name;
}

/** A named statement for the address lookup alone (see above); every other shape unnamed. */
function built(request: ListRequest, text: string, statement: Statement, checked = false): Built {
  const name = isLookup(request) ? lookupName(text) : '';
  return { name, text, values: statement.values, ...(checked ? { carriesCheck: true as const } : {}) };
}

/**
 * The caller's session check for a page statement (router/trpc/session-check): the `caller` CTE
 * with the fold's parameters, its columns for the select list, and the condition that withholds
 * the total and the rows from an invalid caller. Nothing when the page carries no check.
 */
function callerCheck(statement: Statement, fold: Fold | undefined) {
  if (!fold)
    return { ctes: [], columns: '', from: '(select 1) as one', valid: [] as string[], total: (sql: string) => sql };
  const first = statement.values.length + 1;
  for (const value of fold.values) statement.param(value);
  return {
    ctes: [callerCte(first)],
    columns: `${CALLER_COLUMNS}, `,
    from: 'caller c',
    valid: ['c.caller_valid'],
    total: (sql: string) => `case when c.caller_valid then ${sql} end`,
  };
}

/**
 * What `matched` reads: `user_search`, one narrow row per user with the texts `q` matches (and
 * their lower-cased copies) and every other filter's and sort's column, kept by triggers in the
 * writing transaction (migrations/Migration20261223100000.ts, Migration20261224100000.ts). Its columns carry the names of the users' and emails'
 * own, under the same aliases (`e` is the same row), so every filter and sort key reads it unchanged.
 */
const SEARCH_FROM = 'user_search u cross join lateral (select u.address, u.auth_method) as e';

/**
 * Whether a user whose lower-cased name and address are the SQL `name` and `address` is found by
 * the LIKE pattern `pattern` (its SQL: a parameter), lower-cased once: what ILIKE computes for every
 * candidate. The two texts are joined by U+001F, which neither holds and `q` may not
 * (./user-schemas.ts), so no `q` is found across the join.
 */
function textMatches(name: string, address: string, pattern: string): string {
  return `(${name} || E'\\x1f' || ${address}) like lower(${pattern}) escape '\\'`;
}

/**
 * The same for the user `u` of `user_search`, on its stored lower-cased copies
 * (migrations/Migration20261224100000.ts): written as the index `user_search_text_trgm_index` is
 * built (migrations/Migration20261225100000.ts), or PostgreSQL does not read it.
 */
export const searchMatches = (pattern: string) => textMatches('u.name_lower', 'u.address_lower', pattern);

/**
 * `matched`: every user `q` matches with the other filters, as its id and the value it is sorted
 * by, collected once: those whose name or address contains `q`, through the search's trigram index
 * and one visit of each candidate's narrow row. The page and the total are read from it, so
 * a broad `q` is matched once per request, and only the page's users are read whole. The cursor's
 * text of the sort value is made for the page's users only: for every match it was a third of a
 * last name's search (`to_char` of 7,500 times: 18.7 against 14.3 ms, docs/performance.md).
 */
function matchedCte(request: ListRequest, statement: Statement): string {
  const sortKey = SORT_KEYS[request.order.field];
  const { q, metadata } = request.filters;
  if (q === undefined) {
    // the metadata filter alone: its matches found first through the parts' GIN indexes, each
    // then read by its id (user_search has no index on it), whatever the planner knows of the
    // table. Left to the planner as a condition on the users walked in the list's order, a table
    // never analyzed (no autovacuum yet) had it walk every user for a rare filter: 10 s and a 503
    // at 1,000,000 users (docs/performance.md, "Finding users by their metadata").
    const contains = metadataContains(metadata!, statement);
    const others = filterConditions(request.filters, statement, 'matches', { withMetadata: false });
    return `matched as materialized (
      select u.id, ${sortKey.expression} as sort_value
      from user_metadata um join users u on u.id = um.user_id join emails e on e.id = u.email_id
      ${where([contains, ...others])})`;
  }
  const pattern = statement.param(containing(q));
  const others = filterConditions(request.filters, statement, 'matches');
  return `matched as materialized (
      select u.id, ${sortKey.expression} as sort_value
      from ${SEARCH_FROM} ${where([searchMatches(pattern), ...others])})`;
}

/** Whether a search collects its matches first (`matched`): a `q`, or a metadata filter. */
const collectsMatches = (request: ListRequest) =>
  request.filters.q !== undefined || request.filters.metadata !== undefined;

/**
 * One page: `limit` users (null: all) from `offset`, after `request.after` when given; with the
 * total of the filtered set when `withTotal` (a streamed list's later batches need it no more).
 */
function pageStatement(
  request: ListRequest,
  offset: number,
  limit: number | null,
  withTotal: boolean,
  by: SearchBy = 'matches',
  fold?: Fold,
): Built {
  const statement = new Statement();
  const caller = callerCheck(statement, fold);
  const direction = request.order.descending ? 'desc' : 'asc';
  if (collectsMatches(request) && by === 'matches') {
    const matched = matchedCte(request, statement);
    const after = request.after ? [afterCondition(request, request.after, statement, 'matched')] : [];
    const total = caller.total(withTotal ? '(select count(*) from matched)' : '0');
    const cursorValue = SORT_KEYS[request.order.field].cursorValue;
    const text = `${withClause([...caller.ctes, matched])}select ${caller.columns}(${total})::int as total, p.*
      from ${caller.from}
      left join lateral (
        select ${COLUMNS}, m.sort_value, ${cursorValue} as sort_key
        from (select m.id, m.sort_value from matched m ${where([...after, ...caller.valid])}
              order by m.sort_value ${direction}, m.id ${direction}
              offset ${statement.param(offset)} limit ${statement.param(limit)}) as m
        join users u on u.id = m.id join emails e on e.id = u.email_id
      ) as p on true
      order by p.sort_value ${direction}, p.id ${direction}`;
    return built(request, text, statement, fold !== undefined);
  }
  const filters = filterConditions(request.filters, statement, by);
  const sortKey = SORT_KEYS[request.order.field];
  if (isLookup(request) && !request.after) {
    // an address's key is unique: at most one user, found once for the page and its total rather
    // than probed for each (the lookup against a read by id: docs/performance.md, issue 20)
    const found = `found as materialized (
      select ${COLUMNS}, ${sortKey.expression} as sort_value, ${sortKey.cursorValue} as sort_key
      from ${FROM} ${where(filters)})`;
    const total = caller.total(withTotal ? '(select count(*) from found)' : '0');
    const text = `${withClause([...caller.ctes, found])}select ${caller.columns}(${total})::int as total, p.*
    from ${caller.from}
    left join lateral (
      select * from found ${where(caller.valid)}
      order by sort_value ${direction}, id ${direction}
      offset ${statement.param(offset)} limit ${statement.param(limit)}
    ) as p on true
    order by p.sort_value ${direction}, p.id ${direction}`;
    return built(request, text, statement, fold !== undefined);
  }
  const conditions = request.after ? [...filters, afterCondition(request, request.after, statement, 'table')] : filters;
  const total = caller.total(
    !withTotal ? '0' : hasFilters(request.filters) ? `(select count(*) from ${FROM} ${where(filters)})` : INDEXED_TOTAL,
  );
  const text = `${withClause(caller.ctes)}select ${caller.columns}(${total})::int as total, p.*
    from ${caller.from}
    left join lateral (
      select ${COLUMNS}, ${sortKey.expression} as sort_value, ${sortKey.cursorValue} as sort_key
      from ${FROM}
      ${where([...conditions, ...caller.valid])}
      order by ${sortKey.expression} ${direction}, u.id ${direction}
      offset ${statement.param(offset)} limit ${statement.param(limit)}
    ) as p on true
    order by p.sort_value ${direction}, p.id ${direction}`;
  return built(request, text, statement, fold !== undefined);
}

/** How many users the request holds from its cursor, or in all. */
function countStatement(request: ListRequest): Built {
  const statement = new Statement();
  if (collectsMatches(request)) {
    const matched = matchedCte(request, statement);
    const after = request.after ? [afterCondition(request, request.after, statement, 'matched')] : [];
    const text = `${withClause([matched])}select count(*)::int as total from matched m ${where(after)}`;
    return built(request, text, statement);
  }
  const conditions = filterConditions(request.filters, statement, 'matches');
  if (request.after) conditions.push(afterCondition(request, request.after, statement, 'table'));
  const text =
    conditions.length === 0
      ? `select (${INDEXED_TOTAL})::int as total`
      : `select count(*)::int as total from ${FROM} ${where(conditions)}`;
  return built(request, text, statement);
}

type Read = (statement: Built) => Promise<SearchRow[]>;

async function readPage(
  read: Read,
  request: ListRequest,
  offset: number,
  limit: number | null,
  withTotal = true,
  by: SearchBy = 'matches',
  fold?: Fold,
): Promise<{ rows: SearchRow[]; total: number }> {
  const statement = pageStatement(request, offset, limit, withTotal, by, fold);
  const rows = fold
    ? await fold.settle(read(statement) as Promise<Array<SearchRow & CallerFacts>>)
    : await read(statement);
  // an empty page still brings the total, on a row of nulls
  return { rows: rows.filter((row) => row.id !== null), total: rows[0]?.total ?? 0 };
}

const positionOf = (row: SearchRow): ListPosition => ({ key: row.sort_key, id: row.id });

/**
 * One page (a limit of 0 is every user): one more row is read to know whether more follow. The
 * read carries the call's session check when it is still to make (`check`).
 */
export async function searchUserViews(
  db: RequestDatabase,
  request: ListRequest,
  check?: SessionCheck,
): Promise<SearchPage> {
  const { offset, limit } = request;
  const read: Read = (statement) => db.prepared<SearchRow>(statement, statement.values, 'read');
  const fold = check?.fold();
  const { rows, total } = await readPage(read, request, offset, limit === 0 ? null : limit + 1, true, 'matches', fold);
  const page = limit === 0 ? rows : rows.slice(0, limit);
  const list = { items: page.map(fromRow), total, offset, limit };
  const end = page[page.length - 1];
  return rows.length > page.length && end ? { list, last: positionOf(end) } : { list };
}

/** How many users the search holds from its offset or cursor (for refusing one too long for one answer). */
export async function countSearch(db: RequestDatabase, request: ListRequest): Promise<number> {
  const statement = countStatement(request);
  const [row] = await db.prepared<{ total: number }>(statement, statement.values, 'read');
  return Math.max(0, (row?.total ?? 0) - request.offset);
}

const STREAM_BATCH = 1000;

/**
 * Writes the search's users into `sink`, batch by batch (each from the last one's key, so memory
 * stays one batch), in one snapshot; returns the total. `beforeRows` is told, before any row is
 * written, the position of the last user the answer will hold when more follow.
 */
export async function streamSearch(
  db: RequestDatabase,
  request: ListRequest,
  sink: ListSink<User>,
  progressed: () => void,
  beforeRows: (last: ListPosition | undefined) => void,
): Promise<number> {
  return db.snapshot('read', async (snapshotRead: SnapshotRead) => {
    const read: Read = (statement) => snapshotRead<SearchRow>(statement, statement.values);
    const { limit } = request;
    // a limited answer: is there a user after its last one?
    if (limit > 0) {
      const { rows } = await readPage(read, request, request.offset + limit - 1, 2);
      beforeRows(rows.length === 2 ? positionOf(rows[0]!) : undefined);
    } else {
      beforeRows(undefined);
    }
    let left = limit === 0 ? Infinity : limit;
    let current: ListRequest = request;
    let offset = request.offset;
    let total: number | undefined;
    for (;;) {
      const wanted = Math.min(STREAM_BATCH, left);
      // the first batch brings the total, and finds its start through the matches; the rest walk on
      const first = total === undefined;
      const page = await readPage(read, current, offset, wanted, first, first ? 'matches' : 'walk');
      total ??= page.total;
      if (page.rows.length > 0) await sink.write(page.rows.map(fromRow));
      progressed();
      left -= page.rows.length;
      const end = page.rows[page.rows.length - 1];
      // a short batch is the end
      if (!end || page.rows.length < wanted || left <= 0 || sink.signal.aborted) break;
      current = { ...request, after: positionOf(end) };
      offset = 0;
    }
    return total ?? 0;
  });
}
