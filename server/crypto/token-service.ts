// The service's JWTs (RFC 8725): one algorithm per key, pinned on verify, with a fixed issuer, a
// bounded lifetime, and explicit types so that one kind can never stand in for another (§3.11):
// - access tokens (Bearer): `typ: at+jwt` (RFC 9068), audience JWT_AUDIENCE, a role, a `jti` (so a
//   logout can revoke one token), the user's credential `epoch` (so a credential change ends
//   every token issued before it; see router/auth/revocation) and `auth_time`, when the person
//   signed in (RFC 9470: a change of how they sign in asks for a recent one, router/users/step-up),
//   and `sid`, the session the sign-in began (router/sessions: ending it ends its access tokens);
//   an admin's token as one of its users (router/sessions/impersonation) names the admin in the
//   actor claim `act: {sub}` (RFC 8693 §4.1), and carries no `auth_time`: the user signed nothing in;
// - TOTP challenge tokens, the proof of a password between the two sign-in steps:
//   `typ: totp-challenge+jwt`, their own audience, five minutes.
// `alg: none`, other algorithms, unsigned, untyped or everlasting tokens are refused.
//
// Access tokens are signed with JWT_SECRET (HS256), or, once JWT_SIGNING_KEY is set, with that
// ECDSA key (ES256, ./signing-keys), whose public half the service publishes (`auth.jwks`, a JWKS)
// so that a product's backends verify them without holding anything that could make one. Challenge
// tokens stay HS256 under JWT_SECRET: only this service ever reads them.
//
// Keys rotate without signing anyone out: every token names the key it was signed with (`kid`, a
// fingerprint of the secret, never the secret; a signing key's RFC 7638 thumbprint), and the
// service verifies with JWT_SECRET, any of JWT_PREVIOUS_SECRETS, the signing key or any of
// JWT_VERIFY_KEYS, chosen by that `kid` and with that key's one algorithm (never by anything else
// in the header: an HS256 token naming an ECDSA key's `kid`, its public key taken for an HMAC
// secret, is refused). A token without `kid` (issued before kids existed) is verified with JWT_SECRET.
import { createHash, createSecretKey, randomUUID, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { ROLES, type Role } from '../../entities/enums';
import { SIGNING_ALGORITHM, type PublicJwk, type SigningKey } from './signing-keys';

export { ROLES, type Role };

/** Who is calling, as proven by a verified access token. */
export interface Principal {
  id: string;
  role: Role;
  /** When the token was issued (unix seconds). */
  issuedAt: number;
  /** The token's own id, for logout. Absent only for principals made in-process (tests, CLIs). */
  tokenId?: string;
  /** When the token expires (unix seconds). */
  expiresAt?: number;
  /** The user's credential epoch the token was issued under; absent for operator tokens. */
  epoch?: string;
  /**
   * When the person signed in to get this token (unix seconds, the `auth_time` of RFC 9470).
   * Absent for operator tokens and for tokens issued before the claim existed.
   */
  authTime?: number;
  /** The session the token belongs to (`sid`); absent for operator tokens and older tokens. */
  sessionId?: string;
  /**
   * Who acts under this token when it is not the user itself: the admin (or operator) that began an
   * impersonation (`act.sub`, RFC 8693 §4.1). Absent for every other token.
   */
  impersonator?: string;
  /**
   * A machine client registered to read only (`scope: read`): every write is refused to it
   * (router/trpc/procedures). Absent for every other token.
   */
  readOnly?: true;
  /**
   * What of the user's `app` metadata the token carries (`app_metadata`, TOKEN_APP_METADATA):
   * for the product's backends, and told by introspection; nothing here decides on it.
   */
  appMetadata?: Record<string, unknown>;
}

export interface TokenSettings {
  secret: string;
  /** Secrets tokens were signed with before the last rotation: still verified, never used to sign. */
  previousSecrets?: string[];
  /** The key access tokens are signed with (ES256), published; without it they are HS256. */
  signingKey?: SigningKey;
  /** Keys published and verified, signing nothing: the one before a rotation, or the next one. */
  verifyKeys?: SigningKey[];
  issuer: string;
  audience: string;
  /** Lifetime of issued tokens. */
  ttlSeconds: number;
  /** Leeway for clock skew between issuer and verifier on `exp` and `nbf`. */
  clockToleranceSeconds: number;
}

export const MIN_SECRET_BYTES = 32;
export const ACCESS_TOKEN_TYPE = 'at+jwt';
export const CHALLENGE_TOKEN_TYPE = 'totp-challenge+jwt';
export const CHALLENGE_TTL_SECONDS = 300;
const VERIFIED_CACHE_SIZE = 10_000;

const AccessClaims = z.object({
  sub: z.string().min(1),
  role: z.enum(ROLES),
  exp: z.number(),
  iat: z.number(),
  jti: z.uuid(),
  epoch: z.uuid().optional(),
  auth_time: z.number().int().nonnegative().optional(),
  sid: z.uuid().optional(),
  act: z.object({ sub: z.string().min(1) }).optional(),
  scope: z.literal('read').optional(),
  app_metadata: z.record(z.string(), z.unknown()).optional(),
});

const ChallengeClaims = z.object({
  sub: z.string().min(1),
  kind: z.enum(['totp', 'totp_enroll']),
  epoch: z.uuid(),
  enrollment: z.uuid().optional(),
  exp: z.number(),
  jti: z.uuid(),
});

/** The second sign-in step a password unlocks. */
export interface Challenge {
  /** The challenge's own id: wrong codes are counted against it. */
  id: string;
  userId: string;
  kind: 'totp' | 'totp_enroll';
  /** The user's credential epoch when the password was proven. */
  epoch: string;
  /** For `totp_enroll`: the pending secret this challenge may confirm. */
  enrollmentId?: string;
}

/** Why a token was refused; the text is safe to show to the caller. */
export class TokenError extends Error {
  override name = 'TokenError';
}

type Algorithm = 'HS256' | typeof SIGNING_ALGORITHM;

/** A key a token may name, and the one algorithm a token naming it may use. */
interface VerifyingKey {
  key: KeyObject;
  algorithm: Algorithm;
}

export class TokenService {
  // A key object, made once: given a string, jsonwebtoken first tries it as a public key on
  // every call, which costs more than the whole HMAC check.
  private readonly key: KeyObject;
  private readonly keyId: string;
  /** What access tokens are signed with: the signing key, or else JWT_SECRET. */
  private readonly accessSigner: { key: KeyObject; keyId: string; algorithm: Algorithm };
  /** Every key a token may be verified with, by its `kid`: the current ones and the previous ones. */
  private readonly keys = new Map<string, VerifyingKey>();
  private readonly published: PublicJwk[];
  private readonly challengeAudience: string;
  private readonly verified = new Map<string, { principal: Principal; validFrom: number; validUntil: number }>();

  constructor(private readonly settings: TokenSettings) {
    for (const secret of [settings.secret, ...(settings.previousSecrets ?? [])]) {
      if (Buffer.byteLength(secret) < MIN_SECRET_BYTES) {
        throw new Error(`a JWT secret must be at least ${MIN_SECRET_BYTES} bytes`);
      }
      const id = keyIdOf(secret);
      if (!this.keys.has(id))
        this.keys.set(id, { key: createSecretKey(Buffer.from(secret, 'utf8')), algorithm: 'HS256' });
    }
    this.keyId = keyIdOf(settings.secret);
    this.key = this.keys.get(this.keyId)!.key;
    const signing = settings.signingKey;
    if (signing && !signing.privateKey) throw new Error('the JWT signing key must be a private key');
    const pairs = [...(signing ? [signing] : []), ...(settings.verifyKeys ?? [])];
    for (const pair of pairs) this.keys.set(pair.kid, { key: pair.publicKey, algorithm: SIGNING_ALGORITHM });
    this.published = [...new Map(pairs.map((pair) => [pair.kid, pair.jwk])).values()];
    this.accessSigner = signing
      ? { key: signing.privateKey!, keyId: signing.kid, algorithm: SIGNING_ALGORITHM }
      : { key: this.key, keyId: this.keyId, algorithm: 'HS256' };
    this.challengeAudience = `${settings.audience}/totp-challenge`;
  }

  /**
   * The public keys access tokens are verified with (a JWK Set, RFC 7517 §5): the signing key
   * first, then JWT_VERIFY_KEYS. Empty while access tokens are HS256: nobody else can verify those.
   */
  get publicKeys(): { keys: PublicJwk[] } {
    return { keys: this.published };
  }

  get ttlSeconds(): number {
    return this.settings.ttlSeconds;
  }

  /** The `iss` and `aud` of access tokens (JWT_ISSUER, JWT_AUDIENCE). */
  get issuer(): string {
    return this.settings.issuer;
  }

  get audience(): string {
    return this.settings.audience;
  }

  /**
   * An access token for `principal`. `appMetadata`: what of the user's `app` metadata the token
   * carries (TOKEN_APP_METADATA), as its claim `app_metadata`; this service reads nothing from it.
   */
  issue(
    principal: Pick<
      Principal,
      'id' | 'role' | 'epoch' | 'authTime' | 'sessionId' | 'impersonator' | 'readOnly' | 'appMetadata'
    >,
    ttlSeconds = this.settings.ttlSeconds,
  ): { token: string; expiresIn: number } {
    const claims = {
      role: principal.role,
      ...(principal.epoch ? { epoch: principal.epoch } : {}),
      ...(principal.authTime !== undefined ? { auth_time: principal.authTime } : {}),
      ...(principal.sessionId ? { sid: principal.sessionId } : {}),
      ...(principal.impersonator ? { act: { sub: principal.impersonator } } : {}),
      ...(principal.readOnly ? { scope: 'read' } : {}),
      ...(principal.appMetadata ? { app_metadata: principal.appMetadata } : {}),
    };
    const { key, keyId, algorithm } = this.accessSigner;
    const token = jwt.sign(claims, key, {
      algorithm,
      header: { alg: algorithm, typ: ACCESS_TOKEN_TYPE, kid: keyId },
      subject: principal.id,
      issuer: this.settings.issuer,
      audience: this.settings.audience,
      expiresIn: ttlSeconds,
      jwtid: randomUUID(),
    });
    return { token, expiresIn: ttlSeconds };
  }

  /**
   * The signature and claims of an access token. Whether it was revoked since is the database's
   * to say (router/trpc/session-check), on every call: this cache only saves the HMAC and parsing.
   */
  verify(token: string): Principal {
    // a client sends the same token with every request: its signature verdict holds until the
    // token's own time window closes (bounded memory, first in first out)
    const now = Date.now() / 1000;
    const known = this.verified.get(token);
    if (known && now >= known.validFrom && now < known.validUntil) return known.principal;
    const { payload, nbf } = this.verifyInFull(token, ACCESS_TOKEN_TYPE, this.settings.audience);
    const claims = AccessClaims.safeParse(payload);
    if (!claims.success) throw new TokenError('token claims are missing or malformed');
    const { sub, role, iat, exp, jti, epoch, auth_time: authTime, sid: sessionId, act, scope } = claims.data;
    const appMetadata = claims.data.app_metadata;
    const principal: Principal = {
      id: sub,
      role,
      issuedAt: iat,
      tokenId: jti,
      expiresAt: exp,
      epoch,
      authTime,
      sessionId,
      ...(act ? { impersonator: act.sub } : {}),
      ...(scope === 'read' ? { readOnly: true as const } : {}),
      ...(appMetadata ? { appMetadata } : {}),
    };
    const tolerance = this.settings.clockToleranceSeconds;
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { principal, validFrom: (nbf ?? -Infinity) - tolerance, validUntil: exp + tolerance });
    return principal;
  }

  issueChallenge(challenge: Omit<Challenge, 'id'>): { challengeToken: string; expiresIn: number } {
    const claims = {
      kind: challenge.kind,
      epoch: challenge.epoch,
      ...(challenge.enrollmentId ? { enrollment: challenge.enrollmentId } : {}),
    };
    const challengeToken = jwt.sign(claims, this.key, {
      algorithm: 'HS256',
      header: { alg: 'HS256', typ: CHALLENGE_TOKEN_TYPE, kid: this.keyId },
      subject: challenge.userId,
      issuer: this.settings.issuer,
      audience: this.challengeAudience,
      expiresIn: CHALLENGE_TTL_SECONDS,
      jwtid: randomUUID(),
    });
    return { challengeToken, expiresIn: CHALLENGE_TTL_SECONDS };
  }

  verifyChallenge(token: string): Challenge {
    const { payload } = this.verifyInFull(token, CHALLENGE_TOKEN_TYPE, this.challengeAudience);
    const claims = ChallengeClaims.safeParse(payload);
    if (!claims.success) throw new TokenError('challenge claims are missing or malformed');
    const { jti, sub, kind, epoch, enrollment } = claims.data;
    return { id: jti, userId: sub, kind, epoch, ...(enrollment ? { enrollmentId: enrollment } : {}) };
  }

  private verifyInFull(token: string, type: string, audience: string): { payload: object; nbf?: number } {
    let verified: jwt.Jwt;
    const { key, algorithm } = this.keyFor(token);
    try {
      verified = jwt.verify(token, key, {
        algorithms: [algorithm],
        issuer: this.settings.issuer,
        audience,
        clockTolerance: this.settings.clockToleranceSeconds,
        complete: true,
      });
    } catch (error) {
      throw new TokenError(describeJwtFailure(error));
    }
    const { header, payload } = verified;
    if (header.typ !== type) {
      throw new TokenError(
        type === ACCESS_TOKEN_TYPE ? 'token is invalid: not an access token' : 'token is invalid: not a TOTP challenge',
      );
    }
    if (typeof payload !== 'object' || payload === null || !('exp' in payload)) {
      throw new TokenError('token has no expiry (exp)');
    }
    return { payload, nbf: typeof payload.nbf === 'number' ? payload.nbf : undefined };
  }

  /** The key the token names by `kid`; without one, the current secret. A `kid` we do not hold is refused. */
  private keyFor(token: string): VerifyingKey {
    const decoded = jwt.decode(token, { complete: true });
    const kid: unknown = decoded?.header.kid;
    if (kid === undefined) return { key: this.key, algorithm: 'HS256' };
    const key = typeof kid === 'string' ? this.keys.get(kid) : undefined;
    if (!key) throw new TokenError('token is invalid: signed with a key this service does not hold');
    return key;
  }
}

/**
 * A secret's key id: a truncated SHA-256 under a label of its own. It names the key in tokens
 * and tells nothing of it (the secret has at least 256 bits; the id is a one-way digest).
 */
export function keyIdOf(secret: string): string {
  return createHash('sha256').update('users-service jwt kid\0').update(secret).digest('base64url').slice(0, 16);
}

function describeJwtFailure(error: unknown): string {
  if (error instanceof jwt.TokenExpiredError) return 'token has expired';
  if (error instanceof jwt.NotBeforeError) return 'token is not valid yet';
  const message = error instanceof Error ? error.message : '';
  const reason = JWT_FAILURES.find(([pattern]) => pattern.test(message))?.[1];
  return reason ? `token is invalid: ${reason}` : 'token is invalid';
}

/** jsonwebtoken's failures, in words for the caller (its own messages may echo expected values). */
const JWT_FAILURES: Array<[RegExp, string]> = [
  [/^(jwt malformed|invalid token)/, 'malformed'],
  [/^invalid signature/, 'bad signature'],
  [/^jwt signature is required/, 'unsigned'],
  [/^invalid algorithm/, 'algorithm not allowed'],
  [/^jwt audience invalid/, 'wrong audience'],
  [/^jwt issuer invalid/, 'wrong issuer'],
  [/^jwt subject invalid/, 'wrong subject'],
];
