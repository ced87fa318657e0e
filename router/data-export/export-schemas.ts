// The Zod schema of a user's data export (OWASP ASVS 4.0 8.3.2: users have a method to export
// their data on demand; GDPR Art. 15 and 20): everything the service keeps about a person that
// may be shown to whoever asks, in one JSON document, made of the schemas each domain answers with
// (the published User, the metadata, the account's status and last sign-in, sessions, passkeys, the provider link, the history), so no
// shape is written twice and no secret field exists to leak (no hash, secret, code or token is in
// any of them).
import { z } from 'zod';
import { UserSchema } from '../users/user-schemas';
import { AccountStatusSchema } from '../users/account-state-schemas';
import { UserMetadataSchema } from '../metadata/metadata-schemas';
import { SessionInfoSchema } from '../sessions/session-schemas';
import { PasskeySchema } from '../auth/passkeys/passkey-schemas';
import { OAuth2LinkStatusSchema } from '../auth/oauth2/oauth2-link-schemas';
import { EventSchema } from '../events/event-schemas';

/** The most events an export holds (the newest); `eventsComplete` says whether that was all. */
export const EXPORT_MAX_EVENTS = 50_000;

export const ExportInput = z.object({
  id: z.string().meta({ description: 'The id of the user whose data to export' }),
});

export const DataExportSchema = z
  .object({
    exportedAt: z.string().meta({ description: 'When the export was made (ISO 8601, UTC)' }),
    user: UserSchema,
    metadata: UserMetadataSchema,
    status: AccountStatusSchema.meta({
      description: 'Its account: whether it is disabled, and when it last signed in, how, and how many times',
    }),
    sessions: z.array(SessionInfoSchema).meta({ description: 'Its live sessions' }),
    passkeys: z.array(PasskeySchema).meta({ description: 'Its passkeys (names and dates; no key material)' }),
    provider: OAuth2LinkStatusSchema.optional().meta({
      description: 'Whether it signs in with the OpenID provider; absent when the service has none',
    }),
    events: z.array(EventSchema).meta({
      description:
        'Its history, oldest first, as a history read shows it to the asker (a user: its own sign-ins, sign-outs and credential changes; an admin: everything)',
    }),
    eventsComplete: z.boolean().meta({
      description: `Whether \`events\` holds the whole history kept (EVENT_RETENTION_DAYS); at most the newest ${EXPORT_MAX_EVENTS.toLocaleString('en')}`,
    }),
  })
  .meta({ id: 'DataExport' });

export type DataExport = z.infer<typeof DataExportSchema>;
