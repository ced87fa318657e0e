// "Sign in with <provider>": the service answers where to send the browser (and sets the cookie
// that binds this browser to the sign-in); the provider sends it back to / with a one-time code, or,
// while sign-up is open, with a ticket to finish a new account (../sign-up/ProviderSignUp), which the
// button says.
import { useMutation } from '@tanstack/react-query';
import { ErrorMessage } from '../common/ErrorMessage';
import { useTRPCClient } from '../trpc';

export function ProviderSignInButton({ name, signUp }: { name: string; signUp: boolean }) {
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
      {signUp && <p className="field-hint">New here? Signing in with {name} makes your account.</p>}
    </section>
  );
}
