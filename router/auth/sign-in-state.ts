// What the rest of the service asks of sign-in when a user's credentials change (a new password,
// address or sign-in method, a promotion by `npm run admin`): every token issued before ends, and
// what the method the user leaves kept for signing in (a TOTP secret and recovery codes, an
// OAuth2 binding, a pending email code) is deleted, and so is a new address awaiting its code; the
// user's sessions end (router/sessions):
// all of them, or all but the caller's own when the caller changes its own credentials, which lives
// on under the new epoch (its access token ends with the epoch; its refresh token renews it). A
// deleted user's sessions end with its row (the foreign key cascades). The one entry into sign-in's
// state from outside, with the notice a change sends its user (./security-notices).
import type { EntityManager } from '@mikro-orm/postgresql';
import { AuthMethod, type User } from '../../entities';
import { emailChangeCodes, signInCodes } from './mailed-code-store';
import { removeOAuthIdentity } from './oauth2/oauth2-store';
import { endSessions } from './revocation';
import { removeTotp } from './totp/totp-store';
import { deleteSessionsOf, moveSessionEpoch } from '../sessions/sessions-store';

export { queueNotice, queueSecurityNotice, type NoticeContext, type SecurityChange } from './security-notices';

/**
 * Ends `user`'s sign-in state inside the caller's transaction `em` (the epoch moves when `em`
 * flushes). `leftMethod`: the sign-in method the user no longer uses, whose state goes.
 * `keepSession`: the session of the user's own change, which stays (ignored if not the user's).
 */
export async function endSignInState(
  em: EntityManager,
  user: User,
  leftMethod?: AuthMethod,
  keepSession?: string,
): Promise<void> {
  endSessions(user);
  await deleteSessionsOf(em, user.id, keepSession ?? null);
  if (keepSession) await moveSessionEpoch(em, keepSession, user.id, user.tokenEpoch);
  if (leftMethod === AuthMethod.totp) await removeTotp(em, user.email.id);
  if (leftMethod === AuthMethod.oauth2) await removeOAuthIdentity(em, user.id);
  if (leftMethod === AuthMethod.otp) await signInCodes.removeAll(em, user.email.id);
  // a new address asked for before this change is not confirmed after it: a new password stops
  // a stolen session's move for good, whatever signs in next
  await emailChangeCodes.removeAll(em, user.id);
}
