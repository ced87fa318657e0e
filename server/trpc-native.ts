// The native tRPC endpoint for `@trpc/client` (batching included), mounted inside Koa.
import type { IncomingMessage } from 'node:http';
import type { AnyRouter } from '@trpc/server';
import { nodeHTTPRequestHandler } from '@trpc/server/adapters/node-http';
import type { Middleware } from 'koa';
import { loggableError } from '../router/errors';
import type { Logger } from './logger';

export interface NativeTrpcOptions {
  router: AnyRouter;
  createContext: (opts: { req: IncomingMessage }) => unknown;
  prefix: string;
  bodyLimit: number;
  logger: Logger;
}

export function nativeTrpc({ router, createContext, prefix, bodyLimit, logger }: NativeTrpcOptions): Middleware {
  return async (ctx, next) => {
    if (!ctx.path.startsWith(`${prefix}/`)) {
      await next();
      return;
    }
    // tRPC writes the response itself; Koa presets 404, which tRPC would keep for a success
    ctx.respond = false;
    ctx.res.statusCode = 200;
    await nodeHTTPRequestHandler({
      req: ctx.req,
      res: ctx.res,
      path: ctx.path.slice(prefix.length + 1),
      router,
      createContext: ({ req }) => createContext({ req }),
      maxBodySize: bodyLimit,
      responseMeta: ({ ctx }) => ({
        headers: (ctx as { responseHeaders?: Record<string, string> } | undefined)?.responseHeaders ?? {},
      }),
      onError: ({ error }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR') logger.error({ err: loggableError(error) }, 'procedure failed');
      },
    });
    // for the request log, which reads Koa's status
    ctx.status = ctx.res.statusCode;
  };
}
