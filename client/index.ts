// The typed client for TypeScript frontends: every users procedure, with inputs and outputs
// typed from the server's Zod schemas. Only types cross over from the server.
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../router/app-router';

export type { AppRouter };
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export { TRPCClientError };

export interface UsersClientOptions {
  /** The service's tRPC endpoint, e.g. `http://localhost:3000/trpc`. */
  url: string;
  /** A Bearer token, or a function returning the current one (called for every request). */
  token?: string | (() => string | undefined);
  fetch?: typeof globalThis.fetch;
  /** Most calls sent in one batch: at most the service's TRPC_MAX_BATCH (default 10), which refuses longer ones. */
  maxBatch?: number;
}

export function createUsersClient({ url, token, fetch, maxBatch = 10 }: UsersClientOptions) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url,
        // more calls at once are split into several batches
        maxItems: maxBatch,
        ...(fetch ? { fetch } : {}),
        headers: () => {
          const current = typeof token === 'function' ? token() : token;
          return current ? { authorization: `Bearer ${current}` } : {};
        },
      }),
    ],
  });
}

export type UsersClient = ReturnType<typeof createUsersClient>;
