// TOTP (RFC 6238) as the second factor of a password sign-in (authMethod 2): SHA-1, 6 digits,
// 30-second steps, one step of drift either way. The rules that make it more than a formula:
// - a code is accepted once (§5.2): the newest accepted step is stored, and only a later step
//   passes, by one conditional UPDATE, so two requests racing with one code cannot both win;
// - at most 5 wrong codes per challenge, and repeated failures across challenges lock the
//   account's TOTP for a while (server/limits/rate-limits);
// - a challenge is bound to the credential epoch it was issued under, and an enrollment challenge
//   to the one pending secret it showed: it confirms nothing else;
// - the secret is shown only in the enrollment challenge's `otpauthUrl`, is stored sealed, and is
//   deleted with the recovery codes when the user stops signing in by TOTP;
// - completing an enrollment ends every token issued before it and yields 10 recovery codes,
//   shown once, stored as keyed hashes, each deleted when used; a sign-in that leaves fewer than 3
//   says how many are left (`recoveryCodesLeft`);
// - the step that ends a sign-in makes the browser known for the email (../device-cookie), so
//   its next password step is judged on its own budget;
// - a recovery code used is mailed to its owner, with how many are left (../security-notices).
import { randomInt, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { TRPCError } from '@trpc/server';
import { Secret, TOTP } from 'otpauth';
import { AuthMethod } from '../../../entities';
import type { Context } from '../../trpc/context';
import type { LoginResult, TotpToken, TotpVerify } from '../auth-schemas';
import { TokenError, type Challenge } from '../../../server/crypto/token-service';
import { accountByUserId, refuseIfDisabled, type Account } from '../accounts';
import { issueAccessToken, type TokenContext } from '../access-token';
import { LimitExceeded } from '../../../server/limits/rate-limits';
import { rememberDevice, type DeviceContext } from '../device-cookie';
import { addressKey } from '../limit-refusal';
import { unauthorized } from '../../trpc/api-errors';
import {
  confirmEnrollment,
  countRecoveryCodes,
  readCredential,
  storePendingSecret,
  useRecoveryCode,
  useStep,
  totpSealContext,
} from './totp-store';
import { recordSignIn, recordSignInFailure, type AuthEventContext } from '../auth-events';
import { recordLock } from '../limit-refusal';
import { recordEvent } from '../../events/events-store';
import { eventOrigin } from '../../events/event-origin';
import { queueSecurityNotice } from '../security-notices';

/** What TOTP sign-in needs of a call's context. */
export type TotpContext = Pick<
  Context,
  'db' | 'secrets' | 'signIn' | 'limits' | 'responseHeaders' | 'tokens' | 'clock' | 'mail'
> &
  DeviceContext &
  TokenContext &
  AuthEventContext;

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps of drift accepted either way. */
export const TOTP_WINDOW = 1;
export const RECOVERY_CODE_COUNT = 10;
/** Fewer recovery codes than this left: the sign-in answer says how many (`recoveryCodesLeft`). */
export const LOW_RECOVERY_CODES = 3;
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'; // no 0/o, 1/l/i
const RECOVERY_PURPOSE = 'recovery-code';
export const WRONG_CODE = 'invalid code';

function totpFor(secret: string, issuer: string, label: string): TOTP {
  return new TOTP({
    issuer,
    label,
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secret),
  });
}

/** A new pending secret for `account` (replacing an unconfirmed one), and the URL that shows it. */
export async function startEnrollment(
  ctx: TotpContext,
  account: Account,
): Promise<{ enrollmentId: string; otpauthUrl: string }> {
  const secret = new Secret({ size: 20 }).base32;
  const enrollmentId = randomUUID();
  await storePendingSecret(
    ctx.db.em,
    account.emailId,
    ctx.secrets.seal(secret, totpSealContext(account.emailId)),
    enrollmentId,
  );
  const otpauthUrl = totpFor(secret, ctx.signIn.totpIssuer, account.address).toString();
  return { enrollmentId, otpauthUrl };
}

export async function verifyTotp(ctx: TotpContext, input: TotpVerify): Promise<TotpToken> {
  const challenge = readChallenge(ctx, input.challengeToken);
  try {
    await ctx.limits.take([
      ['totpFailsByUser', challenge.userId],
      ['totpFailsByChallenge', challenge.id],
    ]);
  } catch (error) {
    if (!(error instanceof LimitExceeded)) throw error;
    if (error.limits.includes('totpFailsByUser')) {
      ctx.responseHeaders['Retry-After'] = String(error.retryAfterSeconds);
      await recordLock(ctx, error, challenge.userId);
      throw new TRPCError({
        code: 'TOO_MANY_REQUESTS',
        message: `too many wrong codes: TOTP sign-in is locked; try again in ${error.retryAfterSeconds} s`,
      });
    }
    throw unauthorized('this challenge can no longer be used (5 wrong codes, or already signed in); sign in again');
  }
  const em = ctx.db.em;
  const account = await accountByUserId(em, challenge.userId);
  if (!account || account.authMethod !== AuthMethod.totp || account.epoch !== challenge.epoch) {
    await recordSignInFailure(ctx, 'totp', 'invalid_challenge', challenge.userId);
    throw unauthorized('the challenge is no longer valid; sign in again');
  }
  // a recovery code's sign-in counts the codes left in its transaction (its notice says how many)
  const accepted =
    input.code !== undefined
      ? { token: await acceptCode(ctx, account, challenge, input.code), left: undefined }
      : await acceptRecoveryCode(ctx, account, challenge, input.recoveryCode ?? '');
  const result = accepted.token;
  if (!result) {
    const method = input.code !== undefined ? 'totp' : 'recovery_code';
    await recordSignInFailure(ctx, method, 'invalid_code', challenge.userId);
    throw unauthorized(WRONG_CODE);
  }
  // the code was right (a disabling moves the epoch, so this is for a challenge that raced it)
  refuseIfDisabled(account, ctx.clock.now());
  // a challenge signs in once; consecutive failures end with a success
  await Promise.all([
    ctx.limits.useUp('totpFailsByChallenge', challenge.id),
    ctx.limits.clear([['totpFailsByUser', challenge.userId]]),
  ]);
  rememberDevice(ctx, addressKey(account.address));
  if (challenge.kind !== 'totp') return result;
  // a person about to run out of recovery codes is told so while it can still act on it
  const left = accepted.left ?? (await countRecoveryCodes(em, account.emailId));
  return left < LOW_RECOVERY_CODES ? { ...result, recoveryCodesLeft: left } : result;
}

function readChallenge(ctx: TotpContext, token: string): Challenge {
  try {
    return ctx.tokens.verifyChallenge(token);
  } catch (error) {
    if (error instanceof TokenError) throw unauthorized(`invalid challenge: ${error.message}; sign in again`);
    throw error;
  }
}

async function acceptCode(
  ctx: TotpContext,
  account: Account,
  challenge: Challenge,
  code: string,
): Promise<TotpToken | null> {
  const em = ctx.db.em;
  const stored = await readCredential(em, account.emailId);
  const enrolling = challenge.kind === 'totp_enroll';
  if (!stored || stored.confirmed === enrolling) return null;
  if (enrolling && stored.enrollment_id !== challenge.enrollmentId) return null;
  const secret = ctx.secrets.open(stored.secret, totpSealContext(account.emailId));
  const now = ctx.clock.now();
  const delta = totpFor(secret, ctx.signIn.totpIssuer, account.address).validate({
    token: code,
    timestamp: now,
    window: TOTP_WINDOW,
  });
  if (delta === null) return null;
  const step = Math.floor(now / 1000 / TOTP_PERIOD_SECONDS) + delta;
  if (!enrolling) {
    if (!(await useStep(em, account.emailId, step))) return null;
    await recordSignIn(ctx, account.userId, 'totp');
    return await issueAccessToken(ctx, account);
  }
  return completeEnrollment(em, ctx, account, challenge.enrollmentId ?? '', step);
}

/** Confirms the secret, makes the recovery codes and ends every earlier token, in one transaction. */
async function completeEnrollment(
  em: EntityManager,
  ctx: TotpContext,
  account: Account,
  enrollmentId: string,
  step: number,
): Promise<TotpToken | null> {
  const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  const epoch = await confirmEnrollment(em, {
    emailId: account.emailId,
    userId: account.userId,
    enrollmentId,
    step,
    recoveryCodeHashes: recoveryCodes.map((code) => ctx.secrets.hash(RECOVERY_PURPOSE, normaliseRecoveryCode(code))),
    keyId: ctx.secrets.keyId,
    // recorded in the enrollment's transaction: it is a credential change and the sign-in it ends
    record: async (tx) => {
      const origin = eventOrigin(ctx, account.userId);
      await recordEvent(tx, { type: 'auth.totp_enrolled', userId: account.userId, ...origin });
      await recordSignIn(ctx, account.userId, 'totp', tx);
    },
  });
  if (epoch === null) return null;
  // the new token's epoch must be what its first access check reads
  ctx.db.affects(account.userId);
  return { ...(await issueAccessToken(ctx, { ...account, epoch })), recoveryCodes };
}

async function acceptRecoveryCode(
  ctx: TotpContext,
  account: Account,
  challenge: Challenge,
  recoveryCode: string,
): Promise<{ token: TotpToken | null; left?: number }> {
  if (challenge.kind !== 'totp') return { token: null };
  const hashes = ctx.secrets.hashes(RECOVERY_PURPOSE, normaliseRecoveryCode(recoveryCode));
  // the code is used up in the same transaction as the events that say so
  const left = await ctx.db.em.transactional(async (tx) => {
    if (!(await useRecoveryCode(tx, account.emailId, hashes))) return null;
    const origin = eventOrigin(ctx, account.userId);
    await recordEvent(tx, { type: 'auth.recovery_code_used', userId: account.userId, ...origin });
    await recordSignIn(ctx, account.userId, 'recovery_code', tx);
    // a recovery code stands in for the authenticator: its owner hears of each one used
    const left = await countRecoveryCodes(tx, account.emailId);
    await queueSecurityNotice(tx, ctx, account.userId, account.address, { kind: 'recovery code used', left });
    return left;
  });
  return left === null ? { token: null } : { token: await issueAccessToken(ctx, account), left };
}

/** `xxxxx-xxxxx` of an alphabet without look-alikes: about 49 bits. */
function newRecoveryCode(): string {
  const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]);
  return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
}

/** Codes are read back by people: case, spaces and dashes do not matter. */
function normaliseRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '');
}

/**
 * The second factor, once the first is proven (a password; a sign-up's mailed code): a challenge
 * for an enrolled secret's code, or the enrollment of a new secret.
 */
export async function secondFactorStep(ctx: TotpContext, account: Account): Promise<LoginResult> {
  if (account.totp === 'confirmed') {
    return {
      challenge: 'totp',
      ...ctx.tokens.issueChallenge({ userId: account.userId, kind: 'totp', epoch: account.epoch }),
    };
  }
  const { enrollmentId, otpauthUrl } = await startEnrollment(ctx, account);
  return {
    challenge: 'totp_enroll',
    ...ctx.tokens.issueChallenge({ userId: account.userId, kind: 'totp_enroll', epoch: account.epoch, enrollmentId }),
    otpauthUrl,
  };
}
