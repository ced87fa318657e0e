// A mail's link (an invitation's, a password reset's) opened in a browser signed in already, as
// someone else or as the person itself: the link is for signing in, so it waits while the person
// chooses to sign out and follow it, or to stay and drop it.
import type { Session } from '../api';
import { ConsoleHeader } from '../ConsoleHeader';
import { PageHeading } from '../common/PageHeading';
import { useSignOut } from '../sign-out';
import type { MailLink } from './mail-link';

interface MailLinkWhileSignedInProps {
  link: MailLink;
  session: Session | null;
  onStay: () => void;
}

export function MailLinkWhileSignedIn({ link, session, onStay }: MailLinkWhileSignedInProps) {
  const what = link.kind === 'invitation' ? 'accept the invitation' : 'reset the password';
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
