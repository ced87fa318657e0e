// The top of every screen: the console's name, and who is signed in, with "Your sessions" and
// "Sign out" (which ends this session: its refresh cookie too); an admin acting as a user sees
// that instead (./ActingBanner).
import type { Session } from './api';
import { ActingBanner } from './ActingBanner';
import { useSignOut } from './sign-out';

export function ConsoleHeader({ session, onSessions }: { session: Session | null; onSessions?: () => void }) {
  const impersonator = session?.impersonator;
  return (
    <header className="console-header">
      <h1>Users console</h1>
      {session && impersonator !== undefined && <ActingBanner session={session} impersonator={impersonator} />}
      {session && impersonator === undefined && <SignedInAs session={session} onSessions={onSessions} />}
    </header>
  );
}

function SignedInAs({ session, onSessions }: { session: Session; onSessions?: () => void }) {
  const signOut = useSignOut('You have signed out.');
  return (
    <div className="signed-in">
      <p>
        Signed in as <strong>{session.userId}</strong> ({session.role === 'admin' ? 'admin' : 'user'})
      </p>
      {onSessions && (
        <button type="button" onClick={onSessions}>
          Your sessions
        </button>
      )}
      <button type="button" disabled={signOut.isPending} onClick={() => signOut.mutate(undefined)}>
        Sign out
      </button>
    </div>
  );
}
