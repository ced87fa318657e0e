// The end of every successful sign-in: an access token for the account, with its role from the
// database, its current credential epoch and the time of this sign-in (`auth_time`, read from the
// clock the sign-in rules read; router/users/step-up asks for a recent one before a credential
// change). Every method ends here, so each one's token carries the time it signed the person in:
// the password, the email code, the TOTP code after the password, the provider's code exchanged.
import type { Context } from '../trpc/context';
import type { Token } from './auth-schemas';
import type { Account } from './accounts';

/** What issuing a token needs of a call's context. */
export type TokenContext = Pick<Context, 'tokens' | 'clock'>;

export function issueAccessToken(ctx: TokenContext, account: Pick<Account, 'userId' | 'role' | 'epoch'>): Token {
  const { token, expiresIn } = ctx.tokens.issue({
    id: account.userId,
    role: account.role,
    epoch: account.epoch,
    authTime: Math.floor(ctx.clock.now() / 1000),
  });
  return { token, tokenType: 'Bearer', expiresIn };
}
