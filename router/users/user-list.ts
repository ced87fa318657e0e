// The list of users: the published page (offset and limit, in creation order, from the list index),
// and, since 2.1.0, filtered, sorted and paged by cursor (./user-search.ts). Either way a page with
// users after it says where the next one starts: a cursor, which REST sends as
// `Link: <…&cursor=…>; rel="next"` and tRPC's `users.search` returns as `next`.
import { badRequest } from '../trpc/api-errors';
import type { Deadline } from '../trpc/deadline';
import type { ListSink } from '../trpc/list-sink';
import type { RequestDatabase } from '../../server/database/request-database';
import type { SessionCheck } from '../trpc/session-check';
import { makeCursor, readCursor, type CursorContext } from './list-cursor';
import {
  canonicalJson,
  filtersOf,
  orderOf,
  servedByListIndex,
  type ListPosition,
  type ListRequest,
} from './list-query';
import { countFrom, listUserViews, streamUserViews } from './user-reads';
import type { ListUsersQuery, UserList, UserListCursor } from './user-schemas';
import { countSearch, searchUserViews, streamSearch } from './user-search';

/**
 * The most users one answer holds. A longer list (limit 0, or a limit above this) is streamed by a
 * transport that can (REST: `ListSink`), written as its rows are read; over one that cannot (tRPC),
 * a list longer than this is refused with a pointer to paging.
 */
export const MAX_LIST_ITEMS = 10_000;

/** What the list needs of a call's context. */
export interface ListContext extends CursorContext {
  db: RequestDatabase;
  /** Set by a transport that can stream a long list. */
  listSink?: ListSink;
  deadline?: Deadline;
  /** The call's session check, still to make: a page's read carries it (router/trpc/session-check). */
  sessionCheck?: SessionCheck;
}

/**
 * Whether a list request, as sent (its query before validation), may be answered by a stream: unless
 * its limit is absent (10) or a plain number from 1 to MAX_LIST_ITEMS, which is always one answer
 * in memory. Anything else (0, more, or text validation will refuse) may.
 */
export function mayStream(query: Readonly<Record<string, unknown>>): boolean {
  const { limit } = query;
  if (limit === undefined) return false;
  if (typeof limit !== 'string' || !/^[1-9][0-9]{0,4}$/.test(limit)) return true;
  return Number(limit) > MAX_LIST_ITEMS;
}

export interface ListAnswer {
  list: UserList;
  /** Where the next page starts; null when this one reaches the end. */
  next: UserListCursor | null;
}

/**
 * A page of the list. `announce` hears the next page's cursor as soon as it is known: before the
 * first row of a streamed answer is written, so that it can go into the answer's headers.
 */
export async function listUsers(
  ctx: ListContext,
  query: ListUsersQuery,
  announce: (next: UserListCursor) => void = () => {},
): Promise<ListAnswer> {
  const request = listRequest(ctx, query);
  const { offset, limit } = request;
  const indexed = servedByListIndex(request);
  let next: UserListCursor | null = null;
  const follows = (last: ListPosition | undefined) => {
    if (!last) return;
    next = makeCursor(ctx, request.order, request.filters, last);
    announce(next);
  };

  const long = limit === 0 || limit > MAX_LIST_ITEMS;
  if (long && ctx.listSink) {
    const progressed = () => ctx.deadline?.progressed();
    const total = indexed
      ? await streamUserViews(ctx.db, { offset, limit }, ctx.listSink, progressed, follows)
      : await streamSearch(ctx.db, request, ctx.listSink, progressed, follows);
    return { list: { items: [], total, offset, limit }, next };
  }
  if (long) {
    const length = indexed ? await countFrom(ctx.db, offset) : await countSearch(ctx.db, request);
    const wanted = limit === 0 ? length : Math.min(limit, length);
    if (wanted > MAX_LIST_ITEMS) {
      throw badRequest(
        `limit: this list would hold ${wanted} users, more than one answer holds (${MAX_LIST_ITEMS}); ` +
          `page with offset and a limit of at most ${MAX_LIST_ITEMS}, or read GET /api/v2/users?limit=0, which streams it`,
      );
    }
  }
  // a page is one statement, which carries the session check; anything read before it (a long
  // list's count, a stream) waits for the check made on its own (the call's gated database)
  const page = indexed
    ? await listUserViews(ctx.db, offset, limit, ctx.sessionCheck)
    : await searchUserViews(ctx.db, request, ctx.sessionCheck);
  follows(page.last);
  return { list: page.list, next };
}

function listRequest(ctx: CursorContext, query: ListUsersQuery): ListRequest {
  const filters = filtersOf(query, ctx.clock.now());
  const order = orderOf(query);
  const base = { filters, order, offset: query.offset, limit: query.limit };
  if (query.cursor === undefined) return base;
  if (query.offset !== 0) throw badRequest('offset: must be 0 or absent when a cursor is given');
  return { ...base, after: readCursor(ctx, query.cursor, order, filters) };
}

/**
 * The next page's address, as an RFC 8288 `Link` field value: this list's parameters as the service
 * read them (unknown ones dropped), the cursor in place of the offset, relative to the API's origin.
 */
export function nextLink(path: string, query: ListUsersQuery, next: UserListCursor): string {
  const params = new URLSearchParams();
  if (query.email !== undefined) params.append('email', query.email);
  if (query.q !== undefined) params.append('q', query.q);
  for (const method of query.authMethod ?? []) params.append('authMethod', String(method));
  if (query.createdAfter !== undefined) params.append('createdAfter', String(query.createdAfter));
  if (query.createdBefore !== undefined) params.append('createdBefore', String(query.createdBefore));
  if (query.signedInSince !== undefined) params.append('signedInSince', String(query.signedInSince));
  if (query.notSignedInSince !== undefined) params.append('notSignedInSince', String(query.notSignedInSince));
  if (query.status !== undefined) params.append('status', query.status);
  if (query.metadata !== undefined) params.append('metadata', canonicalJson(query.metadata));
  if (query.sort !== undefined) params.append('sort', query.sort);
  params.append('limit', String(query.limit));
  params.append('cursor', next);
  return `<${path}?${params.toString()}>; rel="next"`;
}
