// "Last signed in …", on an admin's view of a user: when the person last signed in, how, and how many
// times in all, or that it never has. An account nobody uses is one to disable; a sign-in by a
// method the person does not use is one to ask about. An admin acting as the user is no sign-in.
// And, when the service has mailed the person that the account will be disabled for want of a
// sign-in (router/users/dormant-accounts), when it did.
import type { AccountStatus } from '../api';
import { when } from '../SessionsTable';
import { formatCount } from './labels';

/** How the sign-in was made, as the sentence says it (keyed by the router's type: none is missed). */
const HOW: Record<NonNullable<AccountStatus['lastSignInMethod']>, string> = {
  password: 'with a password',
  totp: 'with a password and an authenticator app',
  email_code: 'with a code by email',
  oauth2: 'through the OpenID provider',
  passkey: 'with a passkey',
};

export function LastSignIn({ name, status }: { name: string; status: AccountStatus }) {
  const { lastSignInAt, lastSignInMethod, signInCount, dormancyWarnedAt } = status;
  const signedIn =
    lastSignInAt === undefined || lastSignInMethod === undefined ? (
      <p className="last-sign-in">{name} has never signed in.</p>
    ) : (
      <p className="last-sign-in">
        {name} last signed in on <time dateTime={lastSignInAt}>{when(lastSignInAt)}</time>, {HOW[lastSignInMethod]} (
        {formatCount(signInCount)} {signInCount === 1 ? 'sign-in' : 'sign-ins'} in all).
      </p>
    );
  return (
    <>
      {signedIn}
      {dormancyWarnedAt && (
        <p>
          {name} was mailed on <time dateTime={dormancyWarnedAt}>{when(dormancyWarnedAt)}</time> that the account will
          be disabled unless they sign in (no sign-in for long: DORMANT_ACCOUNT_DAYS).
        </p>
      )}
    </>
  );
}
