// The sign-in secrets at rest, under one key (TOTP_KEY): TOTP secrets are encrypted (AES-256-GCM,
// a fresh IV each time, the row's identity bound in as associated data so a ciphertext copied to
// another row does not decrypt), and one-time codes, recovery codes and OAuth2 codes are stored
// only as keyed hashes (HMAC-SHA-256), so a copy of the database alone reveals none of them and
// cannot be brute-forced offline (a 6-digit code has only a million values). List cursors, which
// travel through clients and URLs, are sealed too (AES-256-GCM under a key of their own): a client
// can neither read the names or addresses in them nor change them unnoticed. Sub-keys are derived
// with HKDF, one per purpose, so no two uses ever share a key.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

export const SECRET_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 'v1';

export class SecretBox {
  private readonly encryptionKey: Buffer;
  private readonly hashKey: Buffer;
  private readonly derivationKey: Buffer;
  private readonly cursorKey: Buffer;

  constructor(key: Buffer) {
    if (key.length !== SECRET_KEY_BYTES) throw new Error(`the secret key must be ${SECRET_KEY_BYTES} bytes`);
    const derive = (purpose: string) =>
      Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `users-service ${purpose} ${VERSION}`, 32));
    this.encryptionKey = derive('totp-secret-encryption');
    this.hashKey = derive('code-hash');
    this.derivationKey = derive('oauth2-request-values');
    this.cursorKey = derive('list-cursor-encryption');
  }

  /** `v1.<iv>.<ciphertext>.<tag>`, base64url; `context` must be given again to open it. */
  seal(plaintext: string, context: string): string {
    return sealWith(this.encryptionKey, plaintext, context);
  }

  /** The plaintext, or an error when the box was changed, made under another key or for another context. */
  open(sealed: string, context: string): string {
    return openWith(this.encryptionKey, sealed, context);
  }

  /** A list cursor, sealed like `seal` (URL-safe: base64url parts joined by dots), under its own key. */
  sealCursor(plaintext: string, context: string): string {
    return sealWith(this.cursorKey, plaintext, context);
  }

  /** The cursor's plaintext, or an error when it was changed, made under another key or for another context. */
  openCursor(sealed: string, context: string): string {
    return openWith(this.cursorKey, sealed, context);
  }

  /** The keyed hash a code is stored and looked up by. `purpose` separates kinds of codes. */
  hash(purpose: string, code: string): string {
    return createHmac('sha256', this.hashKey).update(`${purpose}\0${code}`).digest('base64url');
  }

  /** Whether `code` hashes to `stored`, compared in constant time. */
  matches(purpose: string, code: string, stored: string): boolean {
    const expected = Buffer.from(this.hash(purpose, code));
    const actual = Buffer.from(stored);
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }

  /**
   * A value only this service can compute from a public one (PKCE verifiers and nonces from the
   * OAuth2 `state`), so nothing secret about a pending sign-in has to be stored.
   */
  derive(purpose: string, from: string): string {
    return createHmac('sha256', this.derivationKey).update(`${purpose}\0${from}`).digest('base64url');
  }
}

function sealWith(key: Buffer, plaintext: string, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv, ciphertext, cipher.getAuthTag()]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

function openWith(key: Buffer, sealed: string, context: string): string {
  const [version, iv, ciphertext, tag] = sealed.split('.');
  if (version !== VERSION || !iv || ciphertext === undefined || !tag) throw new Error('not a sealed secret');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
}

/** A random code of `bytes` bytes, base64url (for one-time codes that travel in URLs). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
