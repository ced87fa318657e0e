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
// - An admin may send a user the same mail (`sendResetByAdmin`: a support call, as Auth0's "send
//   reset password email" and Keycloak's credential reset mail): the admin never sees the code, the
//   address's send limits still guard the mailbox, and it is recorded as the admin's doing.
import { TRPCError } from '@trpc/server';
import {
  ANY_CLIENT,
  mailboxSendLimits,
  requireMail,
  sendMailedCode,
  storeNewCode,
  takeCodeTry,
  type MailedCode,
} from '../mailed-codes';
import { addressKey, takeOrRefuse } from '../limit-refusal';
import { writeTransaction } from '../../users/user-writes';
import { USER_ID_PATTERN, usesPassword } from '../../users/user-schemas';
import { User } from '../../../entities';
import type { Context } from '../../trpc/context';
import type { Deadline } from '../../trpc/deadline';
import { badRequest, notFound, unauthorized } from '../../trpc/api-errors';
import { accountByAddress, accountByUserId, isDisabled, type Account } from '../accounts';
import type { DeviceContext } from '../device-cookie';
import { endSignInState } from '../sign-in-state';
import { queueSecurityNotice } from '../security-notices';
import { recordEvent } from '../../events/events-store';
import { eventOrigin } from '../../events/event-origin';
import type { PasswordResetRequest, PasswordResetSent } from '../auth-schemas';
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
  mail: (code, account, signIn) => resetMail(code, account, signIn, false),
};

/** The reset mail: the code and a link to the console's form; who asked for it. */
function resetMail(
  code: string,
  account: Account,
  signIn: Context['signIn'],
  byAdmin: boolean,
): { subject: string; text: string } {
  const link = new URL(RESET_FORM_PATH, `${signIn.publicUrl}/`);
  link.searchParams.set('email', account.address);
  link.searchParams.set('code', code);
  const why = byAdmin
    ? `An administrator of ${signIn.serviceName} sent you this email to choose a new password. ` +
      `If you did not ask for it, you can ignore it: your password stays as it is.\n`
    : `If you did not ask to reset your password, you can ignore this email: your password stays as it is.\n`;
  return {
    subject: `Reset your ${signIn.serviceName} password`,
    text:
      `Your password reset code is ${code}\n\n` +
      `Open this link to choose a new password:\n${link.href}\n\n` +
      `The code is valid for ${RESET_TTL_MINUTES} minutes and can be used once. ` +
      why,
  };
}

/**
 * An admin sends a user the reset mail: answered once the mail is sent (the admin learns whether it
 * went), 404 for no such user, 409 for one without a password or disabled (enable it first). The
 * code goes only to the user's address, stored for any browser, and is recorded
 * (`auth.password_reset_sent`) with the admin as actor, without the code.
 */
export async function sendResetByAdmin(ctx: PasswordResetContext, userId: string): Promise<PasswordResetSent> {
  const mail = requireMail(ctx, RESET_CODE.feature);
  const account = USER_ID_PATTERN.test(userId) ? await accountByUserId(ctx.db.em, userId) : undefined;
  if (!account) throw notFound();
  if (!usesPassword(account.authMethod)) {
    throw new TRPCError({ code: 'CONFLICT', message: 'this user signs in without a password: there is none to reset' });
  }
  if (isDisabled(account, ctx.clock.now())) {
    throw new TRPCError({ code: 'CONFLICT', message: 'this user is disabled: enable it first' });
  }
  // the mailbox's own limits, as for any reset mail; not the admin's browser's budget
  await takeOrRefuse(ctx, mailboxSendLimits(addressKey(account.address)), RESET_CODE.refusal);
  const code = await writeTransaction(ctx, async (tx, record) => {
    record({ type: 'auth.password_reset_sent', userId: account.userId, data: {} });
    // for any browser: the user reads the mail wherever it is
    return storeNewCode(ctx, tx, RESET_CODE, account, ANY_CLIENT);
  });
  try {
    await mail.send({ to: account.address, ...resetMail(code, account, ctx.signIn, true) });
  } catch {
    throw new TRPCError({
      code: 'SERVICE_UNAVAILABLE',
      message: 'the mail server did not take the mail: try again later',
    });
  }
  return {
    status: 'sent',
    message: `A password reset code and link are on their way to ${account.address}; they work for ${RESET_TTL_MINUTES} minutes.`,
  };
}

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
  return usesPassword(account.authMethod) && !isDisabled(account, now);
}
