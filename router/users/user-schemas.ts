// The Users contract: every request and response shape of users-api-v2, as Zod schemas.
// TypeScript types are inferred from these, the OpenAPI document is generated from them, and
// the output schemas have no secret fields at all (the email's `token` is always empty).
import { z } from 'zod';
import { AUTH_METHODS, AuthMethod, GENDERS } from '../../entities/enums';
import { documentedEnum, formattedInt, requiredInDocument, since, trpcOnly, typeError } from '../trpc/common-schemas';
import { metadataFilter } from '../metadata/metadata-schemas';
import { UserVersionSchema } from './user-versions';
import { PASSWORD_MIN_LENGTH } from '../../server/passwords/password-policy';

/** Ids a client may choose for a new user. Ids outside this alphabet cannot exist. */
export const USER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const NAME_PATTERN = /^[a-zA-Z0-9_-]+$/;
// eslint-disable-next-line no-control-regex -- the control characters are what it refuses
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f]*$/;
const EMAIL_PATTERN = /^[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+\.[a-zA-Z0-9-.]+$/;

export const GenderSchema = documentedEnum('Gender', 'Gender enum values', GENDERS);
export const EmailAuthMethodSchema = documentedEnum('EmailAuthMethod', 'Email authentication method', AUTH_METHODS);

/** What a password (or an imported hash) sent for the wrong method, or missing for its method, is told. */
export const PASSWORD_REQUIRED = 'is required when email.authMethod is 0 (password) or 2 (totp)';
export const PASSWORD_NOT_USED = 'can only be set when email.authMethod is 0 (password) or 2 (totp)';

/** Password (0) and password + TOTP (2) sign in with a password; email codes (1) and OAuth2 (3) never do. */
export function usesPassword(method: AuthMethod): boolean {
  return method === AuthMethod.password || method === AuthMethod.totp;
}

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
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
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

// An import (POST /api/v2/users/import, `users.import`): users brought from another system with the
// password hash they had there (server/crypto/imported-hashes.ts), never with a password.
export const IMPORT_BATCH_MAX = 100;
const EmailImportSchema = z
  .object({
    email: emailAddress,
    authMethod,
    passwordHash: z
      .string()
      .min(1, 'must not be empty')
      .max(512, 'must be at most 512 characters')
      .meta({
        description:
          'The hash of the password, as the system the user comes from stored it: bcrypt ($2a$, $2b$, $2y$), Argon2 (a PHC string, $argon2id$…) or a scrypt key of this service. For authMethod 0 and 2 only; the first sign-in replaces it with a hash of this service',
        format: 'password',
      })
      .optional(),
  })
  .meta({ id: 'EmailImport' });
const UserImportSchema = z
  .object({ id: chosenUserId.optional(), name, age, gender, email: EmailImportSchema })
  .meta({ id: 'UserImport' });
export const UserImportRequestSchema = z
  .object({
    users: z
      .array(UserImportSchema)
      .min(1, 'must hold at least one user')
      .max(IMPORT_BATCH_MAX, `must hold at most ${IMPORT_BATCH_MAX} users`)
      .meta({ description: `The users to make, at most ${IMPORT_BATCH_MAX}: all of them, or none` }),
  })
  .meta({ id: 'UserImportRequest' });
export type UserImportRequest = z.infer<typeof UserImportRequestSchema>;
export const UserImportResultSchema = z
  .object({ items: z.array(UserSchema).meta({ description: 'The users made, in the order they were sent' }) })
  .meta({ id: 'UserImportResult' });

// Procedure inputs: what a caller names besides a body.
const targetId = (verb: string) => z.string().meta({ description: `The id of the user to ${verb}` });
/** The version a typed client read (users.get); REST says it in If-Match instead. */
const expectedVersion = trpcOnly(UserVersionSchema).optional();

/** The states an account can be in (./account-state.ts): the `status` filter of the list. */
export const ACCOUNT_STATES = ['enabled', 'disabled'] as const;

/** The orders a list may be read in: each field, ascending, or descending with a leading `-`. */
export const SORT_FIELDS = ['createdAt', 'name', 'email', 'age'] as const;
export type SortField = (typeof SORT_FIELDS)[number];
const SORTS = SORT_FIELDS.flatMap((field) => [field, `-${field}`] as const);

export const ListUsersInput = z.object({
  offset: listBound('The offset of the list, 0 means no offset, default is 0', 0),
  limit: listBound('The limit of the list, 0 means no limit, default is 10', 10),
  // added in 2.1.0: find, filter, sort, and page by cursor (see docs/api.md)
  email: since(
    '2.1.0',
    z
      .string()
      .min(1, 'must not be empty')
      .max(254, 'must be at most 254 characters')
      .meta({ description: 'Only the user with this email address (A-Z matched regardless of case)' }),
  ).optional(),
  q: since(
    '2.1.0',
    z
      .string()
      .min(2, 'must be at least 2 characters')
      .max(254, 'must be at most 254 characters')
      // no name or address holds one, and the search joins the two with one (./user-search.ts)
      .regex(NO_CONTROL_CHARACTERS, 'must not contain control characters')
      .meta({
        description:
          'Only users whose name or email address contains this text, regardless of case; % _ and \\ are literal',
      }),
  ).optional(),
  authMethod: since('2.1.0', authMethods()).optional(),
  createdAfter: since('2.1.0', unixSeconds('Only users created after this time: createdAt > createdAfter')).optional(),
  createdBefore: since(
    '2.1.0',
    unixSeconds('Only users created before this time: createdAt < createdBefore'),
  ).optional(),
  signedInSince: since(
    '2.1.0',
    unixSeconds('Only users who have signed in at or after this time (see GET /api/v2/users/{id}/status)'),
  ).optional(),
  notSignedInSince: since(
    '2.1.0',
    unixSeconds(
      'Only users who have not signed in since this time: their last sign-in is before it, or they never signed in (dormant accounts)',
    ),
  ).optional(),
  status: since(
    '2.1.0',
    z.enum(ACCOUNT_STATES, { error: typeError(`must be one of ${ACCOUNT_STATES.join(', ')}`) }).meta({
      description: 'Only users whose account is in this state (see GET /api/v2/users/{id}/status)',
    }),
  ).optional(),
  metadata: since('2.1.0', metadataFilter()).optional(),
  sort: since(
    '2.1.0',
    z.enum(SORTS, { error: typeError(`must be one of ${SORT_FIELDS.join(', ')}`) }).meta({
      description:
        'The order: a field, ascending, or with a leading - descending; users with equal values in id order. Default: by creation, then id',
    }),
  ).optional(),
  cursor: since(
    '2.1.0',
    z.string().min(1, 'must not be empty').max(2048, 'must be at most 2048 characters').meta({
      description:
        'Where a page starts: the cursor of the Link header (rel="next") of the page before, for the same sort and filters. With a cursor, offset must be 0 or absent',
    }),
  ).optional(),
});
export const ReadUserInput = z.object({ id: targetId('read') });
export const DeleteUserInput = z.object({ id: targetId('delete'), expectedVersion });
/** Over tRPC `id` names the user to replace; over REST it is the path id (see server/http/rest/rest-api). */
export const UpdateUserInput = UserCreateOrUpdateSchema.extend({ id: targetId('update'), expectedVersion });

// A JSON merge patch of a user (RFC 7396, `PATCH /api/v2/users/{id}`, `users.patch`): only the
// fields named change, the email's fields too; `null` would remove a field, and every field here is
// one a user always has, so a null is refused by name. The document shows the body without nulls.
export const EmailMergePatchSchema = z
  .object({ email: emailAddress.optional(), authMethod: authMethod.optional(), password: password.optional() })
  .meta({ id: 'EmailMergePatch', description: 'The fields of the email to change' });
export const UserMergePatchSchema = z
  .object({
    name: name.optional(),
    age: age.optional(),
    gender: gender.optional(),
    email: EmailMergePatchSchema.meta({ description: 'The email of the user: the fields to change' }).optional(),
  })
  .meta({
    id: 'UserMergePatch',
    description: 'The fields of the user to change (application/merge-patch+json, RFC 7396); the rest stay',
    unusedIO: 'input',
  });
/** What each field a user always has is called in the message that refuses its null. */
const REQUIRED_FIELDS: Record<string, string> = {
  name: 'a name',
  age: 'an age',
  gender: 'a gender',
  email: 'an email',
  'email.email': 'an email address',
  'email.authMethod': 'a sign-in method',
};
const patchInput = UserMergePatchSchema.extend({ id: targetId('patch'), expectedVersion });
export const PatchUserInput = z.preprocess<unknown, typeof patchInput, z.input<typeof patchInput>>((value, ctx) => {
  for (const path of nullFields(value)) {
    const message =
      path === 'email.password'
        ? 'cannot be null: leave it out to keep the password'
        : `cannot be null: every user has ${REQUIRED_FIELDS[path]} (leave the field out to keep it)`;
    ctx.addIssue({ code: 'custom', path: path.split('.'), message, input: null });
  }
  return value;
}, patchInput);

/** The fields of a patch that are null, as dotted paths. */
function nullFields(value: unknown): string[] {
  const record = asRecord(value);
  const email = asRecord(record?.email);
  return [
    ...['name', 'age', 'gender', 'email'].filter((key) => record?.[key] === null),
    ...['email', 'authMethod', 'password'].filter((key) => email?.[key] === null).map((key) => `email.${key}`),
  ];
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The cursor of the next page over tRPC (`users.search`); REST clients find it in the Link header. */
export const UserListCursorSchema = z.string().brand<'UserListCursor'>();
export type UserListCursor = z.output<typeof UserListCursorSchema>;
export const UserSearchResultSchema = UserListSchema.extend({
  /** The cursor that reads the page after this one; null on the last page. */
  next: UserListCursorSchema.nullable(),
});

/** A user with the version it was read at (`users.get`): what a typed client must send back to write it. */
export const VersionedUserSchema = z.object({ user: UserSchema, version: UserVersionSchema });

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

/** A time as unix seconds, like the model's `createdAt`: a number over tRPC, digits (maybe signed) over REST. */
function unixSeconds(description: string) {
  const int32 = z.int32({ error: typeError('must be an integer (unix seconds) from -2147483648 to 2147483647') });
  return z
    .preprocess<unknown, typeof int32, number>(
      (value) => (typeof value === 'string' && /^-?\d{1,10}$/.test(value) ? Number(value) : value),
      int32,
    )
    .meta({
      description,
      override: ({ jsonSchema }) => {
        Object.assign(jsonSchema, { type: 'integer', format: 'int32' });
        delete jsonSchema.minimum;
        delete jsonSchema.maximum;
      },
    });
}

/**
 * One sign-in method, or several (`authMethod=1&authMethod=3` over REST, an array over tRPC): a user
 * with any of them. Kept as a sorted list without repeats.
 */
function authMethods() {
  const values: readonly number[] = Object.values(AuthMethod);
  const allowed = Object.entries(AUTH_METHODS)
    .map(([memberName, [value]]) => `${value} (${memberName})`)
    .join(', ');
  const list = z.array(EmailAuthMethodSchema);
  return z
    .preprocess<unknown, typeof list, AuthMethod | AuthMethod[]>((value, ctx) => {
      const items = (Array.isArray(value) ? value : [value]).map((item) =>
        typeof item === 'string' && /^\d$/.test(item) ? Number(item) : item,
      );
      if (items.length === 0 || items.some((item) => typeof item !== 'number' || !values.includes(item))) {
        ctx.addIssue({
          code: 'custom',
          message: `must be one of ${allowed}; repeat the parameter for several`,
          input: value,
        });
        return value;
      }
      return [...new Set(items as AuthMethod[])].sort();
    }, list)
    .meta({
      description: 'Only users who sign in by one of these methods (repeat the parameter for several)',
      // the document shows the list (the step that makes one from a single value is not its business)
      override: ({ jsonSchema }) => {
        for (const key of Object.keys(jsonSchema))
          if (key !== 'description' && key !== 'x-since') delete jsonSchema[key];
        Object.assign(jsonSchema, { type: 'array', items: { $ref: '#/components/schemas/EmailAuthMethod' } });
      },
    });
}

export type User = z.infer<typeof UserSchema>;
export type UserList = z.infer<typeof UserListSchema>;
export type UserCreate = z.infer<typeof UserCreateSchema>;
export type UserCreateOrUpdate = z.infer<typeof UserCreateOrUpdateSchema>;
export type ListUsersQuery = z.infer<typeof ListUsersInput>;
export type UpdateUserCommand = z.infer<typeof UpdateUserInput>;
export type UserSearchResult = z.infer<typeof UserSearchResultSchema>;
export type VersionedUser = z.infer<typeof VersionedUserSchema>;
export type UserMergePatch = z.infer<typeof UserMergePatchSchema>;
export type PatchUserCommand = z.output<typeof PatchUserInput>;
