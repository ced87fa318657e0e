// What a person who signed in with the OpenID provider, and has no account yet, sends to make one:
// the ticket of its return URL and the fields the provider does not give, the published create's
// own (picked through ../sign-up/sign-up-schemas, so they cannot drift). The address and the method
// are the provider's: an `oauth2` account at the address the provider verified.
import { z } from 'zod';
import { Gender } from '../../../entities/enums';
import { EmailCreateSchema } from '../../users/user-schemas';
import { OwnAccountFieldsSchema } from '../sign-up/sign-up-schemas';

const ticket = z.string().min(1).max(200).meta({ description: 'The one-time `signUp` ticket of the return URL' });

export const OAuth2SignUpLookupSchema = z.object({ ticket }).meta({ id: 'OAuth2SignUpLookup', unusedIO: 'input' });

export const OAuth2SignUpIdentitySchema = z
  .object({
    email: EmailCreateSchema.shape.email.meta({ description: 'The address the provider verified: the account’s' }),
    name: z.string().nullable().meta({ description: 'The name the provider gave, to offer in the form, or null' }),
    age: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'The age of the birthdate the provider gave, to offer in the form, or null' }),
    // the published Gender's values, inline: OpenAPI 3.0 cannot make a referenced enum nullable
    gender: z
      .enum(Gender)
      .nullable()
      .meta({ description: 'The gender the provider gave (a Gender value), to offer in the form, or null' }),
    provider: z.string().meta({ description: 'The provider’s name, as the sign-in button shows it' }),
  })
  .meta({ id: 'OAuth2SignUpIdentity' });

export const OAuth2SignUpSchema = OwnAccountFieldsSchema.extend({ ticket }).meta({
  id: 'OAuth2SignUp',
  unusedIO: 'input',
});

export type OAuth2SignUp = z.infer<typeof OAuth2SignUpSchema>;
export type OAuth2SignUpIdentity = z.infer<typeof OAuth2SignUpIdentitySchema>;
