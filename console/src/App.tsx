// The console's providers, as tRPC's TanStack React Query docs set them up: one QueryClient, one
// tRPC client (the project's typed client from client/, sending the session's Bearer token), and
// the session. A call the service refuses as UNAUTHORIZED while signed in (a revoked or expired
// token) first tries to renew the token from the refresh cookie (renewal.ts: a tab that slept past
// its token's expiry), and ends the session with a message, wherever it happened, when that fails;
// but for a refusal that only asks for a more recent sign-in, which the form that made it handles
// (reauthenticate.ts), and for an admin acting as a user, whose refused token sends it back to its
// own session (acting.ts). `KeepSignedIn` renews the token before it expires (an acting token ends
// instead), and takes the session up again on load.
import { MutationCache, QueryCache, QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { createUsersClient } from '../../client';
import { ConsoleCrashed } from './common/ConsoleCrashed';
import { Console } from './Console';
import { isUnauthorized, reauthenticationAsked } from './errors';
import { returnToOwnSession } from './acting';
import { actingOf, cookieFetch, renewalDelay, renewToken } from './renewal';
import { SessionProvider, SessionStore, useSessionState } from './session';
import type { ProviderReturn } from './sign-in/provider-return';
import type { MailLink } from './sign-in/mail-link';
import { TRPCProvider } from './trpc';

/** A renewal after a refusal at most this often, so a token refused at once again ends the session. */
const RENEW_AFTER_REFUSAL_MS = 10_000;

function makeQueryClient(store: SessionStore): QueryClient {
  let lastRenewal = 0;
  const endRefusedSession = (error: unknown) => {
    const refused = store.token;
    if (!refused || !isUnauthorized(error) || reauthenticationAsked(error)) return;
    // acting as a user: that session has ended (the user ended it, changed its credentials); the
    // cookie's session is the admin's own, to go back to, not to renew this one with
    const acting = actingOf(refused);
    if (acting) {
      const why = `Acting as ${acting.userId} has ended: ${(error as Error).message}.`;
      void returnToOwnSession(store, queryClient, why);
      return;
    }
    const end = () => {
      queryClient.clear();
      store.end(`Your session has ended: ${(error as Error).message}. Sign in again.`);
    };
    if (Date.now() - lastRenewal < RENEW_AFTER_REFUSAL_MS) return end();
    lastRenewal = Date.now();
    void renewToken().then((token) => {
      if (store.token !== refused) return;
      if (!token) return end();
      store.renew(token);
      void queryClient.invalidateQueries();
    });
  };
  const queryClient = new QueryClient({
    queryCache: new QueryCache({ onError: endRefusedSession }),
    mutationCache: new MutationCache({ onError: endRefusedSession }),
    defaultOptions: {
      // a failure is shown at once, with "Try again"; nothing retries behind the person's back
      queries: { retry: false, staleTime: 30_000, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
  return queryClient;
}

export function App({
  store,
  providerReturn,
  mailLink = null,
}: {
  store: SessionStore;
  providerReturn: ProviderReturn | null;
  mailLink?: MailLink | null;
}) {
  const [queryClient] = useState(() => makeQueryClient(store));
  const [trpcClient] = useState(() =>
    createUsersClient({ url: '/trpc', token: () => store.token ?? undefined, fetch: cookieFetch }),
  );
  return (
    <ConsoleCrashed>
      <SessionProvider value={store}>
        <QueryClientProvider client={queryClient}>
          <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
            <KeepSignedIn store={store} />
            <Console providerReturn={providerReturn} mailLink={mailLink} />
          </TRPCProvider>
        </QueryClientProvider>
      </SessionProvider>
    </ConsoleCrashed>
  );
}

/** Renews the token before it expires; on load, takes up the session of the refresh cookie. */
function KeepSignedIn({ store }: { store: SessionStore }) {
  const { token, resuming } = useSessionState(store);
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!resuming) return;
    void renewToken().then((renewed) => (renewed ? store.renew(renewed) : store.notResumed()));
  }, [resuming, store]);
  useEffect(() => {
    if (!token) return;
    const acting = actingOf(token);
    if (acting) {
      // an impersonation is not renewed: at its end, back to the admin's own session
      const ends = setTimeout(
        () => {
          if (store.token !== token) return;
          void returnToOwnSession(store, queryClient, `Your time acting as ${acting.userId} is over.`);
        },
        Math.max(0, acting.endsAt - Date.now()),
      );
      return () => clearTimeout(ends);
    }
    const timer = setTimeout(() => {
      void renewToken().then((renewed) => {
        if (store.token !== token) return;
        if (renewed) store.renew(renewed);
        else store.end('Your session has ended. Sign in again.');
      });
    }, renewalDelay(token));
    return () => clearTimeout(timer);
  }, [token, store, queryClient]);
  return null;
}
