// The native tRPC endpoint for `@trpc/client` (batching included), mounted inside Koa.
// Queries sent as plain GETs (what httpBatchLink sends for reads) are answered here, calling the
// procedures directly and writing tRPC's own response shapes: tRPC's node adapter turns every
// request into a fetch Request and every answer into a fetch Response first, which was most of
// a read's CPU (see README "Performance"). Everything else — mutations, streaming, anything
// unusual — goes through tRPC's adapter unchanged.
import type { IncomingMessage } from 'node:http';
import type { AnyProcedure, AnyRouter, TRPCError } from '@trpc/server';
import { nodeHTTPRequestHandler } from '@trpc/server/adapters/node-http';
import {
  getErrorShape,
  getHTTPStatusCode,
  getTRPCErrorFromUnknown,
  transformTRPCResponse,
  type TRPCErrorShape,
  type TRPCResponse,
} from '@trpc/server/unstable-core-do-not-import';
import type { Context, Middleware } from 'koa';
import { loggableError } from '../router/errors';
import { noteRequest } from './ops/request-notes';

type AppContext = { responseHeaders?: Record<string, string> };

export interface NativeTrpcOptions {
  router: AnyRouter;
  createContext: (opts: { req: IncomingMessage }) => AppContext;
  prefix: string;
  bodyLimit: number;
}

export function nativeTrpc({ router, createContext, prefix, bodyLimit }: NativeTrpcOptions): Middleware {
  const procedures = router._def.procedures as Record<string, AnyProcedure | undefined>;
  const noteFailure = (error: TRPCError, req: IncomingMessage) => {
    if (error.code === 'INTERNAL_SERVER_ERROR') noteRequest(req, { error: loggableError(error) });
  };

  return async (ctx, next) => {
    if (!ctx.path.startsWith(`${prefix}/`)) {
      await next();
      return;
    }
    const path = ctx.path.slice(prefix.length + 1);
    // a batch names several procedures; unknown names are not echoed into logs and metrics
    const names = path.split(',');
    const operation = names.map((name) => (procedures[name] ? name : 'unknown')).join(',');
    noteRequest(ctx.req, { route: `${prefix}/${operation}`, operation });

    const query = plainQuery(ctx, names, procedures);
    if (query) {
      await answerQuery(ctx, query, { router, createContext, noteFailure });
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
      createContext: ({ req }) => createContext({ req }),
      maxBodySize: bodyLimit,
      responseMeta: ({ ctx: appContext }) => ({
        headers: (appContext as AppContext | undefined)?.responseHeaders ?? {},
      }),
      onError: ({ error, req }) => noteFailure(error, req),
    });
  };
}

interface PlainQuery {
  batch: boolean;
  calls: Array<{ name: string; procedure: AnyProcedure; input: unknown }>;
}

/**
 * A GET of queries only, with well-formed input and nothing that asks for more than JSON
 * (streaming, connection parameters): the case answered without tRPC's adapter.
 */
function plainQuery(
  ctx: Context,
  names: string[],
  procedures: Record<string, AnyProcedure | undefined>,
): PlainQuery | undefined {
  if (ctx.method !== 'GET' || ctx.get('trpc-accept')) return undefined;
  const params = new URLSearchParams(ctx.querystring);
  if (params.has('connectionParams') || params.getAll('input').length > 1) return undefined;
  const batch = params.get('batch') === '1';
  if (!batch && names.length !== 1) return undefined;
  const raw = params.get('input');
  let inputs: unknown;
  try {
    inputs = raw ? JSON.parse(raw) : undefined;
  } catch {
    return undefined;
  }
  if (batch && inputs !== undefined && (typeof inputs !== 'object' || inputs === null)) return undefined;
  const calls: PlainQuery['calls'] = [];
  for (const [index, name] of names.entries()) {
    const procedure = procedures[name];
    if (procedure?._def.type !== 'query') return undefined;
    const input = batch ? (inputs as Record<number, unknown> | undefined)?.[index] : inputs;
    calls.push({ name, procedure, input });
  }
  return { batch, calls };
}

/** Calls the queries and answers exactly as tRPC's adapter would for them. */
async function answerQuery(
  ctx: Context,
  { batch, calls }: PlainQuery,
  options: {
    router: AnyRouter;
    createContext: NativeTrpcOptions['createContext'];
    noteFailure: (error: TRPCError, req: IncomingMessage) => void;
  },
): Promise<void> {
  const config = options.router._def._config;
  const appContext = options.createContext({ req: ctx.req });
  const call = async (
    { name, procedure, input }: PlainQuery['calls'][number],
    batchIndex: number,
  ): Promise<TRPCResponse> => {
    try {
      const data: unknown = await procedure({
        path: name,
        type: 'query',
        ctx: appContext,
        getRawInput: () => Promise.resolve(input),
        signal: undefined,
        batchIndex,
      });
      return { result: { data } };
    } catch (cause) {
      const error = getTRPCErrorFromUnknown(cause);
      options.noteFailure(error, ctx.req);
      const shape = getErrorShape({
        config,
        ctx: appContext,
        error,
        input,
        path: name,
        type: 'query',
      }) as TRPCErrorShape;
      return { error: shape };
    }
  };
  // most requests are one call: no array of promises for them
  const results = calls.length === 1 ? [await call(calls[0]!, 0)] : await Promise.all(calls.map(call));
  ctx.status = getHTTPStatusCode(results);
  ctx.set('Vary', 'trpc-accept, accept');
  ctx.set(appContext.responseHeaders ?? {});
  ctx.set('Content-Type', 'application/json'); // as tRPC sends it, without a charset
  // the router's own config, whatever its type parameters
  const body = transformTRPCResponse(
    config as Parameters<typeof transformTRPCResponse>[0],
    batch ? results : results[0]!,
  );
  ctx.body = JSON.stringify(body);
}
