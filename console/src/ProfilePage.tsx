// What a signed-in `user` sees: its own profile, nothing else (no list, no "Create user"). An admin
// acting as the user sees the same, named as the user's, without "Delete my account", the change of
// address nor the passkeys (the account, and how it signs in, are the user's: the service refuses
// them then).
import type { Session } from './api';
import { useSignOut } from './sign-out';
import { EditUserPage } from './users/EditUserPage';

export function ProfilePage({ session }: { session: Session }) {
  const signOut = useSignOut('Your account was deleted.');
  return (
    <EditUserPage
      id={session.userId}
      selfId={session.userId}
      title={(name) => (session.impersonator === undefined ? 'Your profile' : `${name}'s profile`)}
      isSelf
      canDelete={session.impersonator === undefined}
      ownCredentials={session.impersonator === undefined}
      onDeleted={() => signOut.mutate(undefined)}
    />
  );
}
