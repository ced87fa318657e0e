// Impersonation: an admin acts as one of its users, to see what the user sees and help (Keycloak's
// "Impersonate", Clerk's actor tokens, better-auth's admin plugin). What keeps it honest:
// - the token names the admin in its actor claim (`act`, RFC 8693 §4.1), and every event recorded
//   under it has the admin as its actor and the user in `data.impersonating`: who did what stays
//   known;
// - it begins a session of the user's, listed among the user's sessions with the admin's id, the
//   user's history shows `auth.impersonated` with the reason given, and the user is told by mail
//   (../security-notices): the user can see it and end it;
// - it may do what the user may and no more (role `user`), lasts at most an hour and cannot be
//   renewed; the user's credentials, and deleting the account, stay the user's own
//   (router/users/step-up refuses them under an actor);
// - it ends with the admin's session (a logout, the admin's sessions ended, disabled, deleted), and
//   with the user's (a credential change, disabled, deleted): the session check refuses it then;
// - admins cannot be impersonated (an admin acting as another would act with another's name), nor
//   disabled accounts (they may not sign in), nor the admin itself.
import { TRPCError } from '@trpc/server';
import type { Principal } from '../../../server/crypto/token-service';
import { badRequest } from '../../trpc/api-errors';
import { recordEvent } from '../../events/events-store';
import { eventOrigin } from '../../events/event-origin';
import { beginImpersonation, type SessionContext } from '../../sessions/session-service';
import type { ImpersonateCommand, Impersonation } from '../../sessions/session-schemas';
import { isDisabled, ACCOUNT_DISABLED, userAccountOrNotFound } from '../accounts';
import { queueSecurityNotice, type NoticeContext } from '../security-notices';

/** What impersonation needs of a call's context. */
export type ImpersonationContext = SessionContext & NoticeContext & { principal: Principal };

export async function impersonate(ctx: ImpersonationContext, input: ImpersonateCommand): Promise<Impersonation> {
  const { principal } = ctx;
  // an admin's token never carries an actor (admins cannot be impersonated); said for the day one could
  if (principal.impersonator !== undefined) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'an impersonation cannot begin another one' });
  }
  if (input.id === principal.id) throw badRequest('id: an admin cannot impersonate itself');
  const account = await userAccountOrNotFound(ctx.db.em, input.id);
  if (account.role === 'admin') {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'an admin cannot be impersonated' });
  }
  if (isDisabled(account, ctx.clock.now())) throw new TRPCError({ code: 'FORBIDDEN', message: ACCOUNT_DISABLED });
  const started = await ctx.db.em.transactional(async (tx) => {
    const session = await beginImpersonation(ctx, tx, {
      userId: account.userId,
      epoch: account.epoch,
      impersonator: principal.id,
      parentId: principal.sessionId ?? null,
      // never past the point where the user's list would stop showing it as live
      expiresIn: Math.min(input.expiresIn, ctx.sessionSettings.idleSeconds, ctx.sessionSettings.maxSeconds),
    });
    if (!session) return null;
    // the user is told by mail too, from the same transaction (its outbox)
    await queueSecurityNotice(tx, ctx, account.userId, account.address, {
      kind: 'impersonation',
      reason: input.reason,
      until: session.expiresAt,
    });
    await recordEvent(tx, {
      type: 'auth.impersonated',
      userId: account.userId,
      ...eventOrigin(ctx),
      data: {
        sessionId: session.sessionId,
        reason: input.reason,
        expiresAt: session.expiresAt.toISOString(),
      },
    });
    return session;
  });
  // the admin's session ended between its check and this insert: as if its token had been refused
  if (!started) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'the session of this token has ended' });
  // the token's first access check must see its session, on whichever copy it reads
  ctx.db.affects(account.userId);
  return {
    token: started.token,
    tokenType: 'Bearer',
    expiresIn: started.expiresIn,
    sessionId: started.sessionId,
    userId: account.userId,
  };
}
