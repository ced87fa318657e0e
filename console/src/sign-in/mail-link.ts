// The links of the service's mails that open the console: a password reset's,
// /reset-password?email=…&code=…, a sign-up code's, /sign-up?email=…&code=…, and an invitation's,
// /accept-invitation?token=…. What they carry is
// read once, at start, and the address bar goes back to / at once, so the code or the token stays in
// no history entry, bookmark or Referer (the page is also sent with `Referrer-Policy: no-referrer`).

export type MailLink =
  | { kind: 'reset'; email: string; code: string }
  | { kind: 'sign_up'; email: string; code: string }
  | { kind: 'invitation'; token: string };

export const RESET_PATH = '/reset-password';
export const INVITATION_PATH = '/accept-invitation';
export const SIGN_UP_PATH = '/sign-up';

/** What the address says about a mail's link; called once, at start. */
export function takeMailLink(location: Location, history: History): MailLink | null {
  const query = new URLSearchParams(location.search);
  let link: MailLink;
  if (location.pathname === RESET_PATH) {
    link = { kind: 'reset', email: query.get('email') ?? '', code: query.get('code') ?? '' };
  } else if (location.pathname === SIGN_UP_PATH) {
    link = { kind: 'sign_up', email: query.get('email') ?? '', code: query.get('code') ?? '' };
  } else if (location.pathname === INVITATION_PATH) {
    link = { kind: 'invitation', token: query.get('token') ?? '' };
  } else {
    return null;
  }
  history.replaceState(null, '', '/');
  return link;
}
