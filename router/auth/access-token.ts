// The end of every successful sign-in: a session begins (router/sessions), and its first access
// token is issued for the account, with its role from the database, its current credential epoch,
// the session id (`sid`) and the time of this sign-in (`auth_time`, read from the clock the
// sign-in rules read; router/users/step-up asks for a recent one before a credential change),
// with the session's first refresh token. Every method ends here, so each one's token carries the
// time it signed the person in: the password, the email code, the TOTP code after the password,
// the provider's code exchanged.
import { AuthMethod } from '../../entities';
import type { Token } from './auth-schemas';
import type { Account } from './accounts';
import { beginSession, type SessionContext } from '../sessions/session-service';
import type { SessionMethod } from '../sessions/sessions-store';

/** What issuing a token needs of a call's context. */
export type TokenContext = SessionContext;

const METHODS: Record<AuthMethod, SessionMethod> = {
  [AuthMethod.password]: 'password',
  [AuthMethod.otp]: 'email_code',
  [AuthMethod.totp]: 'totp',
  [AuthMethod.oauth2]: 'oauth2',
};

/** `method`: how the person signed in, when not by the account's own method (a linked provider). */
export function issueAccessToken(
  ctx: TokenContext,
  account: Pick<Account, 'userId' | 'role' | 'epoch' | 'authMethod'>,
  method: SessionMethod = METHODS[account.authMethod],
): Promise<Token> {
  return beginSession(ctx, account, method);
}
