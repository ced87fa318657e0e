// A person links the OpenID provider to its own account, whatever else it signs in with (Clerk's
// connected accounts, Supabase's linkIdentity, better-auth's linkSocial, Keycloak's identity
// provider links), and unlinks it. Asked as any change of how an account signs in: the person's
// own token, a recent sign-in, never an impersonation (router/users/step-up). The request begins a
// sign-in at the provider, bound to the browser as every one is (./oauth2.ts), which names the
// account and its credential epoch; the callback links that identity (./identity-link.ts) and
// sends the browser back with `linked=1`. From then on signing in with the provider signs in to the
// account. Unlinking ends the sessions the provider signed in (but the caller's), and is refused
// to an account that signs in only there (authMethod 3). Both are in the account's history and
// told to its address. An admin sees whether a user is linked and unlinks it (a provider account
// the user lost, or that was taken over), as Keycloak's and Auth0's admins remove identity links;
// linking is the person's alone, since only it can sign in at the provider.
import { TRPCError } from '@trpc/server';
import { AuthMethod } from '../../../entities';
import type { Principal } from '../../../server/crypto/token-service';
import { callersAccount, userAccountOrNotFound, type Account } from '../accounts';
import { recordEvent } from '../../events/events-store';
import { eventOrigin } from '../../events/event-origin';
import { queueSecurityNotice } from '../security-notices';
import { deleteSessionsByMethod } from '../../sessions/sessions-store';
import { requireRecentSignIn, type StepUpContext } from '../../users/step-up';
import { badRequest } from '../../trpc/api-errors';
import { beginAtProvider, provider, type OAuth2Context } from './oauth2';
import { identityOf, removeOAuthIdentity } from './oauth2-store';
import { TOTP_LINK_REFUSAL } from './identity-link';
import type { OAuth2LinkStatus } from './oauth2-link-schemas';

export type LinkContext = OAuth2Context & StepUpContext & { principal: Principal };

const NOT_A_PERSON = 'an OpenID provider is linked to a person’s own account';
const CHANGE = ['OpenID provider sign-in'] as const;

export async function startLink(ctx: LinkContext, returnTo: string): Promise<{ location: string }> {
  const op = provider(ctx);
  const account = await callersAccount(ctx, NOT_A_PERSON);
  requireRecentSignIn(ctx, account.userId, CHANGE);
  if (account.authMethod === AuthMethod.totp) throw badRequest(TOTP_LINK_REFUSAL);
  if (await identityOf(ctx.db.em, account.userId)) {
    throw new TRPCError({ code: 'CONFLICT', message: `a ${op.name} identity is linked to your account already` });
  }
  return beginAtProvider(ctx, op, returnTo, { userId: account.userId, epoch: account.epoch });
}

/** Whether the caller's own account is linked. */
export async function linkStatus(ctx: LinkContext): Promise<OAuth2LinkStatus> {
  return statusOf(ctx, await callersAccount(ctx, NOT_A_PERSON));
}

/** Whether a user's account is linked (admin). */
export async function linkStatusOfUser(ctx: LinkContext, userId: string): Promise<OAuth2LinkStatus> {
  return statusOf(ctx, await userAccountOrNotFound(ctx.db.em, userId));
}

async function statusOf(ctx: LinkContext, account: Account): Promise<OAuth2LinkStatus> {
  const op = provider(ctx);
  const identity = await identityOf(ctx.db.em, account.userId);
  return {
    provider: op.name,
    linked: identity !== undefined,
    linkedAt: identity?.linkedAt.toISOString() ?? null,
    required: account.authMethod === AuthMethod.oauth2,
  };
}

/** Unlinks the caller's own account (a recent sign-in). */
export async function unlink(ctx: LinkContext): Promise<void> {
  const account = await callersAccount(ctx, NOT_A_PERSON);
  requireRecentSignIn(ctx, account.userId, CHANGE);
  await unlinkAccount(ctx, account);
}

/** Unlinks a user's account (admin): every session the provider signed in ends. */
export async function unlinkUser(ctx: LinkContext, userId: string): Promise<void> {
  await unlinkAccount(ctx, await userAccountOrNotFound(ctx.db.em, userId));
}

async function unlinkAccount(ctx: LinkContext, account: Account): Promise<void> {
  const op = provider(ctx);
  const own = ctx.principal.id === account.userId;
  if (account.authMethod === AuthMethod.oauth2) {
    throw new TRPCError({
      code: 'CONFLICT',
      message: `${own ? 'your account signs' : 'this account signs'} in only with ${op.name}: choose another way to sign in (a password, or codes by email) before unlinking it`,
    });
  }
  const keep = own ? (ctx.principal.sessionId ?? null) : null;
  await ctx.db.em.transactional(async (tx) => {
    if (!(await removeOAuthIdentity(tx, account.userId))) {
      throw new TRPCError({
        code: 'NOT_FOUND',
        message: `no ${op.name} identity is linked to ${own ? 'your' : 'this'} account`,
      });
    }
    const sessionIds = await deleteSessionsByMethod(tx, account.userId, 'oauth2', keep);
    await recordEvent(tx, {
      type: 'auth.identity_unlinked',
      userId: account.userId,
      ...eventOrigin(ctx),
      data: { provider: op.name, sessionIds },
    });
    await queueSecurityNotice(tx, ctx, account.userId, account.address, { kind: 'provider unlinked', name: op.name });
  });
  // the ended sessions' next calls read no copy that still has them (server/database/read-your-writes)
  ctx.db.affects(account.userId);
}
