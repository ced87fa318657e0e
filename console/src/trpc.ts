// tRPC's TanStack React Query integration, as its docs set it up: the provider and the hooks
// for `AppRouter`, so every query key, input and result in the console is typed by the router.
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { AppRouter } from '../../client';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();
