// Token introspection (RFC 7662), for the product's backends and gateways that cannot see a
// revocation in a token: a machine client (a resource server, router/clients) asks whether an
// access token is live now, and the answer is the service's own verdict, the one every call here
// gets (router/trpc/session-check: revoked, ended session, moved epoch, deleted user), read from the
// primary, in the same statement that checks the asker. The asker authenticates with its id and
// secret (RFC 7662 §2.1 requires it: otherwise the endpoint would tell anyone which tokens are
// live), whatever the token; failures are counted per client address as the token exchange's are. Nothing is written and nothing recorded per call (a gateway asks on every
// request). Any token that is not a live access token (expired, revoked, malformed, a refresh token,
// another service's) is `{"active": false}` alone, never why (§2.2).
import { TRPCError } from '@trpc/server';
import type { Context } from '../trpc/context';
import { UUID_PATTERN } from '../trpc/common-schemas';
import { factsStand } from '../trpc/session-check';
import { TokenError, type Principal } from '../../server/crypto/token-service';
import { clientLimitKey } from '../../server/limits/client-key';
import { takeOrRefuse } from '../auth/limit-refusal';
import { CLIENT_REFUSED, SECRET_PURPOSE } from './client-service';
import { readIntrospection } from './clients-store';
import type { Introspection, IntrospectionRequest } from './client-schemas';

/** What introspection needs of a call's context. */
export type IntrospectionContext = Pick<
  Context,
  'db' | 'secrets' | 'tokens' | 'limits' | 'responseHeaders' | 'clientAddress' | 'requestId' | 'principal'
>;

const INACTIVE: Introspection = { active: false };

export async function introspectToken(ctx: IntrospectionContext, input: IntrospectionRequest): Promise<Introspection> {
  const { client_id: id, client_secret: secret } = input;
  if (id === undefined || secret === undefined) {
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message: 'client authentication required: client_id and client_secret, by HTTP Basic or in the form',
    });
  }
  const limits = [['loginFailsByAddressPerDay', clientLimitKey(ctx.clientAddress)]] as const;
  await takeOrRefuse(ctx, limits, 'too many introspection requests');
  const principal = verified(ctx, input.token);
  // the asker is checked whatever the token: a stranger learns nothing of one, valid or not
  const read = UUID_PATTERN.test(id)
    ? await readIntrospection(ctx.db, id.toLowerCase(), ctx.secrets.hashes(SECRET_PURPOSE, secret), principal)
    : { clientOk: false };
  if (!read.clientOk) throw new TRPCError({ code: 'UNAUTHORIZED', message: CLIENT_REFUSED });
  await ctx.limits.giveBack(limits);
  if (!principal || !factsStand(read.facts, principal)) return INACTIVE;
  return {
    active: true,
    sub: principal.id,
    role: principal.role,
    ...(principal.readOnly ? { scope: 'read' as const } : {}),
    token_type: 'Bearer',
    iss: ctx.tokens.issuer,
    aud: ctx.tokens.audience,
    exp: principal.expiresAt,
    iat: principal.issuedAt,
    jti: principal.tokenId,
    ...(principal.sessionId ? { sid: principal.sessionId } : {}),
    ...(principal.authTime !== undefined ? { auth_time: principal.authTime } : {}),
    ...(principal.impersonator !== undefined ? { act: { sub: principal.impersonator } } : {}),
    ...(principal.appMetadata ? { app_metadata: principal.appMetadata } : {}),
  };
}

/** The token's principal when it is an access token of this service's keys, in its time; else none. */
function verified(ctx: IntrospectionContext, token: string): Principal | undefined {
  try {
    return ctx.tokens.verify(token);
  } catch (error) {
    if (error instanceof TokenError) return undefined;
    throw error;
  }
}
