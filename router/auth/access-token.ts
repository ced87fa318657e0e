// The end of every successful sign-in: an access token for the account, with its role from the
// database and its current credential epoch.
import type { Context } from '../trpc/context';
import type { Token } from './auth-schemas';
import type { Account } from './accounts';

/** What issuing a token needs of a call's context. */
export type TokenContext = Pick<Context, 'tokens'>;

export function issueAccessToken(ctx: TokenContext, account: Pick<Account, 'userId' | 'role' | 'epoch'>): Token {
  const { token, expiresIn } = ctx.tokens.issue({ id: account.userId, role: account.role, epoch: account.epoch });
  return { token, tokenType: 'Bearer', expiresIn };
}
