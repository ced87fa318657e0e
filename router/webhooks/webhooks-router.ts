// The Webhooks procedures (admin only): register, list, read, change, pause, resume and remove
// endpoints, rotate an endpoint's signing secret, its delivery log, a redelivery and a test event. Published under the `Webhooks`
// tag, beside (not in) the Users contract.
import { z } from 'zod';
import {
  DeliveriesInput,
  DeliveryListSchema,
  QueuedSchema,
  RedeliverSchema,
  WebhookCreateSchema,
  WebhookCreatedSchema,
  WebhookIdInput,
  WebhookListSchema,
  WebhookSchema,
  WebhookRotateSchema,
  WebhookRotatedSchema,
  WebhookUpdateSchema,
} from './webhook-schemas';
import { restOperations } from '../trpc/rest-operation';
import { adminProcedure, router } from '../trpc/procedures';
import * as service from './webhook-service';

const operation = restOperations('Webhooks', { prefix: '/webhooks', summary: true });

export const webhooksRouter = router({
  create: adminProcedure
    .meta(
      operation('create', 'POST', '', 'Register an endpoint; the answer holds its signing secret, shown only once', {
        requestBody: WebhookCreateSchema,
      }),
    )
    .input(WebhookCreateSchema)
    .output(WebhookCreatedSchema)
    .mutation(({ ctx, input }) => service.createEndpoint(ctx, input)),

  list: adminProcedure
    .meta(operation('list', 'GET', '', 'List endpoints'))
    .input(z.object({}))
    .output(WebhookListSchema)
    .query(({ ctx }) => service.listEndpoints(ctx)),

  read: adminProcedure
    .meta(operation('read', 'GET', '/{id}', 'Read an endpoint'))
    .input(WebhookIdInput)
    .output(WebhookSchema)
    .query(({ ctx, input }) => service.readEndpoint(ctx, input.id)),

  update: adminProcedure
    .meta(
      operation('update', 'PATCH', '/{id}', "Change an endpoint's URL or event types", {
        requestBody: WebhookUpdateSchema,
      }),
    )
    .input(WebhookUpdateSchema)
    .output(WebhookSchema)
    .mutation(({ ctx, input }) => service.updateEndpoint(ctx, input)),

  pause: adminProcedure
    .meta(operation('pause', 'POST', '/{id}/pause', 'Pause deliveries to an endpoint (they wait until it resumes)'))
    .input(WebhookIdInput)
    .output(WebhookSchema)
    .mutation(({ ctx, input }) => service.setEndpointStatus(ctx, input.id, 'paused')),

  resume: adminProcedure
    .meta(operation('resume', 'POST', '/{id}/resume', 'Resume deliveries to an endpoint'))
    .input(WebhookIdInput)
    .output(WebhookSchema)
    .mutation(({ ctx, input }) => service.setEndpointStatus(ctx, input.id, 'active')),

  rotateSecret: adminProcedure
    .meta(
      operation(
        'rotateSecret',
        'POST',
        '/{id}/rotate-secret',
        'Give an endpoint a new signing secret, shown only in this answer; the replaced one keeps signing beside it for a while',
        { requestBody: WebhookRotateSchema },
      ),
    )
    .input(WebhookRotateSchema)
    .output(WebhookRotatedSchema)
    .mutation(({ ctx, input }) => service.rotateEndpointSecret(ctx, input)),

  delete: adminProcedure
    .meta(operation('delete', 'DELETE', '/{id}', 'Remove an endpoint and its deliveries'))
    .input(WebhookIdInput)
    .output(z.undefined())
    .mutation(async ({ ctx, input }) => {
      await service.deleteEndpoint(ctx, input.id);
      return undefined;
    }),

  deliveries: adminProcedure
    .meta(operation('deliveries', 'GET', '/{id}/deliveries', "An endpoint's newest deliveries, with every attempt"))
    .input(DeliveriesInput)
    .output(DeliveryListSchema)
    .query(({ ctx, input }) => service.listDeliveries(ctx, input.id, input.limit)),

  redeliver: adminProcedure
    .meta(
      operation('redeliver', 'POST', '/{id}/redeliver', 'Send an event to the endpoint again', {
        requestBody: RedeliverSchema,
      }),
    )
    .input(RedeliverSchema)
    .output(QueuedSchema)
    .mutation(({ ctx, input }) => service.redeliverEvent(ctx, input.id, input.eventId)),

  test: adminProcedure
    .meta(operation('test', 'POST', '/{id}/test', 'Send a test event (`webhook.test`) to the endpoint'))
    .input(WebhookIdInput)
    .output(QueuedSchema)
    .mutation(({ ctx, input }) => service.sendTestEvent(ctx, input.id, ctx.principal.id)),
});
