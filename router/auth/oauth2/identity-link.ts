// What the provider's callback does with a person's request to link its identity there to its
// account (the request: ./oauth2-link.ts): the checks, and the binding with its event and notice,
// in one transaction. The account is the one the request named, at the credential epoch of then:
// a new password, an ended session or a removed account between the request and the callback
// links nothing. An identity signs in to one account, and an account has one identity: either
// taken is a refusal that says so. An account with an authenticator (authMethod 2) links none,
// since signing in with the provider would skip its code.
import { AuthMethod } from '../../../entities';
import { accountByUserId } from '../accounts';
import { recordEvent } from '../../events/events-store';
import { eventOrigin } from '../../events/event-origin';
import { queueSecurityNotice, type NoticeContext } from '../security-notices';
import type { Context } from '../../trpc/context';
import { bindIdentity, boundUser } from './oauth2-store';

export type IdentityLinkContext = Pick<Context, 'db'> & NoticeContext;

export const TOTP_LINK_REFUSAL =
  'an account that signs in with a password and an authenticator code links no OpenID provider: signing in there would skip the code';

/** Links `identity` to the account the request named, or says why not (for the return URL). */
export async function linkIdentity(
  ctx: IdentityLinkContext,
  op: { name: string },
  request: { userId: string; epoch: string },
  identity: { issuer: string; subject: string },
): Promise<{ linked: true } | { refused: string }> {
  const account = await accountByUserId(ctx.db.em, request.userId);
  if (!account || account.epoch !== request.epoch) {
    return { refused: 'your sign-in changed since you asked (a new password, or it ended); sign in and link again' };
  }
  if (account.authMethod === AuthMethod.totp) return { refused: TOTP_LINK_REFUSAL };
  return ctx.db.em.transactional(async (tx) => {
    const bound = await boundUser(tx, identity.issuer, identity.subject);
    if (bound === account.userId) return { linked: true as const };
    if (bound !== undefined) {
      return { refused: `this ${op.name} identity signs in to another account; sign in to that one to unlink it` };
    }
    if (!(await bindIdentity(tx, identity.issuer, identity.subject, account.userId))) {
      return { refused: `another ${op.name} identity is linked to your account; unlink it first` };
    }
    await recordEvent(tx, {
      type: 'auth.identity_linked',
      userId: account.userId,
      ...eventOrigin(ctx, account.userId),
      data: { provider: op.name, issuer: identity.issuer },
    });
    // the callback carries no token: the person who asked is the account's owner, who signed in to ask
    const change = { kind: 'provider linked' as const, name: op.name };
    await queueSecurityNotice(tx, ctx, account.userId, account.address, change, { actor: account.userId });
    return { linked: true as const };
  });
}
