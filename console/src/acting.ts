// An admin acting as one of its users (POST /api/v2/users/{id}/impersonate): the impersonation's
// token replaces the admin's in this tab (session.ts), and the admin's own session waits in its
// refresh cookie. Acting ends by "Stop acting" (a logout of the impersonation's token, which leaves
// the cookie alone), when its token expires (it cannot be renewed), or when the service refuses it
// (the user ended it, changed its credentials, was disabled): each time the console takes the
// admin's own session up again from the cookie, and says why acting ended.
import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { describeError } from './errors';
import { renewToken } from './renewal';
import { useSessionStore, type SessionStore } from './session';
import { useTRPC } from './trpc';

/** Back to the admin's own session, with `notice`; to sign-in when that has ended too. */
export async function returnToOwnSession(store: SessionStore, queryClient: QueryClient, notice: string): Promise<void> {
  const own = await renewToken();
  if (!own) {
    queryClient.clear();
    store.end(`${notice} Your own session has ended too. Sign in again.`);
    return;
  }
  store.switchTo(own, notice);
  // nothing read as the user may show to the admin: every answer is dropped, and what is on the
  // screen is read again with the admin's token
  await queryClient.resetQueries();
}

/** "Stop acting as …": ends the impersonation's session, then back to the admin's own. */
export function useStopActing(userId: string) {
  const trpc = useTRPC();
  const store = useSessionStore();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.auth.logout.mutationOptions({
      onSettled: (_data, error) =>
        returnToOwnSession(
          store,
          queryClient,
          error
            ? `You stopped acting as ${userId}, but the service could not end that session: ${describeError(error)}`
            : `You stopped acting as ${userId}.`,
        ),
    }),
  );
}
