// The schemas of an account's state (issue 22): whether an admin has disabled it, why and until
// when, and when it last signed in (an account no one uses is one to disable). Not part of the published Users shapes, which do not change: the state is read and written
// at its own routes, under the `Accounts` tag.
import { z } from 'zod';
import { SignInActivitySchema } from '../sessions/session-schemas';

const targetId = (verb: string) => z.string().meta({ description: `The id of the user to ${verb}` });

export const DISABLE_REASON_MAX = 200;
const reason = z
  .string()
  .trim()
  .min(1, 'must say why (1 to 200 characters)')
  .max(DISABLE_REASON_MAX, `must be at most ${DISABLE_REASON_MAX} characters`)
  .meta({ description: 'Why the account is disabled (shown to admins, never to the user)' });
const until = z.iso
  .datetime({ offset: true, error: 'must be a date and time such as 2027-01-31T18:00:00Z' })
  .meta({ description: 'When the account enables itself again (RFC 3339); absent: until an admin enables it' });

export const DisableRequestSchema = z
  .object({ reason, until: until.optional() })
  .meta({ id: 'DisableRequest', unusedIO: 'input' });

export const DisableUserInput = DisableRequestSchema.extend({ id: targetId('disable') });
export const EnableUserInput = z.object({ id: targetId('enable') });
export const UserStatusInput = z.object({ id: targetId('read the state of') });
export const ResetTotpInput = z.object({ id: targetId('reset the authenticator of') });

export const AccountStatusSchema = z
  .object({
    state: z.enum(['enabled', 'disabled']).meta({ description: 'Whether the user may sign in' }),
    reason: z.string().optional().meta({ description: 'Why it is disabled (only when disabled)' }),
    until: z
      .string()
      .optional()
      .meta({ description: 'When it enables itself again (RFC 3339; only when disabled until a date)' }),
    ...SignInActivitySchema.shape,
    dormancyWarnedAt: z.string().optional().meta({
      description:
        'When the user was mailed that its account will be disabled for want of a sign-in (DORMANT_ACCOUNT_DAYS), if it has not signed in since',
    }),
  })
  .meta({ id: 'AccountStatus' });

export type DisableUserCommand = z.infer<typeof DisableUserInput>;
export type AccountStatus = z.infer<typeof AccountStatusSchema>;
