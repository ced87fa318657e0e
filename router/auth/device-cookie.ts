// Device cookies, after OWASP's "Slow Brute Force: device cookies": a browser that has signed in
// to an email before is known for that email, and is judged on its own budget (a limit keyed by
// its device id), never on the budget every other client of the email shares. So failures by
// others, from any number of addresses, lock out unknown clients of the email but never the
// owner's own browsers.
//
// One cookie, `users_device`, holds an entry per email the browser signed in to (the most recent
// MAX_ENTRIES): `<tag>.<device id>.<expiry>.<signature>`. The tag is a keyed hash of the email's
// key (it finds the entry without showing the email), the device id 128 random bits, the expiry
// unix seconds (base 36), and the signature an HMAC, under the service's secret key, of the
// email's key, the device id and the expiry: a cookie made up, altered, expired or copied to
// another email is no device. The cookie is HttpOnly (no script reads it), SameSite=Strict (no
// other site sends it) and Secure whenever PUBLIC_URL is https. An entry made under a key from
// before a rotation (TOTP_PREVIOUS_KEYS) is still the device; its next sign-in renews it under
// the current key.
import type { Context } from '../trpc/context';
import { randomToken } from '../../server/crypto/secret-box';
import { addSetCookie } from '../sessions/refresh-cookie';

export const DEVICE_COOKIE = 'users_device';
const MAX_ENTRIES = 10;
const PURPOSE = { tag: 'device-email', signature: 'device-cookie' } as const;
const ENTRY = /^[\w-]{16}\.[\w-]{22}\.[0-9a-z]{1,12}\.[\w-]{43}$/;

/** What device cookies need of a call's context. */
export type DeviceContext = Pick<Context, 'secrets' | 'clock' | 'requestHeaders' | 'responseHeaders' | 'deviceCookie'>;

interface Entry {
  tag: string;
  device: string;
  expires: number;
  signature: string;
}

/**
 * The id of the device this request comes from, when it carries a valid device cookie for the
 * email whose key (`addressKey`) is `emailKey`; null for an unknown client.
 */
export function knownDevice(ctx: DeviceContext, emailKey: string): string | null {
  return deviceAmong(ctx, emailKey, tagsOf(ctx, emailKey));
}

/** knownDevice, given the email's tags under each key held. */
function deviceAmong(ctx: DeviceContext, emailKey: string, tags: readonly string[]): string | null {
  const now = Math.floor(ctx.clock.now() / 1000);
  for (const entry of entries(ctx.requestHeaders.cookie)) {
    if (!tags.includes(entry.tag) || entry.expires <= now) continue;
    if (ctx.secrets.matches(PURPOSE.signature, signed(emailKey, entry), entry.signature)) return entry.device;
  }
  return null;
}

/**
 * A sign-in to `emailKey` succeeded: the browser is (still) known for it, for another full
 * lifetime. A known device keeps its id (and its budget); an unknown one gets a new id.
 */
export function rememberDevice(ctx: DeviceContext, emailKey: string): void {
  const tags = tagsOf(ctx, emailKey);
  const tag = tags[0] as string;
  const now = Math.floor(ctx.clock.now() / 1000);
  const { ttlSeconds, secure } = ctx.deviceCookie;
  const device = deviceAmong(ctx, emailKey, tags) ?? randomToken(16);
  const fresh: Entry = { tag, device, expires: now + ttlSeconds, signature: '' };
  fresh.signature = ctx.secrets.hash(PURPOSE.signature, signed(emailKey, fresh));
  // the other emails' entries stay as they are (they cannot be checked without their email)
  const others = entries(ctx.requestHeaders.cookie).filter((entry) => !tags.includes(entry.tag) && entry.expires > now);
  const value = [fresh, ...others.slice(0, MAX_ENTRIES - 1)]
    .map((entry) => [entry.tag, entry.device, entry.expires.toString(36), entry.signature].join('.'))
    .join('~');
  // beside the refresh cookie of the same answer
  addSetCookie(
    ctx,
    `${DEVICE_COOKIE}=${value}; Path=/; Max-Age=${ttlSeconds}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`,
  );
}

/** The email's tag under each key held, the current key's first. */
function tagsOf(ctx: DeviceContext, emailKey: string): string[] {
  return ctx.secrets.hashes(PURPOSE.tag, emailKey).map((hash) => hash.slice(0, 16));
}

function signed(emailKey: string, entry: Pick<Entry, 'device' | 'expires'>): string {
  return `${emailKey}\0${entry.device}\0${entry.expires}`;
}

/** The well-formed entries of every `users_device` cookie the request carries, newest first. */
function entries(header: string | undefined): Entry[] {
  const found: Entry[] = [];
  for (const part of (header ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name !== DEVICE_COOKIE) continue;
    for (const text of value.join('=').split('~')) {
      if (!ENTRY.test(text)) continue;
      const [tag = '', device = '', expires = '', signature = ''] = text.split('.');
      found.push({ tag, device, expires: parseInt(expires, 36), signature });
    }
  }
  return found;
}
