// Signing out: the service revokes the token (auth.logout), then the console forgets it. The
// console forgets it even when the service cannot be told (the token is then still valid until
// it expires, and the person is told so).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { describeError } from './errors';
import { useSessionStore } from './session';
import { useTRPC } from './trpc';

export function useSignOut(notice: string) {
  const trpc = useTRPC();
  const store = useSessionStore();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.auth.logout.mutationOptions({
      onSettled: (_data, error) => {
        queryClient.clear();
        store.end(error ? `${notice} The service could not end the session: ${describeError(error)}` : notice);
      },
    }),
  );
}
