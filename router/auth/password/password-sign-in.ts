// Sign-in with an email and password (authMethod 0), and the first step of password + TOTP
// (authMethod 2). Every failure — unknown email, wrong password, an email that signs in another
// way — is the same 401 after the same work (an unknown email is checked against a throwaway hash
// of the same cost), so nobody can probe which emails exist. A TOTP user gets a challenge instead
// of a token: the TOTP step (router/auth/totp/totp) turns it into one. The hash waits its turn in
// the hasher's bounded queue and is dropped when the call ends first (server/crypto/hash-queue).
// A browser known for the email (../device-cookie) is limited by its own budget only, so nobody
// else's failures lock it out; a success makes the browser known (for TOTP users, the TOTP step).
import { TRPCError } from '@trpc/server';
import { AuthMethod, Email } from '../../../entities';
import type { Context } from '../../trpc/context';
import type { Deadline } from '../../trpc/deadline';
import type { Login, LoginResult } from '../auth-schemas';
import { accountByAddress, refuseIfDisabled } from '../accounts';
import { addressKey, takeOrRefuse, type LimitContext, type LimitEntries } from '../limit-refusal';
import { issueAccessToken, type TokenContext } from '../access-token';
import { secondFactorStep, type TotpContext } from '../totp/totp';
import { knownDevice, rememberDevice, type DeviceContext } from '../device-cookie';
import { HashAbandoned, HashQueueFull } from '../../../server/crypto/password-hasher';
import { clientLimitKey } from '../../../server/limits/client-key';
import { recordSignIn, recordSignInFailure, type AuthEventContext } from '../auth-events';

/** What password sign-in needs of a call's context (the TOTP step's too). */
export type PasswordContext = Pick<Context, 'db' | 'passwords' | 'clientAddress'> &
  LimitContext &
  TotpContext &
  DeviceContext &
  TokenContext &
  AuthEventContext & { deadline?: Deadline };

export const LOGIN_FAILED = 'invalid email or password';
const LIMITED = 'too many sign-in attempts';

/** The limits of one attempt: a point taken from each; `consecutive` ends with a success. */
interface LoginLimits {
  consecutive: LimitEntries;
  others: LimitEntries;
}

/**
 * The limits of one attempt (server/limits/rate-limits): from a browser known for the email, its
 * device budget; from any other client, the login recipe: consecutive failures per email and
 * client, failures per client, failures per email.
 */
function loginLimits(ctx: PasswordContext, email: string): LoginLimits {
  const device = knownDevice(ctx, email);
  if (device) return { consecutive: [], others: [['loginFailsByDevice', device]] };
  const client = clientLimitKey(ctx.clientAddress);
  return {
    consecutive: [['loginFailsByEmailAndAddress', `${email}|${client}`]],
    others: [
      ['loginFailsByAddressPerDay', client],
      ['loginFailsByEmail', email],
    ],
  };
}

export async function passwordSignIn(ctx: PasswordContext, { email, password }: Login): Promise<LoginResult> {
  const emailKey = addressKey(email);
  const { consecutive, others } = loginLimits(ctx, emailKey);
  const limits = [...consecutive, ...others];
  await takeOrRefuse(ctx, limits, LIMITED, email);
  const em = ctx.db.em;
  const account = await accountByAddress(em, email);
  const signsInByPassword = account?.authMethod === AuthMethod.password || account?.authMethod === AuthMethod.totp;
  const hash = signsInByPassword ? account.passwordHash : null;
  // verified (or wasted) before anything else is decided, so every failure costs the same
  let verified: boolean;
  try {
    verified = await ctx.passwords.verifyOrWaste(hash, password, ctx.deadline?.signal);
  } catch (error) {
    // nothing was checked (the hasher was full, or the call ended first): no failure to count
    await ctx.limits.giveBack(limits);
    throw error;
  }
  if (!account || !verified) {
    await recordSignInFailure(ctx, 'password', 'invalid_credentials', account?.userId ?? null);
    throw new TRPCError({ code: 'UNAUTHORIZED', message: LOGIN_FAILED });
  }
  // a success: consecutive failures end, and the attempt was no failure
  await Promise.all([ctx.limits.clear(consecutive), ctx.limits.giveBack(others)]);
  // only now, with the password proven: before it, a disabled account fails like any other
  refuseIfDisabled(account, ctx.clock.now());
  if (hash && ctx.passwords.needsRehash(hash)) await upgradeHash(ctx, account.emailId, hash, password);
  if (account.authMethod === AuthMethod.totp) return secondFactorStep(ctx, account);
  rememberDevice(ctx, addressKey(account.address));
  await recordSignIn(ctx, account.userId, 'password');
  return issueAccessToken(ctx, account);
}

/**
 * A hash made at a lower cost than today's is upgraded while the password is at hand, only if it
 * is still the stored one: a password changed since it was read (a change racing this sign-in)
 * must not be overwritten with the old password. An upgrade the hasher has no room for waits for
 * a later sign-in.
 */
async function upgradeHash(ctx: PasswordContext, emailId: number, oldHash: string, password: string): Promise<void> {
  let newHash: string;
  try {
    newHash = await ctx.passwords.hash(password, ctx.deadline?.signal);
  } catch (error) {
    if (error instanceof HashQueueFull || error instanceof HashAbandoned) return;
    throw error;
  }
  await ctx.db.em.nativeUpdate(Email, { id: emailId, passwordHash: oldHash }, { passwordHash: newHash });
}
