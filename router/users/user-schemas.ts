// The Users contract: every request and response shape of users-api-v2, as Zod schemas.
// TypeScript types are inferred from these, the OpenAPI document is generated from them, and
// the output schemas have no secret fields at all (the email's `token` is always empty).
import { z } from 'zod';
import { AUTH_METHODS, GENDERS } from '../../entities/enums';
import { documentedEnum, formattedInt, requiredInDocument, typeError } from '../trpc/common-schemas';

/** Ids a client may choose for a new user. Ids outside this alphabet cannot exist. */
export const USER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const NAME_PATTERN = /^[a-zA-Z0-9_-]+$/;
const EMAIL_PATTERN = /^[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+\.[a-zA-Z0-9-.]+$/;

export const GenderSchema = documentedEnum('Gender', 'Gender enum values', GENDERS);
export const EmailAuthMethodSchema = documentedEnum('EmailAuthMethod', 'Email authentication method', AUTH_METHODS);

// Fields, each declared once and shared by the shapes below.
const userId = z.string().meta({ description: 'The unique identifier of the user' });
const chosenUserId = z
  .string()
  .regex(USER_ID_PATTERN, 'must be 1 to 64 characters of A-Z, a-z, 0-9, _ or -')
  .meta({ description: 'The unique identifier of the user' });
const name = z
  .string()
  .min(3, 'must be at least 3 characters')
  .max(32, 'must be at most 32 characters')
  .regex(NAME_PATTERN, 'must contain only A-Z, a-z, 0-9, _ or -')
  .meta({ description: 'The name of the user' });
const age = z
  .int({ error: typeError('must be an integer') })
  .min(1, 'must be at least 1')
  .max(120, 'must be at most 120')
  .meta({ description: 'The age of the user, min 1, max 120', format: 'uint8' });
const gender = GenderSchema.meta({ description: 'The gender of the user' });
const userCreatedAt = formattedInt('int32', 'The timestamp when the email was created');
const userUpdatedAt = formattedInt('int32', 'The timestamp when the email was updated');

const emailId = formattedInt('uint32', 'The id of the email');
const emailAddress = z
  .string()
  .max(254, 'must be at most 254 characters')
  .regex(EMAIL_PATTERN, 'must be an email address such as name@example.com')
  .meta({ description: 'The email address' });
const authMethod = EmailAuthMethodSchema.meta({ description: 'The authentication method' });
const password = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(256, 'must be at most 256 characters')
  .meta({ description: 'The password', format: 'password' });
const emailCreatedAt = formattedInt('int32', 'The timestamp when the email was created');
const emailUpdatedAt = formattedInt('int32', 'The timestamp when the email was updated');

// Responses. `token` is in the published shape; it never carries a secret.
export const EmailSchema = z
  .object({
    id: emailId,
    email: emailAddress,
    authMethod,
    token: z.string().meta({ description: 'The authentication token', format: 'password', readOnly: true }),
    createdAt: emailCreatedAt,
    updatedAt: emailUpdatedAt,
  })
  .meta({ id: 'Email' });

export const UserSchema = z
  .object({
    id: userId,
    name,
    age,
    gender,
    email: EmailSchema.meta({ description: 'The email of the user' }),
    createdAt: userCreatedAt,
    updatedAt: userUpdatedAt,
  })
  .meta({ id: 'User' });

export const UserListSchema = z
  .object({
    items: z.array(UserSchema).meta({ description: 'The list of users' }),
    total: formattedInt('uint32', 'The total number of users'),
    offset: formattedInt('uint32', 'The offset to fetch the list, 0 means no offset'),
    limit: formattedInt('uint32', 'The limit to fetch the list, 0 means no limit'),
  })
  .meta({ id: 'UserList' });

// Request bodies. The server owns ids and timestamps: a client may send them (the published
// document lists them as required) and they are ignored; unknown fields are dropped.
const emailWriteShape = {
  id: emailId.optional(),
  email: emailAddress,
  authMethod,
  password: password.optional(),
  createdAt: emailCreatedAt.optional(),
  updatedAt: emailUpdatedAt.optional(),
};
const emailWriteMeta = { override: requiredInDocument(['password']) };
export const EmailCreateSchema = z.object(emailWriteShape).meta({ id: 'EmailCreate', ...emailWriteMeta });
export const EmailCreateOrUpdateSchema = z
  .object(emailWriteShape)
  .meta({ id: 'EmailCreateOrUpdate', ...emailWriteMeta });

function userWriteShape(email: typeof EmailCreateSchema) {
  return {
    id: chosenUserId.optional(),
    name,
    age,
    gender,
    email: email.meta({ description: 'The email of the user' }),
    createdAt: userCreatedAt.optional(),
    updatedAt: userUpdatedAt.optional(),
  };
}
export const UserCreateSchema = z
  .object(userWriteShape(EmailCreateSchema))
  .meta({ id: 'UserCreate', unusedIO: 'input', override: requiredInDocument() });
export const UserCreateOrUpdateSchema = z
  .object(userWriteShape(EmailCreateOrUpdateSchema))
  .meta({ id: 'UserCreateOrUpdate', unusedIO: 'input', override: requiredInDocument() });

// Procedure inputs: what a caller names besides a body.
const targetId = (verb: string) => z.string().meta({ description: `The id of the user to ${verb}` });
export const ListUsersInput = z.object({
  offset: listBound('The offset of the list, 0 means no offset, default is 0', 0),
  limit: listBound('The limit of the list, 0 means no limit, default is 10', 10),
});
export const ReadUserInput = z.object({ id: targetId('read') });
export const DeleteUserInput = z.object({ id: targetId('delete') });
/** Over tRPC `id` names the user to replace; over REST it is the path id (see server/http/rest/rest-api). */
export const UpdateUserInput = UserCreateOrUpdateSchema.extend({ id: targetId('update') });

/**
 * `offset` and `limit` arrive as query strings over REST and as numbers over tRPC. Only a
 * string of decimal digits is turned into a number; anything else fails as a non-integer.
 */
function listBound(description: string, fallback: number) {
  const uint32 = z.uint32({ error: typeError('must be an integer from 0 to 4294967295') });
  // typed callers pass numbers; strings come only from REST query strings
  return z
    .preprocess<unknown, typeof uint32, number>(digitsToNumber, uint32)
    .default(fallback)
    .meta({
      description,
      // the document shows what the parameter is, not the string-to-number step before it
      override: ({ jsonSchema }) => {
        Object.assign(jsonSchema, { type: 'integer', format: 'uint32', default: fallback });
        delete jsonSchema.minimum;
        delete jsonSchema.maximum;
      },
    });
}
function digitsToNumber(value: unknown): unknown {
  return typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : value;
}

export type User = z.infer<typeof UserSchema>;
export type UserList = z.infer<typeof UserListSchema>;
export type UserCreate = z.infer<typeof UserCreateSchema>;
export type UserCreateOrUpdate = z.infer<typeof UserCreateOrUpdateSchema>;
export type ListUsersQuery = z.infer<typeof ListUsersInput>;
export type UpdateUserCommand = z.infer<typeof UpdateUserInput>;
