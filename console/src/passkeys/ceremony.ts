// What a person reads when the browser's passkey dialog did not end with a passkey: they closed it,
// or their authenticator refused (WebAuthn's NotAllowedError covers both, on purpose), or it already
// holds a passkey of this account.
import { WebAuthnError } from '@simplewebauthn/browser';

export function ceremonyFailure(error: WebAuthnError | DOMException, done: 'added' | 'signed in'): string {
  const code = error instanceof WebAuthnError ? error.code : error.name;
  if (code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED' || code === 'InvalidStateError') {
    return 'This authenticator already holds a passkey of yours: nothing was added.';
  }
  return done === 'added'
    ? 'No passkey was added: the dialog was closed, or the authenticator did not make one.'
    : 'You were not signed in: the dialog was closed, or no passkey of this service was chosen.';
}
