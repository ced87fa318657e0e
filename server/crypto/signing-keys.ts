// The key pairs access tokens are signed with when a product's backends verify them on their own
// (JWT_SIGNING_KEY, JWT_VERIFY_KEYS): ECDSA on P-256, ES256 only (RFC 7518 §3.4), pinned per key
// by the token service (RFC 8725 §3.1), so no token can name another algorithm for one of them.
// A key is given as PEM or as base64 of its DER, either the private key (PKCS #8) or, for a key
// that only verifies, the public one (SPKI). Each is published as a JWK (RFC 7517) named by its
// RFC 7638 thumbprint, which is also the `kid` of the tokens it signs; the private part never
// leaves this module's KeyObject.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

export const SIGNING_ALGORITHM = 'ES256';
const CURVE = 'P-256';

/** A published verification key, as the JWKS answers it. */
export interface PublicJwk {
  kty: 'EC';
  crv: typeof CURVE;
  x: string;
  y: string;
  kid: string;
  alg: typeof SIGNING_ALGORITHM;
  use: 'sig';
}

export interface SigningKey {
  kid: string;
  publicKey: KeyObject;
  /** Absent for a key given by its public half: it verifies, and signs nothing. */
  privateKey?: KeyObject;
  jwk: PublicJwk;
}

/** Why key material was refused; says what was wrong, never the material. */
export class SigningKeyError extends Error {
  override name = 'SigningKeyError';
}

/** A key from PEM or base64 DER, private (PKCS #8) or public (SPKI); only P-256 is taken. */
export function parseSigningKey(material: string): SigningKey {
  const text = material.trim().replaceAll('\\n', '\n');
  let privateKey: KeyObject | undefined;
  let publicKey: KeyObject;
  try {
    if (text.startsWith('-----BEGIN')) {
      privateKey = /^-----BEGIN (EC )?PRIVATE KEY-----/.test(text) ? createPrivateKey(text) : undefined;
      publicKey = privateKey ? createPublicKey(privateKey) : createPublicKey(text);
    } else {
      if (!/^[A-Za-z0-9+/_-]+=*$/.test(text)) throw new SigningKeyError('must be PEM, or base64 of a DER key');
      const der = Buffer.from(text, 'base64');
      try {
        privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
        publicKey = createPublicKey(privateKey);
      } catch {
        publicKey = createPublicKey({ key: der, format: 'der', type: 'spki' });
      }
    }
  } catch (error) {
    if (error instanceof SigningKeyError) throw error;
    throw new SigningKeyError('is not a key: PEM, or base64 of PKCS #8 (private) or SPKI (public) DER');
  }
  if (publicKey.asymmetricKeyType !== 'ec' || publicKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new SigningKeyError(
      `must be an ECDSA key on ${CURVE} (ES256); make one with npm run token -- --new-signing-key`,
    );
  }
  const { x, y } = publicKey.export({ format: 'jwk' });
  const kid = thumbprint(x!, y!);
  return {
    kid,
    publicKey,
    privateKey,
    jwk: { kty: 'EC', crv: CURVE, x: x!, y: y!, kid, alg: SIGNING_ALGORITHM, use: 'sig' },
  };
}

/** A new P-256 key pair, its private key as base64 PKCS #8 DER (what JWT_SIGNING_KEY takes). */
export function newSigningKey(): { material: string; key: SigningKey } {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const material = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
  return { material, key: parseSigningKey(material) };
}

/**
 * RFC 7638: SHA-256 over the key's required members in lexicographic order, no whitespace.
 * jose's calculateJwkThumbprint computes the same (test/security/signing-keys.test.ts).
 */
function thumbprint(x: string, y: string): string {
  const canonical = JSON.stringify({ crv: CURVE, kty: 'EC', x, y });
  return createHash('sha256').update(canonical).digest('base64url');
}
