// Linking the OpenID provider to a person's own account (./oauth2-link.ts): the request (where to
// come back to), where to send the browser, and whether the account is linked.
import { z } from 'zod';
import { OAuth2AuthorizeInput } from '../auth-schemas';

export const OAuth2LinkRequestSchema = OAuth2AuthorizeInput.meta({ id: 'OAuth2LinkRequest', unusedIO: 'input' });

export const OAuth2LinkStartedSchema = z
  .object({
    location: z.string().meta({
      description:
        'Where to send the browser: the provider, which sends it back to `returnTo` with `linked=1`, or with `error` and `error_description`',
    }),
  })
  .meta({ id: 'OAuth2LinkStarted' });

export const OAuth2LinkStatusSchema = z
  .object({
    provider: z.string().meta({ description: 'The OpenID provider, as a "Sign in with …" button names it' }),
    linked: z.boolean().meta({ description: 'Whether an identity there signs in to this account' }),
    linkedAt: z.iso.datetime().nullable().meta({ description: 'When it was linked (ISO 8601, UTC), or null' }),
    required: z.boolean().meta({
      description: 'Whether the account signs in only there (authMethod 3): it cannot be unlinked then',
    }),
  })
  .meta({ id: 'OAuth2LinkStatus' });

export type OAuth2LinkStatus = z.infer<typeof OAuth2LinkStatusSchema>;
