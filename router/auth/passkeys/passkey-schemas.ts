// The passkeys' contract, as Zod schemas (the `Passkeys` part of the OpenAPI document): the options
// a browser hands to `navigator.credentials.create()` and `.get()`, in WebAuthn Level 3's JSON forms
// (§5.1.8, §5.1.10: what `PublicKeyCredential.parseCreationOptionsFromJSON` and `toJSON()` speak,
// and what @simplewebauthn/browser sends), and a passkey as its owner sees it. A passkey's public
// key and its counter are the service's to judge with: no answer holds them.
import { z } from 'zod';
import { UserIdInput } from '../../sessions/session-schemas';

export const PASSKEY_NAME_MAX = 64;

const base64url = (description: string, max = 2048) =>
  z
    .string()
    .max(max)
    .regex(/^[A-Za-z0-9_-]*$/, 'must be base64url, without padding')
    .meta({ description });

const transports = z
  .array(z.string().max(32))
  .max(8)
  .meta({ description: 'How the authenticator is reached (`internal`, `hybrid`, `usb`, `nfc`, `ble`)' });

const credentialDescriptor = z.object({
  id: base64url('A credential id'),
  type: z.string().meta({ description: 'Always `public-key`' }),
  transports: transports.optional(),
});

/** The extensions the service asks for: whether the passkey is discoverable (`credProps`). */
const extensionInputs = z
  .object({ credProps: z.boolean().optional() })
  .meta({ description: 'WebAuthn extensions asked for' });

const extensionResults = z
  .object({
    appid: z.boolean().optional(),
    credProps: z.object({ rk: z.boolean().optional() }).optional(),
    hmacCreateSecret: z.boolean().optional(),
  })
  .meta({ description: 'What the browser answered to the extensions asked for (others are left out)' });

const hints = z
  .array(z.enum(['hybrid', 'security-key', 'client-device']))
  .meta({ description: 'Which kinds of authenticator to offer first' });

export const PasskeyCreationOptionsSchema = z
  .object({
    challenge: base64url('The challenge to sign: good for one ceremony, for the options’ `timeout`'),
    rp: z.object({ name: z.string(), id: z.string().optional() }),
    user: z.object({
      id: base64url('The user handle: the user id, as bytes'),
      name: z.string(),
      displayName: z.string(),
    }),
    pubKeyCredParams: z.array(z.object({ alg: z.int(), type: z.literal('public-key') })),
    timeout: z.int().optional().meta({ description: 'Milliseconds the ceremony may take' }),
    excludeCredentials: z
      .array(credentialDescriptor)
      .optional()
      .meta({ description: 'The user’s passkeys already registered: an authenticator holding one refuses' }),
    authenticatorSelection: z
      .object({
        authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
        requireResidentKey: z.boolean().optional(),
        residentKey: z.enum(['discouraged', 'preferred', 'required']).optional(),
        userVerification: z.enum(['discouraged', 'preferred', 'required']).optional(),
      })
      .optional(),
    hints: hints.optional(),
    attestation: z.enum(['none', 'indirect', 'direct', 'enterprise']).optional(),
    extensions: extensionInputs.optional(),
  })
  .meta({ id: 'PasskeyCreationOptions' });

export const PasskeyRequestOptionsSchema = z
  .object({
    challenge: base64url('The challenge to sign: good for one sign-in, for the options’ `timeout`'),
    rpId: z.string().optional(),
    timeout: z.int().optional().meta({ description: 'Milliseconds the ceremony may take' }),
    allowCredentials: z.array(credentialDescriptor).optional(),
    userVerification: z.enum(['discouraged', 'preferred', 'required']).optional(),
    hints: hints.optional(),
    extensions: extensionInputs.optional(),
  })
  .meta({ id: 'PasskeyRequestOptions' });

/** WebAuthn §7.1 step 17: a credential id over 1023 bytes is refused (base64url: 1364 characters). */
const CREDENTIAL_ID_MAX = 1364;

const credentialFields = {
  id: base64url('The credential id', CREDENTIAL_ID_MAX),
  rawId: base64url('The credential id, again', CREDENTIAL_ID_MAX),
  type: z.literal('public-key'),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: extensionResults,
};

const passkeyName = z
  .string()
  .trim()
  .min(1, `must name the passkey (1 to ${PASSKEY_NAME_MAX} characters)`)
  .max(PASSKEY_NAME_MAX, `must be at most ${PASSKEY_NAME_MAX} characters`);

export const PasskeyRegistrationSchema = z
  .object({
    name: passkeyName
      .optional()
      .meta({ description: 'What the passkey is on, for its owner ("work laptop"); "Passkey" by default' }),
    credential: z
      .object({
        ...credentialFields,
        response: z.object({
          clientDataJSON: base64url('The client data', 4096),
          attestationObject: base64url('The attestation object', 16_384),
          authenticatorData: base64url('The authenticator data', 4096).optional(),
          transports: transports.optional(),
          publicKeyAlgorithm: z.int().optional(),
          publicKey: base64url('The public key (SPKI)', 4096).optional(),
        }),
      })
      .meta({ description: 'What `navigator.credentials.create()` answered, as its `toJSON()`' }),
  })
  .meta({ id: 'PasskeyRegistration', unusedIO: 'input' });

export const PasskeySignInSchema = z
  .object({
    credential: z
      .object({
        ...credentialFields,
        response: z.object({
          clientDataJSON: base64url('The client data', 4096),
          authenticatorData: base64url('The authenticator data', 4096),
          signature: base64url('The signature', 2048),
          userHandle: base64url('The user handle', 512).optional(),
        }),
      })
      .meta({ description: 'What `navigator.credentials.get()` answered, as its `toJSON()`' }),
  })
  .meta({ id: 'PasskeySignIn', unusedIO: 'input' });

export const PasskeySchema = z
  .object({
    id: z.string().meta({ description: 'The passkey id (a UUID)' }),
    name: z.string().meta({ description: 'What it is on, as its owner named it' }),
    createdAt: z.string().meta({ description: 'When it was added (ISO 8601, UTC)' }),
    lastUsedAt: z.string().nullable().meta({ description: 'When it last signed in (ISO 8601, UTC); null: never' }),
    backedUp: z.boolean().meta({
      description: 'Whether the authenticator says it is synced (a phone’s or a password manager’s passkey)',
    }),
    transports,
  })
  .meta({ id: 'Passkey' });

export const PasskeyListSchema = z.object({ items: z.array(PasskeySchema) }).meta({ id: 'PasskeyList' });

export const PasskeyIdInput = z.object({ id: z.string().max(64).meta({ description: 'The passkey id' }) });

export const PasskeyRenameSchema = z
  .object({ name: passkeyName.meta({ description: 'Its new name' }) })
  .meta({ id: 'PasskeyRename', unusedIO: 'input' });

export const PasskeyRenameInput = PasskeyIdInput.extend(PasskeyRenameSchema.shape);

export const UserPasskeyInput = UserIdInput.extend({
  passkeyId: z.string().max(64).meta({ description: 'The passkey id' }),
});

export type PasskeyRegistration = z.infer<typeof PasskeyRegistrationSchema>;
export type PasskeySignIn = z.infer<typeof PasskeySignInSchema>;
export type Passkey = z.infer<typeof PasskeySchema>;
export type PasskeyList = z.infer<typeof PasskeyListSchema>;
export type PasskeyRename = z.infer<typeof PasskeyRenameInput>;
export type PasskeyCreationOptions = z.infer<typeof PasskeyCreationOptionsSchema>;
export type PasskeyRequestOptions = z.infer<typeof PasskeyRequestOptionsSchema>;
