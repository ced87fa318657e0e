// A limit refusal as the caller sees it: 429 with `Retry-After` (both surfaces send the headers a
// procedure asks for), and a message that says when to try again.
import { TRPCError } from '@trpc/server';
import type { Context } from '../trpc/context';
import { LimitExceeded, type LimitName } from '../../server/limits/rate-limits';
import { emailKey } from '../../entities';

/** What a limited call needs of its context: the limits, and the headers of its answer. */
export type LimitContext = Pick<Context, 'limits' | 'responseHeaders'>;

export type LimitEntries = ReadonlyArray<readonly [LimitName, string]>;

/** Takes a point from each limit, or answers 429 `message; try again in N s`. */
export async function takeOrRefuse(ctx: LimitContext, entries: LimitEntries, message: string): Promise<void> {
  try {
    await ctx.limits.take(entries);
  } catch (error) {
    if (!(error instanceof LimitExceeded)) throw error;
    ctx.responseHeaders['Retry-After'] = String(error.retryAfterSeconds);
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
