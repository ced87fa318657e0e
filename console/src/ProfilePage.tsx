// What a signed-in `user` sees: its own profile, nothing else (no list, no "Create user").
import type { Session } from './api';
import { useSignOut } from './sign-out';
import { EditUserPage } from './users/EditUserPage';

export function ProfilePage({ session }: { session: Session }) {
  const signOut = useSignOut('Your account was deleted.');
  return (
    <EditUserPage
      id={session.userId}
      selfId={session.userId}
      title={() => 'Your profile'}
      isSelf
      onDeleted={() => signOut.mutate(undefined)}
    />
  );
}
