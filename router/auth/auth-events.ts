// The events sign-in records (router/events): a sign-in with its method, a refused one with the
// kind of refusal, a lock by a limit. A success is recorded before its token is handed out; a
// refusal is a thrown error, so it is recorded first, in its own small transaction, and stays
// after the request fails. Never with what was typed: no address, password or code.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../trpc/context';
import { recordEvent } from '../events/events-store';
import { eventOrigin, type EventContext } from '../events/event-origin';

/** What recording sign-in events needs of a call's context. */
export type AuthEventContext = Pick<Context, 'db'> & EventContext;

/** How a person signed in (or tried to). */
export type SignInMethod = 'password' | 'email_code' | 'totp' | 'recovery_code' | 'oauth2' | 'passkey';

/** Why a sign-in was refused, as a kind (never the details a guesser could use). */
export type RefusalReason =
  | 'invalid_credentials'
  | 'invalid_code'
  | 'invalid_challenge'
  | 'provider_refused'
  /** A passkey whose signature counter did not grow: a copy of the authenticator (WebAuthn §6.1.1). */
  | 'cloned_credential';

/** auth.signed_in, inside `em`'s transaction when it has one (the code it used up), else its own. */
export async function recordSignIn(
  ctx: AuthEventContext,
  userId: string,
  method: SignInMethod,
  em: EntityManager = ctx.db.em,
): Promise<void> {
  await recordEvent(em, { type: 'auth.signed_in', userId, ...eventOrigin(ctx, userId), data: { method } });
}

/** auth.sign_in_failed, committed on its own before the refusal is thrown. */
export async function recordSignInFailure(
  ctx: AuthEventContext,
  method: SignInMethod,
  reason: RefusalReason,
  userId: string | null = null,
): Promise<void> {
  await recordEvent(ctx.db.em, {
    type: 'auth.sign_in_failed',
    userId,
    ...eventOrigin(ctx),
    data: { method, reason },
  });
}
