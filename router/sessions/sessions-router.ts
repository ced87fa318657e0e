// The sessions procedures: the refresh (REST under `Auth`, public: the refresh token is the
// credential), the caller's own sessions, and an admin's view of a user's sessions (REST under
// `Sessions`; the users-scoped ones live here with the user id as input, so the published Users
// part of the document stays as it is).
import { z } from 'zod';
import { restOperation, restOperations } from '../trpc/rest-operation';
import { adminProcedure, protectedProcedure, publicProcedure, router } from '../trpc/procedures';
import {
  EndedSchema,
  RefreshRequestSchema,
  RefreshedTokenSchema,
  SessionIdInput,
  SessionListSchema,
  UserIdInput,
} from './session-schemas';
import { endSession, endSessionsOf, refresh, sessionsOf } from './session-service';

const operation = restOperations('Sessions', { summary: true, protect: true });

const NO_CONTENT = 'There is no content to send for this request, but the headers may be useful. ';

export const sessionsRouter = router({
  refresh: publicProcedure
    .meta(
      restOperation(
        'Auth',
        'refresh',
        'POST',
        '/auth/refresh',
        'Exchange a refresh token for a new access token and a new refresh token (the one sent is spent)',
        { summary: true, protect: false, requestBody: RefreshRequestSchema },
      ),
    )
    .input(RefreshRequestSchema)
    .output(RefreshedTokenSchema)
    .mutation(({ ctx, input }) => refresh(ctx, input.refreshToken)),

  list: protectedProcedure
    .meta(operation('list', 'GET', '/auth/sessions', 'The sessions of the signed-in user'))
    .input(z.object({}).optional())
    .output(SessionListSchema)
    .query(({ ctx }) => sessionsOf(ctx, ctx.principal.id, ctx.principal.sessionId)),

  end: protectedProcedure
    .meta(operation('end', 'DELETE', '/auth/sessions/{id}', 'End one of your sessions', { success: NO_CONTENT }))
    .input(SessionIdInput)
    .output(z.undefined())
    .mutation(async ({ ctx, input }) => {
      await endSession(ctx, ctx.principal.id, input.id);
      return undefined;
    }),

  endOthers: protectedProcedure
    .meta(operation('endOthers', 'DELETE', '/auth/sessions', 'End every session of yours but this one'))
    .input(z.object({}).optional())
    .output(EndedSchema)
    .mutation(async ({ ctx }) => ({
      ended: await endSessionsOf(ctx, ctx.principal.id, ctx.principal.sessionId ?? null),
    })),

  ofUser: adminProcedure
    .meta(operation('ofUser', 'GET', '/users/{id}/sessions', "A user's sessions (admin)"))
    .input(UserIdInput)
    .output(SessionListSchema)
    .query(({ ctx, input }) => sessionsOf(ctx, input.id, ctx.principal.sessionId)),

  endAllOfUser: adminProcedure
    .meta(operation('endAllOfUser', 'DELETE', '/users/{id}/sessions', 'Sign a user out everywhere (admin)'))
    .input(UserIdInput)
    .output(EndedSchema)
    .mutation(async ({ ctx, input }) => ({
      // an admin signing itself out everywhere keeps the session it does it from
      ended: await endSessionsOf(
        ctx,
        input.id,
        input.id === ctx.principal.id ? (ctx.principal.sessionId ?? null) : null,
      ),
    })),
});
