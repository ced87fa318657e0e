// Bearer tokens: HS256 JWTs with a fixed issuer and audience, a bounded lifetime and a role.
// Verification pins the algorithm (RFC 8725) and requires `exp`, so `alg: none`, other
// algorithms, unsigned or everlasting tokens are refused.
import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';

export const ROLES = ['admin', 'user'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as proven by a verified token. */
export interface Principal {
  id: string;
  role: Role;
  /** When the token was issued (unix seconds): a user created after that is not its subject. */
  issuedAt: number;
}

export interface TokenSettings {
  secret: string;
  issuer: string;
  audience: string;
  /** Lifetime of issued tokens. */
  ttlSeconds: number;
  /** Leeway for clock skew between issuer and verifier on `exp` and `nbf`. */
  clockToleranceSeconds: number;
}

export const MIN_SECRET_BYTES = 32;
const VERIFIED_CACHE_SIZE = 10_000;

const Claims = z.object({ sub: z.string().min(1), role: z.enum(ROLES), exp: z.number(), iat: z.number() });

/** Why a token was refused; the text is safe to show to the caller. */
export class TokenError extends Error {
  override name = 'TokenError';
}

export class TokenService {
  // A key object, made once: given a string, jsonwebtoken first tries it as a public key on
  // every call, which costs more than the whole HMAC check.
  private readonly key: KeyObject;
  private readonly verified = new Map<string, { principal: Principal; validFrom: number; validUntil: number }>();

  constructor(private readonly settings: TokenSettings) {
    if (Buffer.byteLength(settings.secret) < MIN_SECRET_BYTES) {
      throw new Error(`the JWT secret must be at least ${MIN_SECRET_BYTES} bytes`);
    }
    this.key = createSecretKey(Buffer.from(settings.secret, 'utf8'));
  }

  issue(
    principal: Pick<Principal, 'id' | 'role'>,
    ttlSeconds = this.settings.ttlSeconds,
  ): { token: string; expiresIn: number } {
    const token = jwt.sign({ role: principal.role }, this.key, {
      algorithm: 'HS256',
      subject: principal.id,
      issuer: this.settings.issuer,
      audience: this.settings.audience,
      expiresIn: ttlSeconds,
    });
    return { token, expiresIn: ttlSeconds };
  }

  verify(token: string): Principal {
    // a client sends the same token with every request: its verdict holds until the token's
    // own time window closes, so it is checked in full once (bounded memory, first in first out)
    const now = Date.now() / 1000;
    const known = this.verified.get(token);
    if (known && now >= known.validFrom && now < known.validUntil) return known.principal;
    const principal = this.verifyInFull(token);
    const claims = jwt.decode(token) as { exp: number; nbf?: number };
    const tolerance = this.settings.clockToleranceSeconds;
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, {
      principal,
      validFrom: (claims.nbf ?? -Infinity) - tolerance,
      validUntil: claims.exp + tolerance,
    });
    return principal;
  }

  private verifyInFull(token: string): Principal {
    let payload: unknown;
    try {
      payload = jwt.verify(token, this.key, {
        algorithms: ['HS256'],
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        clockTolerance: this.settings.clockToleranceSeconds,
      });
    } catch (error) {
      throw new TokenError(describeJwtFailure(error));
    }
    if (typeof payload !== 'object' || payload === null || !('exp' in payload)) {
      throw new TokenError('token has no expiry (exp)');
    }
    const claims = Claims.safeParse(payload);
    if (!claims.success) throw new TokenError('token claims are missing or malformed');
    return { id: claims.data.sub, role: claims.data.role, issuedAt: claims.data.iat };
  }
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
