// Why adding a passkey, or signing in with one, did not succeed, said where it was tried: the
// browser's dialog did not end with a passkey (closed, or the authenticator refused: WebAuthn's
// NotAllowedError covers both, on purpose; it already holds a passkey of this account; the page is at
// an address passkeys cannot be made for), or the service refused (../common/ErrorMessage).
import { WebAuthnError } from '@simplewebauthn/browser';
import { ErrorMessage } from '../common/ErrorMessage';

export function CeremonyError({ error, done }: { error: unknown; done: 'added' | 'signed in' }) {
  if (!(error instanceof WebAuthnError || error instanceof DOMException)) return <ErrorMessage error={error} />;
  return (
    <div role="alert" className="alert">
      <p>{browserFailure(error, done)}</p>
    </div>
  );
}

function browserFailure(error: WebAuthnError | DOMException, done: 'added' | 'signed in'): string {
  const code = error instanceof WebAuthnError ? error.code : error.name;
  if (code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED' || code === 'InvalidStateError') {
    return 'This authenticator already holds a passkey of yours: nothing was added.';
  }
  // the page's address is not the one passkeys are made for (an IP address, another host)
  if (code === 'SecurityError' || code === 'ERROR_INVALID_DOMAIN' || code === 'ERROR_INVALID_RP_ID') {
    return `Passkeys do not work at this address (${window.location.host}): open the console at the service's own address (in development, http://localhost${window.location.port ? `:${window.location.port}` : ''}/).`;
  }
  return done === 'added'
    ? 'No passkey was added: the dialog was closed, or the authenticator did not make one.'
    : 'You were not signed in: the dialog was closed, or no passkey of this service was chosen.';
}
