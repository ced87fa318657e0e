// A passkey authenticator in software, for the passkey tests: what a phone or a security key does,
// by the letter of WebAuthn Level 3 (§6.1 authenticator data, §6.5 attestation "none", §6.3.3 the
// assertion's signature), with a real P-256 key pair. Its answers are those a browser hands the
// page from `navigator.credentials.create()` and `.get()` (their `toJSON()`), so a test can send
// them to the service, or first change what a browser or a cloned authenticator would change: the
// origin, the relying party, the user verification flag, the counter. The browser tests use
// Chromium's own virtual authenticator instead (test/console/passkeys.browser.test.ts); the bench's
// sign-in suite signs in with it (bench/sign-in.ts).
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { encodeCBOR, type CBORType } from '@levischuck/tiny-cbor';

const b64url = (bytes: Uint8Array | Buffer) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const FLAG_AT = 0x40;

/** What a ceremony's answer may be made with instead of the right values. */
export interface Ceremony {
  /** The page's origin as the browser saw it; default: the authenticator's. */
  origin?: string;
  /** The relying party id hashed into the authenticator data; default: the options'. */
  rpId?: string;
  /** Whether the authenticator verified its user (a PIN, a biometric); default true. */
  userVerified?: boolean;
  /** The challenge signed; default: the options'. */
  challenge?: string;
  /** The counter to report (a sign-in); default: one more than the last. */
  counter?: number;
  /** The user handle to answer (a sign-in); default: the one stored with the credential. */
  userHandle?: string | null;
  /** The id of the credential to make (a registration); default: 16 random bytes. */
  credentialId?: Buffer;
}

/** A PublicKeyCredential as its `toJSON()` has it, with the ceremony's own `response`. */
function asJson<R>(credential: Pick<Credential, 'id'>, response: R) {
  return {
    id: b64url(credential.id),
    rawId: b64url(credential.id),
    type: 'public-key' as const,
    clientExtensionResults: {},
    response,
  };
}

interface Credential {
  id: Buffer;
  privateKey: KeyObject;
  publicKey: KeyObject;
  rpId: string;
  userHandle: string;
  counter: number;
}

interface CreationOptions {
  challenge: string;
  rp: { id?: string };
  user: { id: string };
}

interface RequestOptions {
  challenge: string;
  rpId?: string;
}

export class SoftAuthenticator {
  readonly credentials: Credential[] = [];

  constructor(
    /** Where the page using it is: the origin a browser would put in the client data. */
    readonly origin: string,
    /** Whether it counts its signatures (most security keys do; synced passkeys answer 0). */
    private readonly counts = true,
  ) {}

  /** The answer of `navigator.credentials.create(options)`, as its `toJSON()`. */
  create(options: CreationOptions, ceremony: Ceremony = {}) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const rpId = options.rp.id ?? new URL(this.origin).hostname;
    const credential: Credential = {
      id: ceremony.credentialId ?? randomBytes(16),
      privateKey,
      publicKey,
      rpId,
      userHandle: options.user.id,
      counter: 0,
    };
    const jwk = publicKey.export({ format: 'jwk' });
    // COSE_Key (RFC 9053): kty EC2, alg ES256, crv P-256, x, y
    const coseKey = encodeCBOR(
      new Map<number, CBORType>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credential.id.length);
    const attested = Buffer.concat([Buffer.alloc(16), idLength, credential.id, Buffer.from(coseKey)]);
    const authData = this.authenticatorData(ceremony.rpId ?? rpId, FLAG_AT, ceremony, 0, attested);
    const attestationObject = encodeCBOR(
      new Map<string, CBORType>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, CBORType>()],
        ['authData', authData],
      ]),
    );
    const clientDataJSON = this.clientData('webauthn.create', options.challenge, ceremony);
    this.credentials.push(credential);
    return asJson(credential, {
      clientDataJSON: b64url(clientDataJSON),
      attestationObject: b64url(attestationObject),
      transports: ['internal'],
    });
  }

  /** The answer of `navigator.credentials.get(options)` with its credential `index` (default: the last made). */
  get(options: RequestOptions, ceremony: Ceremony = {}, index = this.credentials.length - 1) {
    const credential = this.credentials[index];
    if (!credential) throw new Error('this authenticator holds no passkey yet');
    const counter = ceremony.counter ?? (this.counts ? credential.counter + 1 : 0);
    credential.counter = Math.max(credential.counter, counter);
    const authData = this.authenticatorData(ceremony.rpId ?? options.rpId ?? credential.rpId, 0, ceremony, counter);
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, ceremony);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), credential.privateKey);
    const userHandle = ceremony.userHandle === undefined ? credential.userHandle : ceremony.userHandle;
    return asJson(credential, {
      clientDataJSON: b64url(clientDataJSON),
      authenticatorData: b64url(authData),
      signature: b64url(signature),
      ...(userHandle === null ? {} : { userHandle }),
    });
  }

  private clientData(type: string, challenge: string, ceremony: Ceremony): Buffer {
    return Buffer.from(
      JSON.stringify({
        type,
        challenge: ceremony.challenge ?? challenge,
        origin: ceremony.origin ?? this.origin,
        crossOrigin: false,
      }),
    );
  }

  private authenticatorData(
    rpId: string,
    flags: number,
    ceremony: Ceremony,
    counter: number,
    attested: Buffer = Buffer.alloc(0),
  ): Buffer {
    const verified = ceremony.userVerified ?? true;
    // a synced passkey says so (backup eligible and backed up), as a phone's does
    const backup = this.counts ? 0 : FLAG_BE | FLAG_BS;
    const counterBytes = Buffer.alloc(4);
    counterBytes.writeUInt32BE(counter);
    return Buffer.concat([
      sha256(rpId),
      Buffer.from([flags | FLAG_UP | (verified ? FLAG_UV : 0) | backup]),
      counterBytes,
      attested,
    ]);
  }
}
