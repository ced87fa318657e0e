// Sign-in with a one-time code sent by email (authMethod 1).
// - Requesting a code always answers the same (202, one body) whether the address exists, signs in
//   by code or not, and the lookup and the mail happen after the answer, so neither the body nor
//   its timing tells anything about the address. The send limits count the address as typed,
//   known or not, for the same reason.
// - A code is 6 digits from the CSPRNG, stored only as a keyed hash, valid for 10 minutes and once;
//   a new request replaces the previous code; after 5 wrong codes the current one is dead even if
//   the right one follows. A try is judged and, if wrong, counted by one UPDATE that judges only
//   while fewer than 5 were counted, so no number of concurrent guesses gets more than 5 wrong
//   ones judged against a code. The right code is then used by one conditional DELETE, so of two
//   concurrent verifies exactly one succeeds.
// - A browser known for the address (../device-cookie) is judged on its own budget: its requests
//   count against its device's send limit, not the address's or its client's, and its code is
//   its own (nobody else's request replaces it, nobody else's wrong guesses kill it); its
//   verifications count against its device's failure budget. So requests and guesses by others
//   never keep the owner from signing in by code. A successful sign-in makes the browser known.
import { sendMailedCode, takeCodeTry, type MailedCode } from '../mailed-codes';
import { AuthMethod } from '../../../entities';
import type { Context } from '../../trpc/context';
import type { Token } from '../auth-schemas';
import { accountByAddress, refuseIfDisabled } from '../accounts';
import { issueAccessToken, type TokenContext } from '../access-token';
import { addressKey } from '../limit-refusal';
import { unauthorized } from '../../trpc/api-errors';
import { signInCodes } from '../mailed-code-store';
import { rememberDevice, type DeviceContext } from '../device-cookie';
import { recordSignIn, recordSignInFailure, type AuthEventContext } from '../auth-events';

/** What email-code sign-in needs of a call's context. */
export type EmailCodeContext = Pick<
  Context,
  | 'db'
  | 'orm'
  | 'mail'
  | 'secrets'
  | 'signIn'
  | 'limits'
  | 'responseHeaders'
  | 'tokens'
  | 'clock'
  | 'background'
  | 'clientAddress'
> &
  DeviceContext &
  TokenContext &
  AuthEventContext;

export const CODE_TTL_MINUTES = 10;
export const MAX_WRONG_CODES = 5;
const CODE_PURPOSE = 'email-code';
export const CODE_FAILED = 'invalid or expired code';
export const CODE_ACCEPTED = {
  status: 'accepted' as const,
  message: `If this address signs in by email code, a code is on its way; it is valid for ${CODE_TTL_MINUTES} minutes.`,
};

/** Sign-in codes: only to an address that signs in by email code (authMethod 1). */
const SIGN_IN_CODE: MailedCode = {
  feature: 'sign-in codes by email',
  task: 'email sign-in code',
  refusal: 'too many sign-in codes requested',
  purpose: CODE_PURPOSE,
  ttlMinutes: CODE_TTL_MINUTES,
  sendsTo: (account) => account.authMethod === AuthMethod.otp,
  codes: signInCodes,
  mail: (code, _account, signIn) => ({
    subject: `Your ${signIn.serviceName} sign-in code`,
    text:
      `Your sign-in code is ${code}\n\n` +
      `It is valid for ${CODE_TTL_MINUTES} minutes and can be used once. ` +
      `If you did not ask to sign in, you can ignore this email: nobody can sign in without the code.\n`,
  }),
};

export async function requestEmailCode(ctx: EmailCodeContext, email: string): Promise<typeof CODE_ACCEPTED> {
  await sendMailedCode(ctx, email, SIGN_IN_CODE);
  return CODE_ACCEPTED;
}

export async function verifyEmailCode(
  ctx: EmailCodeContext,
  { email, code }: { email: string; code: string },
): Promise<Token> {
  const { requesters, limits } = await takeCodeTry(ctx, email, 'too many sign-in attempts');
  const em = ctx.db.em;
  const account = await accountByAddress(em, email);
  if (account?.authMethod !== AuthMethod.otp) {
    await recordSignInFailure(ctx, 'email_code', 'invalid_code');
    throw unauthorized(CODE_FAILED);
  }
  const hashes = ctx.secrets.hashes(CODE_PURPOSE, code);
  const now = new Date(ctx.clock.now());
  const owner = await signInCodes.judge(em, account.emailId, requesters, hashes, now, MAX_WRONG_CODES);
  if (owner === null || !(await signInCodes.use(em, account.emailId, owner, hashes))) {
    await recordSignInFailure(ctx, 'email_code', 'invalid_code', account.userId);
    throw unauthorized(CODE_FAILED);
  }
  await ctx.limits.giveBack(limits);
  // only now, with the code proven (the request answered the same, and mailed the code as usual)
  refuseIfDisabled(account, ctx.clock.now());
  rememberDevice(ctx, addressKey(account.address));
  await recordSignIn(ctx, account.userId, 'email_code');
  return issueAccessToken(ctx, account);
}
