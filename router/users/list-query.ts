// A list request as the users domain reads it: the filters (combined with AND), the order (a field
// and a direction, ties broken by id in the same direction), and where the page starts (an offset,
// or a position after a cursor). A request with no filter in creation order is the published list,
// served by the list index (./user-reads.ts); anything else is a search (./user-search.ts).
import { createHash } from 'node:crypto';
import type { AuthMethod } from '../../entities/enums';
import { emailKey } from '../../entities/email-key';
import type { MetadataFilter } from '../metadata/metadata-schemas';
import type { ACCOUNT_STATES, ListUsersQuery, SortField } from './user-schemas';

type AccountState = (typeof ACCOUNT_STATES)[number];

export interface ListFilters {
  /** The key (../../entities/email-key.ts) of the address asked for. */
  emailKey?: string;
  /** The text names or addresses must contain, as given. */
  q?: string;
  authMethods?: AuthMethod[];
  /** Unix seconds: createdAt > createdAfter. */
  createdAfter?: number;
  /** Unix seconds: createdAt < createdBefore. */
  createdBefore?: number;
  /** Unix seconds: the user's last sign-in is at or after it. */
  signedInSince?: number;
  /** Unix seconds: the user has not signed in since (its last sign-in is before it, or there is none). */
  notSignedInSince?: number;
  /** The account state, and the time (ms) it is judged at: a disabling's end date may have passed. */
  status?: { state: AccountState; at: number };
  /** JSON each named part of the user's metadata must contain (router/metadata). */
  metadata?: MetadataFilter;
}

export interface ListOrder {
  field: SortField;
  descending: boolean;
}

/**
 * The last user of a page in the list's order: its sort key (as the database writes it: the
 * creation time in UTC to the microsecond, the name, the address's key, the age) and its id.
 */
export interface ListPosition {
  key: string | number;
  id: string;
}

export interface ListRequest {
  filters: ListFilters;
  order: ListOrder;
  offset: number;
  limit: number;
  /** The page starts after this user (a cursor); offset is 0 then. */
  after?: ListPosition;
}

/** The filters of a list request; `now` (ms) is when an account's state is judged. */
export function filtersOf(query: ListUsersQuery, now: number): ListFilters {
  return {
    ...(query.email !== undefined ? { emailKey: emailKey(query.email) } : {}),
    ...(query.q !== undefined ? { q: query.q } : {}),
    ...(query.authMethod !== undefined ? { authMethods: query.authMethod } : {}),
    ...(query.createdAfter !== undefined ? { createdAfter: query.createdAfter } : {}),
    ...(query.createdBefore !== undefined ? { createdBefore: query.createdBefore } : {}),
    ...(query.signedInSince !== undefined ? { signedInSince: query.signedInSince } : {}),
    ...(query.notSignedInSince !== undefined ? { notSignedInSince: query.notSignedInSince } : {}),
    ...(query.status !== undefined ? { status: { state: query.status, at: now } } : {}),
    ...(query.metadata !== undefined ? { metadata: query.metadata } : {}),
  };
}

export function orderOf(query: ListUsersQuery): ListOrder {
  const sort = query.sort ?? 'createdAt';
  return sort.startsWith('-')
    ? { field: sort.slice(1) as SortField, descending: true }
    : { field: sort as SortField, descending: false };
}

export function hasFilters(filters: ListFilters): boolean {
  return Object.keys(filters).length > 0;
}

/** Whether the list index serves this request: no filter, creation order, no cursor. */
export function servedByListIndex(request: ListRequest): boolean {
  return (
    !hasFilters(request.filters) &&
    request.order.field === 'createdAt' &&
    !request.order.descending &&
    request.after === undefined
  );
}

/** The sort as the `sort` parameter writes it. */
export function sortName(order: ListOrder): string {
  return `${order.descending ? '-' : ''}${order.field}`;
}

/**
 * What a cursor is bound to besides its position: the order and the filters, so a cursor made for
 * one list cannot be used on another (its position would mean nothing there).
 */
export function fingerprint(order: ListOrder, filters: ListFilters): string {
  const canonical = JSON.stringify([
    sortName(order),
    filters.emailKey ?? null,
    filters.q ?? null,
    filters.authMethods ?? null,
    filters.createdAfter ?? null,
    filters.createdBefore ?? null,
    filters.signedInSince ?? null,
    filters.notSignedInSince ?? null,
    // the state, not the time it was judged at: a cursor follows the same list page after page
    filters.status?.state ?? null,
    // keys sorted: the same filter written in another order is the same list
    filters.metadata ? canonicalJson(filters.metadata) : null,
  ]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}

/** JSON with every object's keys in sorted order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
