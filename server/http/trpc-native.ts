// The native tRPC endpoint for `@trpc/client` (batching included), mounted inside Koa.
// Queries sent as plain GETs (what httpBatchLink sends for reads) are answered here, calling the
// procedures directly and writing tRPC's own response shapes: tRPC's node adapter turns every
// request into a fetch Request and every answer into a fetch Response first, which was most of
// a read's CPU (see README "Performance"). Everything else — mutations, streaming, anything
// unusual — goes through tRPC's adapter unchanged. What this relies on in tRPC is in
// ./trpc-internals.ts.
import type { IncomingMessage } from 'node:http';
import { TRPCError, type AnyRouter } from '@trpc/server';
import { nodeHTTPRequestHandler } from '@trpc/server/adapters/node-http';
import type { Middleware } from 'koa';
import { loggableError } from '../../router/trpc/api-errors';
import { noteRequest } from '../ops/request-notes';
import {
  answerPlainQuery,
  answerRequestError,
  callsInRequest,
  procedureTable,
  readPlainQuery,
  TRPC_RESPONSE_HEADERS,
  type ContextFactory,
} from './trpc-internals';

export interface NativeTrpcOptions {
  router: AnyRouter;
  createContext: ContextFactory;
  prefix: string;
  bodyLimit: number;
  /** Most calls in one batch (TRPC_MAX_BATCH): each call is work, and a batch is one request to every limit. */
  maxBatch: number;
}

export function nativeTrpc({ router, createContext, prefix, bodyLimit, maxBatch }: NativeTrpcOptions): Middleware {
  const procedures = procedureTable(router);
  const noteFailure = (error: TRPCError, req: IncomingMessage) => {
    if (error.code === 'INTERNAL_SERVER_ERROR') noteRequest(req, { error: loggableError(error) });
  };

  // every other request goes on at once, without a promise of this middleware's own
  return (ctx, next) => (ctx.path.startsWith(`${prefix}/`) ? serve(ctx) : next());

  async function serve(ctx: Parameters<Middleware>[0]): Promise<void> {
    const path = ctx.path.slice(prefix.length + 1);
    // a batch names several procedures; unknown names are not echoed into logs and metrics
    const operation = path
      .split(',')
      .map((name) => (procedures.has(name) ? name : 'unknown'))
      .join(',');
    noteRequest(ctx.req, { route: `${prefix}/${operation}`, operation });

    // before any call, any context, any body: GET and POST, counted as tRPC's adapter counts them
    const calls = callsInRequest(path, ctx.querystring);
    if (calls > maxBatch) {
      const answer = answerRequestError(
        router,
        new TRPCError({
          code: 'BAD_REQUEST',
          message: `a batch may hold at most ${maxBatch} calls (TRPC_MAX_BATCH); this one has ${calls}`,
        }),
      );
      ctx.status = answer.status;
      ctx.set(TRPC_RESPONSE_HEADERS);
      ctx.body = answer.body;
      return;
    }

    const query = readPlainQuery(procedures, {
      method: ctx.method,
      path,
      querystring: ctx.querystring,
      header: (name) => ctx.get(name),
    });
    if (query) {
      const appContext = createContext({ req: ctx.req, res: ctx.res });
      const answer = await answerPlainQuery(router, query, appContext, (error) => noteFailure(error, ctx.req));
      ctx.status = answer.status;
      ctx.set(TRPC_RESPONSE_HEADERS);
      ctx.set(appContext.responseHeaders ?? {});
      ctx.body = answer.body;
      return;
    }

    // tRPC writes the response itself; Koa presets 404, which tRPC would keep for a success
    ctx.respond = false;
    ctx.res.statusCode = 200;
    await nodeHTTPRequestHandler({
      req: ctx.req,
      res: ctx.res,
      path,
      router,
      createContext: ({ req, res }) => createContext({ req, res }),
      maxBodySize: bodyLimit,
      // the same bound, as tRPC's adapter counts (refused above already, with a message that names it)
      maxBatchSize: maxBatch,
      responseMeta: ({ ctx: appContext }) => ({
        headers: (appContext as ReturnType<ContextFactory> | undefined)?.responseHeaders ?? {},
      }),
      onError: ({ error, req }) => noteFailure(error, req),
    });
  }
}
