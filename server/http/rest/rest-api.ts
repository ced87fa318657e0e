// The published REST API: each procedure with `openapi` meta at its path. trpc-to-openapi
// defines the routes (the meta, its route matcher) and the document; the request itself is
// dispatched here, straight to the tRPC procedure, because trpc-to-openapi's handler builds a
// fetch Request per call and rewrites the input schemas at run time (half of this service's
// CPU on a read, see README "Performance"). Koa owns the response: bodies are read and checked
// here, errors become `{code, msg}`, and a procedure that returns nothing answers 204. The HTTP
// side of conditional requests is here too: If-Match goes to the procedures that take it (they check
// it under the write's row lock), and a GET whose answer carries an ETag answers a matching
// If-None-Match with 304. Input fields that are tRPC's alone (`trpcOnly`) are never taken from a
// REST request. What this relies on in tRPC and trpc-to-openapi is in ../trpc-internals.ts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AnyRouter, TRPCError } from '@trpc/server';
import type { Context, Middleware } from 'koa';
import type { OpenApiMethod } from 'trpc-to-openapi';
import { loggableError, publicMessage } from '../../../router/trpc/api-errors';
import { trpcOnlyKeys, type ErrorBody } from '../../../router/trpc/common-schemas';
import { matchesWeakly, opaqueOf, parseCondition } from '../../../router/trpc/entity-tags';
import type { Meta } from '../../../router/trpc/procedures';
import { noteRequest } from '../../ops/request-notes';
import { callProcedure, httpStatusOf, restRoutes, takesRequestBody, toTRPCError } from '../trpc-internals';
import type { ListSink } from '../../../router/trpc/list-sink';
import { readJsonBody } from './json-body';
import { markTokenEndpoint, readTokenRequest, tokenEndpointRefusal } from './oauth2-endpoint';
import { JsonListStream } from './list-stream';
import { bearerChallenge, errorBody } from './rest-errors';

/** What `ctx.type = 'application/json'` would set. */
export const JSON_TYPE = 'application/json; charset=utf-8';

export interface RestApiOptions {
  router: AnyRouter;
  createContext: (opts: { req: IncomingMessage; res: ServerResponse }) => {
    responseHeaders?: Record<string, string | string[]>;
    listSink?: ListSink;
    requestHeaders?: { ifMatch?: string };
  };
  /** Where the REST routes live; other paths are not looked up. */
  prefix: string;
  bodyLimit: number;
}

export function restApi({ router, createContext, prefix, bodyLimit }: RestApiOptions): Middleware {
  const routes = restRoutes<Meta>(router);
  const hidden = hiddenKeys();

  return async (ctx, next) => {
    if (!ctx.path.startsWith(`${prefix}/`)) {
      await next();
      return;
    }
    const method = ctx.method as OpenApiMethod;
    const match = routes.match(method, ctx.path);
    if (!match) {
      const allowed = routes.methodsAt(ctx.path);
      if (allowed.length === 0) {
        await next();
        return;
      }
      ctx.set('Allow', allowed.join(', '));
      return ctx.throw(405, `method ${ctx.method} is not allowed here; use ${allowed.join(' or ')}`);
    }
    const { procedure } = match;
    const { meta } = procedure;
    noteRequest(ctx.req, { route: procedure.meta?.openapi?.path, operation: procedure.path });

    // the procedure's input: the query (or the JSON body) with the path parameters
    let input: Record<string, unknown>;
    // an operation without a request body (logout) may be called without one
    const expectsBody = meta?.requestBody !== undefined || ctx.request.length > 0 || ctx.get('content-type') !== '';
    if (meta?.rest?.oauth2) markTokenEndpoint(ctx);
    if (takesRequestBody(method) && meta?.rest?.oauth2) {
      // a form, the client's Basic credentials in it (./oauth2-endpoint.ts)
      input = { ...(await readTokenRequest(ctx, bodyLimit)), ...match.pathInput };
    } else if (takesRequestBody(method) && expectsBody) {
      const body = await readJsonBody(ctx, bodyLimit, meta?.rest?.bodyType);
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        return ctx.throw(400, 'the request body must be a JSON object');
      }
      rejectConflictingPathParams(ctx, body as Record<string, unknown>, match.pathInput);
      input = { ...body, ...match.pathInput };
    } else {
      input = queryCallInput(ctx.querystring, match.pathInput);
    }
    for (const key of hidden(procedure)) delete input[key];

    const context = createContext({ req: ctx.req, res: ctx.res });
    if (meta?.rest?.ifMatch) {
      const ifMatch = ctx.get('if-match');
      if (ifMatch !== '') context.requestHeaders = { ...context.requestHeaders, ifMatch };
    }
    // a long list may be streamed as it is read; only requests their procedure says may be get a
    // sink (it costs an AbortController and a listener per request, which a read by id or a page
    // has no use for): the same test the fast lane makes (../fast-lane.ts)
    const stream = meta?.rest?.stream?.(input)
      ? (context.listSink = new JsonListStream(ctx, () => context.responseHeaders ?? {}))
      : undefined;
    try {
      const data = await callProcedure(router, {
        path: procedure.path,
        type: procedure.type,
        ctx: context,
        input,
        batchIndex: 0,
      });
      if (stream?.started) {
        stream.finish(data as { total: number; offset: number; limit: number });
      } else if (data === undefined) {
        ctx.status = 204;
      } else if (method === 'GET' && meta?.rest?.etag && notModified(ctx, context.responseHeaders?.ETag)) {
        // the client's copy is current: no body (its headers, the ETag among them, are set below)
        ctx.status = 304;
      } else if (meta?.rest?.redirect) {
        // a browser flow: the procedure says where to, REST sends the browser there
        ctx.set('Cache-Control', 'no-store');
        ctx.redirect((data as { location: string }).location);
      } else {
        ctx.status = meta?.rest?.status ?? 200;
        // the header itself: Koa's `type` looks the media type up on every answer
        ctx.set('Content-Type', JSON_TYPE);
        ctx.body = JSON.stringify(data);
      }
    } catch (cause) {
      const error = toTRPCError(cause);
      if (stream?.started) {
        noteRequest(ctx.req, { error: loggableError(error) });
        stream.cut();
        return;
      }
      const refusal = refusalOf(ctx.req, error, ctx.get('authorization') !== '');
      ctx.status = refusal.status;
      if (refusal.challenge) ctx.set('WWW-Authenticate', refusal.challenge);
      ctx.body = tokenEndpointRefusal(ctx, refusal.status, refusal.body);
    } finally {
      // headers a procedure asked for (Retry-After); a stream has sent its headers already
      if (!stream?.started) ctx.set(context.responseHeaders ?? {});
    }
  };
}

/** Whether the request's If-None-Match names the answer's ETag (weak comparison, RFC 9110 §13.1.2). */
function notModified(ctx: Context, etag: string | string[] | undefined): boolean {
  return matchesIfNoneMatch(ctx.get('if-none-match'), etag);
}

/** Whether an If-None-Match header (`''` when absent) names `etag`. */
export function matchesIfNoneMatch(header: string, etag: string | string[] | undefined): boolean {
  if (typeof etag !== 'string') return false;
  const opaque = opaqueOf(etag);
  if (header === '' || opaque === undefined) return false;
  return matchesWeakly(parseCondition('If-None-Match', header), opaque);
}

/** Per procedure, the input keys REST must not set (cached: the procedures do not change). */
export function hiddenKeys(): (procedure: { path: string; input: unknown }) => readonly string[] {
  const keys = new Map<string, string[]>();
  return (procedure) => {
    let found = keys.get(procedure.path);
    if (!found) keys.set(procedure.path, (found = trpcOnlyKeys(procedure.input)));
    return found;
  };
}

/** A call's input from the query string, with the path parameters over it. */
export function queryCallInput(querystring: string, pathInput: Record<string, string>): Record<string, unknown> {
  return querystring === '' ? { ...pathInput } : { ...queryInput(querystring), ...pathInput };
}

/** How REST answers a failed call: its status, the Bearer challenge of a 401, and the `{code, msg}` body. */
export interface Refusal {
  status: number;
  challenge?: string;
  body: ErrorBody;
}

/** The refusal for `error` (noted for the log line when it is the service's own failure). */
export function refusalOf(req: IncomingMessage, error: TRPCError, tokenSent: boolean): Refusal {
  const status = httpStatusOf(error);
  if (status >= 500) noteRequest(req, { error: loggableError(error) });
  const body = errorBody(publicMessage(error));
  return status === 401 ? { status, challenge: bearerChallenge(error, tokenSent), body } : { status, body };
}

/**
 * Query parameters as trpc-to-openapi reads them: empty values are absent (so defaults apply),
 * a repeated name is a list.
 */
export function queryInput(querystring: string): Record<string, unknown> {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(querystring)) {
    if (value === '') continue;
    const seen = query[name];
    query[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return query;
}

/**
 * A body field that names a path parameter (the update body's `id`) must agree with the path:
 * otherwise the path would silently win.
 */
function rejectConflictingPathParams(
  ctx: Context,
  body: Record<string, unknown>,
  pathInput: Record<string, string>,
): void {
  for (const [name, value] of Object.entries(pathInput)) {
    if (body[name] !== undefined && body[name] !== value) ctx.throw(400, `${name}: must match the ${name} in the path`);
  }
}
