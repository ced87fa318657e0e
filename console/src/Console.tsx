// The console's screens: the sign-in page without a token; with one, what its role may see
// (an admin the users, a user its own profile), as auth.session says, or the form a change was
// left on to sign in again (reauthenticate.ts).
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { Session } from './api';
import { ErrorMessage } from './common/ErrorMessage';
import { Notice } from './common/Notice';
import { ConsoleHeader } from './ConsoleHeader';
import { ProfilePage } from './ProfilePage';
import { SessionsPage } from './SessionsPage';
import { useSession, useSessionStore } from './session';
import type { ProviderReturn } from './sign-in/provider-return';
import type { MailLink } from './sign-in/mail-link';
import { SignInPage } from './sign-in/SignInPage';
import { MailLinkWhileSignedIn } from './sign-in/MailLinkWhileSignedIn';
import { useTRPC } from './trpc';
import { UsersPage } from './users/UsersPage';
import { WebhooksPage } from './webhooks/WebhooksPage';
import { ClientsPage } from './clients/ClientsPage';
import { EventsPage } from './events/EventsPage';
import { InvitationsPage } from './invitations/InvitationsPage';

export function Console({
  providerReturn,
  mailLink,
}: {
  providerReturn: ProviderReturn | null;
  mailLink: MailLink | null;
}) {
  const { token, resuming } = useSession();
  // the provider's answer belongs to the first sign-in page of this visit only
  const [pending, setPending] = useState(providerReturn);
  // so does a mail's link; opened signed in, it waits for the person to sign out or drop it
  const [link, setLink] = useState(mailLink);
  const store = useSessionStore();
  useEffect(() => {
    if (token) {
      // back from linking the provider, still signed in: what came of it is said above the page
      if (pending && 'linked' in pending)
        store.tell('Your OpenID provider is linked: it signs you in to this account now.');
      if (pending && 'linkRefused' in pending)
        store.tell(`Your OpenID provider was not linked: ${pending.linkRefused}.`);
      setPending(null);
    } else if (!resuming) setLink(null); // the sign-in page has taken it
  }, [token, resuming, pending, store]);
  if (resuming) return <Resuming />;
  if (!token) {
    return (
      <>
        <ConsoleHeader session={null} />
        <SignInPage providerReturn={pending} mailLink={link} />
      </>
    );
  }
  // a renewed token keeps the screen as it is (the key is the session, not its token)
  return <SignedInConsole mailLink={link} onStay={() => setLink(null)} />;
}

function Resuming() {
  return (
    <>
      <ConsoleHeader session={null} />
      <main className="page">
        <p role="status">Signing in…</p>
      </main>
    </>
  );
}

function SignedInConsole({ mailLink, onStay }: { mailLink: MailLink | null; onStay: () => void }) {
  const trpc = useTRPC();
  const store = useSessionStore();
  const { notice } = useSession();
  const session = useQuery(trpc.auth.session.queryOptions());
  const [showSessions, setShowSessions] = useState(false);
  const userId = session.data?.userId;
  useEffect(() => {
    // a change left for signing in again belongs to that user only
    if (userId !== undefined && store.resume && store.resume.userId !== userId) store.clearResume();
  }, [userId, store]);
  if (session.isPending) {
    return (
      <>
        <ConsoleHeader session={null} />
        <main className="page">
          <p role="status">Signing in…</p>
        </main>
      </>
    );
  }
  if (session.isError) {
    // a refused token has already sent the person back to sign in (see App); this is the rest
    return (
      <>
        <ConsoleHeader session={null} />
        <main className="page">
          <ErrorMessage error={session.error} onRetry={() => void session.refetch()} />
        </main>
      </>
    );
  }
  if (mailLink) return <MailLinkWhileSignedIn link={mailLink} session={session.data} onStay={onStay} />;
  if (showSessions) {
    return (
      <>
        <ConsoleHeader session={session.data} />
        <SessionsPage onBack={() => setShowSessions(false)} />
      </>
    );
  }
  return (
    <>
      <ConsoleHeader session={session.data} onSessions={() => setShowSessions(true)} />
      {notice && <SignedInNotice notice={notice} onDismiss={() => store.dismissNotice()} />}
      {session.data.role === 'admin' ? (
        <AdminSections session={session.data} />
      ) : (
        <ProfilePage session={session.data} />
      )}
    </>
  );
}

/** What the console has to say once signed in (how acting as a user ended), until it is read. */
function SignedInNotice({ notice, onDismiss }: { notice: string; onDismiss: () => void }) {
  return (
    <div className="page signed-in-notice">
      <Notice>{notice}</Notice>
      <button type="button" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}

const SECTIONS = {
  users: 'Users',
  invitations: 'Invitations',
  events: 'Events',
  webhooks: 'Webhooks',
  clients: 'API clients',
} as const;
type Section = keyof typeof SECTIONS;

/** An admin's sections (users, invitations, the audit trail of events, webhooks, API clients), with a way between them. */
function AdminSections({ session }: { session: Session }) {
  const [section, setSection] = useState<Section>('users');
  return (
    <>
      <nav aria-label="Sections" className="sections">
        {(Object.keys(SECTIONS) as Section[]).map((name) => (
          <button
            key={name}
            type="button"
            aria-current={section === name ? 'page' : undefined}
            onClick={() => setSection(name)}
          >
            {SECTIONS[name]}
          </button>
        ))}
      </nav>
      {section === 'users' && <UsersPage session={session} />}
      {section === 'invitations' && <InvitationsPage />}
      {section === 'events' && <EventsPage session={session} />}
      {section === 'webhooks' && <WebhooksPage />}
      {section === 'clients' && <ClientsPage />}
    </>
  );
}
