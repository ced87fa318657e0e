// An endpoint's Standard Webhooks signing secret: `whsec_` and 24 random bytes in base64 (the
// form the `standardwebhooks` and Svix libraries take), stored sealed under TOTP_KEY, bound to
// its endpoint (server/crypto/secret-box.ts).
import { randomBytes } from 'node:crypto';

export function newSigningSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** The associated data an endpoint's sealed secret is bound to. */
export function endpointSecretContext(endpointId: string): string {
  return `webhook-endpoint:${endpointId}`;
}
