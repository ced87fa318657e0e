// "Last signed in …", on an admin's view of a user: when the person last signed in, how, and how many
// times in all, or that it never has. An account nobody uses is one to disable; a sign-in by a
// method the person does not use is one to ask about. An admin acting as the user is no sign-in.
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
  const { lastSignInAt, lastSignInMethod, signInCount } = status;
  if (lastSignInAt === undefined || lastSignInMethod === undefined) {
    return <p className="last-sign-in">{name} has never signed in.</p>;
  }
  return (
    <p className="last-sign-in">
      {name} last signed in on <time dateTime={lastSignInAt}>{when(lastSignInAt)}</time>, {HOW[lastSignInMethod]} (
      {formatCount(signInCount)} {signInCount === 1 ? 'sign-in' : 'sign-ins'} in all).
    </p>
  );
}
