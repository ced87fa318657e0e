// The sign-in contract, every method of the published `authMethod`: a password (with TOTP as a
// second factor), a one-time code by email, and OAuth2 through an OpenID provider; and logout.
// What a caller sends and receives, as Zod schemas: types are inferred from these and the Auth part
// of the OpenAPI document is generated from them. No output here ever carries a stored secret.
import { z } from 'zod';
import { ROLES } from '../../entities/enums';
import { RETURN_TO_MAX_LENGTH } from './oauth2/return-to';
import { refreshTokenField } from '../sessions/session-schemas';
import { PASSWORD_MIN_LENGTH } from '../../server/passwords/password-policy';

// no pattern: any string is a possible (and, if unknown, simply wrong) email
const email = z.string().min(1).max(254).meta({ description: 'The email address of the user' });
const sixDigits = (description: string) =>
  z
    .string()
    .regex(/^\d{6}$/, 'must be 6 digits')
    .meta({ description });

export const LoginSchema = z
  .object({
    email,
    password: z.string().min(1).max(256).meta({ description: 'The password', format: 'password' }),
  })
  .meta({ id: 'LoginRequest', unusedIO: 'input' });

export const TokenSchema = z
  .object({
    token: z.string().meta({ description: 'A JWT to send as `Authorization: Bearer <token>`' }),
    tokenType: z.literal('Bearer').meta({ description: 'Always Bearer' }),
    expiresIn: z.int().min(1).meta({ description: 'Seconds until the token expires' }),
    refreshToken: refreshTokenField.optional(),
  })
  .meta({ id: 'Token' });

const challengeToken = z
  .string()
  .min(1)
  .max(2048)
  .meta({ description: 'Proof of the password for the second step; not a Bearer token' });
const challengeExpiresIn = z.int().min(1).meta({ description: 'Seconds until the challenge expires' });

export const TotpChallengeSchema = z
  .object({
    challenge: z.literal('totp').meta({ description: 'A code from the authenticator app is needed' }),
    challengeToken,
    expiresIn: challengeExpiresIn,
  })
  .meta({ id: 'TotpChallenge' });

export const TotpEnrollChallengeSchema = z
  .object({
    challenge: z.literal('totp_enroll').meta({ description: 'The authenticator app must be set up first' }),
    challengeToken,
    expiresIn: challengeExpiresIn,
    otpauthUrl: z.string().meta({
      description:
        'The `otpauth://totp/…` URL to add to an authenticator app (as a QR code); shown only here, only to whoever just proved the password',
    }),
  })
  .meta({ id: 'TotpEnrollChallenge' });

/** What a password sign-in answers: a token, or the TOTP step that stands between it and a token. */
export const LoginResultSchema = z
  .union([TokenSchema, TotpChallengeSchema, TotpEnrollChallengeSchema])
  .meta({ id: 'LoginResult' });

export const EmailCodeRequestSchema = z.object({ email }).meta({ id: 'EmailCodeRequest', unusedIO: 'input' });

export const EmailCodeAcceptedSchema = z
  .object({
    status: z.literal('accepted'),
    message: z.string().meta({ description: 'The same for every address, known or not' }),
  })
  .meta({ id: 'EmailCodeAccepted' });

export const EmailCodeVerifySchema = z
  .object({ email, code: sixDigits('The 6-digit code from the email') })
  .meta({ id: 'EmailCodeVerify', unusedIO: 'input' });

export const TotpVerifySchema = z
  .object({
    challengeToken,
    code: sixDigits('The current 6-digit code of the authenticator app').optional(),
    recoveryCode: z
      .string()
      .min(1)
      .max(64)
      .meta({ description: 'One of the recovery codes, instead of `code`' })
      .optional(),
  })
  .refine((input) => (input.code === undefined) !== (input.recoveryCode === undefined), {
    message: 'send either code or recoveryCode',
    path: ['code'],
  })
  .meta({ id: 'TotpVerify', unusedIO: 'input' });

export const TotpTokenSchema = TokenSchema.extend({
  recoveryCodes: z
    .array(z.string())
    .meta({
      description:
        'Only when this call completed the enrollment: 10 single-use codes that sign in instead of the app. Shown once.',
    })
    .optional(),
  recoveryCodesLeft: z
    .int()
    .min(0)
    .meta({
      description:
        'Only when fewer than 3 recovery codes are left: how many. Ask an administrator to reset the authenticator (which makes 10 new ones at the next sign-in) before they run out.',
    })
    .optional(),
}).meta({ id: 'TotpToken' });

export const PasswordForgotSchema = z.object({ email }).meta({ id: 'PasswordForgotRequest', unusedIO: 'input' });

export const PasswordResetSchema = z
  .object({
    email,
    code: sixDigits('The 6-digit code from the reset email'),
    newPassword: z
      .string()
      .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
      .max(256, 'must be at most 256 characters')
      .meta({
        description:
          "The new password: at least 8 characters; not a common password, nor one built on the address or the service's name",
        format: 'password',
      }),
  })
  .meta({ id: 'PasswordResetRequest', unusedIO: 'input' });

export const PasswordResetDoneSchema = z
  .object({
    status: z.literal('reset'),
    message: z.string().meta({ description: 'What happened, and to sign in next' }),
  })
  .meta({ id: 'PasswordResetDone' });

export const PasswordResetSentSchema = z
  .object({
    status: z.literal('sent'),
    message: z.string().meta({ description: 'To which address the mail went, and how long its code works' }),
  })
  .meta({ id: 'PasswordResetSent' });

export const SendPasswordResetInput = z.object({
  id: z.string().meta({ description: 'The id of the user to send the reset mail to' }),
});
export type PasswordResetSent = z.infer<typeof PasswordResetSentSchema>;

export const OAuth2AuthorizeInput = z.object({
  // checked against PUBLIC_URL by the procedure (router/auth/oauth2/return-to.ts): the check
  // needs the service's origin, and is made again on the Location the callback sends
  returnTo: z.string().max(RETURN_TO_MAX_LENGTH).default('/').meta({
    description:
      'Where to come back to after signing in: a path on this site (one leading /, no backslash, white space or control character, not leading to another site once its dot segments are resolved)',
  }),
});

export const RedirectSchema = z
  .object({ location: z.string().meta({ description: 'Where the browser goes next' }) })
  .meta({ id: 'Redirect' });

/** What the OpenID provider sends back to the redirect URI (RFC 6749 §4.1.2, RFC 9207). */
export const OAuth2CallbackInput = z.object({
  code: z.string().max(4096).optional(),
  state: z.string().max(512).optional(),
  iss: z.string().max(2048).optional(),
  error: z.string().max(256).optional(),
  error_description: z.string().max(1024).optional(),
  session_state: z.string().max(512).optional(),
});

export const OAuth2TokenSchema = z
  .object({
    code: z.string().min(1).max(128).meta({ description: 'The one-time `code` the callback put in the return URL' }),
  })
  .meta({ id: 'OAuth2TokenRequest', unusedIO: 'input' });

export const SignInMethodsSchema = z
  .object({
    password: z.boolean().meta({ description: 'Email and password (and TOTP as a second factor)' }),
    emailCode: z.boolean().meta({ description: 'A one-time code sent by email can be requested' }),
    oauth2: z
      .object({
        name: z.string().meta({ description: 'The provider, for a "Sign in with …" button' }),
        signUp: z.boolean().meta({
          description:
            'Whether signing in with it makes an account for a person it verified who has none (sign-up open)',
        }),
      })
      .nullable()
      .meta({ description: 'Sign-in with an OpenID provider, when configured' }),
    passkeys: z
      .object({
        rpId: z.string().meta({ description: 'The domain passkeys are made for: a page elsewhere cannot use them' }),
      })
      .meta({ description: 'Sign-in with a passkey a person added to its account (POST /api/v2/auth/passkeys/…)' }),
    signUp: z
      .object({
        domains: z
          .array(z.string())
          .meta({ description: 'The only domains whose addresses may sign up; any when empty' }),
      })
      .nullable()
      .meta({ description: 'Whether people may make their own accounts (POST /api/v2/auth/sign-up); null: closed' }),
  })
  .meta({ id: 'SignInMethods' });

/** One published key (RFC 7517 §4, RFC 7518 §6.2): the public half only, there is no other. */
const PublicJwkSchema = z
  .object({
    kty: z.literal('EC'),
    crv: z.literal('P-256'),
    x: z.string().meta({ description: 'The public point, base64url' }),
    y: z.string().meta({ description: 'The public point, base64url' }),
    kid: z.string().meta({ description: "The key's RFC 7638 thumbprint: access tokens it signed carry it in `kid`" }),
    alg: z.literal('ES256'),
    use: z.literal('sig'),
  })
  .meta({ id: 'PublicJwk' });

export const JwksSchema = z
  .object({
    keys: z.array(PublicJwkSchema).meta({
      description:
        'The keys access tokens are verified with: the signing key first, then the one before a rotation and the next. Empty while access tokens are HS256 (no JWT_SIGNING_KEY), which only this service verifies.',
    }),
  })
  .meta({ id: 'Jwks' });

export const SessionSchema = z
  .object({
    userId: z.string().meta({ description: 'The id the token signs in (a user id, or an operator name)' }),
    role: z.enum(ROLES).meta({ description: 'What the token may do: `admin` every user, `user` only itself' }),
    expiresAt: z.int().nullable().meta({ description: 'When the token expires (unix seconds)' }),
    impersonator: z
      .string()
      .optional()
      .meta({ description: 'When an admin acts as the user (impersonation): the id of that admin' }),
  })
  .meta({ id: 'Session' });

export type Login = z.infer<typeof LoginSchema>;
export type Token = z.infer<typeof TokenSchema>;
export type LoginResult = z.infer<typeof LoginResultSchema>;
export type TotpVerify = z.infer<typeof TotpVerifySchema>;
export type TotpToken = z.infer<typeof TotpTokenSchema>;
export type PasswordResetRequest = z.infer<typeof PasswordResetSchema>;
export type SignInMethods = z.infer<typeof SignInMethodsSchema>;
