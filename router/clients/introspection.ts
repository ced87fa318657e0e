// Token introspection (RFC 7662), for the product's backends and gateways that cannot see a
// revocation in a token: a machine client (a resource server, router/clients) asks whether an
// access token is live now, and the answer is the service's own verdict, the one every call here
// gets (router/trpc/session-check: revoked, ended session, moved epoch, deleted user), read from the
// primary. The asker authenticates with its id and secret (RFC 7662 §2.1 requires it: otherwise the
// endpoint would tell anyone which tokens are live); failures are counted per client address as the
// token exchange's are. Nothing is written and nothing recorded per call (a gateway asks on every
// request). Any token that is not a live access token (expired, revoked, malformed, a refresh token,
// another service's) is `{"active": false}` alone, never why (§2.2).
import { TRPCError } from '@trpc/server';
import type { Context } from '../trpc/context';
import { UUID_PATTERN } from '../trpc/common-schemas';
import { tokenStands } from '../trpc/session-check';
import { TokenError, type Principal } from '../../server/crypto/token-service';
import { clientLimitKey } from '../../server/limits/client-key';
import { takeOrRefuse } from '../auth/limit-refusal';
import { CLIENT_REFUSED, SECRET_PURPOSE } from './client-service';
import { clientBySecret } from './clients-store';
import type { Introspection, IntrospectionRequest } from './client-schemas';

/** What introspection needs of a call's context. */
export type IntrospectionContext = Pick<
  Context,
  'db' | 'secrets' | 'tokens' | 'limits' | 'responseHeaders' | 'clientAddress' | 'requestId' | 'principal'
>;

const INACTIVE: Introspection = { active: false };

export async function introspectToken(ctx: IntrospectionContext, input: IntrospectionRequest): Promise<Introspection> {
  await authenticateClient(ctx, input.client_id, input.client_secret);
  let principal: Principal;
  try {
    principal = ctx.tokens.verify(input.token);
  } catch (error) {
    if (error instanceof TokenError) return INACTIVE;
    throw error;
  }
  if (!(await tokenStands(ctx.db, principal))) return INACTIVE;
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

/** The asking client's id and secret, or the token endpoint's 401 (the same for every wrong one). */
async function authenticateClient(ctx: IntrospectionContext, id?: string, secret?: string): Promise<void> {
  if (id === undefined || secret === undefined) {
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message: 'client authentication required: client_id and client_secret, by HTTP Basic or in the form',
    });
  }
  const limits = [['loginFailsByAddressPerDay', clientLimitKey(ctx.clientAddress)]] as const;
  await takeOrRefuse(ctx, limits, 'too many introspection requests');
  const row = UUID_PATTERN.test(id)
    ? await clientBySecret(ctx.db.em, id.toLowerCase(), ctx.secrets.hashes(SECRET_PURPOSE, secret))
    : undefined;
  if (!row) throw new TRPCError({ code: 'UNAUTHORIZED', message: CLIENT_REFUSED });
  await ctx.limits.giveBack(limits);
}
