// The events sign-in records (router/events): a sign-in with its method, a refused one with the
// kind of refusal, a lock by a limit. A success is recorded before its token is handed out; a
// refusal is a thrown error, so it is recorded first, in its own small transaction, and stays
// after the request fails. Never with what was typed: no address, password or code.
// A sign-in from somewhere the account has not signed in from (OWASP ASVS 5.0 6.3.5: users are told
// of an unusual sign-in) mails its owner a notice, written with the event: a client address none of
// its sign-ins in the events came from, in a browser not known for its address (its device cookie,
// ./device-cookie). Not for the account's first sign-in (nothing is unusual yet), nor for a recovery
// code (its own notice says more), nor with SIGN_IN_NOTICES=false.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../trpc/context';
import { emailKey } from '../../entities';
import { recordEvent } from '../events/events-store';
import { eventOrigin, type EventContext } from '../events/event-origin';
import { knownDevice, type DeviceContext } from './device-cookie';
import { queueSecurityNotice, type NoticeContext } from './security-notices';

/** What recording sign-in events needs of a call's context. */
export type AuthEventContext = Pick<Context, 'db'> & EventContext;

/** What recording a sign-in needs: the above, and what telling of an unusual one needs. */
export type SignInEventContext = AuthEventContext & NoticeContext & DeviceContext;

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

/**
 * auth.signed_in, inside `em`'s transaction when it has one (the code it used up), else its own;
 * with the notice of an unusual sign-in, when it is one (`data.unusual: true`).
 */
export async function recordSignIn(
  ctx: SignInEventContext,
  userId: string,
  method: SignInMethod,
  em: EntityManager = ctx.db.em,
): Promise<void> {
  const origin = { type: 'auth.signed_in', userId, ...eventOrigin(ctx, userId) };
  // without a notice to send, one statement, as before
  if (!ctx.mail || !ctx.signIn.unusualSignInNotices || !ctx.clientAddress || method === 'recovery_code') {
    await recordEvent(em, { ...origin, data: { method } });
    return;
  }
  await em.transactional(async (tx) => {
    const unusualTo = await unusualSignIn(ctx, tx, userId);
    await recordEvent(tx, { ...origin, data: unusualTo === null ? { method } : { method, unusual: true } });
    if (unusualTo !== null) await queueSecurityNotice(tx, ctx, userId, unusualTo, { kind: 'new sign-in', method });
  });
}

/**
 * Whether the user signed in before, and from this client address: both answered by the sign-ins'
 * own index (migrations/Migration20270112100000.ts), whatever else the user's history holds, so
 * the answer costs the same for a user with a hundred sign-ins as for one with a million
 * (measured by `npm run bench -- --suites sign-in`, bench/sign-in-history.ts). Parameters: the
 * client address, the user's id.
 */
export const SIGN_IN_HISTORY_SQL = `select e.address,
    exists (select 1 from events v where v.user_id = u.id and v.type = 'auth.signed_in') as before,
    exists (select 1 from events v where v.user_id = u.id and v.type = 'auth.signed_in'
              and v.client_address = ?) as here
   from users u join emails e on e.id = u.email_id where u.id = ?`;

/**
 * The address to tell of this sign-in when it is unusual for the account, else null: see the top of
 * this file. Read before the sign-in's own event is written.
 */
async function unusualSignIn(ctx: SignInEventContext, tx: EntityManager, userId: string): Promise<string | null> {
  const [row] = await tx.execute<Array<{ address: string; before: boolean; here: boolean }>>(SIGN_IN_HISTORY_SQL, [
    ctx.clientAddress,
    userId,
  ]);
  if (!row?.before || row.here || knownDevice(ctx, emailKey(row.address))) return null;
  return row.address;
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
