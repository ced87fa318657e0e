// The invitations' procedures (REST under `Invitations`): an admin or a machine client invites an
// address, lists the invitations, sends one again and revokes one; the person invited looks its
// invitation up and accepts it (public: the link's token is the credential).
import { z } from 'zod';
import { restOperations } from '../trpc/rest-operation';
import { adminProcedure, publicProcedure, router } from '../trpc/procedures';
import { LoginResultSchema } from '../auth/auth-schemas';
import {
  InvitationAcceptSchema,
  InvitationCreateSchema,
  InvitationIdInput,
  InvitationListSchema,
  InvitationLookupSchema,
  InvitationSchema,
  InvitationTokenSchema,
} from './invitation-schemas';
import * as service from './invitation-service';

const operation = restOperations('Invitations', { prefix: '/invitations', summary: true, protect: true });
const publicOperation = restOperations('Invitations', { prefix: '/auth/invitations', summary: true, protect: false });

export const invitationsRouter = router({
  create: adminProcedure
    .meta(
      operation('create', 'POST', '', 'Invite an address to make an account: a link is mailed to it', {
        requestBody: InvitationCreateSchema,
      }),
    )
    .input(InvitationCreateSchema)
    .output(InvitationSchema)
    .mutation(({ ctx, input }) => service.createInvitation(ctx, input)),

  list: adminProcedure
    .meta(operation('list', 'GET', '', 'List the invitations not yet accepted, live or expired'))
    .input(z.object({}).optional())
    .output(InvitationListSchema)
    .query(({ ctx }) => service.listInvitations(ctx)),

  resend: adminProcedure
    .meta(
      operation(
        'resend',
        'POST',
        '/{id}/resend',
        'Mail a new link, working as long as the first from now; the old link stops working',
      ),
    )
    .input(InvitationIdInput)
    .output(InvitationSchema)
    .mutation(({ ctx, input }) => service.resendInvitation(ctx, input.id)),

  revoke: adminProcedure
    .meta(
      operation('revoke', 'DELETE', '/{id}', 'Revoke an invitation: its link stops working', {
        success: 'There is no content to send for this request, but the headers may be useful. ',
      }),
    )
    .input(InvitationIdInput)
    .output(z.undefined())
    .mutation(async ({ ctx, input }) => {
      await service.revokeInvitation(ctx, input.id);
      return undefined;
    }),

  lookUp: publicProcedure
    .meta(
      publicOperation('lookUp', 'POST', '/lookup', "What an invitation's link is for: the address invited", {
        requestBody: InvitationTokenSchema,
      }),
    )
    .input(InvitationTokenSchema)
    .output(InvitationLookupSchema)
    .mutation(({ ctx, input }) => service.lookUpInvitation(ctx, input.token)),

  accept: publicProcedure
    .meta(
      publicOperation(
        'accept',
        'POST',
        '/accept',
        "Make the invited account with the link's token and its fields: signed in at once, or the authenticator set up first (authMethod 2)",
        { requestBody: InvitationAcceptSchema },
      ),
    )
    .input(InvitationAcceptSchema)
    .output(LoginResultSchema)
    .mutation(({ ctx, input }) => service.acceptInvitation(ctx, input)),
});
