// "Sign in with a passkey": the service's options, the browser's own passkey dialog
// (@simplewebauthn/browser over navigator.credentials.get(): the person picks one of their passkeys
// for this service), and its answer exchanged for a token (auth.passkeys.signIn). Shown only where
// the browser can use passkeys.
import { useMutation } from '@tanstack/react-query';
import { browserSupportsWebAuthn, startAuthentication } from '@simplewebauthn/browser';
import { CeremonyError } from '../passkeys/CeremonyError';
import { useTRPCClient } from '../trpc';
import { useSignIn } from './sign-in';

export function PasskeySignInButton() {
  const client = useTRPCClient();
  const signIn = useSignIn();
  const start = useMutation({
    mutationFn: async () => {
      const optionsJSON = await client.auth.passkeys.signInOptions.mutate({});
      const credential = await startAuthentication({ optionsJSON });
      return client.auth.passkeys.signIn.mutate({ credential });
    },
    onSuccess: ({ token }) => signIn(token),
  });
  if (!browserSupportsWebAuthn()) return null;
  return (
    <section aria-labelledby="passkey-sign-in">
      <h3 id="passkey-sign-in">With a passkey</h3>
      {start.isError && <CeremonyError error={start.error} done="signed in" />}
      <button type="button" className="primary" disabled={start.isPending} onClick={() => start.mutate()}>
        Sign in with a passkey
      </button>
    </section>
  );
}
