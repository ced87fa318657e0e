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

export const ClientCreateSchema = z.object({ name }).meta({ id: 'ClientCreate', unusedIO: 'input' });

export const ClientIdInput = z.object({ id: z.string().max(64).meta({ description: 'The client id' }) });

export const ClientSchema = z
  .object({
    id: z.string().meta({ description: 'The client id (a UUID): its `clientId` at the token exchange' }),
    name: z.string().meta({ description: 'What the client is' }),
    subject: z.string().meta({ description: 'How its tokens and events name it: `client:<id>`' }),
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
  })
  .meta({ id: 'ClientTokenRequest', unusedIO: 'input' });

/** A client's access token: a sign-in's, without a refresh token (the client asks again). */
export const ClientTokenSchema = TokenSchema.omit({ refreshToken: true }).meta({ id: 'ClientToken' });

export type ClientCreate = z.infer<typeof ClientCreateSchema>;
export type Client = z.infer<typeof ClientSchema>;
export type ClientCreated = z.infer<typeof ClientCreatedSchema>;
export type ClientList = z.infer<typeof ClientListSchema>;
export type ClientTokenRequest = z.infer<typeof ClientTokenRequestSchema>;
export type ClientToken = z.infer<typeof ClientTokenSchema>;
