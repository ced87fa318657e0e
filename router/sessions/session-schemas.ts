// The sessions contract: the refresh request and answer, and a user's list of sessions, as Zod
// schemas (the `Sessions` part of the OpenAPI document, and the refresh under `Auth`).
import { z } from 'zod';

export const refreshTokenField = z.string().min(1).max(256).meta({
  description:
    'An opaque token that renews the session at POST /api/v2/auth/refresh, once: each use answers a new one. Absent when the request asked for it in the refresh cookie (X-Refresh-Cookie: 1).',
});

export const RefreshRequestSchema = z
  .object({
    refreshToken: refreshTokenField
      .meta({ description: 'The refresh token; a browser sends none and the header X-Refresh-Cookie: 1 instead' })
      .optional(),
  })
  .meta({ id: 'RefreshRequest', unusedIO: 'input' });

export const RefreshedTokenSchema = z
  .object({
    token: z.string().meta({ description: 'A JWT to send as `Authorization: Bearer <token>`' }),
    tokenType: z.literal('Bearer').meta({ description: 'Always Bearer' }),
    expiresIn: z.int().min(1).meta({ description: 'Seconds until the token expires' }),
    refreshToken: refreshTokenField.optional(),
  })
  .meta({ id: 'RefreshedToken' });

/** How a person signs in, as a session and a user's last sign-in name it. */
export const SIGN_IN_METHODS = ['password', 'totp', 'email_code', 'oauth2', 'passkey'] as const;

/**
 * When a user last signed in, how, and how many times: a person's own sign-ins by any method, not
 * an admin acting as the user (impersonation) nor a session's renewal (a refresh).
 */
export const SignInActivitySchema = z.object({
  lastSignInAt: z
    .string()
    .optional()
    .meta({ description: 'When the user last signed in (ISO 8601, UTC); absent: it never has' }),
  lastSignInMethod: z.enum(SIGN_IN_METHODS).optional().meta({ description: 'How it signed in that time' }),
  signInCount: z.int().min(0).meta({ description: 'How many times it has signed in' }),
});

export const SessionInfoSchema = z
  .object({
    id: z.string().meta({ description: 'The session id (a UUID, the `sid` claim of its access tokens)' }),
    method: z
      .enum([...SIGN_IN_METHODS, 'impersonation'])
      .meta({ description: 'How the sign-in that began it was made; `impersonation`: an admin began it as the user' }),
    createdAt: z.string().meta({ description: 'When the sign-in was (ISO 8601, UTC)' }),
    lastUsedAt: z.string().meta({ description: 'When it was last renewed, or begun (ISO 8601, UTC)' }),
    clientAddress: z.string().meta({ description: 'The client address of its last renewal (or its sign-in)' }),
    userAgent: z.string().meta({ description: 'A short summary of the client, e.g. "Firefox on Windows"' }),
    impersonator: z
      .string()
      .optional()
      .meta({ description: 'For `impersonation`: the id of the admin (or operator) who began it' }),
    current: z.boolean().meta({ description: 'True for the session of the token this request came with' }),
  })
  .meta({ id: 'SessionInfo' });

export const IMPERSONATION_REASON_MAX = 200;

export const ImpersonateRequestSchema = z
  .object({
    reason: z
      .string()
      .trim()
      .min(1, `must say why (1 to ${IMPERSONATION_REASON_MAX} characters)`)
      .max(IMPERSONATION_REASON_MAX, `must be at most ${IMPERSONATION_REASON_MAX} characters`)
      .meta({ description: 'Why (a ticket, the user asking for help): kept in the event, which the user sees too' }),
    expiresIn: z
      .int('must be a whole number of seconds')
      .min(60, 'must be at least 60 seconds')
      .max(3600, 'must be at most 3600 seconds')
      .default(900)
      .meta({ description: 'Seconds the token lasts, 60 to 3600 (default 900); it cannot be renewed' }),
  })
  .meta({ id: 'ImpersonateRequest', unusedIO: 'input' });

export const ImpersonateInput = ImpersonateRequestSchema.extend({
  id: z.string().max(64).meta({ description: 'The id of the user to act as' }),
});

/** An access token as a sign-in's (without a refresh token: it is not renewed), with its session and user. */
export const ImpersonationSchema = RefreshedTokenSchema.omit({ refreshToken: true })
  .extend({
    sessionId: z.string().meta({ description: "The session it began, listed among the user's sessions" }),
    userId: z.string().meta({ description: 'The user the token acts as (its `act` claim names the admin)' }),
  })
  .meta({ id: 'Impersonation' });

export const SessionListSchema = z.object({ items: z.array(SessionInfoSchema) }).meta({ id: 'SessionList' });

export const SessionIdInput = z.object({
  id: z.string().max(64).meta({ description: 'The session id' }),
});

export const UserIdInput = z.object({
  id: z.string().max(64).meta({ description: 'The user id' }),
});

export const EndedSchema = z
  .object({ ended: z.int().min(0).meta({ description: 'How many sessions ended' }) })
  .meta({ id: 'SessionsEnded' });

export type RefreshedToken = z.infer<typeof RefreshedTokenSchema>;
export type SessionList = z.infer<typeof SessionListSchema>;
export type SignInActivity = z.infer<typeof SignInActivitySchema>;
export type ImpersonateCommand = z.infer<typeof ImpersonateInput>;
export type Impersonation = z.infer<typeof ImpersonationSchema>;
