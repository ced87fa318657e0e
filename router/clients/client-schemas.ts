// The machine clients' contract, as Zod schemas (the `Clients` part of the OpenAPI document, and the
// token exchange under `Auth`). The secret appears in one schema only, the answer that made it (a
// registration or a rotation); no other answer holds it.
import { z } from 'zod';
import { TokenSchema } from '../auth/auth-schemas';

export const CLIENT_NAME_MAX = 100;
/** The prefix of a client's secret: a leaked one is recognised for what it is (by secret scanners too). */
export const CLIENT_SECRET_PREFIX = 'ucs_';

const name = z
  .string()
  .trim()
  .min(1, `must name the client (1 to ${CLIENT_NAME_MAX} characters)`)
  .max(CLIENT_NAME_MAX, `must be at most ${CLIENT_NAME_MAX} characters`)
  .meta({ description: 'What the client is, for people: "CRM sync", "billing backend"' });

/** What a client's tokens may do: everything an admin may, or read only. */
export const CLIENT_ACCESS = ['admin', 'read'] as const;
const access = z.enum(CLIENT_ACCESS).meta({
  description:
    '`admin`: what an admin may (the default); `read`: every read an admin may, and no change (its tokens get 403 on every write). Fixed at registration.',
});

export const ClientCreateSchema = z
  .object({ name, access: access.default('admin') })
  .meta({ id: 'ClientCreate', unusedIO: 'input' });

export const ClientIdInput = z.object({ id: z.string().max(64).meta({ description: 'The client id' }) });

export const ClientSchema = z
  .object({
    id: z.string().meta({ description: 'The client id (a UUID): its `clientId` at the token exchange' }),
    name: z.string().meta({ description: 'What the client is' }),
    subject: z.string().meta({ description: 'How its tokens and events name it: `client:<id>`' }),
    access,
    createdAt: z.string().meta({ description: 'When it was registered (ISO 8601, UTC)' }),
    createdBy: z.string().meta({ description: 'Who registered it' }),
    lastTokenAt: z.string().nullable().meta({ description: 'When it last got a token (ISO 8601, UTC); null: never' }),
  })
  .meta({ id: 'Client' });

export const ClientCreatedSchema = ClientSchema.extend({
  clientSecret: z.string().meta({
    description: `Its secret (\`${CLIENT_SECRET_PREFIX}…\`). Shown only in this answer: store it as a secret.`,
  }),
}).meta({ id: 'ClientCreated' });

export const ClientListSchema = z.object({ items: z.array(ClientSchema) }).meta({ id: 'ClientList' });

export const ClientTokenRequestSchema = z
  .object({
    clientId: z.string().max(64).meta({ description: 'The client id' }),
    clientSecret: z.string().min(1).max(256).meta({ description: 'The client secret' }),
    scope: z.literal('read').optional().meta({
      description: '`read` for a token that writes nothing, whatever the client may (least privilege for one job)',
    }),
  })
  .meta({ id: 'ClientTokenRequest', unusedIO: 'input' });

/** A client's access token: a sign-in's, without a refresh token (the client asks again). */
export const ClientTokenSchema = TokenSchema.omit({ refreshToken: true })
  .extend({
    scope: z
      .literal('read')
      .optional()
      .meta({ description: '`read`: the token writes nothing (asked for, or the client’s access)' }),
  })
  .meta({ id: 'ClientToken' });
export type ClientAccess = (typeof CLIENT_ACCESS)[number];

/**
 * The same exchange as OAuth 2.0 client libraries make it (RFC 6749 §4.4.2): a form, the client's
 * id and secret by HTTP Basic (the REST layer puts them here) or as these two fields.
 */
export const OAuth2ClientTokenRequestSchema = z
  .object({
    grant_type: z
      .string({ error: 'required (client_credentials)' })
      .refine((value) => value === 'client_credentials', 'only client_credentials is offered')
      .meta({ description: 'Always `client_credentials`' }),
    client_id: z.string().max(64).optional().meta({ description: 'The client id, unless sent by HTTP Basic' }),
    client_secret: z.string().max(256).optional().meta({ description: 'The client secret, unless sent by HTTP Basic' }),
    scope: z
      .string()
      .optional()
      .refine(
        (value) => value === undefined || ['', 'read'].includes(value.trim()),
        'the one scope offered is read: leave it out, or ask for read',
      )
      .meta({
        description:
          '`read` for a token that writes nothing, whatever the client may; left out, the access the client was registered with',
      }),
  })
  .meta({ id: 'OAuth2ClientTokenRequest', unusedIO: 'input' });

/** RFC 6749 §5.1's answer. */
export const OAuth2ClientTokenSchema = z
  .object({
    access_token: z.string().meta({ description: 'A JWT to send as `Authorization: Bearer <token>`' }),
    token_type: z.literal('Bearer').meta({ description: 'Always Bearer' }),
    expires_in: z.int().min(1).meta({ description: 'Seconds until the token expires' }),
    scope: z
      .literal('read')
      .optional()
      .meta({ description: '`read`: the token writes nothing (asked for, or the client’s access)' }),
  })
  .meta({ id: 'OAuth2ClientToken' });

/**
 * A token introspection request (RFC 7662 §2.1): a form, the asking client's id and secret by HTTP
 * Basic (the REST layer puts them here) or as two fields.
 */
export const IntrospectionRequestSchema = z
  .object({
    token: z
      .string({ error: 'required: the token to introspect' })
      .min(1, 'required: the token to introspect')
      .max(16_384, 'must be at most 16384 characters')
      .meta({ description: 'The access token to ask about' }),
    token_type_hint: z
      .string()
      .max(64)
      .optional()
      .meta({ description: 'Ignored (RFC 7662 §2.1): only access tokens are ever active' }),
    client_id: z.string().max(64).optional().meta({ description: 'The client id, unless sent by HTTP Basic' }),
    client_secret: z.string().max(256).optional().meta({ description: 'The client secret, unless sent by HTTP Basic' }),
  })
  .meta({ id: 'IntrospectionRequest', unusedIO: 'input' });

/** RFC 7662 §2.2's answer: `{"active": false}` alone for any token that is not a live access token. */
export const IntrospectionSchema = z
  .object({
    active: z.boolean().meta({ description: 'Whether the token is a live access token of this service now' }),
    sub: z.string().optional().meta({ description: 'Whom it signs in: a user id, or `client:<id>`' }),
    role: z.enum(['admin', 'user']).optional().meta({ description: 'What it may do here' }),
    scope: z.literal('read').optional().meta({ description: '`read`: the token writes nothing' }),
    token_type: z.literal('Bearer').optional().meta({ description: 'Always Bearer' }),
    iss: z.string().optional(),
    aud: z.string().optional(),
    exp: z.int().optional().meta({ description: 'When it expires (unix seconds)' }),
    iat: z.int().optional().meta({ description: 'When it was issued (unix seconds)' }),
    jti: z.string().optional().meta({ description: 'Its id' }),
    sid: z.string().optional().meta({ description: 'The session it belongs to' }),
    auth_time: z.int().optional().meta({ description: 'When the person signed in (unix seconds)' }),
    act: z
      .object({ sub: z.string() })
      .optional()
      .meta({ description: 'Who acts as the user (an admin acting as it, RFC 8693 §4.1)' }),
    app_metadata: z
      .record(z.string(), z.unknown())
      .optional()
      .meta({ description: 'The keys of the user’s app metadata the token carries (TOKEN_APP_METADATA)' }),
  })
  .meta({ id: 'Introspection' });

export type ClientCreate = z.infer<typeof ClientCreateSchema>;
export type Client = z.infer<typeof ClientSchema>;
export type ClientCreated = z.infer<typeof ClientCreatedSchema>;
export type ClientList = z.infer<typeof ClientListSchema>;
export type ClientTokenRequest = z.infer<typeof ClientTokenRequestSchema>;
export type ClientToken = z.infer<typeof ClientTokenSchema>;
export type OAuth2ClientTokenRequest = z.infer<typeof OAuth2ClientTokenRequestSchema>;
export type OAuth2ClientToken = z.infer<typeof OAuth2ClientTokenSchema>;
export type IntrospectionRequest = z.infer<typeof IntrospectionRequestSchema>;
export type Introspection = z.infer<typeof IntrospectionSchema>;
