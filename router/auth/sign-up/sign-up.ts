// Sign-up: a person makes its own account (SIGN_UP=open), after OWASP's Authentication and
// Registration guidance and what Clerk, Supabase and Kratos do.
// - First the address (`start`): answered the same (202, one body) whether it has an account or not,
//   and the lookup and the mail happen after the answer, so neither the answer nor its timing says
//   which addresses have accounts. A free address is mailed a 6-digit code; one that has an account
//   is mailed a notice instead ("you already have an account: sign in, or reset your password"), so
//   its owner learns of the attempt and nobody else learns anything. The send limits of every mailed
//   code apply (../mailed-codes), counted on the address as typed.
// - Then the code with the account's fields (`complete`). Nothing of a person is stored before it:
//   an unfinished sign-up leaves only the code's keyed hash, which expires. So nobody can take an
//   address they do not read (an account made with someone else's address and the taker's password,
//   waiting for its owner), and nobody's unconfirmed name sits in the database.
// - The code is kept and judged as sign-in codes are (../mailed-code-store): 10 minutes, once, the
//   newest one only, dead after 5 wrong tries however many arrive at once; a try spends a point of
//   the sign-in failure limits. A password the policy refuses is refused before the code is judged,
//   so fixing it costs no try. The code is spent in the transaction that makes the account: of two
//   concurrent completions one makes it, and a refused write spends nothing.
// - The account is a `user` (no field of the request can make it anything else), with a new id, and
//   `user.created` names the person as its actor. Proving the code signs the person in (a session
//   of method `email_code`); an account of password and TOTP sets up its authenticator first, as its
//   first password sign-in would.
// - SIGN_UP_EMAIL_DOMAINS keeps sign-up to a company's own addresses.
import { TRPCError } from '@trpc/server';
import { AuthMethod, emailKey } from '../../../entities';
import type { Context } from '../../trpc/context';
import type { Deadline } from '../../trpc/deadline';
import { badRequest, unauthorized } from '../../trpc/api-errors';
import { checkCreation } from '../../users/write-checks';
import { createOwnAccount, type OwnAccount } from '../../users/user-service';
import type { LoginResult } from '../auth-schemas';
import { accountByUserId } from '../accounts';
import {
  ANY_CLIENT,
  requireMail,
  mailCodeUnlessTaken,
  takeCodeSend,
  takeCodeTry,
  type MailedCodeContext,
} from '../mailed-codes';
import { signUpCodes } from '../mailed-code-store';
import { rememberDevice } from '../device-cookie';
import { recordSignIn, type AuthEventContext } from '../auth-events';
import { secondFactorStep, type TotpContext } from '../totp/totp';
import { beginSession, type SessionContext } from '../../sessions/session-service';
import type { SignUpComplete } from './sign-up-schemas';

/** What sign-up needs of a call's context. */
export type SignUpContext = MailedCodeContext &
  SessionContext &
  TotpContext &
  AuthEventContext &
  Pick<Context, 'db' | 'signUp' | 'passwords' | 'passwordPolicy'> & { deadline?: Deadline };

export const SIGN_UP_TTL_MINUTES = 10;
export const MAX_WRONG_SIGN_UP_CODES = 5;
const SIGN_UP_PURPOSE = 'sign-up';
export const SIGN_UP_FAILED = 'invalid or expired code';
/** The console's form a code mail links to, the address and the code in its query (server/http/console-assets). */
export const SIGN_UP_FORM_PATH = '/sign-up';
export const SIGN_UP_CLOSED = 'this service does not take sign-ups: an administrator makes accounts';
export const SIGN_UP_ACCEPTED = {
  status: 'accepted' as const,
  message: `If this address can make an account, a code is on its way; it is valid for ${SIGN_UP_TTL_MINUTES} minutes.`,
};

/** Refuses every sign-up call while sign-up is closed (403), and an address of a domain not taken (400). */
export function refuseUnlessOpenTo(ctx: Pick<Context, 'signUp'>, address: string, field: string): void {
  if (!ctx.signUp.open) throw new TRPCError({ code: 'FORBIDDEN', message: SIGN_UP_CLOSED });
  const outside = domainRefusal(ctx.signUp, address);
  if (outside) throw badRequest(`${field}: ${outside}`);
}

/** Why an address may not sign up while sign-up is open (SIGN_UP_EMAIL_DOMAINS), or null. */
export function domainRefusal(signUp: Context['signUp'], address: string): string | null {
  const { domains } = signUp;
  const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
  if (domains.length === 0 || domains.includes(domain)) return null;
  return `sign-up is open to addresses at ${domains.join(', ')} only`;
}

export async function startSignUp(ctx: SignUpContext, email: string): Promise<typeof SIGN_UP_ACCEPTED> {
  refuseUnlessOpenTo(ctx, email, 'email');
  const mail = requireMail(ctx, 'sign-ups');
  await takeCodeSend(ctx, email, 'too many sign-up codes requested');
  const { secrets, signIn } = ctx;
  mailCodeUnlessTaken(ctx, mail, email, {
    task: 'sign-up code',
    ttlMinutes: SIGN_UP_TTL_MINUTES,
    keep: (em, code, expiresAt) =>
      signUpCodes.store(em, emailKey(email), ANY_CLIENT, secrets.hash(SIGN_UP_PURPOSE, code), expiresAt),
    codeMail: (code) => codeMail(email, code, signIn),
    takenMail: accountExistsMail(signIn),
  });
  return SIGN_UP_ACCEPTED;
}

export async function completeSignUp(ctx: SignUpContext, input: SignUpComplete): Promise<LoginResult> {
  const { email } = input;
  refuseUnlessOpenTo(ctx, email.email, 'email.email');
  // before the code is judged: a password refused here costs the person no try
  if (email.password !== undefined) {
    const refusal = ctx.passwordPolicy.refusal(email.password, { name: input.name, email: email.email });
    if (refusal) throw badRequest(`email.password: ${refusal}`);
  }
  const { requesters, limits } = await takeCodeTry(ctx, email.email, 'too many attempts');
  const key = emailKey(email.email);
  const hashes = ctx.secrets.hashes(SIGN_UP_PURPOSE, input.code);
  const now = new Date(ctx.clock.now());
  const owner = await signUpCodes.judge(ctx.db.em, key, requesters, hashes, now, MAX_WRONG_SIGN_UP_CODES);
  if (owner === null) throw unauthorized(SIGN_UP_FAILED);
  await ctx.limits.giveBack(limits);
  const fields = { name: input.name, age: input.age, gender: input.gender, email };
  return makeOwnAccount(ctx, fields, email.password, async (tx) => {
    if (!(await signUpCodes.use(tx, key, owner, hashes))) throw unauthorized(SIGN_UP_FAILED);
    return [];
  });
}

/**
 * Makes the account of a person who proved its address (a sign-up's code, an invitation's link)
 * and signs it in. Whoever proved the address reads it, and may learn it has an account (409). The
 * password is hashed before the transaction opens (no connection waits on scrypt); `claim` spends
 * the proof in the transaction that writes the account, `then` adds what else it starts with
 * (router/users/user-service's createOwnAccount).
 */
export async function makeOwnAccount(
  ctx: SignUpContext,
  fields: OwnAccount,
  password: string | undefined,
  claim: Parameters<typeof createOwnAccount>[3],
  then?: Parameters<typeof createOwnAccount>[4],
): Promise<LoginResult> {
  await checkCreation(ctx.db, undefined, fields.email.email);
  const passwordHash = password === undefined ? null : await ctx.passwords.hash(password, ctx.deadline?.signal);
  const userId = await createOwnAccount(ctx, fields, passwordHash, claim, then);
  return signInNewAccount(ctx, userId);
}

/**
 * Signs in the account a person just made, having proven its address (a mailed code, an
 * invitation's link): a session of method `email_code`, or for password and TOTP the enrollment of
 * its authenticator first, as at a first password sign-in.
 */
async function signInNewAccount(
  ctx: SessionContext & TotpContext & AuthEventContext,
  userId: string,
): Promise<LoginResult> {
  const account = await accountByUserId(ctx.db.em, userId);
  if (!account) throw unauthorized(SIGN_UP_FAILED); // deleted the instant it was made
  // the second factor is set up before anything is signed in
  if (account.authMethod === AuthMethod.totp) return secondFactorStep(ctx, account);
  rememberDevice(ctx, emailKey(account.address));
  await recordSignIn(ctx, userId, 'email_code');
  return beginSession(ctx, account, 'email_code');
}

function codeMail(email: string, code: string, signIn: Context['signIn']): { subject: string; text: string } {
  const link = new URL(SIGN_UP_FORM_PATH, `${signIn.publicUrl}/`);
  link.searchParams.set('email', email);
  link.searchParams.set('code', code);
  return {
    subject: `Your ${signIn.serviceName} sign-up code`,
    text:
      `Your code to create your ${signIn.serviceName} account is ${code}\n\n` +
      `Or open this link to create it:\n${link.href}\n\n` +
      `It is valid for ${SIGN_UP_TTL_MINUTES} minutes and can be used once. ` +
      `If you did not ask to create an account, you can ignore this email: no account is made without the code.\n`,
  };
}

function accountExistsMail(signIn: Context['signIn']): { subject: string; text: string } {
  return {
    subject: `Someone tried to create a ${signIn.serviceName} account with your address`,
    text:
      `Someone asked to create a ${signIn.serviceName} account with this address. ` +
      `You already have one, so no new account was made.\n\n` +
      `To sign in: ${signIn.publicUrl}/\n` +
      `If you forgot your password, you can reset it from the sign-in page.\n` +
      `If it was not you, you can ignore this email: nothing has changed.\n`,
  };
}
