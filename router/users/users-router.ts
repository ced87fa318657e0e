// The users procedures: typed tRPC calls, and the published REST operations Users_list …
// Users_delete through their `openapi` meta, with what 2.1.0 adds to them (find, filter, sort and
// cursor paging on the list; ETags and If-Match on a user) and Users_patch. tRPC alone has
// `users.get` (a user with its version) and `users.search` (a list page with its next cursor): the
// published bodies stay as published, and typed clients still get what REST says in headers.
// `users.import` (2.1.0) makes a batch of users brought from another system (./user-import).
// Beside them, under the `Accounts` tag, an account's state (disable, enable, status) and an
// admin's reset of its authenticator (./account-state).
import { z } from 'zod';
import {
  DeleteUserInput,
  ListUsersInput,
  PatchUserInput,
  ReadUserInput,
  UpdateUserInput,
  UserCreateOrUpdateSchema,
  UserCreateSchema,
  UserImportRequestSchema,
  UserImportResultSchema,
  UserListSchema,
  UserMergePatchSchema,
  UserSchema,
  UserSearchResultSchema,
  VersionedUserSchema,
} from './user-schemas';
import { authorizeUserAccess } from './user-access';
import { restOperations } from '../trpc/rest-operation';
import {
  adminProcedure,
  adminReadProcedure,
  protectedProcedure,
  protectedReadProcedure,
  router,
} from '../trpc/procedures';
import { createUser, deleteUser, readUser, updateUser } from './user-service';
import { listUsers, mayStream, nextLink } from './user-list';
import { patchUser } from './user-patch';
import { importUsers } from './user-import';
import { etagOf, expectationOf, type UserVersion } from './user-versions';
import {
  AccountStatusSchema,
  DisableRequestSchema,
  DisableUserInput,
  EnableUserInput,
  ResetTotpInput,
  UserStatusInput,
} from './account-state-schemas';
import { accountStatus, disableUser, enableUser, resetAuthenticator } from './account-state';

/** A published Users operation: its REST route and the texts the document shows for it. */
const operation = restOperations('Users');

/** An operation on an account's state: documented under its own tag, beside the published part. */
const accountOperation = restOperations('Accounts', { summary: true });

// over REST a long list is written as it is read (server/http/rest/list-stream.ts)
const LIST = operation('list', 'GET', '/users', 'List users', { rest: { stream: mayStream, link: true } });
const LIST_PATH = LIST.openapi!.path;

/** Where REST finds the version of the user an answer shows. */
function tagAnswer(ctx: { responseHeaders: Record<string, string | string[]> }, version: UserVersion): void {
  ctx.responseHeaders.ETag = etagOf(version);
}

export const usersRouter = router({
  // the reads carry the session check in their own statement (router/trpc/session-check)
  list: adminReadProcedure
    .meta(LIST)
    .input(ListUsersInput)
    .output(UserListSchema)
    .query(async ({ ctx, input }) => {
      const { list } = await listUsers(ctx, input, (next) => {
        ctx.responseHeaders.Link = nextLink(LIST_PATH, input, next);
      });
      return list;
    }),

  /** The list over tRPC with the next page's cursor in the answer (REST has it in the Link header). */
  search: adminReadProcedure
    .input(ListUsersInput)
    .output(UserSearchResultSchema)
    .query(async ({ ctx, input }) => {
      const { list, next } = await listUsers(ctx, input);
      return { ...list, next };
    }),

  create: adminProcedure
    .meta(
      operation('create', 'POST', '/users', 'Create a users', { requestBody: UserCreateSchema, rest: { etag: true } }),
    )
    .input(UserCreateSchema)
    .output(UserSchema)
    .mutation(async ({ ctx, input }) => {
      const { user, version } = await createUser(ctx, input);
      tagAnswer(ctx, version);
      return user;
    }),

  import: adminProcedure
    .meta(
      operation(
        'import',
        'POST',
        '/users/import',
        'Import users from another system with their password hashes (bcrypt, Argon2): all of a batch, or none (admins only)',
        { requestBody: UserImportRequestSchema, since: '2.1.0' },
      ),
    )
    .input(UserImportRequestSchema)
    .output(UserImportResultSchema)
    .mutation(async ({ ctx, input }) => ({ items: await importUsers(ctx, input) })),

  read: protectedReadProcedure
    .meta(operation('read', 'GET', '/users/{id}', 'Read users', { rest: { etag: true } }))
    .input(ReadUserInput)
    .output(UserSchema)
    .query(async ({ ctx, input }) => {
      authorizeUserAccess(ctx, input.id);
      const { user, version } = await readUser(ctx, input.id);
      tagAnswer(ctx, version);
      return user;
    }),

  /** A user and the version it was read at, which `update`, `patch` and `delete` take back. */
  get: protectedReadProcedure
    .input(ReadUserInput)
    .output(VersionedUserSchema)
    .query(async ({ ctx, input }) => {
      authorizeUserAccess(ctx, input.id);
      const found = await readUser(ctx, input.id);
      tagAnswer(ctx, found.version);
      return found;
    }),

  update: protectedProcedure
    .meta(
      operation('update', 'PUT', '/users/{id}', 'Update a users', {
        requestBody: UserCreateOrUpdateSchema,
        rest: { etag: true, ifMatch: true },
      }),
    )
    .input(UpdateUserInput)
    .output(UserSchema)
    .mutation(async ({ ctx, input: { expectedVersion, ...replacement } }) => {
      authorizeUserAccess(ctx, replacement.id);
      const expected = expectationOf(ctx, expectedVersion);
      const { user, version } = await updateUser(ctx, replacement, expected);
      tagAnswer(ctx, version);
      return user;
    }),

  patch: protectedProcedure
    .meta(
      operation('patch', 'PATCH', '/users/{id}', 'Change some fields of a user', {
        requestBody: UserMergePatchSchema,
        since: '2.1.0',
        rest: { etag: true, ifMatch: true, bodyType: 'application/merge-patch+json' },
      }),
    )
    .input(PatchUserInput)
    .output(UserSchema)
    .mutation(async ({ ctx, input: { expectedVersion, ...patch } }) => {
      authorizeUserAccess(ctx, patch.id);
      const expected = expectationOf(ctx, expectedVersion);
      const { user, version } = await patchUser(ctx, patch, expected);
      tagAnswer(ctx, version);
      return user;
    }),

  delete: protectedProcedure
    .meta(
      operation('delete', 'DELETE', '/users/{id}', 'Delete a users', {
        success: 'There is no content to send for this request, but the headers may be useful. ',
        rest: { ifMatch: true },
      }),
    )
    .input(DeleteUserInput)
    .output(z.undefined())
    .mutation(async ({ ctx, input }) => {
      authorizeUserAccess(ctx, input.id);
      await deleteUser(ctx, input.id, expectationOf(ctx, input.expectedVersion));
      // nothing to return: REST answers 204, and tRPC clients see `undefined` (a `void` output
      // would be typed `never` on the client)
      return undefined;
    }),

  status: protectedProcedure
    .meta(accountOperation('status', 'GET', '/users/{id}/status', 'Whether a user is disabled, why and until when'))
    .input(UserStatusInput)
    .output(AccountStatusSchema)
    .query(({ ctx, input }) => {
      authorizeUserAccess(ctx, input.id);
      return accountStatus(ctx, input.id);
    }),

  disable: adminProcedure
    .meta(
      accountOperation(
        'disable',
        'POST',
        '/users/{id}/disable',
        'Disable a user: no sign-in by any method, every session ended (admins only)',
        { requestBody: DisableRequestSchema },
      ),
    )
    .input(DisableUserInput)
    .output(AccountStatusSchema)
    .mutation(({ ctx, input }) => disableUser(ctx, input)),

  enable: adminProcedure
    .meta(accountOperation('enable', 'POST', '/users/{id}/enable', 'Enable a disabled user (admins only)'))
    .input(EnableUserInput)
    .output(AccountStatusSchema)
    .mutation(({ ctx, input }) => enableUser(ctx, input.id)),

  resetTotp: adminProcedure
    .meta(
      accountOperation(
        'resetTotp',
        'POST',
        '/users/{id}/totp/reset',
        "Reset a user's authenticator (authMethod 2): its TOTP secret and recovery codes go, every session ends, and the next sign-in enrolls a new one (admins only)",
        { success: 'There is no content to send for this request, but the headers may be useful. ' },
      ),
    )
    .input(ResetTotpInput)
    .output(z.undefined())
    .mutation(async ({ ctx, input }) => {
      await resetAuthenticator(ctx, input.id);
      return undefined;
    }),
});
