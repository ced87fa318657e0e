// Where an event comes from, as a call's context knows it: who made the call (its principal), its
// request id (X-Request-Id, server/ops/request-log.ts) and the client's address. A domain passes
// this narrow slice, not its whole context, to what records events.
import type { Principal } from '../../server/crypto/token-service';

/** What recording an event needs of a call's context. */
export interface EventContext {
  principal?: Principal | null;
  requestId?: string;
  clientAddress?: string;
}

/** The actor of what the service does by itself (an endpoint paused after failing for long). */
export const SERVICE_ACTOR = 'service';

/**
 * Who did it, and from where: the caller, or `actor` when the call has none yet (a sign-in). Under
 * an impersonation the actor is the admin acting, and `impersonating` the user it acts as
 * (router/auth/impersonation): the admin did it, as the user.
 */
export function eventOrigin(
  ctx: EventContext,
  actor?: string,
): { actor: string; requestId: string | null; clientAddress: string | null; impersonating?: string } {
  const origin = { requestId: ctx.requestId ?? null, clientAddress: ctx.clientAddress ?? null };
  const principal = ctx.principal;
  if (principal?.impersonator !== undefined) {
    return { actor: principal.impersonator, impersonating: principal.id, ...origin };
  }
  return { actor: principal?.id ?? actor ?? 'anonymous', ...origin };
}
