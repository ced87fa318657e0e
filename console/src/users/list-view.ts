// Which users the admin's list shows (a search, sign-in methods, an order, a page size), kept in the
// address bar as the REST list names them (`/?q=ali&authMethod=1&authMethod=3&sort=-name&limit=20`),
// so that a reload or a shared link shows the same list. Like the reset link and the provider's
// return (../sign-in/reset-link.ts, provider-return.ts), the console reads the address itself and
// writes it back with `history.replaceState`: no history entry per keystroke, no router.
// Cursors are not in the address: they expire (LIST_CURSOR_TTL_SECONDS) and belong to this visit's
// paging (UsersPage.tsx keeps them), so a link always opens on the first page of its list.
import { useEffect, useState } from 'react';
import type { SignInMethod, UserListCursor, UserSearchInput, UserSort, UserSortField } from '../api';
import { SIGN_IN_METHOD_LABELS } from './labels';

export const PAGE_SIZES = [10, 20, 50, 100] as const;
export type PageSize = (typeof PAGE_SIZES)[number];

/** The columns the list sorts by, and what their headers say (keyed by the router's own sort type). */
export const SORT_COLUMNS: Record<UserSortField, string> = {
  createdAt: 'Created',
  name: 'Name',
  email: 'Email',
  age: 'Age',
};
export const DEFAULT_SORT: UserSort = 'createdAt';

/** The shortest search the service takes (`q`); a shorter one searches nothing. */
export const MIN_SEARCH = 2;
export const MAX_SEARCH = 254;

export interface ListView {
  /** The text names or addresses contain: empty, or at least MIN_SEARCH characters. */
  q: string;
  /** Only these sign-in methods; none: every method. */
  authMethods: SignInMethod[];
  sort: UserSort;
  limit: PageSize;
}

export const FIRST_VIEW: ListView = { q: '', authMethods: [], sort: DEFAULT_SORT, limit: 10 };

/** A search as typed, as the list takes it: trimmed, and none at all when too short. */
export function searchText(typed: string): string {
  const text = typed.trim();
  return text.length >= MIN_SEARCH && text.length <= MAX_SEARCH ? text : '';
}

/** Whether the view leaves users out (a search or a method), as opposed to only ordering them. */
export function isFiltered(view: ListView): boolean {
  return view.q !== '' || view.authMethods.length > 0;
}

const METHODS = Object.keys(SIGN_IN_METHOD_LABELS).map(Number) as SignInMethod[];
const SORTS = (Object.keys(SORT_COLUMNS) as UserSortField[]).flatMap((field) => [field, `-${field}`]) as UserSort[];

/** The view an address asks for; what it says wrong (an unknown sort, a method that is none) is left out. */
export function listViewOf(search: string): ListView {
  const query = new URLSearchParams(search);
  const methods = query
    .getAll('authMethod')
    .map(Number)
    .filter((method): method is SignInMethod => METHODS.includes(method as SignInMethod));
  const sort = query.get('sort');
  const limit = Number(query.get('limit'));
  return {
    q: searchText(query.get('q') ?? ''),
    authMethods: [...new Set(methods)].sort(),
    sort: SORTS.includes(sort as UserSort) ? (sort as UserSort) : DEFAULT_SORT,
    limit: PAGE_SIZES.includes(limit as PageSize) ? (limit as PageSize) : FIRST_VIEW.limit,
  };
}

/** The address's query string for a view (`?…`, or empty for the first view): only what differs from it. */
export function searchOf(view: ListView): string {
  const query = new URLSearchParams();
  if (view.q) query.set('q', view.q);
  for (const method of view.authMethods) query.append('authMethod', String(method));
  if (view.sort !== DEFAULT_SORT) query.set('sort', view.sort);
  if (view.limit !== FIRST_VIEW.limit) query.set('limit', String(view.limit));
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** What `users.search` is asked for a page of the view: the first, or the one a cursor starts. */
export function searchInputOf(view: ListView, cursor?: UserListCursor): UserSearchInput {
  return {
    limit: view.limit,
    ...(view.q ? { q: view.q } : {}),
    ...(view.authMethods.length > 0 ? { authMethod: view.authMethods } : {}),
    ...(view.sort !== DEFAULT_SORT ? { sort: view.sort } : {}),
    ...(cursor ? { cursor } : {}),
  };
}

/** The list's view, read from the address once and written back to it whenever it changes. */
export function useListAddress(): [ListView, (view: ListView) => void] {
  const [view, setView] = useState(() => listViewOf(window.location.search));
  useEffect(() => {
    const search = searchOf(view);
    if (window.location.search !== search) {
      window.history.replaceState(window.history.state, '', `${window.location.pathname}${search}`);
    }
  }, [view]);
  return [view, setView];
}
