// The console's providers, as tRPC's TanStack React Query docs set them up: one QueryClient, one
// tRPC client (the project's typed client from client/, sending the session's Bearer token), and
// the session. A call the service refuses as UNAUTHORIZED while signed in (a revoked or expired
// token) ends the session with a message, wherever it happened; but for a refusal that only asks
// for a more recent sign-in, which the form that made it handles (reauthenticate.ts).
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { createUsersClient } from '../../client';
import { ConsoleCrashed } from './common/ConsoleCrashed';
import { Console } from './Console';
import { isUnauthorized, reauthenticationAsked } from './errors';
import { SessionProvider, SessionStore } from './session';
import type { ProviderReturn } from './sign-in/provider-return';
import type { ResetLink } from './sign-in/reset-link';
import { TRPCProvider } from './trpc';

function makeQueryClient(store: SessionStore): QueryClient {
  const endRefusedSession = (error: unknown) => {
    if (!store.token || !isUnauthorized(error) || reauthenticationAsked(error)) return;
    queryClient.clear();
    store.end(`Your session has ended: ${(error as Error).message}. Sign in again.`);
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
  resetLink = null,
}: {
  store: SessionStore;
  providerReturn: ProviderReturn | null;
  resetLink?: ResetLink | null;
}) {
  const [queryClient] = useState(() => makeQueryClient(store));
  const [trpcClient] = useState(() => createUsersClient({ url: '/trpc', token: () => store.token ?? undefined }));
  return (
    <ConsoleCrashed>
      <SessionProvider value={store}>
        <QueryClientProvider client={queryClient}>
          <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
            <Console providerReturn={providerReturn} resetLink={resetLink} />
          </TRPCProvider>
        </QueryClientProvider>
      </SessionProvider>
    </ConsoleCrashed>
  );
}
