// The sign-in secrets at rest, under one key (TOTP_KEY): TOTP secrets are encrypted (AES-256-GCM,
// a fresh IV each time, the row's identity bound in as associated data so a ciphertext copied to
// another row does not decrypt), and one-time codes, recovery codes and OAuth2 codes are stored
// only as keyed hashes (HMAC-SHA-256), so a copy of the database alone reveals none of them and
// cannot be brute-forced offline (a 6-digit code has only a million values). List cursors, which
// travel through clients and URLs, are sealed too (AES-256-GCM under a key of their own): a client
// can neither read the names or addresses in them nor change them unnoticed. Sub-keys are derived
// with HKDF, one per purpose, so no two uses ever share a key.
//
// The key rotates (TOTP_PREVIOUS_KEYS, docs/operations.md): everything new is sealed, hashed and
// derived under the current key only, while what was made under a previous key still opens, and
// a stored hash is looked up by its hash under every key (`hashes`), so a rotation signs nobody
// out and loses no enrollment. A sealed value names its key (`v2.<key id>.…`), so it is opened by
// that key alone and `npm run reseal` can tell what still needs the previous key.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

export const SECRET_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** HKDF's info names this version of the derivation; it is not the sealed format's version. */
const DERIVATION = 'v1';
/** Sealed before keys had ids: `v1.<iv>.<ciphertext>.<tag>`, opened by trying each key. */
const UNNAMED = 'v1';
/** `v2.<key id>.<iv>.<ciphertext>.<tag>`. */
const NAMED = 'v2';

/** One key's sub-keys, one per purpose. */
interface KeyRing {
  id: string;
  encryption: Buffer;
  hash: Buffer;
  derivation: Buffer;
  cursor: Buffer;
}

type SealingKey = 'encryption' | 'cursor';

/**
 * A code's hashes under each key held, the current key's first (`SecretBox.hashes`): what a stored
 * hash is looked up by, so one made before a rotation still matches. A store sends the list as a
 * knex binding, which knex spreads into a list of parameters (`code_hash in (?)`).
 */
export type KeyedHashes = readonly string[];

export class SecretBox {
  /** The current key first, then the previous ones, as configured. */
  private readonly rings: readonly KeyRing[];

  constructor(key: Buffer, previousKeys: readonly Buffer[] = []) {
    const rings = new Map<string, KeyRing>();
    for (const each of [key, ...previousKeys]) {
      if (each.length !== SECRET_KEY_BYTES) throw new Error(`the secret key must be ${SECRET_KEY_BYTES} bytes`);
      const ring = keyRing(each);
      // a previous key listed twice, or the current key listed again, is one key
      if (!rings.has(ring.id)) rings.set(ring.id, ring);
    }
    this.rings = [...rings.values()];
  }

  /** The id of the current key (a hash of it, not the key): what `v2` seals name. */
  get keyId(): string {
    return this.current.id;
  }

  /** The ids of the previous keys held, as configured. */
  get previousKeyIds(): string[] {
    return this.rings.slice(1).map((ring) => ring.id);
  }

  /** `v2.<key id>.<iv>.<ciphertext>.<tag>`, base64url; `context` must be given again to open it. */
  seal(plaintext: string, context: string): string {
    return sealWith(this.current, 'encryption', plaintext, context);
  }

  /** The plaintext, or an error when the box was changed, made under a key not held, or for another context. */
  open(sealed: string, context: string): string {
    return this.openWith('encryption', sealed, context);
  }

  /**
   * How a seal under each key held begins (`v2.<key id>.`), the current key's first: a seal that
   * begins with none was made before key ids, or under a key not held.
   */
  get heldSealPrefixes(): string[] {
    return this.rings.map((ring) => `${NAMED}.${ring.id}.`);
  }

  /** How a seal made before key ids begins (`v1.`): opened by trying each key held. */
  get unnamedSealPrefix(): string {
    return `${UNNAMED}.`;
  }

  /** A list cursor, sealed like `seal` (URL-safe: base64url parts joined by dots), under its own key. */
  sealCursor(plaintext: string, context: string): string {
    return sealWith(this.current, 'cursor', plaintext, context);
  }

  /** The cursor's plaintext, or an error when it was changed, made under a key not held, or for another context. */
  openCursor(sealed: string, context: string): string {
    return this.openWith('cursor', sealed, context);
  }

  /** The keyed hash a code is stored by: under the current key. `purpose` separates kinds of codes. */
  hash(purpose: string, code: string): string {
    return keyedHash(this.current, purpose, code);
  }

  /**
   * Every hash a stored code may have been stored by, current key first: a lookup matches any of
   * them, so codes, sessions and recovery codes made before a rotation still work after it.
   */
  hashes(purpose: string, code: string): KeyedHashes {
    return this.rings.map((ring) => keyedHash(ring, purpose, code));
  }

  /** Whether `code` hashes to `stored` under any key held, compared in constant time. */
  matches(purpose: string, code: string, stored: string): boolean {
    const actual = Buffer.from(stored);
    return this.hashes(purpose, code).some((hash) => {
      const expected = Buffer.from(hash);
      return expected.length === actual.length && timingSafeEqual(expected, actual);
    });
  }

  /**
   * A value only this service can compute from a public one (PKCE verifiers and nonces from the
   * OAuth2 `state`), so nothing secret about a pending sign-in has to be stored. `key`, the index
   * in `hashes` of the hash a stored value was found by, derives it again under the key it was
   * first derived under, across a rotation.
   */
  derive(purpose: string, from: string, key = 0): string {
    const ring = this.rings[key];
    if (!ring) throw new Error('no such key');
    return createHmac('sha256', ring.derivation).update(`${purpose}\0${from}`).digest('base64url');
  }

  private get current(): KeyRing {
    return this.rings[0] as KeyRing;
  }

  private openWith(which: SealingKey, sealed: string, context: string): string {
    const parts = sealed.split('.');
    if (parts[0] === NAMED && parts.length === 5) {
      const ring = this.rings.find((each) => each.id === parts[1]);
      if (!ring) throw new Error('sealed under a key this service does not hold (TOTP_KEY, TOTP_PREVIOUS_KEYS)');
      return openParts(ring[which], parts.slice(2), context);
    }
    if (parts[0] === UNNAMED && parts.length === 4) {
      // GCM's tag fails under any other key, so trying each key finds the one
      for (const ring of this.rings) {
        try {
          return openParts(ring[which], parts.slice(1), context);
        } catch {
          continue;
        }
      }
      throw new Error('sealed under a key this service does not hold (TOTP_KEY, TOTP_PREVIOUS_KEYS), or changed');
    }
    throw new Error('not a sealed secret');
  }
}

function keyRing(key: Buffer): KeyRing {
  const derive = (purpose: string) =>
    Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `users-service ${purpose} ${DERIVATION}`, 32));
  return {
    // a hash of the key, so the id tells keys apart without telling anything of them
    id: createHash('sha256').update('users-service secret key id\0').update(key).digest('base64url').slice(0, 12),
    encryption: derive('totp-secret-encryption'),
    hash: derive('code-hash'),
    derivation: derive('oauth2-request-values'),
    cursor: derive('list-cursor-encryption'),
  };
}

function keyedHash(ring: KeyRing, purpose: string, code: string): string {
  return createHmac('sha256', ring.hash).update(`${purpose}\0${code}`).digest('base64url');
}

function sealWith(ring: KeyRing, which: SealingKey, plaintext: string, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', ring[which], iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [NAMED, ring.id, ...[iv, ciphertext, cipher.getAuthTag()].map((part) => part.toString('base64url'))].join('.');
}

function openParts(key: Buffer, [iv, ciphertext, tag]: string[], context: string): string {
  if (!iv || ciphertext === undefined || !tag) throw new Error('not a sealed secret');
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
