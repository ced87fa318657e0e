// Forgotten passwords, after OWASP's Forgot Password cheat sheet.
// - Asking (`forgot`) always answers the same (202, one body) whether the address exists, signs in
//   with a password or not, or is disabled; the lookup and the mail happen after the answer, so
//   neither the body nor its timing says anything about the address. It follows the send limits
//   and device-cookie rules of email codes (../email-code/email-code), counted on the address as
//   typed, known or not.
// - Only a user who signs in with a password (authMethod 0 or 2) and is not disabled gets a mail:
//   a 6-digit code from the CSPRNG and a link to the console's reset form carrying it. The code
//   is stored only as a keyed hash, lives 30 minutes, is replaced by a newer one and is used once;
//   after 5 wrong tries it is dead even if the right one follows, counted atomically
//   (../mailed-code-store, which keeps sign-in codes the same way).
// - Resetting sets the new password (hashed by the bounded hasher), ends every session of the user
//   (its epoch moves: every token issued before is refused at once) and does not sign in: the
//   person signs in next, with TOTP still asked of authMethod 2. Every refusal is the same
//   generic one, for an unknown address as for a disabled account.
import { sendMailedCode, takeCodeTry, type MailedCode } from '../mailed-codes';
import { AuthMethod, User } from '../../../entities';
import type { Context } from '../../trpc/context';
import type { Deadline } from '../../trpc/deadline';
import { badRequest, unauthorized } from '../../trpc/api-errors';
import { accountByAddress, isDisabled, type Account } from '../accounts';
import type { DeviceContext } from '../device-cookie';
import { endSignInState } from '../sign-in-state';
import { queueSecurityNotice } from '../security-notices';
import { recordEvent } from '../../events/events-store';
import { eventOrigin } from '../../events/event-origin';
import type { PasswordResetRequest } from '../auth-schemas';
import { resetCodes } from '../mailed-code-store';

/** What a password reset needs of a call's context. */
export type PasswordResetContext = Pick<
  Context,
  | 'db'
  | 'orm'
  | 'mail'
  | 'secrets'
  | 'signIn'
  | 'limits'
  | 'responseHeaders'
  | 'clock'
  | 'background'
  | 'clientAddress'
  | 'passwords'
  | 'passwordPolicy'
  | 'principal'
  | 'requestId'
> &
  DeviceContext & { deadline?: Deadline };

export const RESET_TTL_MINUTES = 30;
export const MAX_WRONG_RESET_CODES = 5;
const RESET_PURPOSE = 'password-reset';
export const RESET_FAILED = 'invalid or expired code';
export const RESET_ACCEPTED = {
  status: 'accepted' as const,
  message: `If this address signs in with a password, a reset code is on its way; it is valid for ${RESET_TTL_MINUTES} minutes.`,
};
export const RESET_DONE = {
  status: 'reset' as const,
  message: 'Your password has been changed and every session has ended. Sign in with the new password.',
};
/** The console's reset form, which the mailed link opens (server/http/console-assets). */
export const RESET_FORM_PATH = '/reset-password';

/** Reset codes: only to an address that signs in with a password and is not disabled. */
const RESET_CODE: MailedCode = {
  feature: 'password resets',
  task: 'password reset code',
  refusal: 'too many reset codes requested',
  purpose: RESET_PURPOSE,
  ttlMinutes: RESET_TTL_MINUTES,
  sendsTo: resettable,
  codes: resetCodes,
  mail: (code, account, signIn) => {
    const link = new URL(RESET_FORM_PATH, `${signIn.publicUrl}/`);
    link.searchParams.set('email', account.address);
    link.searchParams.set('code', code);
    return {
      subject: `Reset your ${signIn.serviceName} password`,
      text:
        `Your password reset code is ${code}\n\n` +
        `Open this link to choose a new password:\n${link.href}\n\n` +
        `The code is valid for ${RESET_TTL_MINUTES} minutes and can be used once. ` +
        `If you did not ask to reset your password, you can ignore this email: your password stays as it is.\n`,
    };
  },
};

export async function forgotPassword(ctx: PasswordResetContext, email: string): Promise<typeof RESET_ACCEPTED> {
  await sendMailedCode(ctx, email, RESET_CODE);
  return RESET_ACCEPTED;
}

export async function resetPassword(
  ctx: PasswordResetContext,
  input: PasswordResetRequest,
): Promise<typeof RESET_DONE> {
  // before anything else, so a password the policy refuses spends no try of the code; by the
  // address the caller sent, never by what is stored (which would tell a caller without the code
  // something of the account)
  const refusal = ctx.passwordPolicy.refusal(input.newPassword, { email: input.email });
  if (refusal) throw badRequest(`newPassword: ${refusal}`);
  const { requesters, limits } = await takeCodeTry(ctx, input.email, 'too many attempts');
  const em = ctx.db.em;
  const account = await accountByAddress(em, input.email);
  if (!account || !resettable(account, ctx.clock.now())) throw unauthorized(RESET_FAILED);
  const hashes = ctx.secrets.hashes(RESET_PURPOSE, input.code);
  const now = new Date(ctx.clock.now());
  const owner = await resetCodes.judge(em, account.emailId, requesters, hashes, now, MAX_WRONG_RESET_CODES);
  if (owner === null) throw unauthorized(RESET_FAILED);
  // hashed only for a right code, before the transaction opens (no connection waits on scrypt)
  const passwordHash = await ctx.passwords.hash(input.newPassword, ctx.deadline?.signal);
  ctx.deadline?.check();
  const reset = await em.transactional(async (tx) => {
    if (!(await resetCodes.use(tx, account.emailId, owner, hashes))) return false;
    const user = await tx.findOneOrFail(User, { id: account.userId }, { populate: ['email'], strategy: 'joined' });
    tx.assign(user.email, { passwordHash, updatedAt: new Date() });
    // every session ends; what the user keeps for signing in (its TOTP) stays
    await endSignInState(tx, user);
    await recordEvent(tx, {
      type: 'auth.credentials_changed',
      userId: user.id,
      ...eventOrigin(ctx, user.id),
      data: { credentials: ['password'], by: 'password_reset' },
    });
    await queueSecurityNotice(tx, ctx, user.id, user.email.address, { kind: 'password reset' });
    await tx.flush();
    ctx.deadline?.check();
    return true;
  });
  if (!reset) throw unauthorized(RESET_FAILED);
  await ctx.limits.giveBack(limits);
  return RESET_DONE;
}

/** Who may reset a password: a user who signs in with one, and is not disabled. */
function resettable(account: Account, now: number): boolean {
  const byPassword = account.authMethod === AuthMethod.password || account.authMethod === AuthMethod.totp;
  return byPassword && !isDisabled(account, now);
}
