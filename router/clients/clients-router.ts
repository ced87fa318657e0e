// The machine clients' procedures: an admin registers, lists, rotates and removes clients (REST under
// `Clients`); a client exchanges its credentials for a token (public, under `Auth`: the secret is
// the credential), as JSON, or as OAuth 2.0 client libraries ask for one (a form, HTTP Basic).
import { z } from 'zod';
import { restOperation, restOperations } from '../trpc/rest-operation';
import { adminProcedure, publicProcedure, router } from '../trpc/procedures';
import {
  ClientCreateSchema,
  ClientCreatedSchema,
  ClientIdInput,
  ClientListSchema,
  ClientTokenRequestSchema,
  ClientTokenSchema,
  IntrospectionRequestSchema,
  IntrospectionSchema,
  OAuth2ClientTokenRequestSchema,
  OAuth2ClientTokenSchema,
} from './client-schemas';
import * as service from './client-service';
import { introspectToken } from './introspection';

const operation = restOperations('Clients', { prefix: '/clients', summary: true, protect: true });

/** An admin that is a person: a machine client's token manages no clients (service.refuseMachine). */
const personProcedure = adminProcedure.use(({ ctx, next }) => {
  service.refuseMachine(ctx.principal);
  return next();
});

export const clientsRouter = router({
  create: personProcedure
    .meta(
      operation('create', 'POST', '', 'Register a machine client; the answer holds its secret, shown only once', {
        requestBody: ClientCreateSchema,
      }),
    )
    .input(ClientCreateSchema)
    .output(ClientCreatedSchema)
    .mutation(({ ctx, input }) => service.createClient(ctx, input)),

  list: personProcedure
    .meta(operation('list', 'GET', '', 'List machine clients'))
    .input(z.object({}).optional())
    .output(ClientListSchema)
    .query(({ ctx }) => service.listClients(ctx)),

  rotateSecret: personProcedure
    .meta(
      operation(
        'rotateSecret',
        'POST',
        '/{id}/rotate-secret',
        "Replace a client's secret, shown only once; the old one and every token it got are refused from now on",
      ),
    )
    .input(ClientIdInput)
    .output(ClientCreatedSchema)
    .mutation(({ ctx, input }) => service.rotateClientSecret(ctx, input.id)),

  delete: personProcedure
    .meta(
      operation('delete', 'DELETE', '/{id}', 'Remove a machine client; its tokens are refused from their next call', {
        success: 'There is no content to send for this request, but the headers may be useful. ',
      }),
    )
    .input(ClientIdInput)
    .output(z.undefined())
    .mutation(async ({ ctx, input }) => {
      await service.removeClient(ctx, input.id);
      return undefined;
    }),

  token: publicProcedure
    .meta(
      restOperation(
        'Auth',
        'clientToken',
        'POST',
        '/auth/client-token',
        "Exchange a machine client's id and secret for an access token of its own (RFC 6749 §4.4, client credentials)",
        { summary: true, protect: false, requestBody: ClientTokenRequestSchema },
      ),
    )
    .input(ClientTokenRequestSchema)
    .output(ClientTokenSchema)
    .mutation(({ ctx, input }) => service.exchangeClientCredentials(ctx, input)),

  oauth2Token: publicProcedure
    .meta(
      restOperation(
        'Auth',
        'oauth2ClientToken',
        'POST',
        '/auth/oauth2/client-token',
        "The same exchange as OAuth 2.0 client libraries make it (RFC 6749 §4.4): a form with grant_type=client_credentials, the client's id and secret by HTTP Basic or in the form; refusals carry RFC 6749's `error` beside `code` and `msg`",
        {
          summary: true,
          protect: false,
          requestBody: OAuth2ClientTokenRequestSchema,
          rest: { bodyType: 'application/x-www-form-urlencoded', oauth2: true },
        },
      ),
    )
    .input(OAuth2ClientTokenRequestSchema)
    .output(OAuth2ClientTokenSchema)
    .mutation(({ ctx, input }) => service.oauth2ClientToken(ctx, input)),

  introspect: publicProcedure
    .meta(
      restOperation(
        'Auth',
        'introspectToken',
        'POST',
        '/auth/oauth2/introspect',
        'Whether an access token is live now, asked by a machine client (RFC 7662): a form with the token, the client\'s id and secret by HTTP Basic or in the form; `{"active": false}` alone for any token that is not',
        {
          summary: true,
          protect: false,
          requestBody: IntrospectionRequestSchema,
          rest: { bodyType: 'application/x-www-form-urlencoded', oauth2: true },
        },
      ),
    )
    .input(IntrospectionRequestSchema)
    .output(IntrospectionSchema)
    .mutation(({ ctx, input }) => introspectToken(ctx, input)),
});
