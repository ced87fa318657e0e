// The top of every screen while an admin acts as a user (acting.ts): whom it acts as, that what it
// does is recorded as its own, until when, and "Stop acting", in place of "Sign out" (which would
// end the user's session in the admin's name and leave the admin signed out of the console).
import type { Session } from './api';
import { useStopActing } from './acting';

export function ActingBanner({ session, impersonator }: { session: Session; impersonator: string }) {
  const stop = useStopActing(session.userId);
  const endsAt = session.expiresAt === null ? null : new Date(session.expiresAt * 1000);
  return (
    <section className="acting" aria-label="Acting as a user">
      <p>
        You (<strong>{impersonator}</strong>) are acting as <strong>{session.userId}</strong>
        {endsAt && (
          <>
            {' '}
            until <time dateTime={endsAt.toISOString()}>{endsAt.toLocaleTimeString()}</time>
          </>
        )}
        . What you do here is recorded as done by you, as them; they see it in their history and sessions.
      </p>
      <button type="button" className="primary" disabled={stop.isPending} onClick={() => stop.mutate(undefined)}>
        Stop acting as {session.userId}
      </button>
    </section>
  );
}
