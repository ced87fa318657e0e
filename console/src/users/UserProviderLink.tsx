// For admins, on another user's page, when the service has an OpenID provider: whether the provider
// signs in to the user's account (auth.oauth2.linkedOfUser), and "Unlink" after a confirmation (a
// provider account the user lost, or that was taken over): it signs in no more, and every session
// it signed in ends. Linking is the user's alone (./YourProviderLink), since only the user signs in
// at the provider.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { User } from '../api';
import { ConfirmQuestion } from '../common/ConfirmQuestion';
import { ErrorMessage } from '../common/ErrorMessage';
import { Notice } from '../common/Notice';
import { useTRPC } from '../trpc';

export function UserProviderLink({ user, provider }: { user: User; provider: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.auth.oauth2.linkedOfUser.queryOptions({ id: user.id }));
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const unlink = useMutation(
    trpc.auth.oauth2.unlinkUser.mutationOptions({
      onSuccess: async () => {
        setConfirming(false);
        await queryClient.invalidateQueries(trpc.auth.oauth2.linkedOfUser.queryFilter({ id: user.id }));
        void queryClient.invalidateQueries(trpc.sessions.ofUser.queryFilter({ id: user.id }));
        void queryClient.invalidateQueries(trpc.events.user.queryFilter({ id: user.id }));
        setNotice(`${provider} is unlinked from ${user.name}'s account, and the sessions it signed in have ended.`);
      },
    }),
  );
  return (
    <section aria-labelledby="user-provider-link">
      <h3 id="user-provider-link">Sign in with {provider}</h3>
      {notice && <Notice>{notice}</Notice>}
      {status.isError && <ErrorMessage error={status.error} onRetry={() => void status.refetch()} />}
      {status.isPending && <p role="status">Loading…</p>}
      {status.data && !status.data.linked && (
        <p>
          {provider} does not sign in to {user.name}&apos;s account. Only {user.name} can link it, from its profile.
        </p>
      )}
      {status.data?.linked && (
        <>
          <p>
            {provider} signs in to {user.name}&apos;s account
            {status.data.linkedAt && <> (linked {new Date(status.data.linkedAt).toLocaleDateString()})</>}.
            {status.data.required && ` It is how the account signs in, so it stays linked.`}
          </p>
          {!status.data.required && !confirming && (
            <button type="button" onClick={() => setConfirming(true)}>
              Unlink {provider} from {user.name}
            </button>
          )}
          {confirming && (
            <ConfirmQuestion
              question={`Unlink ${provider} from ${user.name}'s account? It will sign ${user.name} in no more, and every session it signed in ends.`}
              confirm={`Unlink ${provider}`}
              busy={unlink.isPending}
              onConfirm={() => unlink.mutate({ id: user.id })}
              onCancel={() => setConfirming(false)}
            >
              {unlink.error && <ErrorMessage error={unlink.error} />}
            </ConfirmQuestion>
          )}
        </>
      )}
    </section>
  );
}
