// The root router: every domain router, under the name its procedures are called by.
import { usersRouter } from './users';
import { router } from './trpc';

export const appRouter = router({
  users: usersRouter,
});

export type AppRouter = typeof appRouter;
