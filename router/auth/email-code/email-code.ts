// Sign-in with a one-time code sent by email (authMethod 1).
// - Requesting a code always answers the same (202, one body) whether the address exists, signs in
//   by code or not, and the lookup and the mail happen after the answer, so neither the body nor
//   its timing tells anything about the address. The send limits count the address as typed,
//   known or not, for the same reason.
// - A code is 6 digits from the CSPRNG, stored only as a keyed hash, valid for 10 minutes and once;
//   a new request replaces the previous code; after 5 wrong codes the current one is dead even if
//   the right one follows. The right code is consumed by one conditional DELETE, so of two
//   concurrent verifies exactly one succeeds.
import { randomInt } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { AuthMethod } from '../../../entities';
import type { Context } from '../../trpc/context';
import type { Token } from '../auth-schemas';
import { accountByAddress } from '../accounts';
import { issueAccessToken } from '../access-token';
import { addressKey, takeOrRefuse } from '../limit-refusal';
import { unauthorized } from '../../trpc/api-errors';
import { clientLimitKey } from '../../../server/limits/client-key';
import { consumeCode, countWrongCode, storeCode } from './email-code-store';

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
>;

export const CODE_TTL_MINUTES = 10;
export const MAX_WRONG_CODES = 5;
const CODE_PURPOSE = 'email-code';
export const CODE_FAILED = 'invalid or expired code';
export const CODE_ACCEPTED = {
  status: 'accepted' as const,
  message: `If this address signs in by email code, a code is on its way; it is valid for ${CODE_TTL_MINUTES} minutes.`,
};

export async function requestEmailCode(ctx: EmailCodeContext, email: string): Promise<typeof CODE_ACCEPTED> {
  const mail = ctx.mail;
  if (!mail) {
    throw new TRPCError({
      code: 'SERVICE_UNAVAILABLE',
      message: 'sign-in codes by email are not available: this service has no mail server configured (SMTP_URL)',
    });
  }
  const key = addressKey(email);
  await takeOrRefuse(
    ctx,
    [
      ['codeSendsByEmailPerInterval', key],
      ['codeSendsByEmailPerHour', key],
      ['codeSendsByAddress', clientLimitKey(ctx.clientAddress)],
    ],
    'too many sign-in codes requested',
  );
  const { orm, secrets, clock, signIn } = ctx;
  ctx.background.run('email sign-in code', async () => {
    const em = orm.em.fork();
    const account = await accountByAddress(em, email);
    if (account?.authMethod !== AuthMethod.otp) return;
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await storeCode(
      em,
      account.emailId,
      secrets.hash(CODE_PURPOSE, code),
      new Date(clock.now() + CODE_TTL_MINUTES * 60_000),
    );
    await mail.send({
      to: account.address,
      subject: `Your ${signIn.serviceName} sign-in code`,
      text:
        `Your sign-in code is ${code}\n\n` +
        `It is valid for ${CODE_TTL_MINUTES} minutes and can be used once. ` +
        `If you did not ask to sign in, you can ignore this email: nobody can sign in without the code.\n`,
    });
  });
  return CODE_ACCEPTED;
}

export async function verifyEmailCode(
  ctx: EmailCodeContext,
  { email, code }: { email: string; code: string },
): Promise<Token> {
  const limits: Array<readonly ['loginFailsByAddressPerDay' | 'loginFailsByEmail', string]> = [
    ['loginFailsByAddressPerDay', clientLimitKey(ctx.clientAddress)],
    ['loginFailsByEmail', addressKey(email)],
  ];
  await takeOrRefuse(ctx, limits, 'too many sign-in attempts');
  const em = ctx.db.em;
  const account = await accountByAddress(em, email);
  if (account?.authMethod !== AuthMethod.otp) throw unauthorized(CODE_FAILED);
  const hash = ctx.secrets.hash(CODE_PURPOSE, code);
  if (!(await consumeCode(em, account.emailId, hash, new Date(ctx.clock.now()), MAX_WRONG_CODES))) {
    await countWrongCode(em, account.emailId);
    throw unauthorized(CODE_FAILED);
  }
  await ctx.limits.giveBack(limits);
  return issueAccessToken(ctx, account);
}
