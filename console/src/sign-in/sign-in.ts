// Turning a token from any sign-in method into the console's session.
import { useQueryClient } from '@tanstack/react-query';
import { useSessionStore } from '../session';

/** Starts a session with `token`; nothing cached from before it survives. */
export function useSignIn(): (token: string) => void {
  const store = useSessionStore();
  const queryClient = useQueryClient();
  return (token) => {
    queryClient.clear();
    store.signIn(token);
  };
}
