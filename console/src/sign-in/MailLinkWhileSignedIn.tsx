// A mail's link (an invitation's, a password reset's, a sign-up code's) opened in a browser signed in already, as
// someone else or as the person itself: the link is for signing in, so it waits while the person
// chooses to sign out and follow it, or to stay and drop it.
import type { Session } from '../api';
import { ConsoleHeader } from '../ConsoleHeader';
import { PageHeading } from '../common/PageHeading';
import { useSignOut } from '../sign-out';
import type { MailLink } from './mail-link';

/** What each link is for, as the buttons say it. */
const WHAT: Record<MailLink['kind'], string> = {
  invitation: 'accept the invitation',
  reset: 'reset the password',
  sign_up: 'create the account',
};

interface MailLinkWhileSignedInProps {
  link: MailLink;
  session: Session | null;
  onStay: () => void;
}

export function MailLinkWhileSignedIn({ link, session, onStay }: MailLinkWhileSignedInProps) {
  const what = WHAT[link.kind];
  const signOut = useSignOut('You have signed out.');
  return (
    <>
      <ConsoleHeader session={session} />
      <main className="page">
        <PageHeading>You opened a link from an email</PageHeading>
        <p>
          This link is to {what}, which is done signed out. You are signed in
          {session ? ` as ${session.userId}` : ''}.
        </p>
        <div className="actions">
          <button
            type="button"
            className="primary"
            disabled={signOut.isPending}
            onClick={() => signOut.mutate(undefined)}
          >
            Sign out and {what}
          </button>
          <button type="button" onClick={onStay}>
            Stay signed in
          </button>
        </div>
      </main>
    </>
  );
}
