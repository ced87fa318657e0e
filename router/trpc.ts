// tRPC is initialised here, once. Everything else builds procedures from these exports.
import { initTRPC, TRPCError } from '@trpc/server';
import type { OpenApiMeta } from 'trpc-to-openapi';
import type { ZodType } from 'zod';
import type { Context } from './context';
import { fromDatabaseError, publicMessage } from './errors';

export interface Meta extends OpenApiMeta {
  /** The named schema a REST client sends as this operation's body (see server/openapi.ts). */
  requestBody?: ZodType;
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    // stacks reach callers only in development
    isDev: process.env.NODE_ENV === 'development',
    errorFormatter: ({ shape, error }) => ({ ...shape, message: publicMessage(error) }),
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Database failures that mean something to the caller (duplicate, not found) become that error. */
const databaseErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const mapped = fromDatabaseError(result.error.cause);
    if (mapped) throw mapped;
  }
  return result;
});

/**
 * Every call is cut at the request timeout with a clean 503. Work still running is told through
 * `ctx.signal` (writes check it before they start) and the database cancels statements that run
 * past the same limit, so a call that timed out does not write afterwards.
 */
const deadline = t.middleware(async ({ ctx, next }) => {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'request timed out' }));
    }, ctx.requestTimeoutMs);
  });
  try {
    return await Promise.race([next({ ctx: { signal: controller.signal } }), expired]);
  } finally {
    clearTimeout(timer);
  }
});

export const publicProcedure = t.procedure.use(deadline).use(databaseErrors);

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.principal) {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: ctx.authProblem ?? 'missing bearer token' });
  }
  return next({ ctx: { principal: ctx.principal } });
});

export const adminProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.principal.role !== 'admin') throw new TRPCError({ code: 'FORBIDDEN', message: 'admin role required' });
  return next();
});
