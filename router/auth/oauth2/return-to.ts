// Where the OAuth2 callback may send the browser back to: the one check of `returnTo`, made when
// `authorize` accepts it and again on the exact `Location` the callback sends (defence in depth:
// a pending sign-in stored by an older version, or a change to this check, must not become an
// open redirect that carries the one-time login code to another site).
//
// The rule: the `Location` the callback sends, resolved as a browser resolves it (WHATWG URL,
// against PUBLIC_URL), has PUBLIC_URL's origin. It is decided on the normalised form, not on the
// raw string, because that is what the browser follows: `/.//evil.example/x`, `/a/..//evil…` and
// `/%2e//evil…` all normalise to the network-path `//evil.example/x`, another site. Besides the
// origin, a path is refused when a browser could read it differently from this parser: a
// backslash (read as `/`), a tab or a line break (removed before parsing), any other control
// character or white space.

/** The longest `returnTo` (and Location) accepted. */
export const RETURN_TO_MAX_LENGTH = 2048;

export type ReturnLocation = { ok: true; location: string } | { ok: false; problem: string };

const NOT_A_LOCAL_PATH = 'must be a path on this site, starting with one /';
// \s covers Unicode white space too; \p{Cc} every control character (tab, CR, LF, NUL, DEL…)
const AMBIGUOUS = /[\\\s\p{Cc}\p{Cf}]/u;

/**
 * The `Location` that sends the browser to `returnTo` on this site with `query` added, or why
 * `returnTo` is refused. The location is the path, query and fragment of the normalised URL
 * (percent-encoded ASCII), and is only returned when it resolves, against `publicUrl`, to
 * itself on the same origin.
 */
export function returnLocation(
  returnTo: string,
  publicUrl: string,
  query: Readonly<Record<string, string>> = {},
): ReturnLocation {
  if (returnTo.length > RETURN_TO_MAX_LENGTH) {
    return { ok: false, problem: `must be at most ${RETURN_TO_MAX_LENGTH} characters` };
  }
  if (AMBIGUOUS.test(returnTo)) {
    return { ok: false, problem: 'must not contain backslashes, white space or control characters' };
  }
  if (!returnTo.startsWith('/') || returnTo.startsWith('//')) return { ok: false, problem: NOT_A_LOCAL_PATH };
  const base = new URL(publicUrl);
  let url: URL;
  try {
    url = new URL(returnTo, base);
  } catch {
    return { ok: false, problem: NOT_A_LOCAL_PATH };
  }
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  const location = `${url.pathname}${url.search}${url.hash}`;
  // a path that normalises to `//host…` would be read as another site's address
  if (url.origin !== base.origin || !location.startsWith('/') || location.startsWith('//')) {
    return { ok: false, problem: 'leads to another site once its dot segments are resolved' };
  }
  // what the browser will make of the Location: this origin, and the Location as it is (no
  // further normalisation left for the browser to do)
  const followed = new URL(location, base);
  if (followed.origin !== base.origin || `${followed.pathname}${followed.search}${followed.hash}` !== location) {
    return { ok: false, problem: 'leads to another site once its dot segments are resolved' };
  }
  return { ok: true, location };
}
