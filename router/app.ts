// The root router: every domain router, under the name its procedures are called by.
import { authRouter } from './auth';
import { usersRouter } from './users';
import { router } from './trpc';

export const appRouter = router({
  users: usersRouter,
  auth: authRouter,
});

export type AppRouter = typeof appRouter;
