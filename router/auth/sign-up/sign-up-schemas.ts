// What a person sends to make its own account, and what it gets back: the address first (a code is
// mailed to it), then the code with the account's fields, which are the published create's own
// (picked from router/users/user-schemas, so the two cannot drift) without an id, a role or
// timestamps: the service chooses those.
import { z } from 'zod';
import { AuthMethod } from '../../../entities/enums';
import {
  EmailCreateSchema,
  PASSWORD_NOT_USED,
  PASSWORD_REQUIRED,
  UserCreateSchema,
  usesPassword,
} from '../../users/user-schemas';

const address = EmailCreateSchema.shape.email;

export const SignUpRequestSchema = z
  .object({ email: address.meta({ description: 'The address to make an account with; a code is mailed to it' }) })
  .meta({ id: 'SignUpRequest', unusedIO: 'input' });

/** The methods a person may choose here: OAuth2 accounts come from their provider, not from a form. */
const SIGN_UP_METHODS = [AuthMethod.password, AuthMethod.otp, AuthMethod.totp] as const;

/** A password is sent exactly for the methods that sign in with one. */
function passwordRule(email: { authMethod: AuthMethod; password?: string }, ctx: z.RefinementCtx): void {
  const withPassword = usesPassword(email.authMethod);
  if (withPassword && email.password === undefined) {
    ctx.addIssue({ code: 'custom', path: ['password'], message: PASSWORD_REQUIRED });
  }
  if (!withPassword && email.password !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['password'], message: PASSWORD_NOT_USED });
  }
}

const methodAndPassword = EmailCreateSchema.pick({ authMethod: true, password: true }).extend({
  authMethod: EmailCreateSchema.shape.authMethod.refine(
    (method) => (SIGN_UP_METHODS as readonly number[]).includes(method),
    'must be 0 (password), 1 (a code by email) or 2 (password and TOTP): an OAuth2 account signs in with its provider',
  ),
});

/**
 * How an account a person makes signs in, when its address is known already (an invitation's): the
 * method, and the password if it has one.
 */
export const OwnAccountMethodSchema = methodAndPassword
  .superRefine(passwordRule)
  .meta({ description: 'How the account signs in, and its password if it has one' });

/** The fields of an account a person makes, but its email: the published create's own. */
export const OwnAccountFieldsSchema = UserCreateSchema.pick({ name: true, age: true, gender: true });

const signUpEmail = methodAndPassword.extend({ email: address }).superRefine(passwordRule).meta({
  description: 'The address the code was mailed to, how the account signs in, and its password if it has one',
});

export const SignUpCompleteSchema = OwnAccountFieldsSchema.extend({
  code: z
    .string()
    .regex(/^\d{6}$/, 'must be 6 digits')
    .meta({ description: 'The 6-digit code mailed to the address' }),
  email: signUpEmail,
}).meta({ id: 'SignUpComplete', unusedIO: 'input' });

export type SignUpComplete = z.infer<typeof SignUpCompleteSchema>;
