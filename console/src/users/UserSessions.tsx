// For admins, on another user's page: everywhere the user is signed in (sessions.ofUser), in the
// same table as "Your sessions" (../SessionsTable.tsx), and "Sign out everywhere"
// (sessions.endAllOfUser), after a confirmation: every session of the user ends, and its access
// tokens are refused from their next call.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { User } from '../api';
import { ConfirmQuestion, useReturnFocus } from '../common/ConfirmQuestion';
import { ErrorMessage } from '../common/ErrorMessage';
import { Notice } from '../common/Notice';
import { SessionsTable } from '../SessionsTable';
import { useTRPC } from '../trpc';

export function UserSessions({ user }: { user: User }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sessions = useQuery(trpc.sessions.ofUser.queryOptions({ id: user.id }));
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const endAll = useMutation(
    trpc.sessions.endAllOfUser.mutationOptions({
      onSuccess: async ({ ended }) => {
        await queryClient.invalidateQueries(trpc.sessions.ofUser.queryFilter({ id: user.id }));
        // the sign-out is in the user's history now
        void queryClient.invalidateQueries(trpc.events.user.queryFilter({ id: user.id }));
        setConfirming(false);
        setNotice(`Signed ${user.name} out of ${ended === 1 ? '1 session' : `${ended} sessions`}.`);
      },
    }),
  );
  const items = sessions.data?.items ?? [];
  // the question gone, the focus goes back to its button, or (disabled: nothing left) to the heading
  const heading = useRef<HTMLHeadingElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  useReturnFocus(confirming, trigger, heading);

  return (
    <section aria-labelledby="user-sessions" className="user-sessions">
      <h3 id="user-sessions" ref={heading} tabIndex={-1}>
        Sessions
      </h3>
      {notice && <Notice>{notice}</Notice>}
      {sessions.isPending && <p role="status">Loading {user.name}&apos;s sessions…</p>}
      {sessions.isError && <ErrorMessage error={sessions.error} onRetry={() => void sessions.refetch()} />}
      {sessions.data && items.length === 0 && <p>{user.name} is not signed in anywhere.</p>}
      {items.length > 0 && <SessionsTable caption={`${user.name}'s sessions`} sessions={items} />}
      {endAll.isError && <ErrorMessage error={endAll.error} />}
      {confirming ? (
        <ConfirmQuestion
          question={`Sign ${user.name} out everywhere? Every session above ends at once; ${user.name} signs in again only with their credentials.`}
          confirm={`Sign ${user.name} out everywhere`}
          busy={endAll.isPending}
          onConfirm={() => endAll.mutate({ id: user.id })}
          onCancel={() => setConfirming(false)}
        />
      ) : (
        <button
          ref={trigger}
          type="button"
          className="danger-quiet"
          disabled={items.length === 0}
          onClick={() => {
            setNotice(null);
            setConfirming(true);
          }}
        >
          Sign out everywhere
        </button>
      )}
    </section>
  );
}
