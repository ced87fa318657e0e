// Which users the admin's list shows (a search, sign-in methods, a metadata filter, when they last
// signed in, an order, a page size), kept in the
// address bar as the REST list names them (`/?q=ali&authMethod=1&authMethod=3&sort=-name&limit=20`),
// so that a reload or a shared link shows the same list. Like the reset link and the provider's
// return (../sign-in/mail-link.ts, provider-return.ts), the console reads the address itself and
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
  /** JSON the users' metadata must contain (`{"app":{"plan":"pro"}}`, as metadataFilterOf gives it), or empty. */
  metadata: string;
  /** When they last signed in. */
  signedIn: SignedIn;
  sort: UserSort;
  limit: PageSize;
}

/**
 * When the users last signed in, as the list offers it: within the last days, or not within them
 * (which takes in those who never did: the dormant accounts). Empty: whenever, or never.
 */
export const SIGNED_IN_CHOICES = {
  '': { label: 'Any time, or never' },
  within30: { label: 'In the last 30 days', days: 30, within: true },
  not30: { label: 'Not in the last 30 days', days: 30, within: false },
  not90: { label: 'Not in the last 90 days', days: 90, within: false },
  not365: { label: 'Not in the last year', days: 365, within: false },
} as const;
export type SignedIn = keyof typeof SIGNED_IN_CHOICES;
const DAY_SECONDS = 86_400;

export const FIRST_VIEW: ListView = {
  q: '',
  authMethods: [],
  metadata: '',
  signedIn: '',
  sort: DEFAULT_SORT,
  limit: 10,
};

const METADATA_PARTS = ['app', 'user', 'admin'];

/**
 * A metadata filter as typed: its JSON text, compact, when it is an object naming only the parts
 * (app, user, admin), each an object; otherwise what is wrong with it, in words. Empty: no filter.
 */
export function metadataFilterOf(typed: string): { filter: string } | { problem: string } {
  const text = typed.trim();
  if (text === '') return { filter: '' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'Not JSON. Write it as {"app": {"plan": "pro"}}.' };
  }
  const isObject = (item: unknown): item is Record<string, unknown> =>
    typeof item === 'object' && item !== null && !Array.isArray(item);
  if (!isObject(value) || Object.keys(value).length === 0) {
    return { problem: 'Name a part (app, user or admin) and what it holds, such as {"app": {"plan": "pro"}}.' };
  }
  const wrong = Object.entries(value).find(([part, inner]) => !METADATA_PARTS.includes(part) || !isObject(inner));
  if (wrong) return { problem: `"${wrong[0]}" must be one of the parts app, user or admin, holding an object.` };
  return { filter: JSON.stringify(value) };
}

/** A search as typed, as the list takes it: trimmed, and none at all when too short. */
export function searchText(typed: string): string {
  const text = typed.trim();
  return text.length >= MIN_SEARCH && text.length <= MAX_SEARCH ? text : '';
}

/** Whether the view leaves users out (a search or a method), as opposed to only ordering them. */
export function isFiltered(view: ListView): boolean {
  return view.q !== '' || view.authMethods.length > 0 || view.metadata !== '' || view.signedIn !== '';
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
  const signedIn = query.get('signedIn') ?? '';
  return {
    q: searchText(query.get('q') ?? ''),
    authMethods: [...new Set(methods)].sort(),
    metadata: ((filter) => ('filter' in filter ? filter.filter : ''))(metadataFilterOf(query.get('metadata') ?? '')),
    signedIn: signedIn in SIGNED_IN_CHOICES ? (signedIn as SignedIn) : '',
    sort: SORTS.includes(sort as UserSort) ? (sort as UserSort) : DEFAULT_SORT,
    limit: PAGE_SIZES.includes(limit as PageSize) ? (limit as PageSize) : FIRST_VIEW.limit,
  };
}

/** The address's query string for a view (`?…`, or empty for the first view): only what differs from it. */
export function searchOf(view: ListView): string {
  const query = new URLSearchParams();
  if (view.q) query.set('q', view.q);
  for (const method of view.authMethods) query.append('authMethod', String(method));
  if (view.metadata) query.set('metadata', view.metadata);
  if (view.signedIn) query.set('signedIn', view.signedIn);
  if (view.sort !== DEFAULT_SORT) query.set('sort', view.sort);
  if (view.limit !== FIRST_VIEW.limit) query.set('limit', String(view.limit));
  const text = query.toString();
  return text ? `?${text}` : '';
}

/**
 * The `signedInSince` / `notSignedInSince` of a choice, counted back from the start of today (UTC):
 * the same all day, so the list's query, its cursors and the cache stay the same while it is shown.
 */
function signedInFilter(signedIn: SignedIn, now: number): Partial<UserSearchInput> {
  const choice = SIGNED_IN_CHOICES[signedIn];
  if (!('days' in choice)) return {};
  const { days, within } = choice;
  const today = Math.floor(now / 1000 / DAY_SECONDS) * DAY_SECONDS;
  const since = today - days * DAY_SECONDS;
  return within ? { signedInSince: since } : { notSignedInSince: since };
}

/** What `users.search` is asked for a page of the view: the first, or the one a cursor starts. */
export function searchInputOf(view: ListView, cursor?: UserListCursor, now = Date.now()): UserSearchInput {
  return {
    limit: view.limit,
    ...(view.q ? { q: view.q } : {}),
    ...(view.authMethods.length > 0 ? { authMethod: view.authMethods } : {}),
    ...(view.metadata ? { metadata: JSON.parse(view.metadata) as UserSearchInput['metadata'] } : {}),
    ...signedInFilter(view.signedIn, now),
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
