// The context of a procedure call. `createContextInner` is what every call runs with (tests
// call it directly); `contextFactory` builds it from an HTTP request: a fresh unit of work,
// the caller proven by the Bearer token (if any) and the client's address.
import type { IncomingMessage } from 'node:http';
import type { MikroORM } from '@mikro-orm/postgresql';
import { RequestDatabase } from './database';
import type { PasswordHasher } from './passwords';
import type { RateLimiter } from './rate-limit';
import { TokenError, type Principal, type TokenService } from './tokens';

/** What the service builds once at start-up and every request shares. */
export interface Services {
  orm: MikroORM;
  passwords: PasswordHasher;
  tokens: TokenService;
  /** Limits sign-in attempts per client address (`address`) and per email (`email`). */
  loginLimiter: RateLimiter;
  /** How long a procedure call may take before it is cut with a 503. */
  requestTimeoutMs: number;
}

export interface ContextOptions extends Omit<Services, 'orm'> {
  /** This request's view of the database: its own unit of work, and prepared reads. */
  db: RequestDatabase;
  /** The verified caller; null when no usable token came with the call. */
  principal: Principal | null;
  /** Why there is no principal, for the 401 the caller will get. */
  authProblem?: string;
  /** The address the request came from (the proxy's view when the app trusts a proxy). */
  clientAddress: string;
}

export function createContextInner(opts: ContextOptions) {
  // headers a procedure wants on its response (Retry-After); both adapters send them
  return { ...opts, responseHeaders: {} as Record<string, string> };
}

export type Context = ReturnType<typeof createContextInner>;

export function contextFactory({ orm, ...services }: Services, clientAddress: (req: IncomingMessage) => string) {
  return ({ req }: { req: IncomingMessage }): Context =>
    createContextInner({
      ...services,
      db: new RequestDatabase(orm),
      clientAddress: clientAddress(req),
      ...authenticate(req.headers.authorization, services.tokens),
    });
}

function authenticate(
  header: string | undefined,
  tokens: TokenService,
): Pick<ContextOptions, 'principal' | 'authProblem'> {
  if (!header) return { principal: null, authProblem: 'missing bearer token' };
  const match = /^Bearer +(\S+) *$/i.exec(header);
  if (!match?.[1]) return { principal: null, authProblem: 'authorization must be a Bearer token' };
  try {
    return { principal: tokens.verify(match[1]) };
  } catch (error) {
    if (error instanceof TokenError) return { principal: null, authProblem: error.message };
    throw error;
  }
}
