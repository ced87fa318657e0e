// The OpenID provider's way back: the service's callback sends the browser to / with a one-time
// `code` (exchanged for a token, once, within a minute), a `signUp` ticket (a person with no account
// yet, while sign-up is open), or with `error` and `error_description`; after a signed-in person
// linked its identity there (../users/YourProviderLink), with `linked=1` or `error=link_refused`. They are taken out of the
// address bar at once, so neither the code nor the ticket is in a history entry or bookmark.

export type ProviderReturn =
  { code: string } | { signUp: string } | { error: string } | { linked: true } | { linkRefused: string };

/** What the address says about a sign-in with the provider; called once, at start. */
export function takeProviderReturn(location: Location, history: History): ProviderReturn | null {
  const query = new URLSearchParams(location.search);
  const code = query.get('code');
  const signUp = query.get('signUp');
  const error = query.get('error');
  const linked = query.get('linked');
  if (code === null && signUp === null && error === null && linked === null) return null;
  history.replaceState(null, '', location.pathname);
  if (code !== null) return { code };
  if (signUp !== null) return { signUp };
  if (linked !== null) return { linked: true };
  if (error === 'link_refused') return { linkRefused: query.get('error_description') ?? 'the provider was not linked' };
  return { error: query.get('error_description') ?? error ?? 'the provider did not sign you in' };
}
