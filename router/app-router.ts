// The root router: every domain router, under the name its procedures are called by.
import { authRouter } from './auth/auth-router';
import { sessionsRouter } from './sessions/sessions-router';
import { usersRouter } from './users/users-router';
import { eventsRouter } from './events/events-router';
import { webhooksRouter } from './webhooks/webhooks-router';
import { metadataRouter } from './metadata/metadata-router';
import { clientsRouter } from './clients/clients-router';
import { invitationsRouter } from './invitations/invitations-router';
import { exportsRouter } from './data-export/data-export-router';
import { router } from './trpc/procedures';

export const appRouter = router({
  users: usersRouter,
  metadata: metadataRouter,
  auth: authRouter,
  sessions: sessionsRouter,
  events: eventsRouter,
  webhooks: webhooksRouter,
  clients: clientsRouter,
  invitations: invitationsRouter,
  exports: exportsRouter,
});

export type AppRouter = typeof appRouter;
