// The native tRPC endpoint for `@trpc/client` (batching included), mounted inside Koa.
import type { IncomingMessage } from 'node:http';
import type { AnyRouter } from '@trpc/server';
import { nodeHTTPRequestHandler } from '@trpc/server/adapters/node-http';
import type { Middleware } from 'koa';
import { loggableError } from '../router/errors';
import { noteRequest } from './ops/request-notes';

export interface NativeTrpcOptions {
  router: AnyRouter;
  createContext: (opts: { req: IncomingMessage }) => unknown;
  prefix: string;
  bodyLimit: number;
}

export function nativeTrpc({ router, createContext, prefix, bodyLimit }: NativeTrpcOptions): Middleware {
  const procedures = new Set(Object.keys(router._def.procedures as object));
  return async (ctx, next) => {
    if (!ctx.path.startsWith(`${prefix}/`)) {
      await next();
      return;
    }
    // tRPC writes the response itself; Koa presets 404, which tRPC would keep for a success
    ctx.respond = false;
    ctx.res.statusCode = 200;
    const path = ctx.path.slice(prefix.length + 1);
    // a batch names several procedures; unknown names are not echoed into logs and metrics
    const operation = path
      .split(',')
      .map((name) => (procedures.has(name) ? name : 'unknown'))
      .join(',');
    noteRequest(ctx.req, { route: `${prefix}/${operation}`, operation });
    await nodeHTTPRequestHandler({
      req: ctx.req,
      res: ctx.res,
      path,
      router,
      createContext: ({ req }) => createContext({ req }),
      maxBodySize: bodyLimit,
      responseMeta: ({ ctx }) => ({
        headers: (ctx as { responseHeaders?: Record<string, string> } | undefined)?.responseHeaders ?? {},
      }),
      onError: ({ error, req }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR') noteRequest(req, { error: loggableError(error) });
      },
    });
  };
}
