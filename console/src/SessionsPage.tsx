// "Your sessions": every place the person is signed in (sessions.list), this device marked, with
// "Sign out" for each other one (sessions.end, which ends its access tokens at once) and "Sign out
// of all other sessions" (sessions.endOthers). Signing out of this device is the header's "Sign out".
// The table is ./SessionsTable.tsx, which an admin's view of a user's sessions shows too.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorMessage } from './common/ErrorMessage';
import { Notice } from './common/Notice';
import { PageHeading } from './common/PageHeading';
import { SessionsTable, when } from './SessionsTable';
import { useTRPC } from './trpc';

export function SessionsPage({ onBack }: { onBack: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<string | null>(null);
  const sessions = useQuery(trpc.sessions.list.queryOptions());
  const refetch = () => queryClient.invalidateQueries({ queryKey: trpc.sessions.list.queryKey() });
  const end = useMutation(
    trpc.sessions.end.mutationOptions({
      // the notice waits for the refreshed list, so it never stands beside the row it says is gone
      onSuccess: async (_data, { id }) => {
        const ended = sessions.data?.items.find((item) => item.id === id);
        await refetch();
        setNotice(`Signed out of ${ended?.userAgent ?? 'that session'}.`);
      },
    }),
  );
  const endOthers = useMutation(
    trpc.sessions.endOthers.mutationOptions({
      onSuccess: async ({ ended }) => {
        await refetch();
        setNotice(ended === 1 ? 'Signed out of 1 other session.' : `Signed out of ${ended} other sessions.`);
      },
    }),
  );
  const others = sessions.data?.items.filter((item) => !item.current) ?? [];
  return (
    <main className="page">
      <PageHeading>Your sessions</PageHeading>
      <p>
        Everywhere you are signed in. Signing out of a session ends it at once; it signs in again only with your
        credentials.
      </p>
      {notice && <Notice>{notice}</Notice>}
      {end.error && <ErrorMessage error={end.error} />}
      {endOthers.error && <ErrorMessage error={endOthers.error} />}
      {sessions.isPending && <p role="status">Loading your sessions…</p>}
      {sessions.isError && <ErrorMessage error={sessions.error} onRetry={() => void sessions.refetch()} />}
      {sessions.data && (
        <SessionsTable
          caption="Your sessions"
          sessions={sessions.data.items}
          action={(item) =>
            !item.current && (
              <button
                type="button"
                className="danger-quiet"
                disabled={end.isPending}
                onClick={() => end.mutate({ id: item.id })}
              >
                Sign out
                <span className="visually-hidden">
                  {' '}
                  of {item.userAgent}, last active {when(item.lastUsedAt)}
                </span>
              </button>
            )
          }
        />
      )}
      <div className="row-actions">
        <button
          type="button"
          disabled={others.length === 0 || endOthers.isPending}
          onClick={() => endOthers.mutate(undefined)}
        >
          Sign out of all other sessions
        </button>
        <button type="button" onClick={onBack}>
          Back
        </button>
      </div>
    </main>
  );
}
