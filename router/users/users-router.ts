// The users procedures: typed tRPC calls, and the published REST operations Users_list …
// Users_delete through their `openapi` meta; beside them, under the `Accounts` tag, an account's
// state (disable, enable, status) and an admin's reset of its authenticator (./account-state).
import { z } from 'zod';
import {
  DeleteUserInput,
  ListUsersInput,
  ReadUserInput,
  UpdateUserInput,
  UserCreateOrUpdateSchema,
  UserCreateSchema,
  UserListSchema,
  UserSchema,
} from './user-schemas';
import { authorizeUserAccess } from './user-access';
import { restOperation, type RestOperationOptions } from '../trpc/rest-operation';
import { adminProcedure, protectedProcedure, router } from '../trpc/procedures';
import { createUser, deleteUser, listUsers, readUser, updateUser } from './user-service';
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
const operation = (
  name: string,
  method: Parameters<typeof restOperation>[2],
  path: `/${string}`,
  description: string,
  options: Omit<RestOperationOptions, 'summary' | 'protect'> = {},
) => restOperation('Users', name, method, path, description, options);

/** An operation on an account's state: documented under its own tag, beside the published part. */
const accountOperation = (
  name: string,
  method: Parameters<typeof restOperation>[2],
  path: `/${string}`,
  description: string,
  options: Omit<RestOperationOptions, 'summary'> = {},
) => restOperation('Accounts', name, method, path, description, { summary: true, ...options });

export const usersRouter = router({
  list: adminProcedure
    // over REST a long list is written as it is read (server/http/rest/list-stream.ts)
    .meta(operation('list', 'GET', '/users', 'List users', { rest: { stream: true } }))
    .input(ListUsersInput)
    .output(UserListSchema)
    .query(({ ctx, input }) => listUsers(ctx, input)),

  create: adminProcedure
    .meta(operation('create', 'POST', '/users', 'Create a users', { requestBody: UserCreateSchema }))
    .input(UserCreateSchema)
    .output(UserSchema)
    .mutation(({ ctx, input }) => createUser(ctx, input)),

  read: protectedProcedure
    .meta(operation('read', 'GET', '/users/{id}', 'Read users'))
    .input(ReadUserInput)
    .output(UserSchema)
    .query(async ({ ctx, input }) => {
      authorizeUserAccess(ctx, input.id);
      return readUser(ctx, input.id);
    }),

  update: protectedProcedure
    .meta(operation('update', 'PUT', '/users/{id}', 'Update a users', { requestBody: UserCreateOrUpdateSchema }))
    .input(UpdateUserInput)
    .output(UserSchema)
    .mutation(async ({ ctx, input }) => {
      authorizeUserAccess(ctx, input.id);
      return updateUser(ctx, input);
    }),

  delete: protectedProcedure
    .meta(
      operation('delete', 'DELETE', '/users/{id}', 'Delete a users', {
        success: 'There is no content to send for this request, but the headers may be useful. ',
      }),
    )
    .input(DeleteUserInput)
    .output(z.undefined())
    .mutation(async ({ ctx, input }) => {
      authorizeUserAccess(ctx, input.id);
      await deleteUser(ctx, input.id);
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
