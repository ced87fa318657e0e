// "Sign in with <provider>" on a person's own profile, when the service has an OpenID provider:
// whether the provider signs in to this account (auth.oauth2.linked), "Link" (auth.oauth2.link,
// then the browser goes to the provider and comes back here, where the console says how it went:
// ../Console), and "Unlink" after a confirmation, which also ends the sessions the provider signed
// in elsewhere. Both ask for a recent sign-in: past it, the person signs in again and comes back
// here (../reauthenticate). An account that signs in only with the provider cannot unlink it.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmQuestion } from '../common/ConfirmQuestion';
import { ErrorMessage } from '../common/ErrorMessage';
import { Notice } from '../common/Notice';
import { useReauthenticate } from '../reauthenticate';
import { useTRPC } from '../trpc';

export function YourProviderLink({ userId, provider }: { userId: string; provider: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const reauthenticate = useReauthenticate();
  const status = useQuery(trpc.auth.oauth2.linked.queryOptions({}));
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const link = useMutation(
    trpc.auth.oauth2.link.mutationOptions({
      // to the provider; it sends the browser back to the console, which says how it went
      onSuccess: ({ location }) => window.location.assign(location),
      onError: (error) => void reauthenticate(error, { userId, action: 'provider' }),
    }),
  );
  const unlink = useMutation(
    trpc.auth.oauth2.unlink.mutationOptions({
      onSuccess: async () => {
        setConfirming(false);
        await queryClient.invalidateQueries({ queryKey: trpc.auth.oauth2.linked.queryKey() });
        void queryClient.invalidateQueries(trpc.events.user.queryFilter({ id: userId }));
        setNotice(`${provider} is unlinked: it signs you in no more.`);
      },
      onError: (error) => void reauthenticate(error, { userId, action: 'provider' }),
    }),
  );
  return (
    <section aria-labelledby="your-provider-link">
      <h3 id="your-provider-link">Sign in with {provider}</h3>
      {notice && <Notice>{notice}</Notice>}
      {status.isError && <ErrorMessage error={status.error} onRetry={() => void status.refetch()} />}
      {status.isPending && <p role="status">Loading…</p>}
      {status.data && !status.data.linked && (
        <>
          <p>
            Link your {provider} account, and signing in with {provider} signs you in here too.
          </p>
          {link.error && !link.isPending && <ErrorMessage error={link.error} />}
          <button type="button" disabled={link.isPending} onClick={() => link.mutate({ returnTo: '/' })}>
            Link your {provider} account
          </button>
        </>
      )}
      {status.data?.linked && (
        <>
          <p>
            {provider} signs you in to this account
            {status.data.linkedAt && <> (linked {new Date(status.data.linkedAt).toLocaleDateString()})</>}.
            {status.data.required && ` It is how this account signs in, so it stays linked.`}
          </p>
          {!status.data.required && !confirming && (
            <button type="button" onClick={() => setConfirming(true)}>
              Unlink {provider}
            </button>
          )}
          {confirming && (
            <ConfirmQuestion
              question={`Unlink ${provider}? It will sign you in no more, and wherever it signed you in, you are signed out.`}
              confirm={`Unlink ${provider}`}
              busy={unlink.isPending}
              onConfirm={() => unlink.mutate({})}
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
