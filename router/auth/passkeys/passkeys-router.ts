// The passkeys' procedures (REST under `Passkeys`): a person lists, adds and removes the passkeys of
// its own account, and renames them (adding in WebAuthn's two steps: the options, then the authenticator's answer); an
// admin lists a user's and removes one; anyone signs in with one (the options, then the answer: a
// token, as every sign-in).
import { z } from 'zod';
import { restOperation, restOperations } from '../../trpc/rest-operation';
import { adminProcedure, protectedProcedure, publicProcedure, router } from '../../trpc/procedures';
import { TokenSchema } from '../auth-schemas';
import { UserIdInput } from '../../sessions/session-schemas';
import {
  PasskeyCreationOptionsSchema,
  PasskeyIdInput,
  UserPasskeyInput,
  PasskeyListSchema,
  PasskeyRegistrationSchema,
  PasskeyRenameInput,
  PasskeyRenameSchema,
  PasskeyRequestOptionsSchema,
  PasskeySchema,
  PasskeySignInSchema,
} from './passkey-schemas';
import * as passkeys from './passkeys';

const operation = restOperations('Passkeys', { prefix: '/auth/passkeys', summary: true, protect: true });

export const passkeysRouter = router({
  list: protectedProcedure
    .meta(operation('list', 'GET', '', 'List your passkeys'))
    .input(z.object({}).optional())
    .output(PasskeyListSchema)
    .query(({ ctx }) => passkeys.listOwnPasskeys(ctx)),

  registrationOptions: protectedProcedure
    .meta(
      operation(
        'registrationOptions',
        'POST',
        '/registration-options',
        'Begin adding a passkey to your account: the options for navigator.credentials.create() (a recent sign-in is asked)',
      ),
    )
    .input(z.object({}).optional())
    .output(PasskeyCreationOptionsSchema)
    .mutation(({ ctx }) => passkeys.registrationOptions(ctx)),

  register: protectedProcedure
    .meta(
      operation('register', 'POST', '', 'Add the passkey your authenticator made from the registration options', {
        requestBody: PasskeyRegistrationSchema,
      }),
    )
    .input(PasskeyRegistrationSchema)
    .output(PasskeySchema)
    .mutation(({ ctx, input }) => passkeys.registerPasskey(ctx, input)),

  rename: protectedProcedure
    .meta(operation('rename', 'PATCH', '/{id}', 'Name one of your passkeys anew', { requestBody: PasskeyRenameSchema }))
    .input(PasskeyRenameInput)
    .output(PasskeySchema)
    .mutation(({ ctx, input }) => passkeys.renameOwnPasskey(ctx, input)),

  remove: protectedProcedure
    .meta(
      operation(
        'remove',
        'DELETE',
        '/{id}',
        'Remove one of your passkeys: it signs in no more (a recent sign-in is asked)',
        {
          success: 'There is no content to send for this request, but the headers may be useful. ',
        },
      ),
    )
    .input(PasskeyIdInput)
    .output(z.undefined())
    .mutation(async ({ ctx, input }) => {
      await passkeys.removeOwnPasskey(ctx, input.id);
      return undefined;
    }),

  ofUser: adminProcedure
    .meta(
      restOperation('Passkeys', 'ofUser', 'GET', '/users/{id}/passkeys', "A user's passkeys (admin)", {
        summary: true,
        protect: true,
      }),
    )
    .input(UserIdInput)
    .output(PasskeyListSchema)
    .query(({ ctx, input }) => passkeys.passkeysOfUser(ctx, input.id)),

  removeOfUser: adminProcedure
    .meta(
      restOperation(
        'Passkeys',
        'removeOfUser',
        'DELETE',
        '/users/{id}/passkeys/{passkeyId}',
        "Remove a user's passkey (admin): one it lost, or did not add; the sessions it signed in end",
        {
          summary: true,
          protect: true,
          success: 'There is no content to send for this request, but the headers may be useful. ',
        },
      ),
    )
    .input(UserPasskeyInput)
    .output(z.undefined())
    .mutation(async ({ ctx, input }) => {
      await passkeys.removeUserPasskey(ctx, input.id, input.passkeyId);
      return undefined;
    }),

  signInOptions: publicProcedure
    .meta(
      operation(
        'signInOptions',
        'POST',
        '/sign-in-options',
        'Begin signing in with a passkey: the options for navigator.credentials.get()',
        { protect: false },
      ),
    )
    .input(z.object({}).optional())
    .output(PasskeyRequestOptionsSchema)
    .mutation(({ ctx }) => passkeys.signInOptions(ctx)),

  signIn: publicProcedure
    .meta(
      operation('signIn', 'POST', '/sign-in', 'Sign in with the passkey your authenticator chose: a token', {
        protect: false,
        requestBody: PasskeySignInSchema,
      }),
    )
    .input(PasskeySignInSchema)
    .output(TokenSchema)
    .mutation(({ ctx, input }) => passkeys.passkeySignIn(ctx, input)),
});
