// A person moves its own account to a new address by proving it reads the new one, as Clerk,
// Supabase ("secure email change") and Kratos do; writing its own address (PUT, PATCH) is refused
// (router/users/user-service: refuseUnprovenOwnAddress). Without the proof anyone could put an
// address they do not own on their account: its owner would then find the address taken, and an
// OpenID provider's first sign-in, linked by its verified email, would land in that account (a
// pre-account takeover).
// - `start` asks what any change of how the user signs in asks (a person's own token, a recent
//   sign-in, never an impersonation: router/users/step-up), and is answered the same whether the
//   new address is free or not: the lookup and the mail happen after the answer. A free address is
//   mailed a 6-digit code; one that has an account is mailed a notice instead, so the caller
//   learns nothing of other people's accounts. The send limits of every mailed code apply. The
//   account's current address is told of the request (without the new address) at once.
// - The code is kept as the other mailed codes are (../mailed-code-store): a keyed hash, bound to
//   the new address (a code for one address proves no other), 10 minutes, once, the newest only,
//   dead after 5 wrong tries; a try spends a sign-in failure point.
// - `confirm` spends the code in the transaction that moves the address, with what every new
//   address brings (router/users/user-service's changeOwnAddress): every other session ends, the
//   change is recorded, and both addresses are told.
import { TRPCError } from '@trpc/server';
import { emailKey } from '../../../entities';
import type { Context } from '../../trpc/context';
import { badRequest } from '../../trpc/api-errors';
import { changeOwnAddress, type UsersContext } from '../../users/user-service';
import { checkReplacement } from '../../users/write-checks';
import { requireRecentSignIn, type StepUpContext } from '../../users/step-up';
import { writeTransaction } from '../../users/user-writes';
import { queueSecurityNotice } from '../security-notices';
import type { User } from '../../users/user-schemas';
import { callersAccount } from '../accounts';
import {
  ANY_CLIENT,
  requireMail,
  mailCodeUnlessTaken,
  takeCodeSend,
  takeCodeTry,
  type MailedCodeContext,
} from '../mailed-codes';
import { emailChangeCodes } from '../mailed-code-store';
import type { EmailChangeConfirm } from './email-change-schemas';

/** What an address change needs of a call's context. */
export type EmailChangeContext = MailedCodeContext & UsersContext & StepUpContext & Pick<Context, 'db'>;

export const EMAIL_CHANGE_TTL_MINUTES = 10;
export const MAX_WRONG_EMAIL_CHANGE_CODES = 5;
const PURPOSE = 'email-change';
export const EMAIL_CHANGE_FAILED = 'code: invalid or expired code';
const NOT_A_PERSON = 'only a person signed in to its own account changes its address';
export const EMAIL_CHANGE_ACCEPTED = {
  status: 'accepted' as const,
  message: `If this address can be yours, a code is on its way to it; it is valid for ${EMAIL_CHANGE_TTL_MINUTES} minutes.`,
};

/** The code's keyed hash is bound to the new address: a code mailed to one address proves no other. */
const bound = (address: string, code: string) => `${emailKey(address)}\n${code}`;

export async function startEmailChange(ctx: EmailChangeContext, email: string): Promise<typeof EMAIL_CHANGE_ACCEPTED> {
  const account = await callersAccount(ctx, NOT_A_PERSON);
  if (emailKey(email) === emailKey(account.address)) throw badRequest('email: this is your address already');
  requireRecentSignIn(ctx, account.userId, ['email address']);
  const mail = requireMail(ctx, 'address changes');
  await takeCodeSend(ctx, email, 'too many address change codes requested');
  // the request is the account's history, and its owner is told at the address it has now: an
  // attempt to move it is seen, and can be stopped (a new password ends the session that asked)
  await writeTransaction(ctx, async (tx, record) => {
    record({ type: 'auth.email_change_requested', userId: account.userId, data: { address: email } });
    await queueSecurityNotice(tx, ctx, account.userId, account.address, { kind: 'email change requested' });
  });
  const { secrets, signIn } = ctx;
  mailCodeUnlessTaken(ctx, mail, email, {
    task: 'address change code',
    ttlMinutes: EMAIL_CHANGE_TTL_MINUTES,
    keep: (em, code, expiresAt) =>
      emailChangeCodes.store(em, account.userId, ANY_CLIENT, secrets.hash(PURPOSE, bound(email, code)), expiresAt),
    codeMail: (code) => codeMail(code, signIn),
    takenMail: addressTakenMail(signIn),
  });
  return EMAIL_CHANGE_ACCEPTED;
}

export async function confirmEmailChange(ctx: EmailChangeContext, input: EmailChangeConfirm): Promise<User> {
  const account = await callersAccount(ctx, NOT_A_PERSON);
  if (ctx.principal.impersonator !== undefined) {
    throw new TRPCError({ code: 'FORBIDDEN', message: "changing the user's email address is for the user alone" });
  }
  const { limits } = await takeCodeTry(ctx, input.email, 'too many attempts');
  const hashes = ctx.secrets.hashes(PURPOSE, bound(input.email, input.code));
  const now = new Date(ctx.clock.now());
  const { userId } = account;
  const judged = await emailChangeCodes.judge(
    ctx.db.em,
    userId,
    [ANY_CLIENT],
    hashes,
    now,
    MAX_WRONG_EMAIL_CHANGE_CODES,
  );
  if (judged === null) throw badRequest(EMAIL_CHANGE_FAILED);
  await ctx.limits.giveBack(limits);
  // whoever holds the code reads the address, and may learn it has an account meanwhile (409)
  await checkReplacement(ctx.db, userId, input.email);
  const changed = await changeOwnAddress(ctx, userId, input.email, async (tx) => {
    if (!(await emailChangeCodes.use(tx, userId, ANY_CLIENT, hashes))) throw badRequest(EMAIL_CHANGE_FAILED);
  });
  return changed.user;
}

function codeMail(code: string, signIn: Context['signIn']): { subject: string; text: string } {
  return {
    subject: `Confirm your new ${signIn.serviceName} address`,
    text:
      `Your code to make this the address of your ${signIn.serviceName} account is ${code}\n\n` +
      `It is valid for ${EMAIL_CHANGE_TTL_MINUTES} minutes and can be used once. ` +
      `If you did not ask for this, you can ignore this email: nothing changes without the code.\n`,
  };
}

function addressTakenMail(signIn: Context['signIn']): { subject: string; text: string } {
  return {
    subject: `Someone tried to move their ${signIn.serviceName} account to your address`,
    text:
      `Someone signed in to a ${signIn.serviceName} account asked to make this its address. ` +
      `This address already has an account, so nothing changed.\n\n` +
      `If it was you, sign in with this address instead: ${signIn.publicUrl}/\n` +
      `If it was not you, you can ignore this email.\n`,
  };
}
