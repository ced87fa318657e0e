// The invitations' contract, as Zod schemas (the `Invitations` part of the OpenAPI document). No
// answer holds a link's token: it goes only to the invited address, by mail.
import { z } from 'zod';
import { EmailCreateSchema } from '../users/user-schemas';
import { MetadataReplaceSchema } from '../metadata/metadata-schemas';
import { OwnAccountFieldsSchema, OwnAccountMethodSchema } from '../auth/sign-up/sign-up-schemas';

export const INVITATION_DAYS_DEFAULT = 7;

/** The parts of the user's metadata only an admin sets, which the account starts with. */
const invitationMetadata = MetadataReplaceSchema.pick({ app: true, admin: true }).meta({
  description:
    'What the account starts with in its metadata: `app` (the user reads it: a plan, a team) and `admin` (admins alone: a CRM id); none by default',
});
export const INVITATION_DAYS_MAX = 30;

export const InvitationCreateSchema = z
  .object({
    email: EmailCreateSchema.shape.email.meta({ description: 'The address to invite; the link is mailed to it' }),
    validDays: z
      .int({ error: 'must be a whole number of days' })
      .min(1, 'must be at least 1')
      .max(INVITATION_DAYS_MAX, `must be at most ${INVITATION_DAYS_MAX}`)
      .default(INVITATION_DAYS_DEFAULT)
      .meta({ description: `How many days the link works (${INVITATION_DAYS_DEFAULT} by default)` }),
    metadata: invitationMetadata.optional(),
  })
  .meta({ id: 'InvitationCreate', unusedIO: 'input' });

export const InvitationIdInput = z.object({ id: z.string().max(64).meta({ description: 'The invitation id' }) });

export const InvitationSchema = z
  .object({
    id: z.string().meta({ description: 'The invitation id (a UUID)' }),
    email: z.string().meta({ description: 'The address invited' }),
    invitedBy: z.string().meta({ description: 'Who invited: a user id, or a machine client (`client:<id>`)' }),
    metadata: invitationMetadata,
    createdAt: z.string().meta({ description: 'When it was made (ISO 8601, UTC)' }),
    sentAt: z.string().meta({ description: 'When its link was last mailed (ISO 8601, UTC)' }),
    expiresAt: z.string().meta({ description: 'When its link stops working (ISO 8601, UTC)' }),
    expired: z.boolean().meta({ description: 'Whether the link has stopped working: send it again to renew it' }),
  })
  .meta({ id: 'Invitation' });

export const InvitationListSchema = z.object({ items: z.array(InvitationSchema) }).meta({ id: 'InvitationList' });

const token = z.string().min(1).max(128).meta({ description: 'The token of the link in the invitation mail' });

export const InvitationTokenSchema = z.object({ token }).meta({ id: 'InvitationToken', unusedIO: 'input' });

export const InvitationLookupSchema = z
  .object({
    email: z.string().meta({ description: 'The address invited: the account is made with it' }),
    expiresAt: z.string().meta({ description: 'When the link stops working (ISO 8601, UTC)' }),
  })
  .meta({ id: 'InvitationLookup' });

export const InvitationAcceptSchema = OwnAccountFieldsSchema.extend({ token, email: OwnAccountMethodSchema }).meta({
  id: 'InvitationAccept',
  unusedIO: 'input',
});

export type InvitationCreate = z.infer<typeof InvitationCreateSchema>;
export type Invitation = z.infer<typeof InvitationSchema>;
export type InvitationList = z.infer<typeof InvitationListSchema>;
export type InvitationLookup = z.infer<typeof InvitationLookupSchema>;
export type InvitationAccept = z.infer<typeof InvitationAcceptSchema>;
