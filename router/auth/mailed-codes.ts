// What every code sent by mail shares (a sign-in code, a password reset code): a 6-digit code from
// the CSPRNG, the send limits that guard the mailbox, and the send itself. A browser known for the
// address (its device cookie) is counted on its own budget, so others' requests never block its
// owner; any other client takes a point from the address's limits and from its own client
// address's. The request is answered before the address is even looked up, the same whether a mail
// goes or not, so neither the answer nor its timing tells anything about the address.
import { randomInt } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { TRPCError } from '@trpc/server';
import { clientLimitKey } from '../../server/limits/client-key';
import type { Context } from '../trpc/context';
import { accountByAddress, type Account } from './accounts';
import { knownDevice, type DeviceContext } from './device-cookie';
import type { MailedCodeStore } from './mailed-code-store';
import { addressKey, takeOrRefuse, type LimitContext, type LimitEntries } from './limit-refusal';

/** The requester of a code that any client asked for (no device cookie known for the address). */
export const ANY_CLIENT = '';

/** A code a person reads from a mail and types back: 6 digits, uniformly drawn. */
export function sixDigitCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/**
 * Takes one send from the limits that apply to this request for `email`, or answers 429 with
 * `refusal`; the device id of a known browser, or null.
 */
export async function takeCodeSend(
  ctx: DeviceContext & LimitContext & Pick<Context, 'clientAddress'>,
  email: string,
  refusal: string,
): Promise<string | null> {
  const key = addressKey(email);
  const device = knownDevice(ctx, key);
  const limits: LimitEntries = device
    ? [['codeSendsByDevice', device]]
    : [...mailboxSendLimits(key), ['codeSendsByAddress', clientLimitKey(ctx.clientAddress)]];
  await takeOrRefuse(ctx, limits, refusal);
  return device;
}

/** The limits that guard a mailbox (its address's key) from being flooded with codes, whoever asks. */
export function mailboxSendLimits(key: string): LimitEntries {
  return [
    ['codeSendsByEmailPerInterval', key],
    ['codeSendsByEmailPerHour', key],
  ];
}

/**
 * Takes one try from the failure limits that apply to this request for `email`, or answers 429
 * with `refusal`. Answers the device id of a known browser (or null), the requesters whose codes it
 * may use (its own, or one any client asked for: the mail reached its owner), and the limits taken,
 * given back once the code proves right.
 */
export async function takeCodeTry(
  ctx: DeviceContext & LimitContext & Pick<Context, 'clientAddress'>,
  email: string,
  refusal: string,
): Promise<{ device: string | null; requesters: string[]; limits: LimitEntries }> {
  const key = addressKey(email);
  const device = knownDevice(ctx, key);
  const limits: LimitEntries = device
    ? [['loginFailsByDevice', device]]
    : [
        ['loginFailsByAddressPerDay', clientLimitKey(ctx.clientAddress)],
        ['loginFailsByEmail', key],
      ];
  await takeOrRefuse(ctx, limits, refusal, email);
  return { device, requesters: device ? [device, ANY_CLIENT] : [ANY_CLIENT], limits };
}

/** One kind of code sent by mail: who gets one, how its keyed hash is kept, what the mail says. */
export interface MailedCode {
  /** What the 503 names when this service has no mail server ("password resets"). */
  feature: string;
  /** The background task's name in the logs. */
  task: string;
  /** The 429's message when a send limit is reached. */
  refusal: string;
  /** The keyed hash's purpose (server/crypto: a code of one kind never matches another's). */
  purpose: string;
  ttlMinutes: number;
  /** Whether this account is sent a code at `now`. */
  sendsTo(account: Account, now: number): boolean;
  /** Where the code's keyed hash is kept for its requester (a device id, or ANY_CLIENT). */
  codes: MailedCodeStore;
  /** The mail's subject and text for `code`, sent to `account` by the service `signIn` describes. */
  mail(code: string, account: Account, signIn: Context['signIn']): { subject: string; text: string };
}

/** What sending a mailed code needs of a call's context. */
export type MailedCodeContext = DeviceContext &
  LimitContext &
  Pick<Context, 'clientAddress' | 'mail' | 'orm' | 'secrets' | 'clock' | 'background' | 'signIn'>;

/** The mail server, or a 503 naming `feature` ("password resets") when this service has none. */
export function requireMail(ctx: Pick<Context, 'mail'>, feature: string): NonNullable<Context['mail']> {
  if (!ctx.mail) {
    throw new TRPCError({
      code: 'SERVICE_UNAVAILABLE',
      message: `${feature} are not available: this service has no mail server configured (SMTP_URL)`,
    });
  }
  return ctx.mail;
}

/**
 * Takes a send from the limits (or answers 429), then, after the answer, looks `email` up and mails
 * its owner a new code of `kind` if `kind.sendsTo` it. A 503 when no mail server is configured.
 */
export async function sendMailedCode(ctx: MailedCodeContext, email: string, kind: MailedCode): Promise<void> {
  const mail = requireMail(ctx, kind.feature);
  const device = await takeCodeSend(ctx, email, kind.refusal);
  const { orm, secrets, clock, signIn } = ctx;
  ctx.background.run(kind.task, async () => {
    const em = orm.em.fork();
    const account = await accountByAddress(em, email);
    if (!account || !kind.sendsTo(account, clock.now())) return;
    const code = await storeNewCode({ secrets, clock }, em, kind, account, device ?? ANY_CLIENT);
    await mail.send({ to: account.address, ...kind.mail(code, account, signIn) });
  });
}

/** A new code of `kind` for `account`'s email and `requester`, kept as its keyed hash (replacing theirs); the code. */
export async function storeNewCode(
  ctx: Pick<Context, 'secrets' | 'clock'>,
  em: EntityManager,
  kind: Pick<MailedCode, 'codes' | 'purpose' | 'ttlMinutes'>,
  account: Pick<Account, 'emailId'>,
  requester: string,
): Promise<string> {
  const code = sixDigitCode();
  const expiresAt = new Date(ctx.clock.now() + kind.ttlMinutes * 60_000);
  await kind.codes.store(em, account.emailId, requester, ctx.secrets.hash(kind.purpose, code), expiresAt);
  return code;
}

/** A code for an address that has no account yet (a sign-up's, a new address's), or a notice. */
export interface CodeUnlessTaken {
  /** The background task's name in the logs. */
  task: string;
  ttlMinutes: number;
  /** Keeps the new code, as a keyed hash, until `expiresAt`: its table and owner are the caller's. */
  keep: (em: EntityManager, code: string, expiresAt: Date) => Promise<void>;
  /** The mail of the code. */
  codeMail: (code: string) => { subject: string; text: string };
  /** What an address that has an account is mailed instead: someone tried it, nothing changed. */
  takenMail: { subject: string; text: string };
}

/**
 * After the answer, so that neither the answer nor its timing says whether `address` has an
 * account: an address that has one is mailed `what.takenMail`, so its owner hears of the attempt
 * and the caller learns nothing; any other a new 6-digit code, kept by `what.keep`.
 */
export function mailCodeUnlessTaken(
  ctx: Pick<Context, 'orm' | 'clock' | 'background'>,
  mail: NonNullable<Context['mail']>,
  address: string,
  what: CodeUnlessTaken,
): void {
  const { orm, clock } = ctx;
  ctx.background.run(what.task, async () => {
    const em = orm.em.fork();
    const account = await accountByAddress(em, address);
    if (account) {
      await mail.send({ to: account.address, ...what.takenMail });
      return;
    }
    const code = sixDigitCode();
    await what.keep(em, code, new Date(clock.now() + what.ttlMinutes * 60_000));
    await mail.send({ to: address, ...what.codeMail(code) });
  });
}
