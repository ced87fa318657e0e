// Staying signed in: the console's refresh token is in a cookie no script here can read (HttpOnly,
// SameSite=Strict, sent only to /api/v2/auth/refresh). Every call of the console says
// `X-Refresh-Cookie: 1`, so a sign-in answers the refresh token in that cookie and never in its
// JSON. `renewToken` asks the service for a new access token with it (the cookie rotates on the
// way); the console does so before its token expires, when the page loads, and once when a call is
// refused. A tab that loses a race with another tab's renewal (the cookie it sent was spent a
// moment before) tries once more with the cookie the winner left.
export const REFRESH_URL = '/api/v2/auth/refresh';
export const REFRESH_COOKIE_HEADER = 'X-Refresh-Cookie';

/** A fetch for the console's tRPC client: every call asks for the refresh cookie. */
export const cookieFetch: typeof fetch = (input, init) => {
  const headers = new Headers(init?.headers);
  headers.set(REFRESH_COOKIE_HEADER, '1');
  return fetch(input, { ...init, headers, credentials: 'same-origin' });
};

/** A new access token from the refresh cookie, or null when the session has ended. */
export async function renewToken(): Promise<string | null> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const response = await fetch(REFRESH_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [REFRESH_COOKIE_HEADER]: '1' },
      body: '{}',
      credentials: 'same-origin',
    });
    if (response.ok) return ((await response.json()) as { token: string }).token;
    if (response.status !== 401) return null;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return null;
}

/** When to renew `token`: a quarter of its life (at most a minute) before it expires, in ms from now. */
export function renewalDelay(token: string, now = Date.now()): number {
  const claims = claimsOf(token);
  if (!claims) return 0;
  const lifetime = (claims.exp - claims.iat) * 1000;
  return Math.max(1000, claims.exp * 1000 - now - Math.min(60_000, lifetime / 4));
}

/** What a token says of itself, read without checking it: only its own holder's timing and display use it. */
interface Claims {
  exp: number;
  iat: number;
  sub?: string;
  /** An impersonation's actor (RFC 8693 `act`): only whether there is one is read here. */
  act?: object;
}

function claimsOf(token: string): Claims | null {
  try {
    const part = (token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(part)) as Partial<Record<keyof Claims, unknown>>;
    return typeof claims.exp === 'number' && typeof claims.iat === 'number'
      ? {
          exp: claims.exp,
          iat: claims.iat,
          ...(typeof claims.sub === 'string' ? { sub: claims.sub } : {}),
          ...(typeof claims.act === 'object' && claims.act !== null ? { act: claims.act } : {}),
        }
      : null;
  } catch {
    return null;
  }
}

/**
 * An admin's token as one of its users (an impersonation, its `act` claim): whom it acts as, and
 * when it ends. It cannot be renewed; the refresh cookie beside it is the admin's own session.
 */
export function actingOf(token: string): { userId: string; endsAt: number } | null {
  const claims = claimsOf(token);
  if (!claims?.sub || !claims.act) return null;
  return { userId: claims.sub, endsAt: claims.exp * 1000 };
}

/**
 * Ends the session of the refresh cookie on the service when the access token in hand is dead
 * already (after the person changed its own credentials, which ends the token but keeps the
 * session): a last renewal, then logout with its token, which clears the cookie too.
 */
export async function endCookieSession(): Promise<void> {
  const token = await renewToken();
  if (!token) return;
  await fetch('/api/v2/auth/logout', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, [REFRESH_COOKIE_HEADER]: '1' },
    credentials: 'same-origin',
  });
}
