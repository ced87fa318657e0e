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

export const SessionInfoSchema = z
  .object({
    id: z.string().meta({ description: 'The session id (a UUID, the `sid` claim of its access tokens)' }),
    method: z
      .enum(['password', 'totp', 'email_code', 'oauth2'])
      .meta({ description: 'How the sign-in that began it was made' }),
    createdAt: z.string().meta({ description: 'When the sign-in was (ISO 8601, UTC)' }),
    lastUsedAt: z.string().meta({ description: 'When it was last renewed, or begun (ISO 8601, UTC)' }),
    clientAddress: z.string().meta({ description: 'The client address of its last renewal (or its sign-in)' }),
    userAgent: z.string().meta({ description: 'A short summary of the client, e.g. "Firefox on Windows"' }),
    current: z.boolean().meta({ description: 'True for the session of the token this request came with' }),
  })
  .meta({ id: 'SessionInfo' });

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
