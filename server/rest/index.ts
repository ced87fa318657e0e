// The published REST API: the router's procedures at their `openapi` paths, served by
// trpc-to-openapi's handler inside Koa. Koa owns the response: bodies are read and checked here,
// errors become `{code, msg}`, and a procedure that returns nothing answers 204.
import type { IncomingMessage } from 'node:http';
import type { AnyRouter, TRPCError } from '@trpc/server';
import type { Middleware } from 'koa';
import {
  acceptsRequestBody,
  createOpenApiNodeHttpHandler,
  createProcedureCache,
  normalizePath,
  type OpenApiMethod,
  type OpenApiRouter,
} from 'trpc-to-openapi';
import { loggableError, publicMessage } from '../../router/errors';
import type { Meta } from '../../router/trpc';
import { noteRequest } from '../ops/request-notes';
import { readJsonBody } from './body';
import { CapturedResponse } from './captured-response';
import { pinCoercion } from './coercion';
import { errorBody } from './errors';

const METHODS: OpenApiMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export interface RestApiOptions {
  router: AnyRouter;
  createContext: (opts: { req: IncomingMessage }) => unknown;
  bodyLimit: number;
}

export function restApi({ router, createContext, bodyLimit }: RestApiOptions): Middleware {
  pinCoercion(router);
  const findProcedure = createProcedureCache(router as OpenApiRouter);
  // the adapter reports a failed call here, before it writes its own error shape
  const failures = new WeakMap<IncomingMessage, TRPCError>();
  const handle = createOpenApiNodeHttpHandler({
    router: router as OpenApiRouter,
    createContext: ({ req }) => createContext({ req }),
    onError: ({ error, req }) => failures.set(req, error),
    responseMeta: ({ ctx, data, errors }) => ({
      headers: (ctx as { responseHeaders?: Record<string, string> } | undefined)?.responseHeaders ?? {},
      ...(errors.length === 0 && data[0] === undefined ? { status: 204 } : {}),
    }),
  });

  return async (ctx, next) => {
    const path = normalizePath(ctx.path);
    const method = ctx.method as OpenApiMethod;
    const match = findProcedure(method, path);
    const procedure = match?.procedure;
    if (!match || !procedure) {
      const allowed = METHODS.filter((other) => findProcedure(other, path));
      if (allowed.length === 0) {
        await next();
        return;
      }
      ctx.set('Allow', allowed.join(', '));
      return ctx.throw(405, `method ${ctx.method} is not allowed here; use ${allowed.join(' or ')}`);
    }
    const { meta } = (procedure.procedure as { _def: { meta?: Meta } })._def;
    noteRequest(ctx.req, { route: meta?.openapi?.path, operation: procedure.path });

    if (acceptsRequestBody(method)) {
      const body = await readJsonBody(ctx, bodyLimit);
      // the adapter spreads the body into the input: an array or a string would turn into fields
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        return ctx.throw(400, 'the request body must be a JSON object');
      }
      rejectConflictingPathParams(ctx.throw.bind(ctx), body, match.pathInput);
      (ctx.req as IncomingMessage & { body?: unknown }).body = body;
    }

    const res = new CapturedResponse(ctx.res);
    await handle(ctx.req, res as never);

    for (const [name, value] of res.headers) if (name !== 'content-type') ctx.set(name, String(value));
    const failure = failures.get(ctx.req);
    if (failure) {
      ctx.status = res.statusCode;
      if (res.statusCode >= 500) noteRequest(ctx.req, { error: loggableError(failure) });
      if (res.statusCode === 401) {
        ctx.set('WWW-Authenticate', ctx.get('authorization') ? 'Bearer error="invalid_token"' : 'Bearer');
      }
      ctx.body = errorBody(publicMessage(failure));
      return;
    }
    ctx.status = res.statusCode;
    if (res.body !== undefined) {
      ctx.type = 'application/json';
      ctx.body = res.body;
    }
  };
}

/**
 * A body field that names a path parameter (the update body's `id`) must agree with the path:
 * the adapter would silently let the path win.
 */
function rejectConflictingPathParams(
  fail: (status: number, message: string) => never,
  body: unknown,
  pathInput: Record<string, string>,
): void {
  if (typeof body !== 'object' || body === null) return;
  for (const [name, value] of Object.entries(pathInput)) {
    const sent = (body as Record<string, unknown>)[name];
    if (sent !== undefined && sent !== value) {
      fail(400, `${name}: must match the ${name} in the path`);
    }
  }
}
