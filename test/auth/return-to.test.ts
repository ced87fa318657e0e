// The one check of OAuth2's `returnTo` (router/auth/oauth2/return-to.ts), on its own: the known
// ways a path turns into another site's address once a browser normalises it, and a fast-check
// property over generated paths: whatever is accepted, the Location built from it (with the
// one-time code) resolves, as a browser resolves it, to the public origin. The same check over
// HTTP, with a real provider, is in oauth2.test.ts.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { returnLocation } from '../../router/auth/oauth2/return-to';

const SEED = Number(process.env.FC_SEED ?? 20261219);
const RUNS = Number(process.env.FC_RUNS_RETURN_TO ?? 5000);
const PUBLIC_URLS = ['https://users.example.com', 'http://127.0.0.1:3000', 'https://example.org/base/'];

/** Paths that normalise to another site (or that a browser reads differently from a parser). */
const FOREIGN_RETURN_TOS = [
  '/.//evil.example/x',
  '/a/..//evil.example/x',
  '/%2e//evil.example/x',
  '/%2E%2e//evil.example/x',
  '/a/.%2e//evil.example/x',
  '/./../..//evil.example/x',
  '/\\evil.example',
  '/\\\\evil.example',
  '\\\\evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r/evil.example',
  '/ /evil.example',
  '//evil.example/x',
  'https://evil.example/',
  'evil.example',
  ' /x',
  '/x\u0000',
];

describe('returnTo: only a path on this site', () => {
  it('refuses each path that a browser would take to another site, saying why', () => {
    for (const publicUrl of PUBLIC_URLS) {
      for (const returnTo of FOREIGN_RETURN_TOS) {
        const checked = returnLocation(returnTo, publicUrl, { code: 'c' });
        assert.equal(checked.ok, false, `${JSON.stringify(returnTo)} against ${publicUrl}`);
        assert.ok(!checked.ok && checked.problem.length > 0);
      }
    }
    assert.deepEqual(returnLocation('/.//evil.example/x', 'https://users.example.com'), {
      ok: false,
      problem: 'leads to another site once its dot segments are resolved',
    });
    assert.deepEqual(returnLocation('/\\evil.example', 'https://users.example.com'), {
      ok: false,
      problem: 'must not contain backslashes, white space or control characters',
    });
  });

  it('keeps a path on this site as it was given, with the code added', () => {
    const checked = returnLocation('/console/users?page=2#top', 'https://users.example.com', { code: 'C' });
    assert.deepEqual(checked, { ok: true, location: '/console/users?page=2&code=C#top' });
    // dot segments that stay on this site are resolved, not refused
    assert.deepEqual(returnLocation('/a/../b/./c', 'https://users.example.com'), { ok: true, location: '/b/c' });
    // an encoded slash or backslash stays encoded: the browser does not decode it in a path
    assert.deepEqual(returnLocation('/x/%2f%2fevil', 'https://users.example.com'), {
      ok: true,
      location: '/x/%2f%2fevil',
    });
  });

  it('property: every accepted returnTo gives a Location whose resolution has the public origin', () => {
    // pieces that have made paths leave a site: dot segments plain and encoded, empty segments,
    // slashes and backslashes plain, encoded and full-width, white space, control characters,
    // scheme- and authority-looking text; and arbitrary strings of any code point
    const piece = fc.oneof(
      fc.constantFrom(
        '',
        '.',
        '..',
        '%2e',
        '%2E',
        '.%2e',
        '%2e%2e',
        '%2e.',
        '/',
        '//',
        '\\',
        '%2f',
        '%5c',
        '%5C',
        '\uff0f',
        '\uff3c',
        '\u2215',
        '\t',
        '\n',
        '\r',
        ' ',
        '\u00a0',
        '\u0000',
        '\u007f',
        '\u200b',
        '%09',
        '%00',
        'evil.example',
        '@evil.example',
        'http:',
        'https://evil.example',
        ':',
        '?',
        '#',
        '?x=//evil.example',
        'a',
        'console',
      ),
      fc.webSegment(),
      fc.string({ unit: 'binary', maxLength: 6 }),
    );
    const start = fc.constantFrom('/', '/', '/', '//', '\\', '/\\', '', '/./', '/../', '/%2e/');
    const path = fc
      .tuple(start, fc.array(piece, { maxLength: 8 }), fc.constantFrom('/', ''))
      .map(([head, pieces, joint]) => head + pieces.join(joint));
    let accepted = 0;
    fc.assert(
      fc.property(path, fc.constantFrom(...PUBLIC_URLS), (returnTo, publicUrl) => {
        const origin = new URL(publicUrl).origin;
        const atAuthorize = returnLocation(returnTo, publicUrl);
        const atCallback = returnLocation(returnTo, publicUrl, { code: 'the-code' });
        // authorize and the callback agree: what one accepts, the other sends the browser to
        assert.equal(atAuthorize.ok, atCallback.ok);
        if (!atCallback.ok) return;
        accepted += 1;
        const { location } = atCallback;
        // resolved as a browser resolves the callback's Location
        for (const base of [publicUrl, `${origin}/api/v2/auth/oauth2/callback?state=s`]) {
          const followed = new URL(location, base);
          assert.equal(followed.origin, origin, `${JSON.stringify(returnTo)} → ${location} leaves ${origin}`);
          assert.equal(followed.searchParams.get('code'), 'the-code');
        }
        // nothing a browser would strip, turn into a slash or read as an authority
        assert.match(location, /^\/(?!\/)[\x21-\x7e]*$/, `${JSON.stringify(returnTo)} → ${location}`);
        assert.doesNotMatch(location, /\\/);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    assert.ok(accepted > RUNS / 10, `the generator reaches accepted paths too (${accepted} of ${RUNS})`);
  });
});
