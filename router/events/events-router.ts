// The events procedures: the feed (`events.list`, GET /api/v2/events, admins only) and a user's
// history (`events.user`, GET /api/v2/users/{id}/events), documented under the `Events` tag.
import { adminProcedure, protectedProcedure, router } from '../trpc/procedures';
import { restOperations } from '../trpc/rest-operation';
import { EventListSchema, FeedInput, UserEventsInput } from './event-schemas';
import { listFeed, listUserEvents } from './event-reads';

const operation = restOperations('Events', { summary: true });

export const eventsRouter = router({
  list: adminProcedure
    .meta(operation('list', 'GET', '/events', 'The event feed, oldest first after an id, or newest first before one'))
    .input(FeedInput)
    .output(EventListSchema)
    .query(({ ctx, input }) => listFeed(ctx, input)),

  user: protectedProcedure
    .meta(
      operation(
        'user',
        'GET',
        '/users/{id}/events',
        "A user's history: anyone's for an admin, a user's own sign-ins (refused ones too), sign-outs and credential changes",
      ),
    )
    .input(UserEventsInput)
    .output(EventListSchema)
    .query(({ ctx, input }) => listUserEvents(ctx, input)),
});
