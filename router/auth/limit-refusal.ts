// A limit refusal as the caller sees it: 429 with `Retry-After` (both surfaces send the headers a
// procedure asks for), and a message that says when to try again.
import { TRPCError } from '@trpc/server';
import type { Context } from '../trpc/context';
import { LimitExceeded, type LimitName } from '../../server/limits/rate-limits';
import { emailKey } from '../../entities';
import { recordEvent } from '../events/events-store';
import { eventOrigin, type EventContext } from '../events/event-origin';
import { accountByAddress } from './accounts';

/**
 * What a limited call needs of its context: the limits, the headers of its answer, and where the
 * lock is recorded (`limit.locked`, once per lock: its first refusal, not every refused try).
 */
export type LimitContext = Pick<Context, 'limits' | 'responseHeaders'> & Partial<Pick<Context, 'db'>> & EventContext;

export type LimitEntries = ReadonlyArray<readonly [LimitName, string]>;

/**
 * The limits that count failed sign-ins at one account, whatever the method: a lock by one of them
 * is the account owner's to see in its history (someone guessing at it); a lock of the caller's own
 * client address is not.
 */
const ACCOUNT_LIMITS: readonly LimitName[] = ['loginFailsByEmailAndAddress', 'loginFailsByEmail', 'loginFailsByDevice'];

/**
 * Takes a point from each limit, or answers 429 `message; try again in N s`. `address` (as typed)
 * names the account a sign-in tries, so that a lock of its limits is recorded about its user.
 */
export async function takeOrRefuse(
  ctx: LimitContext,
  entries: LimitEntries,
  message: string,
  address?: string,
): Promise<void> {
  try {
    await ctx.limits.take(entries);
  } catch (error) {
    if (!(error instanceof LimitExceeded)) throw error;
    ctx.responseHeaders['Retry-After'] = String(error.retryAfterSeconds);
    await recordLock(ctx, error, address === undefined ? null : await lockedAccount(ctx, error, address));
    throw new TRPCError({
      code: 'TOO_MANY_REQUESTS',
      message: `${message}; try again in ${error.retryAfterSeconds} s`,
    });
  }
}

/**
 * The limit key of an address as the caller typed it: the key of the account it names
 * (entities/email-key), so the limits of one account are one budget, and a look-alike (which names
 * another account, or none) never spends or uses the budget of the account it imitates.
 */
export function addressKey(address: string): string {
  return emailKey(address);
}

/**
 * The user whose account a lock beginning now guards, or null (the lock is of the client's own
 * limits, or the address names nobody). Looked up only as a lock begins, once per lock.
 */
async function lockedAccount(ctx: LimitContext, error: LimitExceeded, address: string): Promise<string | null> {
  if (!error.locksNow || !ctx.db || !error.limits.some((name) => ACCOUNT_LIMITS.includes(name))) return null;
  return (await accountByAddress(ctx.db.em, address))?.userId ?? null;
}

/**
 * A limit that begins to refuse is recorded once, in its own transaction: which limits, for how
 * long, from which client. Not its key (an address as typed), and not each refused try after it,
 * so hammering a locked limit adds no rows.
 */
export async function recordLock(ctx: LimitContext, error: LimitExceeded, userId: string | null = null): Promise<void> {
  if (!error.locksNow || !ctx.db) return;
  await recordEvent(ctx.db.em, {
    type: 'limit.locked',
    userId,
    ...eventOrigin(ctx),
    data: { reason: 'limit', limits: error.limits, retryAfterSeconds: error.retryAfterSeconds },
  });
}
