// What every code sent by mail shares (a sign-in code, a password reset code): a 6-digit code from
// the CSPRNG, and the send limits that guard the mailbox. A browser known for the address (its
// device cookie) is counted on its own budget, so others' requests never block its owner; any other
// client takes a point from the address's limits and from its own client address's.
import { randomInt } from 'node:crypto';
import { clientLimitKey } from '../../server/limits/client-key';
import type { Context } from '../trpc/context';
import { knownDevice, type DeviceContext } from './device-cookie';
import { addressKey, takeOrRefuse, type LimitContext, type LimitEntries } from './limit-refusal';

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
    : [
        ['codeSendsByEmailPerInterval', key],
        ['codeSendsByEmailPerHour', key],
        ['codeSendsByAddress', clientLimitKey(ctx.clientAddress)],
      ];
  await takeOrRefuse(ctx, limits, refusal);
  return device;
}
