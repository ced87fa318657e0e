// The step-up rule (RFC 9470; OWASP ASVS 2.1.6, 3.7.1): a user who changes how it signs in (its
// password, its email address, its sign-in method) or deletes itself must have signed in
// recently, so that a token stolen for an hour cannot be turned into the account for good (a new
// password, the address moved to the thief's mailbox, TOTP switched off). The service says what a
// write changes (user-service); this decides whether the caller's sign-in is recent enough.
import { TRPCError } from '@trpc/server';
import { reauthenticationRequired } from '../trpc/api-errors';
import type { Clock } from '../trpc/clock';
import type { Principal } from '../../server/crypto/token-service';

/** What a write may change of how its user signs in, or the user's deletion. */
export type CredentialChange =
  'password' | 'email address' | 'sign-in method' | 'passkeys' | 'OpenID provider sign-in' | 'account';

/** What the rule needs of a call's context. */
export interface StepUpContext {
  principal: Principal;
  clock: Clock;
  /** REAUTH_MAX_AGE_SECONDS. */
  reauthMaxAgeSeconds: number;
}

/**
 * Refuses (403) an impersonation's change of the user's credentials or deletion, whatever its age.
 * Refuses (401, "sign in again") a caller that changes its own credentials, or deletes itself,
 * with a sign-in older than REAUTH_MAX_AGE_SECONDS. A token without `auth_time` (issued before
 * the claim existed) counts as old. Not asked: admins acting on other users (they change no
 * credential of their own), operator tokens (they carry no user epoch: no user's self-service
 * session, and the session check lets none of them stand for an existing user), and writes that
 * change none of these (name, age, gender).
 */
export function requireRecentSignIn(ctx: StepUpContext, userId: string, changes: readonly CredentialChange[]): void {
  if (changes.length === 0) return;
  const { principal, reauthMaxAgeSeconds: maxAge } = ctx;
  if (principal.id !== userId || principal.epoch === undefined) return;
  // an admin acting as the user (router/auth/impersonation) never takes over how it signs in: no
  // sign-in, however recent, makes the user's credentials the admin's to change
  if (principal.impersonator !== undefined) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: `${describeChanges(changes, "the user's")} is for the user alone: not while acting as the user (impersonation)`,
    });
  }
  const signedInAt = principal.authTime;
  if (signedInAt !== undefined && ctx.clock.now() / 1000 - signedInAt <= maxAge) return;
  throw reauthenticationRequired(
    `${describeChanges(changes)} needs a sign-in within the last ${maxAge} seconds: sign in again, then retry`,
    maxAge,
  );
}

/** "changing your password and email address", "deleting your account". */
function describeChanges(changes: readonly CredentialChange[], whose = 'your'): string {
  if (changes.includes('account')) return `deleting ${whose} account`;
  const names = changes.filter((change) => change !== 'account');
  const listed = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0];
  return `changing ${whose} ${listed}`;
}
