// What a person sends to move its own account to a new address: the address (a code is mailed to
// it), then the address again with the code. The address is the published model's own field.
import { z } from 'zod';
import { EmailCreateSchema } from '../../users/user-schemas';

const address = EmailCreateSchema.shape.email;

export const EmailChangeRequestSchema = z
  .object({ email: address.meta({ description: 'The new address; a code is mailed to it' }) })
  .meta({ id: 'EmailChangeRequest', unusedIO: 'input' });

export const EmailChangeConfirmSchema = z
  .object({
    email: address.meta({ description: 'The new address, as it was requested' }),
    code: z
      .string()
      .regex(/^\d{6}$/, 'must be 6 digits')
      .meta({ description: 'The 6-digit code mailed to the new address' }),
  })
  .meta({ id: 'EmailChangeConfirm', unusedIO: 'input' });

export type EmailChangeConfirm = z.infer<typeof EmailChangeConfirmSchema>;
