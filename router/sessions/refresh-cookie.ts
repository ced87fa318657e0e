// The console's refresh token lives in a cookie no script can read: HttpOnly, SameSite=Strict (no
// other site's request carries it), Secure unless the service is reached over http on loopback,
// and sent only to the refresh route (Path). A sign-in or refresh asks for it with the header
// `X-Refresh-Cookie: 1`, which a page of another site cannot send without a CORS preflight the
// service does not grant; such an answer carries the token in the cookie and not in its JSON.
// API clients send no header and get the token in the JSON field `refreshToken`.
import type { Context } from '../trpc/context';

export const REFRESH_COOKIE = 'users_refresh';
export const REFRESH_COOKIE_PATH = '/api/v2/auth/refresh';
export const REFRESH_COOKIE_HEADER = 'x-refresh-cookie';

export type CookieContext = Pick<Context, 'requestHeaders' | 'responseHeaders' | 'sessionSettings'>;

/** Whether this request asked for the refresh token in the cookie. */
export function wantsCookie(ctx: Pick<Context, 'requestHeaders'>): boolean {
  return ctx.requestHeaders[REFRESH_COOKIE_HEADER] === '1';
}

/** The refresh token of the request's cookie, if it asked for cookie handling and has one. */
export function cookieToken(ctx: Pick<Context, 'requestHeaders'>): string | undefined {
  if (!wantsCookie(ctx)) return undefined;
  for (const part of (ctx.requestHeaders.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === REFRESH_COOKIE) return value.join('=');
  }
  return undefined;
}

/** Sets the cookie to `token` for `maxAgeSeconds`, or clears it (`null`). */
export function setRefreshCookie(ctx: CookieContext, token: string | null, maxAgeSeconds = 0): void {
  const secure = ctx.sessionSettings.cookieSecure ? '; Secure' : '';
  const value = token ?? '';
  const age = token === null ? 0 : maxAgeSeconds;
  addSetCookie(
    ctx,
    `${REFRESH_COOKIE}=${value}; Path=${REFRESH_COOKIE_PATH}; Max-Age=${age}; HttpOnly; SameSite=Strict${secure}`,
  );
}

/** Adds a Set-Cookie line beside those already set (a device cookie, an OAuth2 cookie). */
export function addSetCookie(ctx: Pick<Context, 'responseHeaders'>, line: string): void {
  const existing = ctx.responseHeaders['Set-Cookie'];
  const lines = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
  ctx.responseHeaders['Set-Cookie'] = [...lines, line];
}
