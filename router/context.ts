// The context of a procedure call. `createContextInner` is what every call runs with (tests
// call it directly); `contextFactory` builds it from an HTTP request: a fresh unit of work
// and the caller proven by the Bearer token, if any.
import type { IncomingMessage } from 'node:http';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { PasswordHasher } from './passwords';
import { TokenError, type Principal, type TokenService } from './tokens';

export interface ContextOptions {
  /** A unit of work of its own: never the global EntityManager. */
  em: EntityManager;
  passwords: PasswordHasher;
  /** The verified caller; null when no usable token came with the call. */
  principal: Principal | null;
  /** Why there is no principal, for the 401 the caller will get. */
  authProblem?: string;
}

export function createContextInner(opts: ContextOptions) {
  return { ...opts };
}

export type Context = ReturnType<typeof createContextInner>;

/** What the service builds once at start-up and every request shares. */
export interface Services {
  orm: MikroORM;
  passwords: PasswordHasher;
  tokens: TokenService;
}

export function contextFactory(services: Services) {
  return ({ req }: { req: IncomingMessage }): Context =>
    createContextInner({
      em: services.orm.em.fork(),
      passwords: services.passwords,
      ...authenticate(req.headers.authorization, services.tokens),
    });
}

function authenticate(header: string | undefined, tokens: TokenService): Pick<Context, 'principal' | 'authProblem'> {
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
