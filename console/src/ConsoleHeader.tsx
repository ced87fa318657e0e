// The top of every screen: the console's name, and who is signed in, with "Sign out".
import type { Session } from './api';
import { useSignOut } from './sign-out';

export function ConsoleHeader({ session }: { session: Session | null }) {
  return (
    <header className="console-header">
      <h1>Users console</h1>
      {session && <SignedInAs session={session} />}
    </header>
  );
}

function SignedInAs({ session }: { session: Session }) {
  const signOut = useSignOut('You have signed out.');
  return (
    <div className="signed-in">
      <p>
        Signed in as <strong>{session.userId}</strong> ({session.role === 'admin' ? 'admin' : 'user'})
      </p>
      <button type="button" disabled={signOut.isPending} onClick={() => signOut.mutate(undefined)}>
        Sign out
      </button>
    </div>
  );
}
