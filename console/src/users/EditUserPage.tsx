// One user, as the service has it (users.get: the user and the version it was read at, which the
// form's save and the delete send back): what the service owns, shown; the rest in the form;
// delete; for an admin on another user's page, the account's state (./AccountState), where the
// user is signed in (./UserSessions), its passkeys, and acting as the user (./ActAsUser); its
// metadata (./UserMetadata), its history, and a download of its data (./DownloadData); on a person's own profile, a new address
// (./YourEmailAddress) and its passkeys (../passkeys).
// Back from signing in again (reauthenticate.ts), the form holds what was typed before.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorMessage } from '../common/ErrorMessage';
import { Notice } from '../common/Notice';
import { PageHeading } from '../common/PageHeading';
import { UserPasskeys } from '../passkeys/UserPasskeys';
import { YourPasskeys } from '../passkeys/YourPasskeys';
import { YourEmailAddress } from './YourEmailAddress';
import { YourProviderLink } from './YourProviderLink';
import { UserProviderLink } from './UserProviderLink';
import { resumedNotice, useResume } from '../reauthenticate';
import { useTRPC } from '../trpc';
import { AccountState } from './AccountState';
import { ActAsUser } from './ActAsUser';
import { DeleteUserDialog } from './DeleteUserDialog';
import { DownloadData } from './DownloadData';
import { EditUserForm } from './EditUserForm';
import { ServerOwnedValues } from './ServerOwnedValues';
import { UserHistory } from './UserHistory';
import { UserMetadata } from './UserMetadata';
import { UserSessions } from './UserSessions';

interface EditUserPageProps {
  id: string;
  /** Who is signed in: their own doings show as "you" in the history. */
  selfId: string;
  /** The page's title for the user: "Edit alice", "Your profile". */
  title: (name: string) => string;
  isSelf: boolean;
  /** Offer to delete the user (not to an admin acting as it). */
  canDelete?: boolean;
  notice?: string | null;
  onDeleted: (name: string) => void;
  /** Show what the person alone changes of how it signs in, its address and its passkeys (its own profile, not while an admin acts as it). */
  ownCredentials?: boolean;
  /** Back to the list (admins); none on a user's own profile. */
  onBack?: () => void;
}

export function EditUserPage({
  id,
  selfId,
  title,
  isSelf,
  canDelete = true,
  ownCredentials = false,
  notice,
  onDeleted,
  onBack,
}: EditUserPageProps) {
  const trpc = useTRPC();
  const read = useQuery(trpc.users.get.queryOptions({ id }));
  const methods = useQuery(trpc.auth.methods.queryOptions({}));
  // back from signing in again for a change left here: what was typed, and a word on it
  const resume = useResume(id);
  const [deleting, setDeleting] = useState(false);
  const back = onBack && (
    <button type="button" onClick={onBack}>
      Back to users
    </button>
  );
  if (read.isPending) {
    return (
      <main className="page">
        <p role="status">Loading…</p>
      </main>
    );
  }
  if (read.isError) {
    return (
      <main className="page">
        <PageHeading>{title('user')}</PageHeading>
        <ErrorMessage error={read.error} onRetry={() => void read.refetch()} />
        {back}
      </main>
    );
  }
  const { user, version } = read.data;
  return (
    <main className="page">
      <PageHeading>{title(user.name)}</PageHeading>
      {notice && <Notice>{notice}</Notice>}
      {resume && <Notice>{resumedNotice(resume)}</Notice>}
      {/* back from signing in again: the form is at the user as it was opened, not as read now */}
      <EditUserForm
        key={user.id}
        user={resume?.opened?.user ?? user}
        version={resume?.opened?.version ?? version}
        isSelf={isSelf}
        typed={resume?.values}
      >
        {canDelete && (
          <button type="button" className="danger" onClick={() => setDeleting(true)}>
            {isSelf ? 'Delete my account' : `Delete ${user.name}`}
          </button>
        )}
        {back}
      </EditUserForm>
      {!isSelf && <AccountState user={user} />}
      {!isSelf && <UserSessions user={user} />}
      {!isSelf && <UserPasskeys user={user} />}
      {!isSelf && methods.data?.oauth2 && <UserProviderLink user={user} provider={methods.data.oauth2.name} />}
      {!isSelf && <ActAsUser user={user} />}
      {ownCredentials && (
        <YourEmailAddress user={user} typedAddress={resume?.action === 'address' ? resume.address : undefined} />
      )}
      {ownCredentials && (
        <YourPasskeys userId={user.id} typedName={resume?.action === 'passkeys' ? resume.passkeyName : undefined} />
      )}
      {ownCredentials && methods.data?.oauth2 && (
        <YourProviderLink userId={user.id} provider={methods.data.oauth2.name} />
      )}
      <ServerOwnedValues user={user} />
      <UserMetadata id={user.id} />
      <UserHistory id={user.id} selfId={selfId} />
      <DownloadData user={user} isSelf={isSelf} />
      {deleting && (
        <DeleteUserDialog
          user={user}
          version={version}
          onCancel={() => setDeleting(false)}
          onDeleted={(name) => onDeleted(name)}
        />
      )}
    </main>
  );
}
