// "Sign in with <provider>": the service answers where to send the browser (and sets the cookie
// that binds this browser to the sign-in); the provider sends it back to / with a one-time code.
import { useMutation } from '@tanstack/react-query';
import { ErrorMessage } from '../common/ErrorMessage';
import { useTRPCClient } from '../trpc';

export function ProviderSignInButton({ name }: { name: string }) {
  const client = useTRPCClient();
  // a query on the service, but each click must start a new sign-in: never a cached answer
  const start = useMutation({
    mutationFn: () => client.auth.oauth2.authorize.query({ returnTo: '/' }),
    onSuccess: ({ location }) => window.location.assign(location),
  });
  return (
    <section aria-labelledby="provider-sign-in">
      <h3 id="provider-sign-in">With {name}</h3>
      {start.isError && <ErrorMessage error={start.error} />}
      <button type="button" className="primary" disabled={start.isPending} onClick={() => start.mutate()}>
        Sign in with {name}
      </button>
    </section>
  );
}
