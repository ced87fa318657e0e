// The link of a password reset mail: /reset-password?email=…&code=…. The email and code are read
// once, at start, and the address bar goes back to / at once, so the code stays in no history
// entry, bookmark or Referer (the page is also sent with `Referrer-Policy: no-referrer`).

export interface ResetLink {
  email: string;
  code: string;
}

export const RESET_PATH = '/reset-password';

/** What the address says about a password reset; called once, at start. */
export function takeResetLink(location: Location, history: History): ResetLink | null {
  if (location.pathname !== RESET_PATH) return null;
  const query = new URLSearchParams(location.search);
  history.replaceState(null, '', '/');
  return { email: query.get('email') ?? '', code: query.get('code') ?? '' };
}
